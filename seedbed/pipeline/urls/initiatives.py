"""Pages: initiatives (list, promote, overview, edit, team)."""

from django.urls import path

from seedbed.pipeline.views import initiatives

urlpatterns = [
    path("initiatives/", initiatives.initiative_list, name="initiative_list"),
    path("initiatives/promote/", initiatives.initiative_promote, name="initiative_promote"),
    path("initiatives/<id:pk>/", initiatives.initiative_detail, name="initiative_detail"),
    path("initiatives/<id:pk>/edit/", initiatives.initiative_edit, name="initiative_edit"),
    path("initiatives/<id:pk>/team/", initiatives.team_add, name="initiative_team_add"),
    path("initiatives/<id:pk>/team/<id:member_pk>/remove/", initiatives.team_remove,
         name="initiative_team_remove"),
]
