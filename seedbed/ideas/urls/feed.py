from django.urls import path

from seedbed.ideas.views import feed

urlpatterns = [
    path("ideas/", feed.idea_list, name="idea_list"),
]
