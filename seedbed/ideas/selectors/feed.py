"""The ideas feed: filters, sorts, paging and the "trending" score.

Everything starts from ``visible_ideas(user)`` and ``listed()``: the filters only narrow what a
person may already see.

Paging never counts rows: a page fetches one row more than it shows to know whether a next page
exists. A total is shown only where a denormalised counter gives it for free (no filter, or
only a challenge) or, for search, from the ranking query itself (a window count).

Trending: ``Idea.trend_score`` is the natural log of an exponentially decayed sum of activity
(each event weighs ``weight * 2 ** ((t - EPOCH) / HALF_LIFE)``). Because every idea decays by
the same factor, comparing the stored logs compares the decayed sums at any moment, so the
score never needs a periodic recomputation and the sort walks the ``idea_trend_idx`` index.
An event adds to it with one atomic UPDATE (``bump_trend``), safe under concurrent requests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Abs, Concat, Exp, Greatest, Ln
from django.utils import timezone

from seedbed import policy
from seedbed.ideas import search
from seedbed.ideas.models import Challenge, Comment, Idea, IdeaType, Vote
from seedbed.ideas.selectors import (
    SEE_CONFIDENTIAL,
    count_visible_ideas,
    listed,
    visible_challenges,
    visible_ideas,
)

# --- Trending -------------------------------------------------------------------------------

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
HALF_LIFE = timedelta(days=3)
# What one event adds (before decay). A comment is worth more than a vote: discussion is the
# stronger signal that an idea is alive; submitting gives a new idea a start.
WEIGHT_SUBMIT = 2.0
WEIGHT_VOTE = 1.0
WEIGHT_COMMENT = 2.0
_RATE = math.log(2) / HALF_LIFE.total_seconds()


def trend_term(weight: float, at: datetime | None = None) -> float:
    """ln(weight * 2 ** ((at - EPOCH) / HALF_LIFE)): one event's contribution, in log space."""
    at = at or timezone.now()
    return math.log(weight) + (at - EPOCH).total_seconds() * _RATE


def add_log(a: float, b: float) -> float:
    """ln(e**a + e**b) without overflow."""
    high, low = max(a, b), min(a, b)
    return high + math.log1p(math.exp(low - high))


def bump_trend(idea_id: int, weight: float = WEIGHT_VOTE, at: datetime | None = None) -> None:
    """Add one event to an idea's trend score, atomically (one UPDATE, F() expressions).
    Called by the submit, support and discussion actions inside their transactions."""
    if weight <= 0:
        return
    term = Value(trend_term(weight, at))
    # log-add-exp in SQL: max(a, b) + ln(1 + e^-|a - b|).
    Idea.objects.filter(pk=idea_id).update(
        trend_score=Greatest(F("trend_score"), term)
        + Ln(Value(1.0) + Exp(-Abs(F("trend_score") - term))))


def trend_score(idea: Idea) -> float:
    """The score recomputed from the idea's own history (submission, votes, comments): for
    repairs and bulk loads; the actions keep it current with ``bump_trend``."""
    events = [(WEIGHT_SUBMIT, idea.submitted_at or idea.created_at)]
    events += [(WEIGHT_VOTE, at) for at in
               Vote.objects.filter(idea=idea).values_list("created_at", flat=True)]
    events += [(WEIGHT_COMMENT, at) for at in
               Comment.objects.filter(idea=idea).values_list("created_at", flat=True)]
    score = -math.inf
    for weight, at in events:
        score = add_log(score, trend_term(weight, at)) if score > -math.inf \
            else trend_term(weight, at)
    return score


_WEIGHTS = {"submit": WEIGHT_SUBMIT, "vote": WEIGHT_VOTE, "support": WEIGHT_VOTE,
            "comment": WEIGHT_COMMENT}


def record_activity(idea: Idea, kind: str, at: datetime | None = None) -> None:
    """The hook the actions call on activity ("submit", "vote", "comment")."""
    bump_trend(idea.pk, _WEIGHTS.get(kind, WEIGHT_VOTE), at)


def refresh_trend(idea: Idea) -> None:
    """Recompute an idea's score from its history: what the support actions call, since a
    withdrawn vote must stop counting (an increment alone cannot undo it)."""
    Idea.objects.filter(pk=idea.pk).update(trend_score=trend_score(idea))


# --- Filters and sorts ----------------------------------------------------------------------

