"""Routes of the Gantt chart, included under the plan's URLs (``/p/<code>/plan/gantt/``)."""

from django.urls import path

from hitpm.planning.gantt import views

urlpatterns = [
    path("", views.gantt_page, name="gantt"),
    path("data/", views.gantt_data, name="gantt_data"),
    path("tasks/<int:task_id>/move/", views.move_task, name="gantt_move"),
    path("tasks/<int:task_id>/resize/", views.resize_task, name="gantt_resize"),
    path("links/", views.add_link, name="gantt_link"),
    path("links/<int:link_id>/delete/", views.remove_link, name="gantt_unlink"),
    path("export.<str:fmt>", views.gantt_export, name="gantt_export"),
]
