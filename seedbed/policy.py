"""Who may do what: the one place that maps roles to capabilities.

Every HTML view and API operation declares a rule from ``RULES`` (or ``PUBLIC``) with the
``rule`` / ``api_rule`` decorators; anything undeclared is refused by the access-matrix test and
nothing is allowed by default. Object-level visibility (which challenge, which idea) is decided
by each app's selectors, which call ``has_role``/``can`` from here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

ADMIN = "admin"
MANAGER = "manager"
LEADER = "leader"
EVALUATOR = "evaluator"
CONTRIBUTOR = "contributor"
PARTNER = "partner"
AUDITOR = "auditor"

ROLES: tuple[str, ...] = (ADMIN, MANAGER, LEADER, EVALUATOR, CONTRIBUTOR, PARTNER, AUDITOR)
ALL = frozenset(ROLES)
EMPLOYEES = frozenset({ADMIN, MANAGER, LEADER, EVALUATOR, CONTRIBUTOR})
PARTICIPANTS = EMPLOYEES | {PARTNER}
RUNS_IMS = frozenset({ADMIN, MANAGER})

PUBLIC = "public"

RULES: dict[str, frozenset[str]] = {
    # Any signed-in person: their home page, own account, password and API tokens.
    "account.self": ALL,
    # Browse challenges and ideas; the selectors narrow what each person sees.
    "challenge.browse": ALL,
    "idea.browse": ALL,
    # Create, edit, open and close challenges.
    "challenge.manage": RUNS_IMS,
    # Take part: submit ideas, comment, vote. Auditors only read.
    "idea.contribute": PARTICIPANTS,
    # Steer ideas: change an idea's status (under review, selected, parked, declined) and
    # assign the evaluators who may then see it even when it is IP-confidential.
    "idea.manage": RUNS_IMS,
    # Browse the audit trail (clause 7.5 evidence).
    "audit.browse": frozenset({ADMIN, MANAGER, AUDITOR}),
    # Users, org units and configuration in the admin site.
    "admin.site": frozenset({ADMIN}),
    # Strategy and leadership (clauses 4-7). Employees and auditors read what is approved and
    # current; partners see none of it.
    "strategy.read": frozenset({ADMIN, MANAGER, LEADER, EVALUATOR, CONTRIBUTOR, AUDITOR}),
    # Drafts and documents in review: those who write them and those who approve them.
    "strategy.drafts": frozenset({ADMIN, MANAGER, LEADER}),
    # Keep the registers: context, focus areas, documents, objectives, RACI, resources,
    # actions, partners; triage proposals.
    "strategy.manage": RUNS_IMS,
    # Approve controlled documents: top management only (clause 5.1).
    "strategy.approve": frozenset({LEADER}),
    # Propose a new opportunity or threat: the strategy's feedback loop from employees.
    "strategy.propose": EMPLOYEES,
    # Confirm having read the approved policy or strategy (awareness, clause 7.3).
    "strategy.acknowledge": EMPLOYEES,
    # Resource, competence, training, partner and awareness records.
    "strategy.records": frozenset({ADMIN, MANAGER, LEADER, AUDITOR}),
    # Outgoing webhooks to chat and other systems (clause 7.4): register, test, read the
    # delivery log. They carry the organisation's news outside it, so only those who run the IMS.
    "webhook.manage": RUNS_IMS,
    # Initiative pipeline (clauses 6.4, 8.1-8.3). Browse initiatives, the board and their pages;
    # the selectors narrow it (partners: only initiatives they are on; confidential ones: their
    # team, managers, leaders and assigned evaluators).
    "pipeline.browse": ALL,
    # Run the pipeline: edit workflow templates and scorecards, promote ideas, shape
    # initiatives and their teams, assign evaluators, keep the portfolio criteria.
    "pipeline.manage": RUNS_IMS,
    # Work on an initiative one is on (lead, team member, invited partner) or runs: assumptions,
    # experiments, risks, resource requests, spending, indicators, feedback. Auditors only read.
    "pipeline.work": PARTICIPANTS,
    # Score what one is assigned to (or declare a conflict of interest).
    "pipeline.evaluate": EMPLOYEES,
    # Decide gates; the stage's template names which of these roles decide it.
    "pipeline.decide": frozenset({ADMIN, MANAGER, LEADER}),
    # Approve or reject resource requests against the budget envelopes: top management.
    "pipeline.approve": frozenset({LEADER}),
    # The portfolio's matrix, balance views and export (clause 6.4).
    "pipeline.portfolio": frozenset({ADMIN, MANAGER, LEADER, AUDITOR}),
}


def role_of(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not user.is_active:
        return None
    until = getattr(user, "access_until", None)
    if until is not None and until < timezone.localdate():
        # Time-limited access (e.g. an external auditor's engagement) has lapsed.
        return None
    return user.role


def can(user: Any, rule_name: str) -> bool:
    if rule_name == PUBLIC:
        return True
    return role_of(user) in RULES[rule_name]


def has_role(user: Any, *roles: str) -> bool:
    return role_of(user) in roles


def _check_rule_name(rule_name: str) -> None:
    if rule_name != PUBLIC and rule_name not in RULES:
        raise LookupError(f"unknown access rule {rule_name!r}")


def rule(rule_name: str) -> Callable:
    """Declare and enforce the access rule of an HTML view."""
    _check_rule_name(rule_name)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if rule_name != PUBLIC:
                if not request.user.is_authenticated:
                    from django.contrib.auth.views import redirect_to_login

                    return redirect_to_login(request.get_full_path())
                if not can(request.user, rule_name):
                    raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        wrapper.access_rule = rule_name  # type: ignore[attr-defined]
        return wrapper

    return decorate


def public(view: Callable) -> Callable:
    return rule(PUBLIC)(view)


def api_rule(rule_name: str) -> Callable:
    """Declare and enforce the access rule of an API operation (authentication is the API's)."""
    _check_rule_name(rule_name)

    def decorate(func: Callable) -> Callable:
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if rule_name != PUBLIC and not can(request.user, rule_name):
                raise PermissionDenied("Your role does not allow this.")
            return func(request, *args, **kwargs)

        wrapper.access_rule = rule_name  # type: ignore[attr-defined]
        return wrapper

    return decorate