SORTS = {
    "new": "Newest",
    "supported": "Most supported",
    "discussed": "Most discussed",
    "trending": "Trending",
}
SEARCH_SORT = "relevance"
_ORDER = {
    "new": ("-created_at", "-id"),
    "supported": ("-vote_count", "-id"),
    "discussed": ("-comment_count", "-id"),
    "trending": ("-trend_score", "-id"),
}
ROW_RELATIONS = ("author", "challenge", "focus_area", "idea_type")
# Above this many ideas a challenge filter with a counter sort walks the sort's index instead.
BIG_CHALLENGE = 2000
LISTED_STATUSES = [(value, label) for value, label in Idea.Status.choices
                   if value not in (Idea.Status.DRAFT, Idea.Status.MERGED)]


@dataclass
class FeedFilters:
    challenge: Challenge | None = None
    focus_area: int | None = None
    idea_type: str = ""
    status: str = ""
    tag: str = ""
    org_unit_ids: list[int] | None = None  # the unit and its sub-units
    author: int | None = None
    q: str = ""
    sort: str = "new"

    @property
    def narrowed(self) -> bool:
        """Whether anything besides the challenge narrows the list (counters stop applying)."""
        return bool(self.focus_area or self.idea_type or self.status or self.tag
                    or self.org_unit_ids is not None or self.author or self.q)


@dataclass
class FeedPage:
    items: list[Idea]
    number: int
    per_page: int
    has_next: bool
    count: int | None = None  # only when known without counting rows
    extra: dict = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def object_list(self) -> list[Idea]:
        return self.items


def feed_queryset(user, filters: FeedFilters) -> QuerySet[Idea]:
    """Listed ideas this person may see, filtered and ordered (search: by relevance)."""
    ideas = _filtered(user, filters).select_related(*ROW_RELATIONS)
    if filters.q:
        ranked = search.ranked(ideas, filters.q)
        if filters.sort in _ORDER:
            return ranked.order_by(*_ORDER[filters.sort])
        return ranked
    return ideas.order_by(*_ORDER.get(filters.sort, _ORDER["new"]))


def _filtered(user, filters: FeedFilters) -> QuerySet[Idea]:
    ideas = listed(visible_ideas(user))
    by_index = filters.sort == "new" or filters.q
    if filters.challenge is not None:
        if not by_index and filters.challenge.idea_count > BIG_CHALLENGE:
            # Sorted by a counter: in a big challenge walking the sort's index and skipping
            # other challenges' ideas beats sorting all of this one's (SQLite would pick the
            # challenge index); "+ 0" keeps the planner off the challenge index.
            ideas = ideas.alias(in_challenge=F("challenge_id") + 0).filter(
                in_challenge=filters.challenge.pk)
        else:
            ideas = ideas.filter(challenge=filters.challenge)
    if filters.focus_area:
        # Ideas sent against the area, and ideas in the challenges that ask about it.
        linked = Challenge.focus_areas.through.objects.filter(focusarea_id=filters.focus_area)
        ideas = ideas.filter(Q(focus_area_id=filters.focus_area)
                             | Q(challenge_id__in=linked.values("challenge_id")))
    if filters.idea_type:
        ideas = ideas.filter(idea_type__in=IdeaType.objects.filter(code=filters.idea_type)
                             .values("pk"))
    if filters.status:
        if not by_index and filters.status == Idea.Status.SUBMITTED:
            # Most ideas are "submitted": same reasoning as for a big challenge.
            ideas = ideas.alias(status_plain=Concat("status", Value(""))).filter(
                status_plain=filters.status)
        else:
            ideas = ideas.filter(status=filters.status)
    if filters.tag:
        tagged = Idea.tags.through.objects.filter(tag__name=filters.tag.lower())
        ideas = ideas.filter(pk__in=tagged.values("idea_id"))
    if filters.org_unit_ids is not None:
        ideas = ideas.filter(org_unit_id__in=filters.org_unit_ids)
    if filters.author:
        ideas = ideas.filter(author_id=filters.author)
    return ideas


def known_count(user, filters: FeedFilters) -> int | None:
    """The total from denormalised counters, where they answer the question exactly enough."""
    if filters.narrowed:
        return None
    if filters.challenge is None:
        return count_visible_ideas(user)
    confidential_too = policy.role_of(user) in SEE_CONFIDENTIAL
    return filters.challenge.idea_count if confidential_too \
        else filters.challenge.public_idea_count


