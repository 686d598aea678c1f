from django.urls import path

from seedbed.ideas import views

app_name = "ideas"
urlpatterns = [
    path("challenges/", views.challenge_list, name="challenge_list"),
    path("challenges/new/", views.challenge_create, name="challenge_create"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenge_detail"),
    path("challenges/<int:pk>/edit/", views.challenge_edit, name="challenge_edit"),
    path("challenges/<int:pk>/open/", views.challenge_transition, {"action": "open"},
         name="challenge_open"),
    path("challenges/<int:pk>/close/", views.challenge_transition, {"action": "close"},
         name="challenge_close"),
    path("challenges/<int:pk>/ideas/new/", views.idea_create, name="idea_create"),
    path("ideas/", views.idea_list, name="idea_list"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/vote/", views.idea_vote, name="idea_vote"),
    path("ideas/<int:pk>/comments/", views.idea_comment, name="idea_comment"),
]
