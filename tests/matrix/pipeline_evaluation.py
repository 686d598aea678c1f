"""Probes for evaluation: initiative and idea evaluation pages, assigning and withdrawing
evaluators, scoring and declaring a conflict, "my evaluations", the comparison and the challenge
scorecard editor (seedbed/pipeline/{views,api}/evaluation.py).

Ideas and initiatives here are written by someone outside the probing roles and led by the
manager, so only the manager is conflicted (and never evaluates in these probes). The pending
evaluation belongs to the evaluator: anyone else who may evaluate is told 404 (it is not theirs
to see). Everything is internal: the partner, on no team, gets 404.
"""

from __future__ import annotations

from tests.matrix._base import Probe

A, M, L, E, C, P, AU = "admin", "manager", "leader", "evaluator", "contributor", "partner", \
    "auditor"
API = "/api/v1/pipeline"
SCORES = {"strategic_fit": 4, "value_potential": 3, "feasibility": 4, "risk": 2, "effort": 3}
NOT_THEIRS = {A: 404, M: 404, L: 404, C: 404}


def build(users, org) -> dict:
    from seedbed.accounts.models import User
    from seedbed.ideas import actions as idea_actions
    from seedbed.pipeline.actions import evaluation as actions
    from tests.support import new_challenge, new_initiative

    manager = users[M]
    author = User.objects.create_user("olive.author@example.test", "x" * 12,
                                      full_name="Olive Author", role=C, org_unit=org["ops"])
    free = User.objects.create_user("fred.free@example.test", "x" * 12, full_name="Fred Free",
                                    role=E, org_unit=org["ops"])
    challenge = idea_actions.open_challenge(manager, new_challenge(
        manager, title="Fresher sauces", description="Longer life without preservatives."))
    actions.create_challenge_scorecard(manager, challenge, standard=True)
    criterion = challenge.scorecard.criteria.get(key="effort")

    def idea(title: str):
        return idea_actions.submit_idea(author, challenge, title=title,
                                        description=f"{title}, described.")

    scored_idea = idea("Vacuum cooling")
    first = new_initiative(manager, idea("High-pressure processing"))
    second = new_initiative(manager, idea("Clean-label thickener"))
    pending, = actions.assign_evaluators(manager, first, [users[E]])
    done, = actions.assign_evaluators(manager, second, [users[L]])
    actions.submit_evaluation(users[L], done, scores=SCORES, comment="Promising.")
    return {"challenge": challenge, "criterion": criterion, "idea": scored_idea,
            "initiative": first, "scored": second, "pending": pending, "free": free}


def _built(w) -> dict:
    return w.extra["pipeline_evaluation"]


def _pk(key: str):
    return lambda w: {"pk": _built(w)[key].pk}


def _assign(w) -> dict:
    return {"evaluator_ids": [str(_built(w)["free"].pk)]}


def _score_form(w) -> dict:
    return {f"score_{k}": str(v) for k, v in SCORES.items()}


HTML_SAMPLES = {
    "pipeline:initiative_evaluation": Probe("pipeline.browse", kwargs=_pk("initiative"),
                                            per_role={P: 404}),
    "pipeline:initiative_assign": Probe("pipeline.manage", "post", kwargs=_pk("initiative"),
                                        data=_assign, allowed=302),
    "pipeline:idea_evaluation": Probe("pipeline.browse", kwargs=_pk("idea"), per_role={P: 404}),
    "pipeline:idea_assign": Probe("pipeline.manage", "post", kwargs=_pk("idea"), data=_assign,
                                  allowed=302),
    "pipeline:my_evaluations": Probe("pipeline.evaluate"),
    "pipeline:evaluation_submit": Probe("pipeline.evaluate", "post", kwargs=_pk("pending"),
                                        data=_score_form, allowed=302, per_role=NOT_THEIRS),
    "pipeline:evaluation_conflict": Probe(
        "pipeline.evaluate", "post", kwargs=_pk("pending"), allowed=302, per_role=NOT_THEIRS,
        data={"note": "My partner runs the supplier."}),
    "pipeline:evaluation_withdraw": Probe("pipeline.manage", "post", kwargs=_pk("pending"),
                                          allowed=302),
    # The picker (a choice in the query string is tested in test_evaluation_web.py: the
    # matrix's sign-in redirect is checked without one).
    "pipeline:compare": Probe("pipeline.browse"),
    "pipeline:challenge_scorecard": Probe("pipeline.manage", kwargs=_pk("challenge")),
    "pipeline:scorecard_criterion_create": Probe("pipeline.manage", kwargs=_pk("challenge")),
    "pipeline:scorecard_criterion_edit": Probe("pipeline.manage", kwargs=_pk("criterion")),
    "pipeline:scorecard_criterion_remove": Probe("pipeline.manage", "post",
                                                 kwargs=_pk("criterion"), allowed=302),
}


def _id(name: str, key: str):
    return lambda w: {name: _built(w)[key].pk}


CARD = f"{API}/challenges/{{challenge_id}}/scorecard"
CRITERION = f"{API}/scorecard-criteria/{{criterion_id}}"
INITIATIVE = f"{API}/initiatives/{{initiative_id}}"
IDEA = f"{API}/ideas/{{idea_id}}"
EVALUATION = f"{API}/evaluations/{{evaluation_id}}"

