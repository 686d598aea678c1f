"""Pages: validation (assumptions ledger, experiments) and the risk register."""

from django.urls import path

from seedbed.pipeline.views import validation

urlpatterns = [
    path("initiatives/<id:pk>/validation/", validation.validation,
         name="initiative_validation"),
    path("initiatives/<id:pk>/assumptions/new/", validation.assumption_create,
         name="assumption_create"),
    path("assumptions/<id:pk>/edit/", validation.assumption_edit, name="assumption_edit"),
    path("assumptions/<id:pk>/delete/", validation.assumption_delete, name="assumption_delete"),
    path("initiatives/<id:pk>/experiments/new/", validation.experiment_create,
         name="experiment_create"),
    path("experiments/<id:pk>/edit/", validation.experiment_edit, name="experiment_edit"),
    path("experiments/<id:pk>/conclude/", validation.experiment_conclude,
         name="experiment_conclude"),
    path("experiments/<id:pk>/delete/", validation.experiment_delete, name="experiment_delete"),
    path("initiatives/<id:pk>/risks/", validation.risks, name="initiative_risks"),
    path("initiatives/<id:pk>/risks/new/", validation.risk_create, name="risk_create"),
    path("risks/<id:pk>/edit/", validation.risk_edit, name="risk_edit"),
    path("risks/<id:pk>/delete/", validation.risk_delete, name="risk_delete"),
]
