"""Probes for the partner register (seedbed/strategy/{views,api}/partners.py)."""

from __future__ import annotations

from datetime import date

from tests.matrix._base import Probe

# The register is an internal record (strategy.records to read, strategy.manage to keep):
# partners themselves are refused by the rule, like everything of the strategy.


def _partner(w) -> dict:
    return {"pk": w.extra["partners"]["partner"].pk}


def _partner_id(w) -> dict:
    return {"partner_id": w.extra["partners"]["partner"].pk}


HTML_SAMPLES = {
    "strategy:partners_list": Probe("strategy.records"),
    "strategy:partners_create": Probe("strategy.manage"),
    "strategy:partners_detail": Probe("strategy.records", kwargs=_partner),
    "strategy:partners_edit": Probe("strategy.manage", kwargs=_partner),
    "strategy:partners_agreement_create": Probe("strategy.manage", kwargs=_partner),
    "strategy:partners_account_assign": Probe(
        "strategy.manage", "post", kwargs=_partner, allowed=302,
        data=lambda w: {"user": str(w.users["partner"].pk)}),
}

API_SAMPLES = {
    "GET /api/v1/strategy/partners": Probe("strategy.records"),
    "POST /api/v1/strategy/partners": Probe(
        "strategy.manage", "post", allowed=201,
        data={"name": "Harrow Sensory Labs", "kind": "startup",
              "website": "https://harrow-sensory.example"}),
    "GET /api/v1/strategy/partners/{partner_id}": Probe("strategy.records", kwargs=_partner_id),
    "PATCH /api/v1/strategy/partners/{partner_id}": Probe(
        "strategy.manage", "patch", kwargs=_partner_id,
        data={"contact_name": "Dr Ruth Okafor"}),
    "POST /api/v1/strategy/partners/{partner_id}/agreements": Probe(
        "strategy.manage", "post", allowed=201, kwargs=_partner_id,
        data={"kind": "nda", "title": "Mutual NDA", "starts_on": "2025-01-01",
              "ends_on": "2027-12-31"}),
}


def build(users, org) -> dict:
    from seedbed.strategy.actions import partners as actions

    partner = actions.register_partner(
        users["manager"], name="Pennine Food Research Centre", kind="university",
        description="Shelf-life and **sensory** studies.", website="https://pfrc.example")
    actions.add_agreement(users["manager"], partner, kind="nda", title="Mutual NDA",
                          starts_on=date(2024, 1, 1), ends_on=date(2026, 12, 31))
    return {"partner": partner}
