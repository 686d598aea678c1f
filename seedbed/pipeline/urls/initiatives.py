"""Pages: initiatives."""

from django.urls import path

from seedbed.pipeline.views import initiatives

urlpatterns = [
    path("initiatives/", initiatives.initiative_list, name="initiative_list"),
    path("initiatives/<id:pk>/", initiatives.initiative_detail, name="initiative_detail"),
]
