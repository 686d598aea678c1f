"""Probes for value: the Value tab, indicators, measurements, feedback, the post-launch review
and the roll-up to objectives.

The probed initiative is led by the manager and sits at its template's launch stage (a deploy
stage: measurable). The contributor and the partner are on its team; the contributor wrote its
post-launch review and it has one revenue indicator. So the team (and admins, managers) may work
on it, leaders and evaluators may not (403) though they may give feedback; a revised review is
for the lead, its writer and managers only (the partner gets 403 there).
"""

from __future__ import annotations

from datetime import date

from tests.matrix._base import Probe

AREA = "pipeline_value"
A, M, L, E, C, P, AU = ("admin", "manager", "leader", "evaluator", "contributor", "partner",
                         "auditor")
NOT_ON_TEAM = {L: 403, E: 403}
BASE = "/api/v1/pipeline/initiatives/{initiative_id}"
INDICATOR = f"{BASE}/indicators/{{indicator_id}}"


def move_to_stage(initiative, key: str):
    """Test set-up only: put an initiative at a stage of its version without deciding gates
    (the gates area owns that path and tests it)."""
    from seedbed.pipeline.models import Initiative

    stage = initiative.version.stages.get(key=key)
    Initiative.objects.filter(pk=initiative.pk).update(stage=stage)
    initiative.stage = stage
    return initiative


def deploy(initiative):
    """Test set-up only: an initiative that passed its last gate."""
    from django.utils import timezone

    from seedbed.pipeline.models import Initiative

    stage = initiative.version.stages.order_by("-position").first()
    Initiative.objects.filter(pk=initiative.pk).update(
        stage=stage, status=Initiative.Status.DEPLOYED, deployed_at=timezone.now())
    initiative.stage, initiative.status = stage, Initiative.Status.DEPLOYED
    return initiative


def build(users, org) -> dict:
    from seedbed.ideas import actions as idea_actions
    from seedbed.pipeline.actions import value as actions
    from seedbed.pipeline.models import TeamMember
    from tests.support import new_challenge, new_initiative

    manager = users[M]
    challenge = idea_actions.open_challenge(manager, new_challenge(
        manager, title="Ready meals people reorder",
        description="What would make shoppers buy our ready meals again?"))
    idea = idea_actions.submit_idea(users[C], challenge, title="Plant-based lasagne",
                                    description="A lentil-and-mushroom lasagne.")
    initiative = new_initiative(manager, idea, lead=manager)
    for role, member_role in ((C, TeamMember.Role.MEMBER), (P, TeamMember.Role.PARTNER)):
        TeamMember.objects.create(initiative=initiative, user=users[role], role=member_role,
                                  added_by=manager)
    move_to_stage(initiative, "launch")
    indicator = actions.add_indicator(manager, initiative, kind="revenue",
                                      name="Retail sales", unit="GBP", projected=120000)
    actions.record_post_launch_review(users[C], initiative,
                                      summary="Listed in 400 stores from March.")
    return {"initiative": initiative, "indicator": indicator}


def _initiative(w) -> dict:
    return {"pk": w.extra[AREA]["initiative"].pk}


def _indicator(w) -> dict:
    return {"pk": w.extra[AREA]["initiative"].pk, "indicator": w.extra[AREA]["indicator"].pk}


def _api_initiative(w) -> dict:
    return {"initiative_id": w.extra[AREA]["initiative"].pk}


def _api_indicator(w) -> dict:
    return {"initiative_id": w.extra[AREA]["initiative"].pk,
            "indicator_id": w.extra[AREA]["indicator"].pk}


INDICATOR_FORM = {"kind": "cost_saving", "name": "Waste saved", "unit": "GBP",
                  "projected": "15000"}
MEASURE = {"actual": "98000", "measured_on": date(2025, 6, 30).isoformat()}
REVIEW = {"summary": "Sold through in 400 stores.", "lessons": "Start supplier trials sooner."}

