from django.urls import path

from seedbed.strategy.views import focus as views

urlpatterns = [
    path("focus-areas/", views.focus_list, name="focus_list"),
    path("focus-areas/new/", views.focus_create, name="focus_create"),
    path("focus-areas/propose/", views.focus_propose, name="focus_propose"),
    path("focus-areas/proposals/", views.focus_triage, name="focus_triage"),
    path("focus-areas/proposals/mine/", views.focus_my_proposals, name="focus_my_proposals"),
    path("focus-areas/<id:pk>/", views.focus_detail, name="focus_detail"),
    path("focus-areas/<id:pk>/edit/", views.focus_edit, name="focus_edit"),
    path("focus-areas/<id:pk>/accept/", views.focus_accept, name="focus_accept"),
    path("focus-areas/<id:pk>/merge/", views.focus_merge, name="focus_merge"),
    path("focus-areas/<id:pk>/decline/", views.focus_decline, name="focus_decline"),
]
