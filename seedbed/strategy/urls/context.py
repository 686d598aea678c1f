from django.urls import path

from seedbed.strategy.views import context as views

urlpatterns = [
    path("context/issues/", views.issue_list, name="context_issue_list"),
    path("context/issues/new/", views.issue_create, name="context_issue_create"),
    path("context/issues/<id:pk>/", views.issue_detail, name="context_issue_detail"),
    path("context/issues/<id:pk>/edit/", views.issue_edit, name="context_issue_edit"),
    path("context/parties/", views.party_list, name="context_party_list"),
    path("context/parties/new/", views.party_create, name="context_party_create"),
    path("context/parties/<id:pk>/", views.party_detail, name="context_party_detail"),
    path("context/parties/<id:pk>/edit/", views.party_edit, name="context_party_edit"),
]
