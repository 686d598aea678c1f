from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "seedbed.strategy"
    label = "strategy"
    verbose_name = "Strategy and leadership"
