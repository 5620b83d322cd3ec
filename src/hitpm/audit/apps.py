from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hitpm.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from hitpm.audit import signals

        signals.connect()
