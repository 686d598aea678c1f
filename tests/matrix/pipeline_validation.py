"""Probes for validation: the assumptions ledger, experiments and the risk register.

The probed initiative is not confidential; the manager leads it and the contributor is on its
team, so both (and the admin, who runs the IMS) may work on it; the leader and the evaluator
see it but may not work on it (403); the partner is not on its team (404)."""

from __future__ import annotations

from tests.matrix._base import Probe

A, M, L, E, C, P, AU = "admin", "manager", "leader", "evaluator", "contributor", "partner", \
    "auditor"
API = "/api/v1/pipeline"


def build(users, org) -> dict:
    from seedbed.ideas import actions as idea_actions
    from seedbed.pipeline.actions import validation as actions
    from seedbed.pipeline.models import TeamMember
    from tests.support import new_challenge, new_initiative

    manager = users[M]
    challenge = idea_actions.open_challenge(manager, new_challenge(
        manager, title="Fresher soups", description="Longer chilled life for our soups."))
    idea = idea_actions.submit_idea(users[C], challenge, title="High-pressure pasteurising",
                                    description="Pasteurise sealed pots with pressure.")
    initiative = new_initiative(manager, idea, lead=manager)
    TeamMember.objects.create(initiative=initiative, user=users[C], added_by=manager)
    critical = actions.create_assumption(
        manager, initiative, statement="Shoppers pay 30p more for 10 more days of life",
        kind="viability", importance=5)
    spare = actions.create_assumption(manager, initiative, statement="Retailers want it",
                                      kind="desirability", importance=2)
    experiment = actions.create_experiment(
        manager, initiative, hypothesis="A 30p premium keeps 80 % of buyers",
        method="Price test in two stores", assumptions=[critical])
    spare_experiment = actions.create_experiment(manager, initiative,
                                                 hypothesis="Chefs notice no change in taste")
    risk = actions.create_risk(manager, initiative, title="HPP toll capacity is short",
                               likelihood=3, impact=4, owner=manager)
    spare_risk = actions.create_risk(manager, initiative, title="Typo", likelihood=1, impact=1)
    return {"initiative": initiative, "assumption": critical, "spare": spare,
            "experiment": experiment, "spare_experiment": spare_experiment, "risk": risk,
            "spare_risk": spare_risk, "owner": users[C]}


def _x(key: str, name: str = "pk"):
    return lambda w: {name: w.extra["pipeline_validation"][key].pk}


def _ids(key: str):
    return lambda w: w.extra["pipeline_validation"][key].pk


# Who may work on the probed initiative (see the docstring); the auditor's rule refuses it.
WORKERS = {A: 302, M: 302, C: 302, L: 403, E: 403, P: 404}
API_WORKERS = {A: 200, M: 200, C: 200, L: 403, E: 403, P: 404}
API_CREATORS = {A: 201, M: 201, C: 201, L: 403, E: 403, P: 404}
HIDDEN_FROM_PARTNER = {P: 404}

