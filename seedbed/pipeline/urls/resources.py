"""Pages: resources (requests, decisions, spending, approvals, envelope roll-up)."""

from django.urls import path

from seedbed.pipeline.views import resources

urlpatterns = [
    path("initiatives/<id:pk>/resources/", resources.initiative_resources,
         name="initiative_resources"),
    path("initiatives/<id:pk>/resources/new/", resources.resource_request_create,
         name="resource_request_create"),
    path("resource-requests/<id:pk>/decide/", resources.resource_request_decide,
         name="resource_request_decide"),
    path("resource-requests/<id:pk>/withdraw/", resources.resource_request_withdraw,
         name="resource_request_withdraw"),
    path("resource-requests/<id:pk>/spend/", resources.spend_create, name="spend_create"),
    path("approvals/", resources.approvals, name="approvals"),
    path("envelopes/<id:pk>/requests/", resources.envelope_requests, name="envelope_requests"),
]
