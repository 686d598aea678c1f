# No "from __future__ import annotations": ninja reads these annotations at import time.
"""The ideas feed and full-text search over the API."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.html import escape
from ninja import Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS
from seedbed.ideas import search, selectors
from seedbed.ideas.api.schemas import PersonOut
from seedbed.ideas.selectors import feed
from seedbed.lib.validation import is_valid_id

router = Router(tags=["ideas"])

_STATUSES = {value for value, _ in feed.LISTED_STATUSES}


class FeedIdeaOut(Schema):
    id: int
    challenge_id: int | None
    focus_area_id: int | None
    idea_type: str | None
    title: str
    status: str
    author: PersonOut
    org_unit_id: int | None
    vote_count: int
    token_count: int
    comment_count: int
    created_at: datetime

    @staticmethod
    def resolve_idea_type(obj) -> str | None:
        return obj.idea_type.code if obj.idea_type_id else None


class FeedPageOut(Schema):
    items: list[FeedIdeaOut]
    # The total where a counter knows it (no filter, or only a challenge) and for searches;
    # null otherwise: follow ``has_more`` to page on.
    count: int | None
    limit: int
    offset: int
    has_more: bool


class SearchHitOut(FeedIdeaOut):
    score: float
    # HTML: the matched words wrapped in <mark>; everything else escaped.
    title_html: str
    snippet_html: str | None

    @staticmethod
    def resolve_score(obj) -> float:
        return round(float(obj.search_score), 6)

    @staticmethod
    def resolve_title_html(obj) -> str:
        return str(obj.hit_title) if obj.hit_title else str(escape(obj.title))

    @staticmethod
    def resolve_snippet_html(obj) -> str | None:
        return str(obj.hit_snippet) if obj.hit_snippet else None


class SearchPageOut(Schema):
    items: list[SearchHitOut]
    count: int
    limit: int
    offset: int
    has_more: bool


class FeedQuery(Schema):
    challenge: int | None = None
    focus_area: int | None = None
    idea_type: str = ""
    status: str = ""
    tag: str = ""
    org_unit: int | None = None
    author: int | None = None
    sort: str = ""


def _filters(request, params: FeedQuery, q: str) -> feed.FeedFilters:
    errors: dict[str, str] = {}
    challenge = None
    if params.challenge is not None:
        challenge = selectors.get_challenge_for_user(request.user, params.challenge)
    if params.status and params.status not in _STATUSES:
        errors["status"] = f"One of: {', '.join(sorted(_STATUSES))}."
    sorts = set(feed.SORTS) | ({feed.SEARCH_SORT} if q else set())
    if params.sort and params.sort not in sorts:
        errors["sort"] = f"One of: {', '.join(sorted(sorts))}."
    units = None
    if params.org_unit is not None:
        units = feed.unit_and_below(request.user, params.org_unit)
        if units is None:
            errors["org_unit"] = "No such org unit."
    for name in ("focus_area", "author"):
        value = getattr(params, name)
        if value is not None and not is_valid_id(value):
            errors[name] = "Not a valid id."
    if len(params.tag) > 40:
        errors["tag"] = "Tags have at most 40 characters."
    if len(params.idea_type) > 40:
        errors["idea_type"] = "No such idea type."
    if errors:
        raise ValidationError(errors)
    return feed.FeedFilters(
        challenge=challenge, focus_area=params.focus_area, idea_type=params.idea_type,
        status=params.status, tag=params.tag.strip(), org_unit_ids=units,
        author=params.author, q=q.strip(),
        sort=params.sort or (feed.SEARCH_SORT if q.strip() else "new"))


@router.get("/ideas", response={200: FeedPageOut, **ERRORS},
            summary="The ideas feed: filter, sort and search what you may see")
@policy.api_rule("idea.browse")
def list_ideas(request, params: Query[FeedQuery],
               q: str = Query("", max_length=200,
                              description="Full-text search (every word must match)"),
               limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    page = feed.feed_slice(request.user, _filters(request, params, q), offset=offset,
                           limit=limit)
    return {"items": page.items, "count": page.count, "limit": limit, "offset": offset,
            "has_more": page.has_next}


@router.get("/ideas/search", response={200: SearchPageOut, **ERRORS},
            summary="Full-text search over titles, descriptions and comments, with snippets")
@policy.api_rule("idea.browse")
def search_ideas(request, params: Query[FeedQuery],
                 q: str = Query("", max_length=200, description="The words to look for"),
                 limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    filters = _filters(request, params, q)
    if not search.terms(filters.q):
        # Nothing to look for (no words, or only punctuation): an empty result, not an error.
        return {"items": [], "count": 0, "limit": limit, "offset": offset, "has_more": False}
    page = feed.feed_slice(request.user, filters, offset=offset, limit=limit)
    return {"items": page.items, "count": page.count or 0, "limit": limit, "offset": offset,
            "has_more": page.has_next}