HTML_SAMPLES = {
    "pipeline:initiative_validation": Probe("pipeline.browse", kwargs=_x("initiative"),
                                            per_role=HIDDEN_FROM_PARTNER),
    "pipeline:initiative_risks": Probe("pipeline.browse", kwargs=_x("initiative"),
                                       per_role=HIDDEN_FROM_PARTNER),
    "pipeline:assumption_create": Probe(
        "pipeline.work", "post", kwargs=_x("initiative"), per_role=WORKERS,
        data={"statement": "The line can run HPP pots at 60 a minute", "kind": "feasibility",
              "importance": "4", "evidence": "0", "status": "untested"}),
    "pipeline:assumption_edit": Probe(
        "pipeline.work", "post", kwargs=_x("assumption"), per_role=WORKERS,
        data={"statement": "Shoppers pay 25p more for 10 more days", "kind": "viability",
              "importance": "5", "evidence": "0", "status": "untested"}),
    "pipeline:assumption_delete": Probe("pipeline.work", "post", kwargs=_x("spare"),
                                        per_role=WORKERS),
    "pipeline:experiment_create": Probe(
        "pipeline.work", "post", kwargs=_x("initiative"), per_role=WORKERS,
        data=lambda w: {"hypothesis": "Nine in ten pots pass a day-30 micro test",
                        "status": "planned", "assumptions": [_ids("assumption")(w)]}),
    "pipeline:experiment_edit": Probe(
        "pipeline.work", "post", kwargs=_x("experiment"), per_role=WORKERS,
        data=lambda w: {"hypothesis": "A 30p premium keeps 75 % of buyers",
                        "method": "Price test in two stores", "status": "running",
                        "assumptions": [_ids("assumption")(w)]}),
    "pipeline:experiment_conclude": Probe(
        "pipeline.work", "post", kwargs=_x("experiment"), per_role=WORKERS,
        data={"status": "succeeded", "result": "82 % kept buying.",
              "learning": "Price is not the barrier; shelf space is."}),
    "pipeline:experiment_delete": Probe("pipeline.work", "post", kwargs=_x("spare_experiment"),
                                        per_role=WORKERS),
    "pipeline:risk_create": Probe(
        "pipeline.work", "post", kwargs=_x("initiative"), per_role=WORKERS,
        data={"title": "Pots crack under pressure", "likelihood": "2", "impact": "4",
              "treatment": "reduce", "treatment_plan": "Trial two pot suppliers.",
              "status": "open", "owner": ""}),
    "pipeline:risk_edit": Probe(
        "pipeline.work", "post", kwargs=_x("risk"), per_role=WORKERS,
        data={"title": "HPP toll capacity is short", "likelihood": "4", "impact": "4",
              "treatment": "transfer", "treatment_plan": "Second toll processor on contract.",
              "status": "open", "owner": ""}),
    "pipeline:risk_delete": Probe("pipeline.work", "post", kwargs=_x("spare_risk"),
                                  per_role=WORKERS),
}

ASSUMPTION = {"statement": "Retail buyers list it in 2 chains", "kind": "desirability",
              "importance": 4}
RISK = {"title": "Allergen cross-contact at the toll site", "likelihood": 2, "impact": 5,
        "treatment": "reduce", "treatment_plan": "Audit the site's allergen controls."}

API_SAMPLES = {
    f"GET {API}/initiatives/{{initiative_id}}/assumptions": Probe(
        "pipeline.browse", kwargs=_x("initiative", "initiative_id"),
        per_role=HIDDEN_FROM_PARTNER),
    f"POST {API}/initiatives/{{initiative_id}}/assumptions": Probe(
        "pipeline.work", "post", kwargs=_x("initiative", "initiative_id"),
        per_role=API_CREATORS, data=ASSUMPTION),
    f"GET {API}/assumptions/{{assumption_id}}": Probe(
        "pipeline.browse", kwargs=_x("assumption", "assumption_id"),
        per_role=HIDDEN_FROM_PARTNER),
    f"PATCH {API}/assumptions/{{assumption_id}}": Probe(
        "pipeline.work", "patch", kwargs=_x("assumption", "assumption_id"),
        per_role=API_WORKERS, data={"importance": 4}),
    f"DELETE {API}/assumptions/{{assumption_id}}": Probe(
        "pipeline.work", "delete", kwargs=_x("spare", "assumption_id"), per_role=API_WORKERS),
    f"GET {API}/initiatives/{{initiative_id}}/experiments": Probe(
        "pipeline.browse", kwargs=_x("initiative", "initiative_id"),
        per_role=HIDDEN_FROM_PARTNER),
    f"POST {API}/initiatives/{{initiative_id}}/experiments": Probe(
        "pipeline.work", "post", kwargs=_x("initiative", "initiative_id"),
        per_role=API_CREATORS,
        data=lambda w: {"hypothesis": "Two chains list it after one tasting",
                        "assumption_ids": [_ids("assumption")(w)]}),
    f"GET {API}/experiments/{{experiment_id}}": Probe(
        "pipeline.browse", kwargs=_x("experiment", "experiment_id"),
        per_role=HIDDEN_FROM_PARTNER),
    f"PATCH {API}/experiments/{{experiment_id}}": Probe(
        "pipeline.work", "patch", kwargs=_x("experiment", "experiment_id"),
        per_role=API_WORKERS, data={"status": "running"}),
    f"POST {API}/experiments/{{experiment_id}}/conclude": Probe(
        "pipeline.work", "post", kwargs=_x("experiment", "experiment_id"),
        per_role=API_WORKERS,
        data={"status": "failed", "learning": "Buyers switch to the cheaper own label."}),
    f"DELETE {API}/experiments/{{experiment_id}}": Probe(
        "pipeline.work", "delete", kwargs=_x("spare_experiment", "experiment_id"),
        per_role=API_WORKERS),
    f"GET {API}/initiatives/{{initiative_id}}/risks": Probe(
        "pipeline.browse", kwargs=_x("initiative", "initiative_id"),
        per_role=HIDDEN_FROM_PARTNER),
    f"POST {API}/initiatives/{{initiative_id}}/risks": Probe(
        "pipeline.work", "post", kwargs=_x("initiative", "initiative_id"),
        per_role=API_CREATORS, data=RISK),
    f"GET {API}/risks/{{risk_id}}": Probe(
        "pipeline.browse", kwargs=_x("risk", "risk_id"), per_role=HIDDEN_FROM_PARTNER),
    f"PATCH {API}/risks/{{risk_id}}": Probe(
        "pipeline.work", "patch", kwargs=_x("risk", "risk_id"), per_role=API_WORKERS,
        data={"status": "closed"}),
    f"DELETE {API}/risks/{{risk_id}}": Probe(
        "pipeline.work", "delete", kwargs=_x("spare_risk", "risk_id"), per_role=API_WORKERS),
}