HTML_SAMPLES = {
    "pipeline:value_rollup": Probe("pipeline.portfolio"),
    "pipeline:initiative_value": Probe("pipeline.browse", kwargs=_initiative),
    "pipeline:value_indicator_create": Probe("pipeline.work", "post", kwargs=_initiative,
                                             data=INDICATOR_FORM, allowed=302,
                                             per_role=NOT_ON_TEAM),
    "pipeline:value_indicator_edit": Probe("pipeline.work", kwargs=_indicator,
                                           per_role=NOT_ON_TEAM),
    "pipeline:value_indicator_measure": Probe("pipeline.work", "post", kwargs=_indicator,
                                              data=MEASURE, allowed=302, per_role=NOT_ON_TEAM),
    "pipeline:value_indicator_remove": Probe("pipeline.work", "post", kwargs=_indicator,
                                             allowed=302, per_role=NOT_ON_TEAM),
    "pipeline:value_feedback_create": Probe("pipeline.work", "post", kwargs=_initiative,
                                            data={"rating": "4", "text": "Tastes homemade."},
                                            allowed=302),
    "pipeline:value_review_edit": Probe("pipeline.work", "post", kwargs=_initiative, data=REVIEW,
                                        allowed=302, per_role={**NOT_ON_TEAM, P: 403}),
}

API_SAMPLES = {
    f"GET {BASE}/indicators": Probe("pipeline.browse", kwargs=_api_initiative),
    f"POST {BASE}/indicators": Probe(
        "pipeline.work", "post", kwargs=_api_initiative, allowed=201, per_role=NOT_ON_TEAM,
        data={"kind": "adoption", "name": "Stores listing", "unit": "stores",
              "projected": 400}),
    f"PATCH {INDICATOR}": Probe("pipeline.work", "patch", kwargs=_api_indicator,
                                data={"projected": 110000}, per_role=NOT_ON_TEAM),
    f"PUT {INDICATOR}/measurement": Probe(
        "pipeline.work", "put", kwargs=_api_indicator, per_role=NOT_ON_TEAM,
        data={"actual": 98000, "measured_on": "2025-06-30"}),
    f"DELETE {INDICATOR}": Probe("pipeline.work", "delete", kwargs=_api_indicator,
                                 per_role=NOT_ON_TEAM),
    f"GET {BASE}/feedback": Probe("pipeline.browse", kwargs=_api_initiative),
    f"POST {BASE}/feedback": Probe("pipeline.work", "post", kwargs=_api_initiative,
                                   allowed=201, data={"text": "Easy to reheat.", "rating": 5}),
    f"GET {BASE}/review": Probe("pipeline.browse", kwargs=_api_initiative),
    f"PUT {BASE}/review": Probe("pipeline.work", "put", kwargs=_api_initiative, data=REVIEW,
                                per_role={**NOT_ON_TEAM, P: 403}),
    f"GET {BASE}/value": Probe("pipeline.browse", kwargs=_api_initiative),
    "GET /api/v1/pipeline/value/objectives": Probe("pipeline.portfolio"),
}

# tests/test_api_schema.py: one documented success each (path ids from PATH_OBJECTS).
API_SUCCESSES = {
    f"GET {BASE}/indicators": (AU, None, 200),
    f"POST {BASE}/indicators": (C, {"kind": "satisfaction", "name": "Shopper rating",
                                    "unit": "score out of 5", "projected": 4.2}, 201),
    f"PATCH {INDICATOR}": (M, {"name": "Retail sales (annual)", "projected": None}, 200),
    f"PUT {INDICATOR}/measurement": (P, {"actual": 98000.5, "measured_on": "2025-06-30"}, 200),
    f"DELETE {INDICATOR}": (A, None, 200),
    f"GET {BASE}/feedback": (E, None, 200),
    f"POST {BASE}/feedback": (L, {"text": "My family liked it.", "rating": 4}, 201),
    f"GET {BASE}/review": (P, None, 200),
    f"PUT {BASE}/review": (M, REVIEW, 200),
    f"GET {BASE}/value": (AU, None, 200),
    "GET /api/v1/pipeline/value/objectives": (L, None, 200),
}

# Keyed by path, so that another area's "initiative_id" never replaces this one.
PATH_OBJECTS = {
    **{f"initiative_id in {key.split(' ', 1)[1]}": "initiative" for key in API_SUCCESSES
       if "{initiative_id}" in key},
    **{f"indicator_id in {key.split(' ', 1)[1]}": "indicator" for key in API_SUCCESSES
       if "{indicator_id}" in key},
}
