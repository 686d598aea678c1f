from django.urls import path

from seedbed.ideas import views

app_name = "ideas"
urlpatterns = [
    path("challenges/", views.challenge_list, name="challenge_list"),
    path("challenges/new/", views.challenge_create, name="challenge_create"),
    path("challenges/<id:pk>/", views.challenge_detail, name="challenge_detail"),
    path("challenges/<id:pk>/edit/", views.challenge_edit, name="challenge_edit"),
    path("challenges/<id:pk>/open/", views.challenge_transition, {"action": "open"},
         name="challenge_open"),
    path("challenges/<id:pk>/close/", views.challenge_transition, {"action": "close"},
         name="challenge_close"),
    path("challenges/<id:pk>/ideas/new/", views.idea_create, name="idea_create"),
    path("ideas/", views.idea_list, name="idea_list"),
    path("ideas/<id:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<id:pk>/vote/", views.idea_vote, name="idea_vote"),
    path("ideas/<id:pk>/comments/", views.idea_comment, name="idea_comment"),
]
