"""Read access to the context register. Partners see none of the strategy; every other reader
of the strategy sees the whole register (it holds no personal or confidential content)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from seedbed import policy
from seedbed.lib.validation import is_valid_id as valid_id
from seedbed.strategy.models import ContextIssue, InterestedParty


def visible_context_issues(user) -> QuerySet[ContextIssue]:
    if not policy.can(user, "strategy.read"):
        return ContextIssue.objects.none()
    return ContextIssue.objects.select_related("created_by")


def get_context_issue_for_user(user, pk: int, *, manage: bool = False) -> ContextIssue:
    issue = visible_context_issues(user).filter(pk=pk).first() if valid_id(pk) else None
    if issue is None:
        raise Http404("No such context issue")
    if manage and not policy.can(user, "strategy.manage"):
        raise PermissionDenied("Only innovation managers may change the context register.")
    return issue


def visible_interested_parties(user) -> QuerySet[InterestedParty]:
    if not policy.can(user, "strategy.read"):
        return InterestedParty.objects.none()
    return InterestedParty.objects.select_related("created_by")


def get_interested_party_for_user(user, pk: int, *, manage: bool = False) -> InterestedParty:
    party = visible_interested_parties(user).filter(pk=pk).first() if valid_id(pk) else None
    if party is None:
        raise Http404("No such interested party")
    if manage and not policy.can(user, "strategy.manage"):
        raise PermissionDenied("Only innovation managers may change the context register.")
    return party
