from django.urls import path

from seedbed.ideas.views import challenges

urlpatterns = [
    path("challenges/", challenges.challenge_list, name="challenge_list"),
    path("challenges/new/", challenges.challenge_create, name="challenge_create"),
    path("challenges/<id:pk>/", challenges.challenge_detail, name="challenge_detail"),
    path("challenges/<id:pk>/edit/", challenges.challenge_edit, name="challenge_edit"),
    path("challenges/<id:pk>/open/", challenges.challenge_transition, {"action": "open"},
         name="challenge_open"),
    path("challenges/<id:pk>/close/", challenges.challenge_transition, {"action": "close"},
         name="challenge_close"),
    path("challenges/<id:pk>/schedule/", challenges.challenge_transition,
         {"action": "schedule"}, name="challenge_schedule"),
    path("challenges/<id:pk>/unschedule/", challenges.challenge_transition,
         {"action": "unschedule"}, name="challenge_unschedule"),
]
