"""FMEA worksheets: scores per method, the HFMEA decision, RPN threshold, re-scoring, export."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from hitpm.risk.models import FailureMode, FmeaAction, FmeaWorksheet
from hitpm.risk.services import export
from hitpm.risk.services import fmea as services
from hitpm.risk.tests.fixtures import Team, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> Team:
    return make_team()


def _sheet(team: Team, method: str = FmeaWorksheet.Method.HFMEA, **fields: object) -> FmeaWorksheet:
    return FmeaWorksheet.objects.create(
        project=team.project, process="BCMA medication pass", method=method, **fields
    )


def _mode(sheet: FmeaWorksheet, **fields: object) -> FailureMode:
    step = services.add_step(sheet, "Scan patient wristband")
    values: dict[str, object] = {
        "description": "Wristband unreadable",
        "severity": 3,
        "probability": 3,
    }
    values.update(fields)
    return services.save_failure_mode(FailureMode(step=step, **values))


def test_hfmea_hazard_score_decision_and_rescoring(team: Team) -> None:
    sheet = _sheet(team)
    mode = _mode(sheet, single_point_weakness=True)
    assessed = services.assess(sheet, mode)
    assert (assessed.score, assessed.proceed) == (9, True)
    mode = services.update_failure_mode(mode, {"effective_control": True}, mode.version)
    assert services.assess(sheet, mode).proceed is False
    mode = services.update_failure_mode(
        mode, {"revised_severity": 3, "revised_probability": 1}, mode.version
    )
    assert services.assess(sheet, mode).revised == 3


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"severity": 5}, "severity"),  # HFMEA is 1-4
        ({"detection": 3}, "detection"),  # HFMEA has no detection score
        ({"revised_severity": 2}, "revised_severity"),  # revised scores come together
    ],
)
def test_hfmea_scores_are_checked(team: Team, fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _mode(_sheet(team), **fields)
    assert field in caught.value.message_dict
    assert not FailureMode.objects.exists()


def test_rpn_worksheet_needs_detection_and_uses_the_threshold(team: Team) -> None:
    sheet = _sheet(team, FmeaWorksheet.Method.RPN, action_threshold=100)
    with pytest.raises(ValidationError) as caught:
        _mode(sheet, severity=8, probability=5)
    assert "detection" in caught.value.message_dict
    mode = _mode(sheet, severity=8, probability=5, detection=3)
    assessed = services.assess(sheet, mode)
    assert (assessed.score, assessed.proceed) == (120, True)
    with pytest.raises(ValidationError):
        services.update_failure_mode(mode, {"severity": 11}, mode.version)


def test_method_is_fixed_once_modes_are_scored(team: Team) -> None:
    sheet = _sheet(team)
    _mode(sheet)
    with pytest.raises(ValidationError) as caught:
        services.update_worksheet(sheet, {"method": FmeaWorksheet.Method.RPN}, sheet.version)
    assert "method" in caught.value.message_dict
    assert services.update_worksheet(sheet, {"team": "Pharmacy, nursing"}, sheet.version).team


def test_actions_need_a_member_as_owner_and_export_lists_everything(team: Team) -> None:
    sheet = _sheet(team)
    mode = _mode(sheet, severity=4, probability=2)
    with pytest.raises(ValidationError):
        services.save_action(FmeaAction(failure_mode=mode, description="x", owner=team.stranger))
    services.save_action(
        FmeaAction(
            failure_mode=mode,
            description="Spare wristband printers",
            owner=team.member,
            measure="Scan rate > 98%",
        )
    )
    csv_text = export.fmea_file(sheet, "csv").body.decode("utf-8-sig")
    assert "Wristband unreadable" in csv_text
    assert "Spare wristband printers" in csv_text
    book = load_workbook(io.BytesIO(export.fmea_file(sheet, "xlsx").body))
    sheet_rows = list(book.active.iter_rows(values_only=True))
    assert sheet_rows[0][0] == "Step"
    assert sheet_rows[1][11] == 8
