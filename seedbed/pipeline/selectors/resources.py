"""Reads for resource requests, spending and the budget envelopes they draw on.

Visibility follows the initiative: a request is seen by whoever may see its initiative
(``visible_initiatives``), and nobody else. Every function runs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from seedbed import policy
from seedbed.accounts.models import OrgUnit
from seedbed.lib.validation import is_valid_id
from seedbed.pipeline.models import Initiative, ResourceRequest, Spend, Stage
from seedbed.pipeline.selectors import can_work_on, visible_initiatives
from seedbed.strategy.models import BudgetEnvelope, PartnerAgreement, PartnerOrganisation

ZERO = Decimal(0)
Status = ResourceRequest.Status
Kind = ResourceRequest.Kind


def _with_relations(qs: QuerySet[ResourceRequest]) -> QuerySet[ResourceRequest]:
    """What a row of requests shows: its initiative and stage, who asked and decided, the
    partner and the envelope with its unit."""
    return qs.select_related("initiative", "stage", "requested_by", "decided_by", "partner_org",
                             "envelope__org_unit")


def visible_requests(user) -> QuerySet[ResourceRequest]:
    return ResourceRequest.objects.filter(initiative__in=visible_initiatives(user))


def get_request_for_user(user, pk: int) -> ResourceRequest:
    """The request with its initiative and what its pages show, or 404 when its initiative is
    hidden from this person."""
    found = (_with_relations(visible_requests(user))
             .select_related("initiative__stage", "initiative__lead", "initiative__org_unit",
                             "initiative__version__template")
             .filter(pk=pk).first() if is_valid_id(pk) else None)
    if found is None:
        raise Http404("No such resource request")
    return found


def stage_of(initiative: Initiative, stages: list[Stage], raw: str | None) -> Stage:
    """The stage a list shows: ``raw`` (a stage id of the initiative's version), else the
    initiative's current stage."""
    wanted = int(raw) if raw and raw.isdecimal() else initiative.stage_id
    return next((s for s in stages if s.pk == wanted), initiative.stage)


def initiative_requests(initiative: Initiative, stage: Stage | None = None
                        ) -> QuerySet[ResourceRequest]:
    """The initiative's requests (of one stage, when given), newest first."""
    qs = _with_relations(ResourceRequest.objects.filter(initiative_id=initiative.pk))
    if stage is not None:
        qs = qs.filter(stage_id=stage.pk)
    return qs.order_by("-requested_at", "-id")


def request_rows(qs: QuerySet[ResourceRequest]) -> QuerySet[ResourceRequest]:
    """Rows that list their spending too (one more query, whatever the number of rows)."""
    spends = Spend.objects.select_related("recorded_by").order_by("-spent_on", "-id")
    return qs.prefetch_related(Prefetch("spends", queryset=spends))


@dataclass
class StageTotals:
    """Requested and approved amounts, hours and partners of one stage, and what was spent."""

    count: int = 0
    pending: int = 0
    budget_requested: Decimal = ZERO
    budget_approved: Decimal = ZERO
    hours_requested: Decimal = ZERO
    hours_approved: Decimal = ZERO
    partners_approved: int = 0
    spent: Decimal = ZERO


@dataclass
class ResourceSummary:
    by_stage: dict[int, StageTotals] = field(default_factory=dict)

    def of(self, stage: Stage) -> StageTotals:
        return self.by_stage.get(stage.pk, StageTotals())


def summary(initiative: Initiative) -> ResourceSummary:
    """Totals per stage in one grouped query. "Requested" counts what is still asked for or was
    granted (withdrawn and rejected requests ask for nothing any more)."""
    live = Q(status__in=(Status.REQUESTED, Status.APPROVED))
    approved = Q(status=Status.APPROVED)
    rows = (ResourceRequest.objects.filter(initiative_id=initiative.pk).order_by()
            .values("stage_id")
            .annotate(count=Count("id"),
                      pending=Count("id", filter=Q(status=Status.REQUESTED)),
                      budget_requested=Sum("amount", filter=live & Q(kind=Kind.BUDGET)),
                      budget_approved=Sum("amount", filter=approved & Q(kind=Kind.BUDGET)),
                      hours_requested=Sum("hours", filter=live & Q(kind=Kind.HOURS)),
                      hours_approved=Sum("hours", filter=approved & Q(kind=Kind.HOURS)),
                      partners_approved=Count("id", filter=approved & Q(kind=Kind.PARTNER)),
                      spent=Sum("spent")))
    result = ResourceSummary()
    for row in rows:
        stage_id = row.pop("stage_id")
        result.by_stage[stage_id] = StageTotals(**{k: v if v is not None else ZERO
                                                   for k, v in row.items()})
    return result


# --- Budget envelopes -------------------------------------------------------------------------


def envelope_for(org_unit: OrgUnit | None, day: date) -> BudgetEnvelope | None:
    """The envelope a budget request of this unit draws on: the unit's own envelope covering
    ``day``, else that of the nearest unit above it that has one. One query (the unit's
    materialised path names its ancestors)."""
    if org_unit is None:
        return None
    chain = [int(part) for part in org_unit.path.strip("/").split("/") if part] or [org_unit.pk]
    found = {e.org_unit_id: e for e in BudgetEnvelope.objects.select_related("org_unit").filter(
        org_unit_id__in=chain, period_start__lte=day, period_end__gte=day)}
    return next((found[pk] for pk in reversed(chain) if pk in found), None)


def get_envelope_for_user(user, pk: int) -> BudgetEnvelope:
    """Envelopes are records of the IMS: those who oversee the portfolio read them."""
    found = (BudgetEnvelope.objects.select_related("org_unit").filter(pk=pk).first()
             if is_valid_id(pk) and policy.can(user, "pipeline.portfolio") else None)
    if found is None:
        raise Http404("No such budget envelope")
    return found


def envelope_requests(user, envelope: BudgetEnvelope) -> QuerySet[ResourceRequest]:
    """The budget requests drawing on an envelope whose initiative this person may see."""
    return (_with_relations(visible_requests(user).filter(envelope_id=envelope.pk))
            .order_by("-requested_at", "-id"))


def hidden_envelope_requests(user, envelope: BudgetEnvelope) -> int:
    """How many requests on the envelope belong to initiatives hidden from this person
    (confidential ones, for an auditor): the page says so, since its totals include them."""
    return (ResourceRequest.objects.filter(envelope_id=envelope.pk)
            .exclude(initiative__in=visible_initiatives(user)).count())


# --- Approvals --------------------------------------------------------------------------------


def pending_approvals(user) -> QuerySet[ResourceRequest]:
    """Requests waiting for a leader, oldest first, on open initiatives this person sees."""
    return (_with_relations(visible_requests(user).filter(status=Status.REQUESTED))
            .filter(initiative__status__in=(Initiative.Status.ACTIVE, Initiative.Status.ON_HOLD))
            .order_by("requested_at", "id"))


# --- Partners and spending --------------------------------------------------------------------


def active_partners(day: date) -> QuerySet[PartnerOrganisation]:
    """Partner organisations with an agreement in force on ``day``: only those can be engaged,
    since work with a partner starts under an NDA or agreed IP terms (clause 6.6)."""
    in_force = PartnerAgreement.objects.filter(partner=OuterRef("pk"), starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    return PartnerOrganisation.objects.filter(Exists(in_force)).order_by("name", "id")


def may_record_spend(user, initiative: Initiative, *, can_work: bool | None = None) -> bool:
    """The team and innovation managers record spending; leaders may too, since they approve
    the money (and only they may go beyond it). ``can_work``: ``can_work_on`` when the caller
    knows it already (saves its query)."""
    if can_work is None:
        can_work = can_work_on(user, initiative)
    return can_work or policy.can(user, "pipeline.approve")


def request_spends(resource_request: ResourceRequest) -> QuerySet[Spend]:
    return (Spend.objects.filter(request_id=resource_request.pk).select_related("recorded_by")
            .order_by("-spent_on", "-id"))
