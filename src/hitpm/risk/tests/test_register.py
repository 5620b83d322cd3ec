"""Register rules: numbering, scores from the worst dimension, history, reviews, validation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hitpm.core.services import StaleVersion
from hitpm.core.tests.web_fixtures import make_project
from hitpm.risk.models import Risk, RiskAction, RiskScoreChange
from hitpm.risk.services import insights
from hitpm.risk.services import register as services
from hitpm.risk.tests.fixtures import Team, category, make_chain, make_risk, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> Team:
    return make_team()


def test_new_risks_are_numbered_scored_and_recorded(team: Team) -> None:
    first = make_risk(team.project, team.pm)
    second = make_risk(
        team.project,
        team.pm,
        title="Interface engine vendor slips",
        probability=4,
        impact_safety=None,
        impact_schedule=3,
        impact_cost=4,
    )
    assert (first.ref, second.ref) == ("R-001", "R-002")
    assert first.inherent_impact == 5
    assert first.inherent_score == 15
    assert second.inherent_score == 16
    assert first.residual_score is None
    assert first.current_score == 15
    history = list(first.history.all())
    assert len(history) == 1
    assert history[0].inherent_score == 15
    assert history[0].by == "pat"
    assert first.next_review_on == dt.date(2027, 1, 18)  # identified + fortnightly cadence


def test_score_and_status_changes_append_history_other_edits_do_not(team: Team) -> None:
    risk = make_risk(team.project, team.pm)
    risk = services.update_risk(risk, {"description": "More words"}, risk.version, team.pm)
    assert risk.history.count() == 1
    changes = {
        "residual_probability": 2,
        "residual_safety": 3,
        "status": Risk.Status.RESPONDING,
        "strategy": Risk.Strategy.MITIGATE,
    }
    risk = services.update_risk(risk, changes, risk.version, team.member)
    assert risk.residual_score == 6
    assert risk.current_score == 6
    latest = risk.history.last()
    assert latest is not None
    assert (latest.residual_score, latest.status, latest.by) == (6, "responding", "tess")
    assert "identified -> responding" in latest.note


def test_a_stale_version_changes_nothing(team: Team) -> None:
    risk = make_risk(team.project, team.pm)
    services.update_risk(risk, {"probability": 4}, risk.version, team.pm)
    with pytest.raises(StaleVersion):
        services.update_risk(risk, {"probability": 1}, risk.version, team.pm)
    risk.refresh_from_db()
    assert risk.probability == 4
    assert risk.history.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"probability": 6}, "probability"),  # off the 5x5 scale
        ({"impact_cost": 0}, "impact_cost"),
        ({"strategy": Risk.Strategy.EXPLOIT}, "strategy"),  # threats are not exploited
        ({"kind": Risk.Kind.OPPORTUNITY, "strategy": Risk.Strategy.AVOID}, "strategy"),
        ({"status": Risk.Status.OCCURRED}, "occurred_on"),
        ({"delay_min_days": 5}, "delay_min_days"),
        ({"delay_min_days": 5, "delay_likely_days": 2, "delay_max_days": 9}, "delay_min_days"),
        ({"schedule_probability": 40}, "schedule_probability"),
    ],
)
def test_invalid_risks_are_refused_and_nothing_is_written(
    team: Team, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_risk(team.project, team.pm, **fields)
    assert field in caught.value.message_dict
    assert not Risk.objects.exists()
    assert not RiskScoreChange.objects.exists()


def test_owner_must_be_on_the_project_and_category_from_its_portfolio(team: Team) -> None:
    with pytest.raises(ValidationError) as caught:
        make_risk(team.project, team.pm, owner=team.stranger)
    assert "owner" in caught.value.message_dict
    other = make_project("OTHER", {}, portfolio="Research IT")
    with pytest.raises(ValidationError) as caught:
        make_risk(team.project, team.pm, category=category(other))
    assert "category" in caught.value.message_dict


def test_occurred_becomes_an_issue_and_closing_dates_it(team: Team) -> None:
    risk = make_risk(team.project, team.pm)
    changes = {
        "status": Risk.Status.OCCURRED,
        "occurred_on": dt.date(2027, 3, 1),
        "issue_summary": "Orders lost for 2 units; pharmacy re-entering.",
    }
    risk = services.update_risk(risk, changes, risk.version, team.pm)
    assert not risk.is_open
    risk = services.update_risk(risk, {"status": Risk.Status.CLOSED}, risk.version, team.pm)
    assert risk.closed_on == timezone.localdate()


def test_review_overdue_flag_and_mark_reviewed(team: Team) -> None:
    risk = make_risk(team.project, team.pm, next_review_on=dt.date(2027, 2, 1))
    assert risk.review_overdue(dt.date(2027, 2, 2))
    assert not risk.review_overdue(dt.date(2027, 2, 1))
    assert [r.pk for r in insights.overdue(team.project, dt.date(2027, 2, 2)).reviews] == [risk.pk]
    risk = services.mark_reviewed(risk, team.pm, dt.date(2027, 2, 3), risk.version)
    assert risk.last_reviewed_on == dt.date(2027, 2, 3)
    assert risk.next_review_on == dt.date(2027, 2, 17)
    closed = services.update_risk(risk, {"status": "closed"}, risk.version, team.pm)
    assert not closed.review_overdue(dt.date(2030, 1, 1))


def test_overdue_actions(team: Team) -> None:
    risk = make_risk(team.project, team.pm)
    late = services.save_action(
        RiskAction(
            risk=risk, description="Downtime drill", owner=team.member, due_on=dt.date(2027, 2, 1)
        )
    )
    services.save_action(RiskAction(risk=risk, description="Later", due_on=dt.date(2027, 5, 1)))
    assert insights.overdue(team.project, dt.date(2027, 2, 2)).actions == [late]
    done = services.update_action(late, {"status": RiskAction.Status.DONE}, late.version)
    assert done.completed_on is not None
    assert not done.overdue(dt.date(2027, 2, 2))
    with pytest.raises(ValidationError):
        services.save_action(RiskAction(risk=risk, description="x", owner=team.stranger))


def test_linked_tasks_must_belong_to_the_project(team: Team) -> None:
    task = make_chain(team.project)[0]
    other = make_project("OTHER", {})
    foreign = make_chain(other)[0]
    risk = make_risk(team.project, team.pm)
    services.set_tasks(risk, [task.pk])
    assert list(risk.tasks.all()) == [task]
    with pytest.raises(ValidationError):
        services.set_tasks(risk, [foreign.pk])


def test_heat_map_trend_top_and_counts(team: Team) -> None:
    high = make_risk(team.project, team.pm, probability=5, impact_safety=5)
    low = make_risk(
        team.project,
        team.pm,
        probability=1,
        impact_safety=2,
        residual_probability=1,
        residual_safety=1,
    )
    make_risk(
        team.project,
        team.pm,
        title="Unrated",
        probability=None,
        impact_safety=None,
        impact_schedule=None,
    )
    inherent = insights.heat_map(team.project, "inherent")
    assert inherent.rows[0][4].risks == [high]  # top row = probability 5, last column = impact 5
    assert inherent.rows[0][4].rating == "red"
    assert len(inherent.unrated) == 1
    assert insights.cell_risks(team.project, "residual", 1, 1) == [low]
    assert [r.pk for r in insights.top_risks(team.project, 2)] == [high.pk, low.pk]
    RiskScoreChange.objects.filter(risk=high).update(at=timezone.now() - dt.timedelta(days=20))
    weeks = insights.trend(team.project, timezone.localdate(), 4)
    assert [w.exposure for w in weeks] == [0, 25, 25, 26]
    assert weeks[-1].red == 1
    assert weeks[-1].open_count == 3
    other = make_project("EMPTY", {})
    assert insights.open_risk_counts([team.project.pk, other.pk]) == {
        team.project.pk: 3,
        other.pk: 0,
    }


def test_register_filters_and_sorting(team: Team) -> None:
    a = make_risk(team.project, team.pm, title="Super-user availability", owner=team.member)
    b = make_risk(
        team.project,
        team.pm,
        title="PHI in test data",
        probability=5,
        category=category(team.project, "PHI and security"),
    )
    filters = insights.RegisterFilter
    assert list(insights.register(team.project, filters(), "-score")) == [b, a]
    assert list(insights.register(team.project, filters(), "title")) == [b, a]
    assert list(insights.register(team.project, filters(q="super"))) == [a]
    assert list(insights.register(team.project, filters(owner=team.member.pk))) == [a]
    assert list(insights.register(team.project, filters(min_score=20))) == [b]


def test_scale_changes_are_checked(team: Team) -> None:
    make_risk(team.project, team.pm, probability=5)
    scale = services.scale_for(team.project.portfolio)
    with pytest.raises(ValidationError) as caught:
        services.update_scale(
            team.project.portfolio,
            {"size": 4, "probability_labels": list("abcd"), "impact_labels": list("abcd")},
            scale.version,
        )
    assert "size" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.update_scale(team.project.portfolio, {"impact_labels": ["x"]}, scale.version)
