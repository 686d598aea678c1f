"""Pages: portfolio."""

from django.urls import path

from seedbed.pipeline.views import portfolio

urlpatterns = [
    path("board/", portfolio.board, name="board"),
]
