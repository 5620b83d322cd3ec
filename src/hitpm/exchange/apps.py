from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "hitpm.exchange"
    label = "exchange"
    verbose_name = "Import and export"

    def ready(self) -> None:
        from hitpm.core.jobs import register
        from hitpm.exchange.jobs import JOB_KIND

        register(JOB_KIND)
