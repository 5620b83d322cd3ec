from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "hitpm.stakeholders"
    label = "stakeholders"
    verbose_name = "Stakeholders and communication"
