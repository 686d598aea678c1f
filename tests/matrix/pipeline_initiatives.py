"""Probes for initiatives: list, promote, overview, edit and team (seedbed/pipeline/{views,api}/
initiatives.py).

The probed initiative is promoted from a matrix idea, is not confidential, is led by the
contributor (so the lead's own rights show: edit and team) and has the evaluator on its team;
the partner is not on it (404), the leader and the evaluator neither manage nor lead it (403).
A second, promotable idea ("spare") is there to be promoted.
"""

from __future__ import annotations

from tests.matrix._base import Probe

A, M, L, E, C, P, AU = "admin", "manager", "leader", "evaluator", "contributor", "partner", \
    "auditor"
BASE = "/api/v1/pipeline/initiatives"
ONE = f"{BASE}/{{initiative_id}}"
# Managers and the lead shape the initiative; others who may see it are refused, the partner
# (not on the team) cannot see it at all.
SHAPERS_ONLY = {L: 403, E: 403, P: 404}


def build(users, org) -> dict:
    from seedbed.ideas import actions
    from seedbed.ideas.models import Idea
    from seedbed.pipeline.actions.initiatives import add_team_member
    from tests.support import new_challenge, new_initiative, pipeline_templates

    templates = pipeline_templates()
    challenge = actions.open_challenge(users[M], new_challenge(
        users[M], title="Faster changeovers", description="Halve line changeover time."))
    idea = actions.submit_idea(users[C], challenge, title="SMED workshop",
                               description="Run a single-minute exchange of die workshop.")
    spare = actions.submit_idea(users[C], challenge, title="Quick-release nozzles",
                                description="Tool-free nozzle swaps on the sauce filler.")
    assert idea.status == spare.status == Idea.Status.SUBMITTED
    initiative = new_initiative(users[M], idea, lead=users[C])
    member = add_team_member(users[M], initiative, email=users[E].email)
    return {"initiative": initiative, "member": member, "spare": spare,
            "product": templates["product"]}


def _built(w) -> dict:
    return w.extra["pipeline_initiatives"]


def _initiative(w) -> dict:
    return {"pk": _built(w)["initiative"].pk}


def _member(w) -> dict:
    return {"pk": _built(w)["initiative"].pk, "member_pk": _built(w)["member"].pk}


def _initiative_id(w) -> dict:
    return {"initiative_id": _built(w)["initiative"].pk}


def _member_id(w) -> dict:
    return {"initiative_id": _built(w)["initiative"].pk, "member_id": _built(w)["member"].pk}


def _promote_form(w) -> dict:
    built = _built(w)
    return {"ideas": str(built["spare"].pk), "title": "Quick-release nozzles",
            "template": built["product"].pk, "lead": w.users[M].pk, "horizon": "h1"}


HTML_SAMPLES = {
    "pipeline:initiative_list": Probe("pipeline.browse"),
    "pipeline:initiative_promote": Probe("pipeline.manage", "post", data=_promote_form,
                                         allowed=302),
    "pipeline:initiative_detail": Probe("pipeline.browse", kwargs=_initiative,
                                        per_role={P: 404}),
    "pipeline:initiative_edit": Probe("pipeline.work", kwargs=_initiative,
                                      per_role=SHAPERS_ONLY),
    "pipeline:initiative_team_add": Probe(
        "pipeline.work", "post", kwargs=_initiative, allowed=302,
        data=lambda w: {"email": w.users[L].email, "role": "sponsor"}, per_role=SHAPERS_ONLY),
    "pipeline:initiative_team_remove": Probe("pipeline.work", "post", kwargs=_member,
                                             allowed=302, per_role=SHAPERS_ONLY),
}

API_SAMPLES = {
    f"GET {BASE}": Probe("pipeline.browse"),
    f"POST {BASE}": Probe("pipeline.manage", "post", allowed=201,
                          data=lambda w: {"idea_ids": [_built(w)["spare"].pk]}),
    f"GET {ONE}": Probe("pipeline.browse", kwargs=_initiative_id, per_role={P: 404}),
    f"PATCH {ONE}": Probe("pipeline.work", "patch", kwargs=_initiative_id,
                          data={"title": "SMED on every line"}, per_role=SHAPERS_ONLY),
    f"POST {ONE}/team": Probe(
        "pipeline.work", "post", kwargs=_initiative_id, allowed=201,
        data=lambda w: {"email": w.users[L].email, "role": "sponsor"}, per_role=SHAPERS_ONLY),
    f"DELETE {ONE}/team/{{member_id}}": Probe("pipeline.work", "delete", kwargs=_member_id,
                                              per_role=SHAPERS_ONLY),
}

# For tests/test_api_schema.py: one successful call each (path ids from PATH_OBJECTS).
API_SUCCESSES = {
    f"GET {BASE}": (C, None, 200),
    f"POST {BASE}": (M, lambda initiatives_spare_idea_id: {
        "idea_ids": [initiatives_spare_idea_id], "horizon": "h2", "projected_value": "12000.50"},
        201),
    f"GET {ONE}": (AU, None, 200),
    f"PATCH {ONE}": (C, {"summary": "Two workshops, then *standard work*.",
                         "projected_value": "8000"}, 200),
    f"POST {ONE}/team": (M, {"email": "leader@example.test", "role": "sponsor"}, 201),
    f"DELETE {ONE}/team/{{member_id}}": (C, None, 200),
}

# Every name is tied to one path ("<name> in <template>"): other pipeline areas name their own
# initiatives "initiative_id" too.
PATH_OBJECTS = {
    "initiatives_spare_idea_id": "spare",
    f"initiative_id in {ONE}": "initiative",
    f"initiative_id in {ONE}/team": "initiative",
    f"initiative_id in {ONE}/team/{{member_id}}": "initiative",
    f"member_id in {ONE}/team/{{member_id}}": "member",
}