def feed_page(user, filters: FeedFilters, *, number: int = 1, per_page: int = 20) -> FeedPage:
    """One page of the feed: one query for the rows (plus one for highlights when searching)."""
    number = max(1, number)
    offset = (number - 1) * per_page
    return feed_slice(user, filters, offset=offset, limit=per_page, number=number)


def feed_slice(user, filters: FeedFilters, *, offset: int, limit: int,
               number: int = 1) -> FeedPage:
    ideas = feed_queryset(user, filters)
    count = known_count(user, filters)
    if offset + limit >= 2**63:
        rows = []
    elif filters.q:
        # Rank ids only, then load the page's rows: the sort then carries (id, score) for every
        # match instead of whole rows with their descriptions (half the time at 100k ideas).
        ranked = list(ideas.values_list("pk", "search_score")[offset: offset + limit + 1])
        loaded = Idea.objects.select_related(*ROW_RELATIONS).in_bulk([pk for pk, _ in ranked])
        rows = []
        for pk, score in ranked:
            loaded[pk].search_score = score
            rows.append(loaded[pk])
    else:
        rows = list(ideas[offset: offset + limit + 1])
    has_next = len(rows) > limit
    rows = rows[:limit]
    if filters.q:
        # Exact, over the matches only (the ranking visits every match anyway); always asked,
        # so a search costs the same number of queries whatever it finds.
        count = search.matching(_filtered(user, filters), filters.q).count()
        marks = search.highlights([idea.pk for idea in rows], filters.q)
        for idea in rows:
            idea.hit_title, idea.hit_snippet = marks.get(idea.pk, (None, None))
    return FeedPage(items=rows, number=number, per_page=limit, has_next=has_next, count=count)


# --- What the filter form offers ------------------------------------------------------------

@dataclass
class FilterOptions:
    challenges: list[tuple[int, str]]
    focus_areas: list[tuple[int, str]]
    idea_types: list[tuple[str, str]]
    # (id, indented name, path); empty for partners, who see nothing of the internal structure.
    org_units: list[tuple[int, str, str]]

    def unit_and_below(self, unit_id: int) -> list[int]:
        path = next((p for pk, _, p in self.org_units if pk == unit_id), None)
        if path is None:
            return []
        return [pk for pk, _, p in self.org_units if p.startswith(path)]


def filter_options(user) -> FilterOptions:
    """Everything the filter form lists, in four small queries whatever the number of ideas.
    Only what this person may see: their challenges; focus areas from the published register
    (partners: only those of the challenges they are invited to)."""
    from seedbed.accounts.models import OrgUnit
    from seedbed.strategy.models import FocusArea
    from seedbed.strategy.selectors.focus import active_focus_areas

    challenges = list(visible_challenges(user).order_by("-created_at", "-id")
                      .values_list("pk", "title"))
    if policy.can(user, "strategy.read"):
        areas = active_focus_areas(user)
    else:
        areas = FocusArea.objects.filter(pk__in=Challenge.focus_areas.through.objects.filter(
            challenge_id__in=visible_challenges(user).values("pk")).values("focusarea_id"))
    focus_areas = list(areas.order_by("title", "pk").values_list("pk", "title"))
    types = list(IdeaType.objects.filter(active=True).values_list("code", "name"))
    units: list[tuple[int, str, str]] = []
    if policy.role_of(user) in policy.EMPLOYEES | {policy.AUDITOR}:
        for pk, name, path in OrgUnit.objects.order_by("path").values_list("pk", "name", "path"):
            depth = max(0, path.count("/") - 2)
            units.append((pk, f"{'— ' * depth}{name}", path))
    return FilterOptions(challenges, focus_areas, types, units)


def unit_and_below(user, unit_id: int) -> list[int] | None:
    """A unit and its sub-units (one query), or None if there is no such unit or this person
    may not filter by org unit (partners see nothing of the internal structure)."""
    from django.db.models import Subquery

    from seedbed.accounts.models import OrgUnit
    from seedbed.lib.validation import is_valid_id

    if policy.role_of(user) not in policy.EMPLOYEES | {policy.AUDITOR} or not is_valid_id(unit_id):
        return None
    path = OrgUnit.objects.filter(pk=unit_id).values("path")[:1]
    ids = list(OrgUnit.objects.filter(path__startswith=Subquery(path)).values_list("pk", flat=True))
    return ids or None
