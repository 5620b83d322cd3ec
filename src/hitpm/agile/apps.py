from django.apps import AppConfig


class AgileConfig(AppConfig):
    name = "hitpm.agile"
    label = "agile"
    verbose_name = "Agile delivery"
