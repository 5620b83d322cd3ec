from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hitpm.reports"
    label = "reports"
    verbose_name = "Status reports"
