from django.urls import include, path

from hitpm.planning.views import (
    baselines,
    calendars,
    health,
    progress,
    resources,
    task_page,
    tasks,
)

app_name = "planning"

urlpatterns = [
    path("", tasks.task_table, name="tasks"),
    path("tasks/new/", tasks.add_task, name="add_task"),
    path("tasks/<int:task_id>/", task_page.task_page, name="task"),
    path("tasks/<int:task_id>/row/", tasks.task_row, name="task_row"),
    path("tasks/<int:task_id>/edit/", tasks.edit_row, name="edit_row"),
    path("tasks/<int:task_id>/delete/", tasks.delete_task, name="delete_task"),
    path(
        "tasks/<int:task_id>/<str:action>/",
        tasks.restructure,
        name="restructure",
    ),
    path("tasks/<int:task_id>/links/", task_page.add_link, name="add_link"),
    path(
        "tasks/<int:task_id>/links/<int:link_id>/delete/",
        task_page.remove_link,
        name="remove_link",
    ),
    path("tasks/<int:task_id>/assign/", task_page.assign, name="assign"),
    path(
        "tasks/<int:task_id>/assignments/<int:assignment_id>/delete/",
        task_page.unassign,
        name="unassign",
    ),
    path("columns/", tasks.choose_columns, name="columns"),
    path("export.<str:fmt>", tasks.export_tasks, name="export"),
    path("baselines/", baselines.baseline_list, name="baselines"),
    path("baselines/gantt/", baselines.choose_for_gantt, name="gantt_baseline"),
    path("baselines/<int:baseline_id>/", baselines.baseline_page, name="baseline"),
    path("baselines/<int:baseline_id>/delete/", baselines.delete_baseline, name="delete_baseline"),
    path("progress/", progress.progress_page, name="progress"),
    path("progress/status/", progress.set_status, name="set_status"),
    path("progress/record/", progress.record_progress, name="record_progress"),
    path("slipping/", progress.slipping, name="slipping"),
    path("resources/", resources.resource_list, name="resources"),
    path("resources/<int:resource_id>/", resources.resource_page, name="resource"),
    path("resources/<int:resource_id>/delete/", resources.delete_resource, name="delete_resource"),
    path("calendars/", calendars.calendar_list, name="calendars"),
    path("calendars/<int:calendar_id>/", calendars.calendar_page, name="calendar"),
    path("calendars/<int:calendar_id>/week/", calendars.calendar_week, name="calendar_week"),
    path("calendars/<int:calendar_id>/month/", calendars.calendar_month, name="calendar_month"),
    path("calendars/<int:calendar_id>/default/", calendars.make_default, name="calendar_default"),
    path("calendars/<int:calendar_id>/delete/", calendars.delete_calendar, name="delete_calendar"),
    path(
        "calendars/<int:calendar_id>/exceptions/",
        calendars.add_exception,
        name="add_calendar_exception",
    ),
    path(
        "calendars/<int:calendar_id>/exceptions/<int:exception_id>/",
        calendars.exception_page,
        name="calendar_exception",
    ),
    path(
        "calendars/<int:calendar_id>/exceptions/<int:exception_id>/delete/",
        calendars.delete_exception,
        name="delete_calendar_exception",
    ),
    path("health/", health.health_page, name="health"),
    path("gantt/", include("hitpm.planning.gantt.urls")),
]
