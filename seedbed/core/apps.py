from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "seedbed.core"
    label = "core"
    verbose_name = "Seedbed core"