API_SAMPLES = {
    f"GET {CARD}": Probe("pipeline.browse", kwargs=_id("challenge_id", "challenge"),
                         per_role={P: 404}),
    f"PUT {CARD}": Probe("pipeline.manage", "put", kwargs=_id("challenge_id", "challenge"),
                         data={"name": "Sauce ideas", "blind": True}),
    f"POST {CARD}/criteria": Probe("pipeline.manage", "post", allowed=201,
                                   kwargs=_id("challenge_id", "challenge"),
                                   data={"name": "Shelf life gained", "weight": "2"}),
    f"PATCH {CRITERION}": Probe("pipeline.manage", "patch", data={"weight": "1.5"},
                                kwargs=_id("criterion_id", "criterion")),
    f"DELETE {CRITERION}": Probe("pipeline.manage", "delete",
                                 kwargs=_id("criterion_id", "criterion")),
    f"GET {INITIATIVE}/evaluation": Probe("pipeline.browse",
                                          kwargs=_id("initiative_id", "initiative"),
                                          per_role={P: 404}),
    f"POST {INITIATIVE}/evaluators": Probe(
        "pipeline.manage", "post", allowed=201, kwargs=_id("initiative_id", "initiative"),
        data=lambda w: {"evaluator_ids": [_built(w)["free"].pk]}),
    f"GET {INITIATIVE}/evaluator-suggestions": Probe(
        "pipeline.manage", kwargs=_id("initiative_id", "initiative")),
    f"GET {IDEA}/evaluation": Probe("pipeline.browse", kwargs=_id("idea_id", "idea"),
                                    per_role={P: 404}),
    f"POST {IDEA}/evaluators": Probe(
        "pipeline.manage", "post", allowed=201, kwargs=_id("idea_id", "idea"),
        data=lambda w: {"evaluator_ids": [_built(w)["free"].pk]}),
    f"GET {IDEA}/evaluator-suggestions": Probe("pipeline.manage", kwargs=_id("idea_id", "idea")),
    f"GET {API}/evaluations/mine": Probe("pipeline.evaluate"),
    f"POST {EVALUATION}/submit": Probe(
        "pipeline.evaluate", "post", kwargs=_id("evaluation_id", "pending"),
        data={"scores": [{"criterion": k, "value": v} for k, v in SCORES.items()]},
        per_role=NOT_THEIRS),
    f"POST {EVALUATION}/conflict": Probe(
        "pipeline.evaluate", "post", kwargs=_id("evaluation_id", "pending"),
        data={"note": "My partner runs the supplier."}, per_role=NOT_THEIRS),
    f"DELETE {EVALUATION}": Probe("pipeline.manage", "delete",
                                  kwargs=_id("evaluation_id", "pending")),
    # Nothing chosen: an empty comparison, which reveals nothing (the partner too).
    f"GET {API}/compare": Probe("pipeline.browse"),
}

# tests/test_api_schema.py: one documented success each (path ids from PATH_OBJECTS).
API_SUCCESSES = {
    f"GET {CARD}": (C, None, 200),
    f"PUT {CARD}": (M, {"name": "Sauce ideas", "blind": False}, 200),
    f"POST {CARD}/criteria": (A, {"name": "Shelf life gained", "weight": "2", "min_score": 0,
                                  "max_score": 10}, 201),
    f"PATCH {CRITERION}": (M, {"name": "Effort and cost", "weight": "1.5"}, 200),
    f"DELETE {CRITERION}": (M, None, 200),
    f"GET {INITIATIVE}/evaluation": (L, None, 200),
    f"POST {INITIATIVE}/evaluators": (M, lambda evaluation_free_person_id: {
        "evaluator_ids": [evaluation_free_person_id]}, 201),
    f"GET {INITIATIVE}/evaluator-suggestions": (A, None, 200),
    f"GET {IDEA}/evaluation": (AU, None, 200),
    f"POST {IDEA}/evaluators": (M, lambda evaluation_free_person_id: {
        "evaluator_ids": [evaluation_free_person_id]}, 201),
    f"GET {IDEA}/evaluator-suggestions": (M, None, 200),
    f"GET {API}/evaluations/mine": (E, None, 200),
    f"POST {EVALUATION}/submit": (E, {"scores": [
        {"criterion": k, "value": v, "note": "Seen at Leeds."} for k, v in SCORES.items()],
        "comment": "Worth a pilot."}, 200),
    f"POST {EVALUATION}/conflict": (E, {"note": "My partner runs the supplier."}, 200),
    f"DELETE {EVALUATION}": (A, None, 200),
    f"GET {API}/compare": (C, None, 200),
}

PATH_OBJECTS = {
    f"challenge_id in {CARD}": "challenge",
    f"challenge_id in {CARD}/criteria": "challenge",
    f"criterion_id in {CRITERION}": "criterion",
    f"initiative_id in {INITIATIVE}/evaluation": "scored",
    f"initiative_id in {INITIATIVE}/evaluators": "initiative",
    f"initiative_id in {INITIATIVE}/evaluator-suggestions": "initiative",
    f"idea_id in {IDEA}/evaluation": "idea",
    f"idea_id in {IDEA}/evaluators": "idea",
    f"idea_id in {IDEA}/evaluator-suggestions": "idea",
    "evaluation_id": "pending",
    "evaluation_free_person_id": "free",
}
