"""Probes for resources: the initiative's resources tab, requests, decisions, spending, the
approvals queue and an envelope's requests.

The probed initiative belongs to a unit of its own with a GBP envelope (so no other module's
envelope can overlap it), is led by the manager with the contributor on its team, and is not
confidential. Who may act on it beyond the rule: managers and admins (they run the IMS) and its
team; leaders and the evaluator are not on it (403), the partner cannot see it (404). Leaders
approve and may record spending, since they approve the money.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from tests.matrix._base import Probe

NOT_ON_TEAM = {"leader": 403, "evaluator": 403, "partner": 404}


def build(users, org) -> dict:
    from seedbed.accounts.models import OrgUnit
    from seedbed.ideas import actions as idea_actions
    from seedbed.pipeline.actions import resources as actions
    from seedbed.pipeline.models import TeamMember
    from seedbed.strategy.actions import resources as budgets
    from tests.support import new_challenge, new_initiative

    manager, contributor = users["manager"], users["contributor"]
    unit = OrgUnit.objects.create(name="Chilled soups", parent=org["sales"])
    year = timezone.localdate().year
    envelope = budgets.create_budget_envelope(
        manager, org_unit=unit, period_start=date(year, 1, 1), period_end=date(year, 12, 31),
        allocated="50000.00", currency="GBP")
    challenge = idea_actions.open_challenge(manager, new_challenge(
        manager, title="Soups that keep", description="Five more days of shelf life."))
    idea = idea_actions.submit_idea(contributor, challenge, title="High-pressure processing",
                                    description="Pasteurise sealed pots with pressure.")
    initiative = new_initiative(manager, idea, org_unit=unit)
    TeamMember.objects.create(initiative=initiative, user=contributor, added_by=manager)
    pending = actions.request_resources(
        contributor, initiative, kind="budget", amount="3000",
        justification="Two HPP trial runs at a toll processor.")
    approved = actions.request_resources(
        contributor, initiative, kind="budget", amount="4000",
        justification="Shelf-life testing of the trial batches.")
    actions.approve_request(users["leader"], approved, note="Within the plan.")
    return {"initiative": initiative, "envelope": envelope, "pending": pending,
            "approved": approved}


def _get(w, key: str):
    return w.extra["pipeline_resources"][key]


def _initiative(w) -> dict:
    return {"pk": _get(w, "initiative").pk}


def _request_form(w) -> dict:
    return {"kind": "budget", "stage": _get(w, "initiative").stage_id, "amount": "1200",
            "justification": "Sensory panel for the trial batches."}


HTML_SAMPLES = {
    "pipeline:initiative_resources": Probe("pipeline.browse", kwargs=_initiative,
                                           per_role={"partner": 404}),
    "pipeline:resource_request_create": Probe(
        "pipeline.work", "post", kwargs=_initiative, data=_request_form, allowed=302,
        per_role=NOT_ON_TEAM),
    "pipeline:resource_request_decide": Probe(
        "pipeline.approve", "post", kwargs=lambda w: {"pk": _get(w, "pending").pk},
        data={"decision": "approve", "note": "Go ahead."}, allowed=302),
    "pipeline:resource_request_withdraw": Probe(
        "pipeline.work", "post", kwargs=lambda w: {"pk": _get(w, "pending").pk}, allowed=302,
        per_role=NOT_ON_TEAM),
    "pipeline:spend_create": Probe(
        "pipeline.work", "post", kwargs=lambda w: {"pk": _get(w, "approved").pk},
        data=lambda w: {"amount": "250.00", "spent_on": timezone.localdate().isoformat(),
                        "note": "Toll processor invoice"},
        allowed=302, per_role={"evaluator": 403, "partner": 404}),
    "pipeline:approvals": Probe("pipeline.approve"),
    "pipeline:envelope_requests": Probe("pipeline.portfolio",
                                        kwargs=lambda w: {"pk": _get(w, "envelope").pk}),
}

BASE = "/api/v1/pipeline"
REQUESTS = BASE + "/initiatives/{initiative_id}/resource-requests"
ONE = BASE + "/resource-requests/{request_id}"


def _initiative_id(w) -> dict:
    return {"initiative_id": _get(w, "initiative").pk}


def _pending_id(w) -> dict:
    return {"request_id": _get(w, "pending").pk}


def _approved_id(w) -> dict:
    return {"request_id": _get(w, "approved").pk}


API_SAMPLES = {
    f"GET {REQUESTS}": Probe("pipeline.browse", kwargs=_initiative_id,
                             per_role={"partner": 404}),
    f"POST {REQUESTS}": Probe(
        "pipeline.work", "post", kwargs=_initiative_id, allowed=201, per_role=NOT_ON_TEAM,
        data={"kind": "hours", "hours": "40", "justification": "A week of a food scientist."}),
    f"GET {ONE}": Probe("pipeline.browse", kwargs=_pending_id, per_role={"partner": 404}),
    f"POST {ONE}/approve": Probe("pipeline.approve", "post", kwargs=_pending_id,
                                 data={"note": "Fits the plan."}),
    f"POST {ONE}/reject": Probe("pipeline.approve", "post", kwargs=_pending_id,
                                data={"note": "Use the pilot plant instead."}),
    f"POST {ONE}/withdraw": Probe("pipeline.work", "post", kwargs=_pending_id,
                                  per_role=NOT_ON_TEAM),
    f"GET {ONE}/spends": Probe("pipeline.browse", kwargs=_approved_id,
                               per_role={"partner": 404}),
    f"POST {ONE}/spends": Probe(
        "pipeline.work", "post", kwargs=_approved_id, allowed=201,
        data=lambda w: {"amount": "99.50", "spent_on": timezone.localdate().isoformat()},
        per_role={"evaluator": 403, "partner": 404}),
    f"GET {BASE}/resource-approvals": Probe("pipeline.approve"),
    f"GET {BASE}/budget-envelopes/{{envelope_id}}/resource-requests": Probe(
        "pipeline.portfolio", kwargs=lambda w: {"envelope_id": _get(w, "envelope").pk}),
}

# tests/test_api_schema.py: one documented success each, on this module's records.
API_SUCCESSES = {
    f"GET {REQUESTS}": ("contributor", None, 200),
    f"POST {REQUESTS}": ("contributor", {
        "kind": "budget", "amount": "2500.00", "currency": "GBP",
        "justification": "Consumer panel for the pressure-treated soups."}, 201),
    f"GET {ONE}": ("auditor", None, 200),
    f"POST {ONE}/approve": ("leader", {"note": "Go ahead.", "override": False}, 200),
    f"POST {ONE}/reject": ("leader", {"note": "Not this quarter."}, 200),
    f"POST {ONE}/withdraw": ("manager", None, 200),
    f"GET {ONE}/spends": ("evaluator", None, 200),
    f"POST {ONE}/spends": ("contributor", {"amount": "120.00", "spent_on": "2024-01-15",
                                           "note": "Courier for samples"}, 201),
    f"GET {BASE}/resource-approvals": ("leader", None, 200),
    f"GET {BASE}/budget-envelopes/{{envelope_id}}/resource-requests": ("auditor", None, 200),
}

# Path parameters, per path (other pipeline modules name initiatives too).
PATH_OBJECTS = {
    f"initiative_id in {REQUESTS}": "initiative",
    f"request_id in {ONE}": "pending",
    f"request_id in {ONE}/approve": "pending",
    f"request_id in {ONE}/reject": "pending",
    f"request_id in {ONE}/withdraw": "pending",
    f"request_id in {ONE}/spends": "approved",
    f"envelope_id in {BASE}/budget-envelopes/{{envelope_id}}/resource-requests": "envelope",
}
