from django.urls import path

from seedbed.ideas.views import ideas

urlpatterns = [
    path("challenges/<id:pk>/ideas/new/", ideas.idea_create, name="idea_create"),
    path("ideas/<id:pk>/", ideas.idea_detail, name="idea_detail"),
]
