from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "seedbed.pipeline"
    label = "pipeline"
    verbose_name = "Initiative pipeline"
