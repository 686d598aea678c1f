"""Ideation pages, one module per area."""

from seedbed.ideas.urls import (
    challenges,
    discussion,
    duplicates,
    feed,
    ideas,
    support,
    transfer,
    types,
)

app_name = "ideas"
urlpatterns = [
    *challenges.urlpatterns,
    *types.urlpatterns,
    *ideas.urlpatterns,
    *feed.urlpatterns,
    *discussion.urlpatterns,
    *support.urlpatterns,
    *duplicates.urlpatterns,
    *transfer.urlpatterns,
]
