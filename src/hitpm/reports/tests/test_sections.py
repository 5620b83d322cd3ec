"""The section registry: a future area replaces a built-in section by registering."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hitpm.reports import providers, sections
from hitpm.reports.models import Audience
from hitpm.reports.sections import ReportContext, Section, build_sections, section
from hitpm.stakeholders.tests.fixtures import TODAY, make_setup

pytestmark = pytest.mark.django_db
assert providers  # registers the built-in sections before the fixture saves the registry


@pytest.fixture
def registry() -> Iterator[None]:
    saved = dict(sections._REGISTRY)
    yield
    sections._REGISTRY.clear()
    sections._REGISTRY.update(saved)


def test_a_registered_provider_replaces_the_built_in_section(registry: None) -> None:
    s = make_setup()
    context = ReportContext(s.project, TODAY, {})
    before = {x["key"]: x for x in build_sections(Audience.CLINICAL, context)}
    assert before["training"]["note"].startswith("The plan has no training tasks")

    @section("training", "Training")
    def training(context: ReportContext) -> Section:
        return {"facts": [["Staff trained", "1,204 of 1,380"]]}

    after = {x["key"]: x for x in build_sections(Audience.CLINICAL, context)}
    assert after["training"] == {"key": "training", "title": "Training", "tracked": True,
                                 "facts": [["Staff trained", "1,204 of 1,380"]]}  # fmt: skip
