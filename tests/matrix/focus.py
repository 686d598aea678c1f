"""Probes for focus areas, proposals and their triage."""

from __future__ import annotations

from tests.matrix._base import Probe


def build(users, org) -> dict:
    from seedbed.strategy.actions import focus as actions

    manager = users["manager"]
    active = actions.create_focus_area(
        manager, title="Lower-energy chilling", kind="opportunity", horizon="h1", priority=1,
        rationale="Refrigeration is our largest electricity load.")
    proposal = actions.propose_focus_area(
        users["contributor"], title="Refill formats for sauces", kind="opportunity",
        rationale="Shoppers ask for less packaging.")
    return {"active": active, "proposal": proposal}


def _active(w) -> dict:
    return {"pk": w.extra["focus"]["active"].pk}


def _proposal(w) -> dict:
    return {"pk": w.extra["focus"]["proposal"].pk}


AREA_FORM = {"title": "Plant-based ready meals", "kind": "opportunity", "horizon": "h2",
             "priority": "2", "rationale": "Flexitarian shoppers are a growing share."}
PROPOSAL_FORM = {"title": "Energy price spikes", "kind": "threat",
                 "rationale": "Winter tariffs could wipe out the margin on soups."}

HTML_SAMPLES = {
    "strategy:focus_list": Probe("strategy.read"),
    "strategy:focus_create": Probe("strategy.manage", "post", data=AREA_FORM, allowed=302),
    "strategy:focus_detail": Probe("strategy.read", kwargs=_active),
    "strategy:focus_edit": Probe("strategy.manage", "post", kwargs=_active,
                                 data={**AREA_FORM, "status": "active"}, allowed=302),
    "strategy:focus_propose": Probe("strategy.propose", "post", data=PROPOSAL_FORM,
                                    allowed=302),
    "strategy:focus_my_proposals": Probe("strategy.propose"),
    "strategy:focus_triage": Probe("strategy.manage"),
    "strategy:focus_accept": Probe("strategy.manage", "post", kwargs=_proposal, allowed=302,
                                   data={"accept-horizon": "h2", "accept-priority": "1"}),
    "strategy:focus_merge": Probe(
        "strategy.manage", "post", kwargs=_proposal, allowed=302,
        data=lambda w: {"merge-into": str(w.extra["focus"]["active"].pk)}),
    "strategy:focus_decline": Probe("strategy.manage", "post", kwargs=_proposal, allowed=302,
                                    data={"decline-reason": "Covered by the packaging work."}),
}

API = "/api/v1/strategy/focus-areas"

API_SAMPLES = {
    f"GET {API}": Probe("strategy.read"),
    f"POST {API}": Probe("strategy.manage", "post", allowed=201,
                         data={**AREA_FORM, "priority": 2}),
    f"POST {API}/proposals": Probe("strategy.propose", "post", allowed=201,
                                   data=PROPOSAL_FORM),
    f"GET {API}/proposals/mine": Probe("strategy.propose"),
    f"GET {API}/{{focus_area_id}}": Probe(
        "strategy.read", kwargs=lambda w: {"focus_area_id": w.extra["focus"]["active"].pk}),
    f"PATCH {API}/{{focus_area_id}}": Probe(
        "strategy.manage", "patch",
        kwargs=lambda w: {"focus_area_id": w.extra["focus"]["active"].pk},
        data={"horizon": "h2"}),
    f"POST {API}/{{focus_area_id}}/accept": Probe(
        "strategy.manage", "post",
        kwargs=lambda w: {"focus_area_id": w.extra["focus"]["proposal"].pk},
        data={"horizon": "h1", "priority": 1}),
    f"POST {API}/{{focus_area_id}}/merge": Probe(
        "strategy.manage", "post",
        kwargs=lambda w: {"focus_area_id": w.extra["focus"]["proposal"].pk},
        data=lambda w: {"into_id": w.extra["focus"]["active"].pk}),
    f"POST {API}/{{focus_area_id}}/decline": Probe(
        "strategy.manage", "post",
        kwargs=lambda w: {"focus_area_id": w.extra["focus"]["proposal"].pk},
        data={"reason": "Covered by the packaging work."}),
}
