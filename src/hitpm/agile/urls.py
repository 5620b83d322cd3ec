from django.urls import path

from hitpm.agile.views import backlog, boards, charts, settings, sprints

app_name = "agile"

B = "b/<int:board_id>/"

urlpatterns = [
    path("", boards.index, name="index"),
    path(B, boards.board, name="board"),
    path(B + "move/<int:item_id>/", boards.move, name="move"),
    path(B + "backlog/", backlog.backlog, name="backlog"),
    path(B + "backlog/rank/", backlog.rank, name="rank"),
    path(B + "items/new/", backlog.item_new, name="item_new"),
    path(B + "items/<int:item_id>/", backlog.item_detail, name="item"),
    path(B + "items/<int:item_id>/delete/", backlog.item_delete, name="item_delete"),
    path(B + "sprints/", sprints.sprint_list, name="sprints"),
    path(B + "sprints/<int:sprint_id>/", sprints.sprint_detail, name="sprint"),
    path(B + "sprints/<int:sprint_id>/start/", sprints.start, name="sprint_start"),
    path(B + "sprints/<int:sprint_id>/close/", sprints.close, name="sprint_close"),
    path(B + "sprints/<int:sprint_id>/capacity/", sprints.capacity, name="sprint_capacity"),
    path(B + "metrics/", charts.metrics, name="metrics"),
    path(B + "forecast/", charts.forecast, name="forecast"),
    path(B + "settings/", settings.board_settings, name="settings"),
    path(B + "settings/columns/add/", settings.column_add, name="column_add"),
    path(B + "settings/columns/<int:column_id>/", settings.column_edit, name="column_edit"),
    path(B + "settings/lanes/add/", settings.lane_add, name="lane_add"),
    path(B + "settings/lanes/<int:lane_id>/", settings.lane_edit, name="lane_edit"),
]
