"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hitpm import __version__
from hitpm.core.areas import AREAS


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"hitpm_version": __version__, "areas": AREAS}
