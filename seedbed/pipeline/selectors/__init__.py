"""Read access to initiatives. Visibility is decided here and only here.

- Managers, admins and leaders see every initiative, confidential ones included.
- Auditors see every initiative that is not confidential (read-only).
- Evaluators and contributors see initiatives that are not confidential, plus those they lead,
  are on the team of, or are assigned to evaluate.
- Partners see only the initiatives they are on the team of (invited), never any other.
A confidential initiative behaves like a confidential idea (DESIGN): its team, managers, leaders
and its assigned evaluators, nobody else.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from seedbed import policy
from seedbed.lib.validation import is_valid_id
from seedbed.pipeline.models import Evaluation, Initiative, TeamMember

SEE_ALL = frozenset({policy.ADMIN, policy.MANAGER, policy.LEADER})


def on_team(user) -> Q:
    """Initiatives this person leads or is on the team of, as a condition: the visibility rules
    and the list's "mine" filter share it."""
    teams = TeamMember.objects.filter(user_id=user.pk).values("initiative_id")
    return Q(lead_id=user.pk) | Q(pk__in=teams)


def _evaluating(user) -> Q:
    assigned = Evaluation.objects.filter(evaluator_id=user.pk, initiative__isnull=False)
    return Q(pk__in=assigned.values("initiative_id"))


def visible_initiatives(user) -> QuerySet[Initiative]:
    role = policy.role_of(user)
    qs = Initiative.objects.all()
    if role in SEE_ALL:
        return qs
    if role == policy.AUDITOR:
        return qs.filter(confidential=False)
    if role in (policy.EVALUATOR, policy.CONTRIBUTOR):
        return qs.filter(Q(confidential=False) | on_team(user) | _evaluating(user))
    if role == policy.PARTNER:
        return qs.filter(on_team(user))
    return qs.none()


def get_initiative_for_user(user, pk) -> Initiative:
    """The initiative with what its header needs, or 404 when this person may not see it."""
    initiative = (visible_initiatives(user)
                  .select_related("version__template", "stage", "lead", "idea_type", "org_unit")
                  .filter(pk=pk).first() if is_valid_id(pk) else None)
    if initiative is None:
        raise Http404("No such initiative")
    return initiative


def is_on_team(user, initiative: Initiative) -> bool:
    """Lead or team member (employee or invited partner)."""
    if user is None or not user.is_authenticated:
        return False
    if initiative.lead_id == user.pk:
        return True
    return TeamMember.objects.filter(initiative_id=initiative.pk, user_id=user.pk).exists()


def can_work_on(user, initiative: Initiative) -> bool:
    """May record assumptions, experiments, risks, requests, indicators on this initiative:
    those who run the IMS, and its lead and team (not after it stopped)."""
    if not policy.can(user, "pipeline.work"):
        return False
    return policy.has_role(user, *policy.RUNS_IMS) or is_on_team(user, initiative)


def require_work(user, initiative: Initiative) -> None:
    if not can_work_on(user, initiative):
        raise PermissionDenied("Only the initiative's team and innovation managers may do this.")


def can_decide(user, stage) -> bool:
    """Only deciders named by the stage's template decide its gate (admins count as managers)."""
    role = policy.role_of(user)
    if not policy.can(user, "pipeline.decide"):
        return False
    roles = set(stage.decider_roles or [])
    if policy.MANAGER in roles:
        roles.add(policy.ADMIN)
    return role in roles
