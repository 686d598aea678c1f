"""Similar ideas while typing; marking duplicates and merging."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from seedbed import policy


def detail_context(request, idea) -> dict:
    return {}


@policy.rule("idea.browse")
def idea_suggest(request) -> HttpResponse:
    """Similar ideas for the submission form (htmx, debounced): built by the duplicates work."""
    raise Http404("Not built yet")
