"""Formats read through MPXJ (MPX here, written by MPXJ itself), and the message when Java or
the mpxj package is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from hitpm.core.tests.web_fixtures import make_project
from hitpm.exchange import mpxj_bridge
from hitpm.exchange.errors import ImportFileError
from hitpm.exchange.formats import detect
from hitpm.exchange.native import NativeFormatUnavailable, read_native
from hitpm.exchange.services import import_into
from hitpm.planning.models import Dependency, Task

RICH = Path(__file__).parent / "data" / "rich-mspdi.xml"
needs_mpxj = pytest.mark.skipif(
    mpxj_bridge.unavailable_reason() is not None, reason="MPXJ/Java missing"
)


def _mpx_file(tmp_path: Path) -> bytes:
    mpxj_bridge.start_jvm()
    from org.mpxj.mpx import MPXWriter
    from org.mpxj.reader import UniversalProjectReader

    project = UniversalProjectReader().read(str(RICH))
    target = tmp_path / "plan.mpx"
    MPXWriter().write(project, str(target))
    return target.read_bytes()


@needs_mpxj
@pytest.mark.django_db
def test_mpx_file_imports_through_mpxj(tmp_path: Path) -> None:
    data = _mpx_file(tmp_path)
    assert detect(data, "plan.mpx") == "native"
    project = make_project("MPX-1", {})
    summary = import_into(project, data, "plan.mpx")
    names = list(
        Task.objects.filter(project=project).order_by("position").values_list("name", flat=True)
    )
    assert "Interface specification" in names
    assert summary.tasks == len(names)
    assert Dependency.objects.filter(project=project).count() == 6


@needs_mpxj
def test_unrecognised_binary_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"not a project file MPXJ recognises|could not read"):
        read_native(b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "broken.mpp")


def test_missing_java_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mpxj_bridge, "unavailable_reason", lambda: "no Java runtime was found")
    import jpype

    if jpype.isJVMStarted():
        monkeypatch.setattr(jpype, "isJVMStarted", lambda: False)
    with pytest.raises(NativeFormatUnavailable, match=r"pip install 'hitpm\[mpxj\]'") as caught:
        read_native(b"\xd0\xcf\x11\xe0", "plan.mpp")
    assert "default-jre-headless" in str(caught.value)
    assert "plan.mpp needs MPXJ" in str(caught.value)
