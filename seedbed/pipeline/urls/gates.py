"""Pages: gates."""

from django.urls import path

from seedbed.pipeline.views import gates

urlpatterns = [
    path("initiatives/<id:pk>/gate/", gates.initiative_gate, name="initiative_gate"),
    path("initiatives/<id:pk>/gate/decide/", gates.initiative_gate_decide,
         name="initiative_gate_decide"),
    path("initiatives/<id:pk>/board-move/", gates.initiative_board_move,
         name="initiative_board_move"),
]
