from django.urls import path

from seedbed.ideas.views import support

urlpatterns = [
    path("ideas/<id:pk>/vote/", support.idea_vote, name="idea_vote"),
    path("ideas/<id:pk>/tokens/", support.idea_tokens, name="idea_tokens"),
]
