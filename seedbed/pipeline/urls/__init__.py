"""Pipeline pages under /pipeline/, one module per area."""

from seedbed.pipeline.urls import (
    evaluation,
    gates,
    initiatives,
    portfolio,
    resources,
    templates,
    validation,
    value,
)

app_name = "pipeline"
urlpatterns = [
    *templates.urlpatterns,
    *initiatives.urlpatterns,
    *evaluation.urlpatterns,
    *validation.urlpatterns,
    *resources.urlpatterns,
    *gates.urlpatterns,
    *value.urlpatterns,
    *portfolio.urlpatterns,
]
