"""Read access to focus areas and proposals. Visibility is decided here and only here.

- Those who run the IMS, top management and auditors see every focus area, including
  proposals and how each was decided (the evidence of the feedback loop).
- Other employees see the register (active focus areas), retired ones (so older challenges and
  objectives that point at them still resolve), and their own proposals in any state.
- Partners see none of the strategy.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from seedbed import policy
from seedbed.lib.validation import is_valid_id as valid_id
from seedbed.strategy.models import FocusArea

_SEE_ALL = frozenset({policy.ADMIN, policy.MANAGER, policy.LEADER, policy.AUDITOR})
_PUBLISHED = (FocusArea.Status.ACTIVE, FocusArea.Status.RETIRED)


def sees_proposals(user) -> bool:
    return policy.role_of(user) in _SEE_ALL


def visible_focus_areas(user) -> QuerySet[FocusArea]:
    if not policy.can(user, "strategy.read"):
        return FocusArea.objects.none()
    if sees_proposals(user):
        return FocusArea.objects.all()
    return FocusArea.objects.filter(Q(status__in=_PUBLISHED) | Q(proposed_by=user))


def focus_area_rows(qs: QuerySet[FocusArea]) -> QuerySet[FocusArea]:
    """What a list row or API item needs, in a fixed number of queries."""
    return qs.select_related("owner", "proposed_by", "decided_by", "merged_into") \
        .prefetch_related("context_issues", "interested_parties")


def get_focus_area_for_user(user, pk: int, *, manage: bool = False) -> FocusArea:
    area = (focus_area_rows(visible_focus_areas(user)).filter(pk=pk).first()
            if valid_id(pk) else None)
    if area is None:
        raise Http404("No such focus area")
    if manage and not policy.can(user, "strategy.manage"):
        raise PermissionDenied("Only innovation managers may change focus areas.")
    return area


def active_focus_areas(user) -> QuerySet[FocusArea]:
    """The register as every reader sees it; also what a proposal may be merged into."""
    return visible_focus_areas(user).filter(status=FocusArea.Status.ACTIVE)


def triage_queue(user) -> QuerySet[FocusArea]:
    """Proposals waiting for a decision, oldest first (those who run the IMS only)."""
    if not policy.can(user, "strategy.manage"):
        return FocusArea.objects.none()
    return FocusArea.objects.filter(status=FocusArea.Status.PROPOSED) \
        .select_related("proposed_by").prefetch_related("context_issues", "interested_parties") \
        .order_by("created_at", "id")


def my_proposals(user) -> QuerySet[FocusArea]:
    """What this person proposed, newest first: pending, or decided (a focus area a manager
    created directly was never a proposal)."""
    if not policy.can(user, "strategy.propose"):
        return FocusArea.objects.none()
    return FocusArea.objects.filter(proposed_by=user) \
        .filter(Q(status=FocusArea.Status.PROPOSED) | Q(decided_at__isnull=False)) \
        .select_related("decided_by", "merged_into", "owner").order_by("-created_at", "-id")
