from django.urls import path

from seedbed.ideas.views import duplicates

urlpatterns = [
    path("ideas/similar/", duplicates.idea_suggest, name="idea_suggest"),
]
