from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "hitpm.planning"
    label = "planning"
    verbose_name = "Planning"