# tests/test_api_schema.py: one documented success each (ids from PATH_OBJECTS below).
API_SUCCESSES = {
    f"GET {API}/initiatives/{{initiative_id}}/assumptions": (AU, None, 200),
    f"POST {API}/initiatives/{{initiative_id}}/assumptions": (C, ASSUMPTION, 201),
    f"GET {API}/assumptions/{{assumption_id}}": (L, None, 200),
    f"PATCH {API}/assumptions/{{assumption_id}}": (
        M, {"status": "supported", "evidence": 1}, 200),
    f"DELETE {API}/assumptions/{{assumption_id}}": (C, None, 200),
    f"GET {API}/initiatives/{{initiative_id}}/experiments": (E, None, 200),
    f"POST {API}/initiatives/{{initiative_id}}/experiments": (
        C, lambda validation_assumption_id: {
            "hypothesis": "Two chains list it after one tasting", "method": "Buyer tastings",
            "metric": "Listings", "success_threshold": "2 of 3 chains",
            "starts_on": "2030-03-01", "ends_on": "2030-04-30",
            "assumption_ids": [validation_assumption_id]}, 201),
    f"GET {API}/experiments/{{experiment_id}}": (AU, None, 200),
    f"PATCH {API}/experiments/{{experiment_id}}": (
        A, {"status": "running", "starts_on": "2030-01-10"}, 200),
    f"POST {API}/experiments/{{experiment_id}}/conclude": (
        M, {"status": "succeeded", "result": "82 % kept buying.",
            "learning": "Price is not the barrier."}, 200),
    f"DELETE {API}/experiments/{{experiment_id}}": (M, None, 200),
    f"GET {API}/initiatives/{{initiative_id}}/risks": (L, None, 200),
    f"POST {API}/initiatives/{{initiative_id}}/risks": (
        M, lambda validation_owner_id: {**RISK, "owner_id": validation_owner_id}, 201),
    f"GET {API}/risks/{{risk_id}}": (E, None, 200),
    f"PATCH {API}/risks/{{risk_id}}": (C, {"likelihood": 5, "treatment": "accept"}, 200),
    f"DELETE {API}/risks/{{risk_id}}": (A, None, 200),
}

# Keyed "<name> in <path>" so that other modules' ids of the same name never collide.
PATH_OBJECTS = {
    **{f"initiative_id in {API}/initiatives/{{initiative_id}}/{records}": "initiative"
       for records in ("assumptions", "experiments", "risks")},
    # Deletable (no experiment tests it).
    f"assumption_id in {API}/assumptions/{{assumption_id}}": "spare",
    # Planned: editable, concludable and deletable.
    **{f"experiment_id in {API}/experiments/{{experiment_id}}{tail}": "experiment"
       for tail in ("", "/conclude")},
    f"risk_id in {API}/risks/{{risk_id}}": "risk",
    "validation_assumption_id": "assumption",
    "validation_owner_id": "owner",
}
