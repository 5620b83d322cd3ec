from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "hitpm.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio"
