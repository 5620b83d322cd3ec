from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hitpm.core"
    label = "core"
    verbose_name = "hitpm core"
