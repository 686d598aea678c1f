"""The resources demo keeps its promises: every initiative the gates module will walk past a
gate that asks for approved resources has them for that stage; leaders decide, never their own
requests; one request waits, one was rejected, one went over its envelope with a reason; and the
envelopes and initiatives add up exactly."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import OrgUnit, User
from seedbed.audit.models import AuditEvent
from seedbed.core.demo.people import ORG_TREE
from seedbed.core.demo.pipeline import PLAN
from seedbed.core.demo.pipeline import resources as demo
from seedbed.core.demo.strategy.resources import BUDGETS
from seedbed.ideas import actions as idea_actions
from seedbed.pipeline.actions.initiatives import promote_ideas
from seedbed.pipeline.models import GateItem, Initiative, ResourceRequest, Spend
from seedbed.strategy.actions import partners as partner_actions
from seedbed.strategy.actions import resources as budgets
from seedbed.strategy.models import BudgetEnvelope

Status = ResourceRequest.Status


@pytest.fixture
def demo_ctx(users, challenge, templates):
    """What the earlier demo modules hand on: the org tree, the strategy demo's GBP envelopes,
    Kestrel with its agreement, the three leaders, and one initiative per PLAN row at the first
    stage of its template, in its unit (the gates module moves them on later)."""
    today = timezone.localdate()
    units: dict[str, OrgUnit] = {}
    for name, parent in ORG_TREE:
        units[name] = OrgUnit.objects.create(name=name, parent=units.get(parent))
    for unit, allocated, note in BUDGETS:
        budgets.create_budget_envelope(users["manager"], org_unit=units[unit],
                                       period_start=date(today.year, 1, 1),
                                       period_end=date(today.year, 12, 31),
                                       allocated=allocated, currency="GBP", note=note)
    kestrel = partner_actions.register_partner(users["manager"], name="Kestrel Packaging Ltd",
                                               kind="supplier")
    partner_actions.add_agreement(users["manager"], kestrel, kind="ip", title="IP terms",
                                  starts_on=today - timedelta(days=200))
    people = {"manager": users["manager"], "leader": users["leader"]}
    for key in ("claire", "tom"):
        people[key] = User.objects.create_user(f"{key}@example.test", "x" * 12,
                                               full_name=key.title(), role=policy.LEADER)
    initiatives = {}
    for row in PLAN:
        if row.lead not in people:
            people[row.lead] = User.objects.create_user(
                f"{row.lead}@example.test", "x" * 12, full_name=row.lead.title(),
                role=policy.CONTRIBUTOR, org_unit=units[row.unit])
        idea = idea_actions.submit_idea(users["contributor"], challenge, title=row.title,
                                        description=row.pitch)
        initiatives[row.slot] = promote_ideas(
            users["manager"], [idea], template=templates[row.template], lead=people[row.lead],
            org_unit=units[row.unit], confidential=row.confidential)
    return {"users": people, "initiatives": initiatives, "pipeline_plan": PLAN, "today": today,
            "units": units, "partners": {"Kestrel Packaging Ltd": kestrel}}


def gate_needing_resources(initiative: Initiative):
    return initiative.version.stages.filter(
        gate_items__rule=GateItem.Rule.RESOURCES_APPROVED).first()


def walks_past(initiative: Initiative, target: str, stage) -> bool:
    if target == "deployed":
        return True
    key = target.split(":", 1)[-1]
    return initiative.version.stages.get(key=key).position > stage.position


def test_resources_demo(demo_ctx):
    built = demo.build(demo_ctx)
    assert built == {"requests": len(demo.ASKS), "approved": 13, "spends": 12}
    leaders = {demo_ctx["users"][k].pk for k in ("leader", "claire", "tom")}
    for row in PLAN:
        initiative = demo_ctx["initiatives"][row.slot]
        stage = gate_needing_resources(initiative)
        if stage is not None and walks_past(initiative, row.target, stage):
            assert ResourceRequest.objects.filter(initiative=initiative, stage=stage,
                                                  status=Status.APPROVED).exists(), row.slot
    requests = ResourceRequest.objects.select_related("initiative")
    for made in requests.exclude(status=Status.REQUESTED):
        assert made.decided_by_id in leaders and made.decided_by_id != made.requested_by_id
    [pending] = requests.filter(status=Status.REQUESTED)
    assert pending.initiative.title == "Mono-material recyclable soup trays"
    [rejected] = requests.filter(status=Status.REJECTED)
    assert rejected.decision_note
    [override] = requests.exclude(override_reason="")
    assert override.envelope.org_unit.name == "Marketing & Consumer Insight"
    assert override.envelope.remaining < 0
    assert requests.filter(kind="hours", status=Status.APPROVED).count() >= 1
    [partner] = requests.filter(kind="partner")
    assert (partner.partner_org.name, partner.status) == ("Kestrel Packaging Ltd",
                                                          Status.APPROVED)
    assert partner.initiative == demo_ctx["initiatives"]["p_develop"]
    # Roll-ups: every envelope and initiative adds up exactly; only the override went over.
    for envelope in BudgetEnvelope.objects.all():
        approved = envelope.requests.filter(status=Status.APPROVED)
        assert envelope.committed == (approved.aggregate(n=Sum("amount"))["n"] or 0)
        assert envelope.spent == (Spend.objects.filter(request__envelope=envelope)
                                  .aggregate(n=Sum("amount"))["n"] or 0)
        assert envelope.remaining >= 0 or envelope == override.envelope
    for initiative in Initiative.objects.all():
        approved = initiative.resource_requests.filter(status=Status.APPROVED, kind="budget")
        assert initiative.committed == (approved.aggregate(n=Sum("amount"))["n"] or 0)
        assert initiative.spent == sum((r.spent for r in approved), Decimal(0))
    assert AuditEvent.objects.filter(verb="spend.recorded").count() == 12
    assert AuditEvent.objects.filter(verb="resource_request.approved").count() == 13
