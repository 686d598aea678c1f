from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "seedbed.ideas"
    label = "ideas"
    verbose_name = "Ideation"
