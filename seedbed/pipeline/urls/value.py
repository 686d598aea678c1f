"""Pages: value (the initiative's Value tab and the roll-up to objectives)."""

from django.urls import path

from seedbed.pipeline.views import value

INDICATOR = "initiatives/<id:pk>/value/indicators/<id:indicator>/"

urlpatterns = [
    path("value/", value.value_rollup, name="value_rollup"),
    path("initiatives/<id:pk>/value/", value.initiative_value, name="initiative_value"),
    path("initiatives/<id:pk>/value/indicators/", value.indicator_create,
         name="value_indicator_create"),
    path(f"{INDICATOR}edit/", value.indicator_edit, name="value_indicator_edit"),
    path(f"{INDICATOR}measure/", value.indicator_measure, name="value_indicator_measure"),
    path(f"{INDICATOR}remove/", value.indicator_remove, name="value_indicator_remove"),
    path("initiatives/<id:pk>/value/feedback/", value.feedback_create,
         name="value_feedback_create"),
    path("initiatives/<id:pk>/value/review/", value.review_edit, name="value_review_edit"),
]
