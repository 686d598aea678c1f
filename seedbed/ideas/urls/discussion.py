from django.urls import path

from seedbed.ideas.views import discussion

urlpatterns = [
    path("ideas/<id:pk>/comments/", discussion.idea_comment, name="idea_comment"),
    path("ideas/<id:pk>/follow/", discussion.idea_follow, name="idea_follow"),
    path("ideas/<id:pk>/experts/", discussion.idea_experts, name="idea_experts"),
    path("ideas/<id:pk>/experts/invite/", discussion.idea_expert_invite,
         name="idea_expert_invite"),
    path("people/<id:pk>/", discussion.person_detail, name="person_detail"),
]
