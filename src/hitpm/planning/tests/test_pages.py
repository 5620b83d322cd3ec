"""The planning pages: inline editing, structure, baselines, progress, resources, health,
exports, and who may see and change what."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from hitpm.planning.baselines import save_baseline
from hitpm.planning.models import Baseline, Dependency, Resource, Task
from hitpm.planning.resources import assign, create_resource
from hitpm.planning.tests.conftest import url

pytestmark = pytest.mark.django_db
CODE = "EHR-1"


def test_inline_edit_moves_the_successors_in_the_same_answer(
    plan: dict[str, Task], clients: dict[str, Client]
) -> None:
    orders = plan["Order sets"]
    editor = clients["tess"].get(url("edit_row", orders.pk), HTTP_HX_REQUEST="true")
    assert 'name="predecessors"' in editor.content.decode()
    response = clients["tess"].post(
        url("edit_row", orders.pk),
        {
            "name": "Order sets",
            "duration_days": "4",
            "predecessors": "",
            "percent_complete": "0",
            "version": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<tr id="task-{plan["Unit testing"].pk}" class=" critical" hx-swap-oob="true">' in page
    assert "Project finish: Tue 9 Mar 2027" in page
    assert Task.objects.get(pk=orders.pk).duration_minutes == 4 * 480


def test_inline_predecessors_and_a_loop_refused(
    plan: dict[str, Task], clients: dict[str, Client]
) -> None:
    training = plan["Training"]
    ok = clients["tess"].post(
        url("edit_row", training.pk),
        {"name": "Training", "duration_days": "5", "predecessors": "3FS+1d", "version": "1"},
    )
    assert ok.status_code == 200
    assert Dependency.objects.filter(successor=training).count() == 1
    orders = plan["Order sets"]
    refused = clients["tess"].post(
        url("edit_row", orders.pk),
        {"name": "Order sets", "duration_days": "9", "predecessors": "3", "version": "1"},
    )
    assert "loop" in refused.content.decode()
    assert Task.objects.get(pk=orders.pk).duration_minutes == 2 * 480  # nothing saved


def test_structure_edits_and_delete(plan: dict[str, Task], clients: dict[str, Client]) -> None:
    client = clients["tess"]
    client.post(url("add_task"), {"name": "Smoke test", "duration_days": "1"})
    smoke = Task.objects.get(name="Smoke test")
    assert smoke.wbs == "4"
    client.post(url("restructure", smoke.pk, "indent"))
    assert Task.objects.get(pk=smoke.pk).parent_id == plan["Training"].pk
    client.post(url("restructure", smoke.pk, "outdent"))
    client.post(url("restructure", smoke.pk, "up"))
    assert Task.objects.get(pk=smoke.pk).wbs == "3"
    assert client.get(url("delete_task", smoke.pk)).status_code == 200  # asks first
    client.post(url("delete_task", smoke.pk))
    assert not Task.objects.filter(name="Smoke test").exists()
    assert client.post(url("restructure", plan["Build"].pk, "sideways")).status_code == 404


def test_columns_are_remembered_and_exported(
    plan: dict[str, Task], clients: dict[str, Client]
) -> None:
    client = clients["vic"]
    client.post(url("columns"), {"columns": ["wbs", "finish", "total_float", "critical"]})
    page = client.get(url("tasks")).content.decode()
    assert "Total float (d)" in page
    assert '<th scope="col" class="col-predecessors' not in page
    rows = list(csv.reader(io.StringIO(client.get(url("export", "csv")).content.decode())))
    assert rows[0] == ["WBS", "Task name", "Finish", "Total float (d)", "Critical"]
    xlsx = client.get(url("export", "xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url("export", "csv") + "?columns=wbs,colour").status_code == 400


def test_baseline_page_shows_variance_and_slipped_milestones(
    plan: dict[str, Task], clients: dict[str, Client]
) -> None:
    clients["pm"].post(url("baselines"), {"name": "Approved plan"})
    baseline = Baseline.objects.get()
    clients["tess"].post(
        url("edit_row", plan["Unit testing"].pk),
        {"name": "Unit testing", "duration_days": "5", "predecessors": "2", "version": "1"},
    )
    page = clients["vic"].get(url("baseline", baseline.pk)).content.decode()
    assert "Slipped milestones" in page
    assert "Go-live</a>: Fri 5 Mar 2027 → Tue 9 Mar 2027" in page
    assert "+2d" in page
    assert clients["tess"].post(url("baselines"), {"name": "Mine"}).status_code == 403


def test_progress_update_page(plan: dict[str, Task], clients: dict[str, Client]) -> None:
    orders = plan["Order sets"]
    clients["tess"].post(url("set_status"), {"status_date": "2027-03-02",
                                             "progress_mode": "retained_logic"})  # fmt: skip
    page = clients["tess"].get(url("progress")).content.decode()
    assert f'name="t{orders.pk}-percent_complete"' in page
    clients["tess"].post(
        url("record_progress"),
        {"task": [orders.pk], f"t{orders.pk}-version": "1",
         f"t{orders.pk}-actual_start": "2027-03-01", f"t{orders.pk}-percent_complete": "50",
         f"t{orders.pk}-remaining_days": "1"},
    )  # fmt: skip
    assert Task.objects.get(pk=orders.pk).percent_complete == 50
    bad = clients["tess"].post(
        url("record_progress"),
        {"task": [orders.pk], f"t{orders.pk}-percent_complete": "500"},
        follow=True,
    )
    assert "Nothing was saved" in bad.content.decode()
    assert clients["vic"].post(url("record_progress"), {}).status_code == 403


def test_resources_histogram_and_health_pages(
    plan: dict[str, Task], clients: dict[str, Client]
) -> None:
    project = plan["Build"].project
    sme = create_resource(project, {"name": "Clinical SME", "capacity_percent": 50})
    assign(project, plan["Order sets"].pk, sme.pk)
    page = clients["vic"].get(url("resources") + "?period=day").content.decode()
    assert "Over-allocated" in page
    clients["tess"].post(url("resources"), {"name": "Trainer", "kind": "role", "role": "",
                                            "capacity_percent": "200"})  # fmt: skip
    assert Resource.objects.filter(name="Trainer").exists()
    save_baseline(project, "Approved plan")
    health = clients["vic"].get(url("health")).content.decode()
    assert "Logic" in health
    assert "Approved plan" in health
    assert f'href="/p/{CODE}/plan/tasks/{plan["Training"].pk}/"' in health


@pytest.mark.parametrize(
    "name", ["tasks", "baselines", "progress", "slipping", "resources", "health"]
)
def test_strangers_get_404(plan: dict[str, Task], clients: dict[str, Client], name: str) -> None:
    assert clients["stranger"].get(url(name)).status_code == 404


def test_viewers_cannot_edit_tasks(plan: dict[str, Task], clients: dict[str, Client]) -> None:
    orders = plan["Order sets"]
    assert clients["vic"].get(url("edit_row", orders.pk)).status_code == 403
    assert clients["vic"].post(url("add_task"), {"name": "X"}).status_code == 403
    assert clients["vic"].post(url("restructure", orders.pk, "indent")).status_code == 403
    page = clients["vic"].get(url("tasks")).content.decode()
    assert "Add task" not in page
