from django.urls import path

from seedbed.ideas.views import discussion

urlpatterns = [
    path("ideas/<id:pk>/comments/", discussion.idea_comment, name="idea_comment"),
]
