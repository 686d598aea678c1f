"""Probes for the ideas feed and full-text search (issue #4 point 4)."""

from __future__ import annotations

from tests.matrix._base import Probe


def build(users, org) -> dict:
    return {}


HTML_SAMPLES = {
    # Filters and search on the feed page itself: every role may browse what it may see.
    "ideas:idea_list": Probe("idea.browse", kwargs=lambda w: {}),
}

API_SAMPLES = {
    "GET /api/v1/ideas": Probe("idea.browse"),
    # The path carries no query: an empty search answers 200 with no items.
    "GET /api/v1/ideas/search": Probe("idea.browse"),
}

API_SUCCESSES = {"GET /api/v1/ideas/search": ("contributor", None, 200)}
PATH_OBJECTS: dict = {}
