from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "hitpm.risk"
    label = "risk"
    verbose_name = "Risk management"

    def ready(self) -> None:
        from hitpm.core.jobs import register
        from hitpm.risk.jobs import kind

        register(kind())
