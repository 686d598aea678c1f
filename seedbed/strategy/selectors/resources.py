"""Read access to budgets, time allowances, the competence matrix and training records.

These are records of the IMS (rule ``strategy.records``): those who keep and check them see all
of them; everyone else sees none, except their own training records (a person may always see
what is recorded about them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from seedbed import policy
from seedbed.accounts.models import Competency, User
from seedbed.lib.validation import is_valid_id as _valid_id
from seedbed.strategy.models import (
    BudgetEnvelope,
    RequiredCompetency,
    TimeAllowance,
    TrainingRecord,
)


def _reads_records(user) -> bool:
    return policy.can(user, "strategy.records")


def overlapping_year(year: int) -> Q:
    """Periods that share at least one day with the calendar year."""
    return Q(period_start__lte=date(year, 12, 31), period_end__gte=date(year, 1, 1))


# --- Budget envelopes -------------------------------------------------------------------------


def visible_budgets(user) -> QuerySet[BudgetEnvelope]:
    if not _reads_records(user):
        return BudgetEnvelope.objects.none()
    return BudgetEnvelope.objects.select_related("org_unit").order_by(
        "-period_start", "org_unit__name", "id")


def get_budget_for_user(user, pk: int) -> BudgetEnvelope:
    envelope = visible_budgets(user).filter(pk=pk).first() if _valid_id(pk) else None
    if envelope is None:
        raise Http404("No such budget envelope")
    return envelope


@dataclass
class BudgetTotal:
    period_start: date
    period_end: date
    currency: str
    envelopes: int
    allocated: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed


def budget_totals(qs: QuerySet[BudgetEnvelope]) -> list[BudgetTotal]:
    """Totals per period and currency, in one query whatever the number of envelopes."""
    rows = (qs.order_by().values("period_start", "period_end", "currency")
            .annotate(envelopes=Count("id"), allocated=Sum("allocated"),
                      committed=Sum("committed"), spent=Sum("spent"))
            .order_by("-period_start", "period_end", "currency"))
    return [BudgetTotal(**row) for row in rows]


# --- Time allowances --------------------------------------------------------------------------


def visible_time_allowances(user) -> QuerySet[TimeAllowance]:
    if not _reads_records(user):
        return TimeAllowance.objects.none()
    return TimeAllowance.objects.select_related("org_unit").order_by(
        "-period_start", "org_unit__name", "id")


def get_time_allowance_for_user(user, pk: int) -> TimeAllowance:
    allowance = visible_time_allowances(user).filter(pk=pk).first() if _valid_id(pk) else None
    if allowance is None:
        raise Http404("No such time allowance")
    return allowance


# --- Competence matrix ------------------------------------------------------------------------


@dataclass
class MatrixRow:
    competency: Competency
    holders: list[User]
    requirement: RequiredCompetency | None = None

    @property
    def needed(self) -> int:
        return self.requirement.people_needed if self.requirement else 0

    @property
    def held(self) -> int:
        return len(self.holders)

    @property
    def gap(self) -> int:
        return max(self.needed - self.held, 0)


@dataclass
class CompetenceMatrix:
    required: list[MatrixRow] = field(default_factory=list)
    held_not_required: list[MatrixRow] = field(default_factory=list)

    @property
    def total_gap(self) -> int:
        return sum(row.gap for row in self.required)

    @property
    def rows_with_gap(self) -> int:
        return sum(1 for row in self.required if row.gap)


def competence_matrix(user) -> CompetenceMatrix:
    """Required competencies with the active people holding each, and the gap; then the
    competencies people hold that the strategy does not ask for. Three queries in all."""
    if not _reads_records(user):
        return CompetenceMatrix()
    holders = Prefetch("holders", to_attr="active_holders",
                       queryset=User.objects.filter(is_active=True)
                       .only("id", "full_name", "role", "job_title").order_by("full_name"))
    competencies = list(Competency.objects.filter(
        Q(requirement__isnull=False) | Q(holders__is_active=True)).distinct()
        .prefetch_related(holders).order_by("name"))
    requirements = {r.competency_id: r for r in RequiredCompetency.objects.all()}
    matrix = CompetenceMatrix()
    for competency in competencies:
        requirement = requirements.get(competency.pk)
        row = MatrixRow(competency, competency.active_holders, requirement)
        if requirement is not None:
            matrix.required.append(row)
        elif row.holders:
            matrix.held_not_required.append(row)
    return matrix


def get_required_competency_for_user(user, pk: int) -> RequiredCompetency:
    found = (RequiredCompetency.objects.select_related("competency").filter(pk=pk).first()
             if _valid_id(pk) and _reads_records(user) else None)
    if found is None:
        raise Http404("No such required competency")
    return found


# --- Training records -------------------------------------------------------------------------


def visible_training_records(user) -> QuerySet[TrainingRecord]:
    qs = TrainingRecord.objects.select_related("person", "competency").order_by(
        "-completed_on", "-id")
    if _reads_records(user):
        return qs
    if policy.role_of(user) is not None:
        return qs.filter(person=user)
    return qs.none()
