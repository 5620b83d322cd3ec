"""RACI rules, the matrix rows and the HTMX grid."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hitpm.core.tests.web_fixtures import make_task, signed_in
from hitpm.stakeholders.models import RaciAssignment
from hitpm.stakeholders.services.raci import matrix, row_problems, set_letter
from hitpm.stakeholders.tests.fixtures import make_setup, stakeholder

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    ("letters", "problems"),
    [
        (["A", "R"], []),
        (["A", "R", "R", "C", "I"], []),
        (["R", "C"], ["No one is Accountable; name exactly one."]),
        (["A", "A", "R"], ["2 people are Accountable; exactly one may be."]),
        (["A", "C"], ["No one is Responsible; name at least one."]),
        ([], ["No one is Accountable; name exactly one.",
              "No one is Responsible; name at least one."]),
    ],
)  # fmt: skip
def test_row_problems(letters: list[str], problems: list[str]) -> None:
    assert row_problems(letters) == problems


def test_matrix_rows_are_summaries_milestones_and_lettered_tasks() -> None:
    s = make_setup()
    assert [r.task for r in matrix(s.project).rows] == [s.phase, s.milestone]
    set_letter(s.project, s.work, s.cmio, "A")
    found = matrix(s.project)
    assert [r.task for r in found.rows] == [s.phase, s.milestone, s.work]
    assert found.columns[0] == s.cmio  # most influential first
    work_row = found.rows[2]
    assert work_row.letters == {s.cmio.pk: "A"}
    assert work_row.problems == ["No one is Responsible; name at least one."]


def test_set_letter_replaces_and_clears() -> None:
    s = make_setup()
    set_letter(s.project, s.phase, s.cmio, "R")
    set_letter(s.project, s.phase, s.cmio, "A")
    assert RaciAssignment.objects.get().letter == "A"
    set_letter(s.project, s.phase, s.cmio, "")
    assert not RaciAssignment.objects.exists()


def test_bad_letter_and_foreign_records_are_refused() -> None:
    s = make_setup()
    with pytest.raises(ValidationError, match="R, A, C or I"):
        set_letter(s.project, s.phase, s.cmio, "X")
    outsider = stakeholder(s.foreign, "Lab director")
    with pytest.raises(ValidationError, match="must belong"):
        set_letter(s.project, s.phase, outsider, "R")
    lab_task = make_task(s.foreign, 1, "Lab build")
    with pytest.raises(ValidationError, match="must belong"):
        set_letter(s.project, lab_task, s.cmio, "R")
    assert not RaciAssignment.objects.exists()


def test_page_lists_problems_and_grid() -> None:
    s = make_setup()
    set_letter(s.project, s.phase, s.cmio, "A")
    set_letter(s.project, s.phase, s.nursing, "R")
    page = signed_in(s.viewer).get("/p/EHR-1/stakeholders/raci/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "2 problems to fix" in text  # the milestone row: no A, no R
    assert "Build complete</a>: No one is Accountable" in text
    assert "<select" not in text  # viewers read only


def test_htmx_cell_edit_returns_row_and_problems() -> None:
    s = make_setup()
    client = signed_in(s.member)
    data = {"task": s.milestone.pk, "stakeholder": s.cmio.pk, "letter": "A"}
    reply = client.post("/p/EHR-1/stakeholders/raci/cell/", data, headers=HTMX)
    text = reply.content.decode()
    assert reply.status_code == 200
    assert f'id="raci-{s.milestone.pk}"' in text
    assert 'id="raci-problems"' in text
    assert 'hx-swap-oob="true"' in text
    assert RaciAssignment.objects.get().letter == "A"


def test_viewer_cannot_edit_and_stranger_sees_nothing() -> None:
    s = make_setup()
    data = {"task": s.phase.pk, "stakeholder": s.cmio.pk, "letter": "A"}
    assert signed_in(s.viewer).post("/p/EHR-1/stakeholders/raci/cell/", data).status_code == 403
    assert signed_in(s.stranger).get("/p/EHR-1/stakeholders/raci/").status_code == 404
    assert signed_in(s.stranger).post("/p/EHR-1/stakeholders/raci/cell/", data).status_code == 404
    assert not RaciAssignment.objects.exists()


def test_bad_cell_input_changes_nothing() -> None:
    s = make_setup()
    client = signed_in(s.member)
    bad = {"task": s.phase.pk, "stakeholder": s.cmio.pk, "letter": "Z"}
    assert client.post("/p/EHR-1/stakeholders/raci/cell/", bad, headers=HTMX).status_code == 422
    other = stakeholder(s.foreign, "Lab director")
    wrong = {"task": s.phase.pk, "stakeholder": other.pk, "letter": "A"}
    assert client.post("/p/EHR-1/stakeholders/raci/cell/", wrong).status_code == 404
    assert not RaciAssignment.objects.exists()
