"""Schedule risk analysis pages: estimates, runs (start, progress, results), comparison."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.fields.json import KT
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.core.services import StaleVersion
from hitpm.core.views import SignedInRequest, add_service_errors, is_htmx, posted
from hitpm.engine.montecarlo import Distribution
from hitpm.portfolio.access import Action, project_for
from hitpm.risk import charts
from hitpm.risk.forms import EstimateForm, RunForm
from hitpm.risk.models import SimulationRun, TaskEstimate
from hitpm.risk.services import simulation

CONVERGENCE = 0.005


@login_required
@require_http_methods(["GET", "POST"])
def runs(request: SignedInRequest, code: str) -> HttpResponse:
    """The project's runs and the form that starts a new one."""
    project, role = project_for(request.user, code, Action.VIEW)
    form = RunForm(posted(request))
    if request.method == "POST":
        project, role = project_for(request.user, code, Action.EDIT)
        if form.is_valid():
            try:
                run = simulation.start_run(project, request.user, _options(form))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("risk:run", code=project.code, run_id=run.pk)
    context = {
        "project": project,
        "role": role,
        "tab": "simulation",
        "form": form,
        "runs": project.simulations.select_related("created_by")
        .defer("plan", "inputs", "results")
        .annotate(p80=KT("results__finish__p80"))[:50],
        "estimates": project.task_estimates.count(),
        "events": len(simulation.risk_events(project, 480)),
    }
    return render(request, "risk/runs.html", context)


def _options(form: RunForm) -> simulation.RunOptions:
    data = form.cleaned_data
    template = tuple(data[f"template_{k}"] / 100 for k in ("low", "likely", "high"))
    return simulation.RunOptions(
        iterations=data["iterations"],
        seed=data["seed"],
        distribution=Distribution(data["distribution"]),
        template=(template[0], template[1], template[2]),
        latin_hypercube=data["latin_hypercube"],
        convergence_tolerance=CONVERGENCE if data["stop_at_convergence"] else None,
        include_risks=data["include_risks"],
        correlation=float(data["correlation"]) if data["correlation"] else None,
        name=data["name"],
    )


@login_required
def run(request: SignedInRequest, code: str, run_id: int) -> HttpResponse:
    """A run: progress while it works (HTMX polls the status fragment), then its results,
    with the distribution of the milestone chosen by ``?milestone=<task id>`` (the go-live by
    default; HTMX swaps in just that part, ``fragment=milestone``)."""
    project, role = project_for(request.user, code, Action.VIEW)
    found = get_object_or_404(SimulationRun.objects.defer("plan"), project=project, pk=run_id)
    fragment = request.GET.get("fragment") if is_htmx(request) else None
    if fragment == "status":
        if found.finished:
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(request, "risk/_run_status.html", {"project": project, "run": found})
    results = found.results or {}
    chosen = milestone_context(results, request.GET.get("milestone"))
    if fragment == "milestone":
        return render(request, "risk/_milestone_distribution.html", {"project": project, **chosen})
    context = {
        "project": project,
        "role": role,
        "tab": "simulation",
        "run": found,
        "r": results,
        **chosen,
        "histogram": charts.histogram(results),
        "s_curve": charts.s_curve(results),
        "tornado": charts.tornado(results.get("tornado", [])),
        "critical_tasks": sorted(
            results.get("tasks", []), key=lambda t: (-t["criticality"], t["id"])
        )[:15],
        "others": project.simulations.filter(status=SimulationRun.Status.DONE)
        .exclude(pk=found.pk)
        .only("pk", "name", "created_at")[:20],
    }
    return render(request, "risk/run.html", context)


def milestone_context(results: dict[str, Any], wanted: str | None) -> dict[str, Any]:
    """The milestones that have charts stored (runs from before milestone charts have none),
    the one to show (``wanted`` by task id, else the go-live, else the first) and its charts."""
    charted = [m for m in results.get("milestones", []) if m.get("histogram")]
    by_id = {str(m["id"]): m for m in charted}
    go_live = next((m for m in charted if m.get("go_live")), None)
    chosen = by_id.get(wanted or "") or go_live or (charted[0] if charted else None)
    if chosen is None:
        return {"charted_milestones": charted, "milestone": None}
    name = chosen["name"]
    return {
        "charted_milestones": charted,
        "milestone": chosen,
        "milestone_histogram": charts.histogram(
            chosen, charts.milestone_marks(chosen), f"Histogram of simulated dates of {name}"
        ),
        "milestone_s_curve": charts.s_curve(
            chosen, f"S-curve: probability of reaching {name} on or before each date"
        ),
    }


@login_required
@require_POST
def repeat(request: SignedInRequest, code: str, run_id: int) -> HttpResponse:
    project, _ = project_for(request.user, code, Action.EDIT)
    original = get_object_or_404(SimulationRun, project=project, pk=run_id)
    again = simulation.repeat_run(original, request.user)
    messages.success(request, f"Repeating run {original.pk} with seed {original.seed}.")
    return redirect("risk:run", code=project.code, run_id=again.pk)


@login_required
def compare(request: SignedInRequest, code: str, run_id: int, other_id: int) -> HttpResponse:
    project, role = project_for(request.user, code, Action.VIEW)
    first = get_object_or_404(SimulationRun.objects.defer("plan"), project=project, pk=run_id)
    second = get_object_or_404(SimulationRun.objects.defer("plan"), project=project, pk=other_id)
    context = {
        "project": project,
        "role": role,
        "tab": "simulation",
        "first": first,
        "second": second,
        "comparison": simulation.compare(first, second),
    }
    return render(request, "risk/compare.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def estimates(request: SignedInRequest, code: str) -> HttpResponse:
    """Three-point estimates of the plan's tasks, one small form per task."""
    project, role = project_for(request.user, code, Action.VIEW)
    error_task, error_form = None, None
    if request.method == "POST":
        project, role = project_for(request.user, code, Action.EDIT)
        task = get_object_or_404(project.tasks, pk=request.POST.get("task"))
        form = EstimateForm(request.POST, prefix=str(task.pk))
        if form.is_valid():
            try:
                simulation.save_estimate(task, form.values(), form.cleaned_data["version"])
            except (ValidationError, StaleVersion) as exc:
                form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, f"Estimate of {task} saved.")
                return redirect("risk:estimates", code=project.code)
        error_task, error_form = task.pk, form
    by_task = {e.task_id: e for e in TaskEstimate.objects.filter(project=project)}
    show = request.GET.get("show", "critical")
    tasks = project.tasks.filter(is_summary=False, milestone=False).order_by("position")
    if show == "critical":
        tasks = tasks.filter(Q(critical=True) | Q(pk__in=by_task.keys()))
    elif show == "estimated":
        tasks = tasks.filter(pk__in=by_task.keys())
    if query := request.GET.get("q", "").strip():
        tasks = tasks.filter(Q(name__icontains=query) | Q(wbs__startswith=query))
    rows = [
        (
            t,
            by_task.get(t.pk),
            error_form
            if t.pk == error_task
            else EstimateForm.for_estimate(t.pk, by_task.get(t.pk)),
        )
        for t in tasks
    ]
    context = {
        "project": project,
        "role": role,
        "tab": "simulation",
        "rows": rows,
        "show": show,
        "q": query,
    }
    return render(request, "risk/estimates.html", context)
