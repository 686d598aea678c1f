"""What "Strategy at a glance" shows: the approved and current intent, scope, strategy and policy,
the active focus areas by horizon with the objectives linked to them and the open challenges
that ask about each (as far as the person may see them).

Only approved records appear here, whoever asks (drafts live on the documents pages), so every
employee reads the same page. It reads the strategy models directly and costs a fixed number of
queries whatever the number of focus areas and objectives.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from seedbed import policy
from seedbed.ideas import selectors as idea_selectors
from seedbed.ideas.models import Challenge
from seedbed.strategy.models import ControlledDocument, DocumentVersion, FocusArea, Objective

HORIZONS = FocusArea.Horizon


@dataclass
class HorizonGroup:
    code: str
    label: str
    focus_areas: list[FocusArea] = field(default_factory=list)


@dataclass
class Glance:
    intent: DocumentVersion | None = None
    scope: DocumentVersion | None = None
    strategy: DocumentVersion | None = None
    policy: DocumentVersion | None = None
    horizons: list[HorizonGroup] = field(default_factory=list)
    open_challenge_count: int = 0

    @property
    def focus_areas(self) -> list[FocusArea]:
        return [area for group in self.horizons for area in group.focus_areas]


def _is_current(version: DocumentVersion, today: datetime.date) -> bool:
    return version.effective_on is None or version.effective_on <= today


def current_versions(today: datetime.date | None = None) -> dict[str, DocumentVersion]:
    """The approved version in force for each kind of controlled document, by kind.

    Each document has at most one approved version (approving a new one supersedes it). When
    several documents of a kind have one, the one in force that took effect last wins; one that
    takes effect later is shown only while nothing of its kind is in force yet. One query.
    """
    today = today or timezone.localdate()
    versions = (DocumentVersion.objects
                .filter(status=DocumentVersion.Status.APPROVED,
                        document__kind__in=ControlledDocument.Kind.values)
                .select_related("document", "approver"))
    best: dict[str, DocumentVersion] = {}

    def rank(version: DocumentVersion) -> tuple:
        current = _is_current(version, today)
        effective = version.effective_on or datetime.date.min
        # In force beats not yet in force; in force: latest effective date; upcoming: soonest.
        return (current, effective if current else -effective.toordinal(),
                version.approved_at or timezone.now(), version.pk)

    for version in versions:
        kind = version.document.kind
        if kind not in best or rank(version) > rank(best[kind]):
            best[kind] = version
    for version in best.values():
        version.in_force = _is_current(version, today)
    return best


def active_focus_areas():
    """Active focus areas with their owners and linked objectives: two queries in all."""
    objectives = Objective.objects.select_related("owner").order_by("due_on", "title", "id")
    return (FocusArea.objects.filter(status=FocusArea.Status.ACTIVE)
            .select_related("owner")
            .prefetch_related(Prefetch("objectives", queryset=objectives,
                                       to_attr="linked_objectives"))
            .order_by("priority", "title", "id"))


def open_challenges_by_focus_area(challenges) -> dict[int, list[Challenge]]:
    """The given (visible, open) challenges under each focus area they ask about, soonest
    closing first: one query, whatever the number of areas and challenges."""
    links = (Challenge.focus_areas.through.objects
             .filter(challenge__in=challenges)
             .select_related("challenge")
             .order_by("challenge__closes_on", "challenge__title", "challenge_id"))
    by_area: dict[int, list[Challenge]] = {}
    for link in links:
        by_area.setdefault(link.focusarea_id, []).append(link.challenge)
    return by_area


def glance_for(user, today: datetime.date | None = None) -> Glance:
    """The page's content for this person: empty for anyone the strategy is not shown to."""
    if not policy.can(user, "strategy.read"):
        return Glance(horizons=[HorizonGroup(code, label) for code, label in HORIZONS.choices])
    today = today or timezone.localdate()
    documents = current_versions(today)
    groups = {code: HorizonGroup(code, label) for code, label in HORIZONS.choices}
    for area in active_focus_areas():
        for objective in area.linked_objectives:
            # Derived from the figures the objective carries (seedbed.lib.progress): no query.
            objective.health = objective.assess(today).health
        groups[area.horizon].focus_areas.append(area)
    open_challenges = idea_selectors.visible_challenges(user).filter(
        status=Challenge.Status.OPEN)
    by_area = open_challenges_by_focus_area(open_challenges)
    for group in groups.values():
        for area in group.focus_areas:
            area.open_challenges = by_area.get(area.pk, [])
    open_challenges = open_challenges.count()
    return Glance(
        intent=documents.get(ControlledDocument.Kind.INTENT),
        scope=documents.get(ControlledDocument.Kind.SCOPE),
        strategy=documents.get(ControlledDocument.Kind.STRATEGY),
        policy=documents.get(ControlledDocument.Kind.POLICY),
        horizons=list(groups.values()),
        open_challenge_count=open_challenges,
    )
