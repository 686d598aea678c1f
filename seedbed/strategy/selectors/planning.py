"""Read access to objectives, the RACI matrix and action items. Visibility is decided here.

Every role that may read the strategy (strategy.read) sees all of these: objectives, RACI and
actions are not drafts. Partners, and anyone without a live role, see none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import Role, User
from seedbed.lib.validation import is_valid_id as _valid_id
from seedbed.strategy.models import (
    ActionItem,
    ContextIssue,
    FocusArea,
    Objective,
    ObjectiveUpdate,
    RaciAssignment,
)

LETTER_ORDER = {letter: i for i, letter in enumerate(RaciAssignment.Letter.values)}


def _readable(user, qs: QuerySet) -> QuerySet:
    return qs if policy.can(user, "strategy.read") else qs.none()


def _manage_or_refuse(user, what: str) -> None:
    if not policy.can(user, "strategy.manage"):
        raise PermissionDenied(f"Only innovation managers may change {what}.")


# --- Objectives -------------------------------------------------------------------------------


def visible_objectives(user) -> QuerySet[Objective]:
    return _readable(user, Objective.objects.all())


def objective_list(qs: QuerySet[Objective]) -> QuerySet[Objective]:
    """What an objective row needs: owner joined, focus areas in one more query."""
    return (qs.select_related("owner").prefetch_related("focus_areas")
            .order_by("due_on", "title", "id"))


def can_record_progress(user, objective: Objective) -> bool:
    """Innovation managers, and the objective's owner: the person who answers for it reports
    how it is going (clause 6.2 asks for someone responsible for each objective)."""
    if policy.can(user, "strategy.manage"):
        return True
    return (policy.can(user, "strategy.read") and policy.role_of(user) in policy.EMPLOYEES
            and objective.owner_id == user.pk)


def get_objective_for_user(user, pk: int, *, manage: bool = False,
                           progress: bool = False) -> Objective:
    objective = (visible_objectives(user).select_related("owner", "created_by")
                 .filter(pk=pk).first() if _valid_id(pk) else None)
    if objective is None:
        raise Http404("No such objective")
    if manage:
        _manage_or_refuse(user, "objectives")
    if progress and not can_record_progress(user, objective):
        raise PermissionDenied("Only the objective's owner or an innovation manager may record "
                               "its progress.")
    return objective


def updates_for(objective: Objective) -> QuerySet[ObjectiveUpdate]:
    return objective.updates.select_related("recorded_by").order_by("-as_of", "-id")


def linkable_focus_areas(objective: Objective | None = None,
                         keep_ids: tuple[int, ...] = ()) -> QuerySet[FocusArea]:
    """Active focus areas, plus those already linked (a link outlives the area's activity)."""
    linked = Q(pk__in=keep_ids)
    if objective is not None and objective.pk:
        linked |= Q(pk__in=objective.focus_areas.values("pk"))
    return (FocusArea.objects.filter(Q(status=FocusArea.Status.ACTIVE) | linked)
            .order_by("priority", "title"))


def owner_choices() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=policy.EMPLOYEES).order_by("full_name")


# --- RACI -------------------------------------------------------------------------------------


def visible_raci(user) -> QuerySet[RaciAssignment]:
    return _readable(user, RaciAssignment.objects.all())


def get_raci_for_user(user, pk: int) -> RaciAssignment:
    _manage_or_refuse(user, "the RACI matrix")
    assignment = visible_raci(user).filter(pk=pk).first() if _valid_id(pk) else None
    if assignment is None:
        raise Http404("No such RACI assignment")
    return assignment


@dataclass
class RaciColumn:
    key: tuple
    label: str
    detail: str = ""


@dataclass
class RaciRow:
    process: str
    cells: list[list[RaciAssignment]] = field(default_factory=list)


@dataclass
class RaciMatrix:
    columns: list[RaciColumn]
    rows: list[RaciRow]


def raci_matrix(user) -> RaciMatrix:
    """Processes (rows, alphabetical) × the roles and named people that hold a letter
    (columns: roles in the order of policy.ROLES, then people by name). One query."""
    assignments = list(visible_raci(user).select_related("person").order_by("process", "id"))
    labels = dict(Role.choices)
    roles = {a.role for a in assignments if a.role}
    people = {a.person_id: a.person for a in assignments if a.person_id}
    columns = [RaciColumn(("role", r), labels[r]) for r in policy.ROLES if r in roles]
    columns += [RaciColumn(("person", p.pk), p.full_name, p.job_title)
                for p in sorted(people.values(), key=lambda p: (p.full_name.casefold(), p.pk))]
    index = {column.key: i for i, column in enumerate(columns)}
    rows: dict[str, RaciRow] = {}
    for a in assignments:
        row = rows.get(a.process)
        if row is None:
            row = rows[a.process] = RaciRow(a.process, [[] for _ in columns])
        key = ("role", a.role) if a.role else ("person", a.person_id)
        row.cells[index[key]].append(a)
    for row in rows.values():
        for cell in row.cells:
            cell.sort(key=lambda a: LETTER_ORDER[a.letter])
    ordered = sorted(rows.values(), key=lambda r: r.process.casefold())
    return RaciMatrix(columns, ordered)


def raci_list(qs: QuerySet[RaciAssignment]) -> QuerySet[RaciAssignment]:
    return qs.select_related("person").order_by("process", "role", "id")


# --- Action items -----------------------------------------------------------------------------


def visible_action_items(user) -> QuerySet[ActionItem]:
    return _readable(user, ActionItem.objects.all())


def action_item_list(qs: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return (qs.select_related("owner", "focus_area", "context_issue", "objective")
            .order_by("due_on", "id"))


def open_statuses() -> tuple[str, str]:
    return (ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS)


def filter_action_items(qs: QuerySet[ActionItem], *, kind: str = "", status: str = "",
                        overdue: bool = False, today: date | None = None) -> QuerySet[ActionItem]:
    if kind in ActionItem.Kind.values:
        qs = qs.filter(kind=kind)
    if status in ActionItem.Status.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=open_statuses(),
                       due_on__lt=today or timezone.localdate())
    return qs


def get_action_item_for_user(user, pk: int, *, manage: bool = False) -> ActionItem:
    item = (action_item_list(visible_action_items(user)).select_related("created_by")
            .filter(pk=pk).first() if _valid_id(pk) else None)
    if item is None:
        raise Http404("No such action")
    if manage:
        _manage_or_refuse(user, "actions")
    return item


def action_items_for(objective: Objective) -> QuerySet[ActionItem]:
    return objective.actions.select_related("owner").order_by("due_on", "id")


def linkable_context_issues() -> QuerySet[ContextIssue]:
    return ContextIssue.objects.order_by("title")


def linkable_objectives() -> QuerySet[Objective]:
    return Objective.objects.order_by("title")
