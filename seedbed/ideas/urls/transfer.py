from django.urls import path

from seedbed.ideas.views import transfer

urlpatterns = [
    path("challenges/<id:pk>/export/", transfer.challenge_export, name="challenge_export"),
    path("challenges/<id:pk>/import/", transfer.challenge_import, name="challenge_import"),
]
