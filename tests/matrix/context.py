"""Probes for the context register: issues (4.1) and interested parties (4.2)."""

from __future__ import annotations

from tests.matrix._base import Probe


def build(users, org) -> dict:
    from seedbed.strategy.actions import context as actions

    manager = users["manager"]
    issue = actions.create_context_issue(
        manager, title="Retailer consolidation", category="economic", impact="high",
        trend="growing", source="Kantar grocery share data")
    party = actions.create_interested_party(
        manager, name="Retail customers", needs="Lower cost per pack.", importance="high")
    return {"issue": issue, "party": party}


def _issue(w) -> dict:
    return {"pk": w.extra["context"]["issue"].pk}


def _party(w) -> dict:
    return {"pk": w.extra["context"]["party"].pk}


ISSUE_FORM = {"title": "Heat pumps for process heat", "category": "technological",
              "impact": "medium", "trend": "growing"}
PARTY_FORM = {"name": "Local community", "importance": "low"}

HTML_SAMPLES = {
    "strategy:context_issue_list": Probe("strategy.read"),
    "strategy:context_issue_create": Probe("strategy.manage", "post", data=ISSUE_FORM,
                                           allowed=302),
    "strategy:context_issue_detail": Probe("strategy.read", kwargs=_issue),
    "strategy:context_issue_edit": Probe("strategy.manage", "post", kwargs=_issue,
                                         data={**ISSUE_FORM, "title": "Retail consolidation"},
                                         allowed=302),
    "strategy:context_party_list": Probe("strategy.read"),
    "strategy:context_party_create": Probe("strategy.manage", "post", data=PARTY_FORM,
                                           allowed=302),
    "strategy:context_party_detail": Probe("strategy.read", kwargs=_party),
    "strategy:context_party_edit": Probe("strategy.manage", "post", kwargs=_party,
                                         data={**PARTY_FORM, "name": "Big four retailers"},
                                         allowed=302),
}

API_SAMPLES = {
    "GET /api/v1/strategy/context-issues": Probe("strategy.read"),
    "POST /api/v1/strategy/context-issues": Probe("strategy.manage", "post", allowed=201,
                                                  data=ISSUE_FORM),
    "GET /api/v1/strategy/context-issues/{issue_id}": Probe(
        "strategy.read", kwargs=lambda w: {"issue_id": w.extra["context"]["issue"].pk}),
    "PATCH /api/v1/strategy/context-issues/{issue_id}": Probe(
        "strategy.manage", "patch", kwargs=lambda w: {"issue_id": w.extra["context"]["issue"].pk},
        data={"impact": "medium"}),
    "GET /api/v1/strategy/interested-parties": Probe("strategy.read"),
    "POST /api/v1/strategy/interested-parties": Probe("strategy.manage", "post", allowed=201,
                                                      data=PARTY_FORM),
    "GET /api/v1/strategy/interested-parties/{party_id}": Probe(
        "strategy.read", kwargs=lambda w: {"party_id": w.extra["context"]["party"].pk}),
    "PATCH /api/v1/strategy/interested-parties/{party_id}": Probe(
        "strategy.manage", "patch", kwargs=lambda w: {"party_id": w.extra["context"]["party"].pk},
        data={"expectations": "Joint innovation days twice a year."}),
}
