from django.urls import path

from seedbed.ideas.views import types

urlpatterns = [
    path("idea-types/", types.type_list, name="type_list"),
    path("idea-types/new/", types.type_create, name="type_create"),
    path("idea-types/<id:pk>/edit/", types.type_edit, name="type_edit"),
    path("idea-types/<id:pk>/toggle/", types.type_toggle, name="type_toggle"),
    path("idea-types/<id:pk>/fields/new/", types.type_field_create, name="type_field_create"),
    path("challenges/<id:pk>/fields/new/", types.challenge_field_create,
         name="challenge_field_create"),
    path("custom-fields/<id:pk>/edit/", types.custom_field_edit, name="custom_field_edit"),
    path("custom-fields/<id:pk>/up/", types.custom_field_move, {"direction": "up"},
         name="custom_field_up"),
    path("custom-fields/<id:pk>/down/", types.custom_field_move, {"direction": "down"},
         name="custom_field_down"),
    path("custom-fields/<id:pk>/toggle/", types.custom_field_toggle, name="custom_field_toggle"),
]
