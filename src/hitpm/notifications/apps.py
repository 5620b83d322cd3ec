from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "hitpm.notifications"
    label = "notifications"
    verbose_name = "Notifications"
