from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hitpm.accounts"
    label = "accounts"
    verbose_name = "Accounts"
