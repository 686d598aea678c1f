from django.urls import path

from seedbed.ideas.views import duplicates

urlpatterns = [
    path("ideas/similar/", duplicates.idea_suggest, name="idea_suggest"),
    path("ideas/<int:pk>/merge/", duplicates.idea_merge, name="idea_merge"),
    path("merges/<int:pk>/undo/", duplicates.merge_undo, name="merge_undo"),
]
