from django.urls import path

from hitpm.risk.views import analysis, fmea, register, scale, simulation

app_name = "risk"

urlpatterns = [
    path("", register.register, name="register"),
    path("export.<str:format>", register.export_register, name="export"),
    path("new/", register.edit, name="create"),
    path("<int:risk_id>/", register.detail, name="detail"),
    path("<int:risk_id>/edit/", register.edit, name="edit"),
    path("<int:risk_id>/review/", register.review, name="review"),
    path("<int:risk_id>/actions/", register.add_action, name="add_action"),
    path("actions/<int:action_id>/status/", register.action_status, name="action_status"),
    path("heatmap/", analysis.heat_map, name="heatmap"),
    path("heatmap/cell/", analysis.heat_cell, name="heat_cell"),
    path("trend/", analysis.trend, name="trend"),
    path("overdue/", analysis.overdue, name="overdue"),
    path("scale/", scale.scale, name="scale"),
    path("scale/edit/", scale.edit_scale, name="edit_scale"),
    path("scale/categories/", scale.add_category, name="add_category"),
    path(
        "scale/categories/<int:category_id>/rename/",
        scale.rename_category,
        name="rename_category",
    ),
    path(
        "scale/categories/<int:category_id>/delete/",
        scale.delete_category,
        name="delete_category",
    ),
    path("simulation/", simulation.runs, name="runs"),
    path("simulation/estimates/", simulation.estimates, name="estimates"),
    path("simulation/<int:run_id>/", simulation.run, name="run"),
    path("simulation/<int:run_id>/repeat/", simulation.repeat, name="repeat"),
    path("simulation/<int:run_id>/vs/<int:other_id>/", simulation.compare, name="compare"),
    path("fmea/", fmea.worksheets, name="fmeas"),
    path("fmea/<int:fmea_id>/", fmea.worksheet, name="fmea"),
    path("fmea/<int:fmea_id>/export.<str:format>", fmea.export_worksheet, name="fmea_export"),
    path("fmea/<int:fmea_id>/steps/", fmea.add_step, name="fmea_step"),
    path("fmea/steps/<int:step_id>/modes/", fmea.add_failure_mode, name="fmea_mode"),
    path("fmea/modes/<int:mode_id>/", fmea.edit_failure_mode, name="fmea_mode_edit"),
    path("fmea/modes/<int:mode_id>/actions/", fmea.add_fmea_action, name="fmea_action"),
]
