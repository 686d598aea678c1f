"""Probes for co-creation: following, experts found by competency, people's profiles.

(The comment routes themselves are probed in tests/test_access_matrix.py.)"""

from __future__ import annotations

from seedbed import policy
from tests.matrix._base import Probe

A, M, L, E, C, P, AU = policy.ROLES

# The world's idea is internal (partners cannot see it: 404). Only its authors and those who
# run the IMS invite experts: a leader or an evaluator who may see the idea is refused (403).
NOT_INVITERS = {L: 403, E: 403, P: 404}


def build(users, org) -> dict:
    from seedbed.accounts.models import Competency, User
    from seedbed.ideas import actions
    from tests.support import new_challenge

    manager = users[M]
    competency = Competency.objects.create(name="Packaging engineering (matrix)")
    # Someone who is none of the probing roles writes the ideas, so no probing role follows
    # them as their author.
    author = User.objects.create_user("ada.author@example.test", "x" * 12,
                                      full_name="Ada Author", role=policy.CONTRIBUTOR,
                                      org_unit=org["root"])
    expert = User.objects.create_user("priya.expert@example.test", "x" * 12,
                                      full_name="Priya Expert", role=policy.CONTRIBUTOR,
                                      org_unit=org["sales"])
    expert.competencies.add(competency)
    challenge = actions.open_challenge(manager, new_challenge(
        manager, title="Returnable packaging", description="Which packs could come back?"))
    unfollowed = actions.submit_idea(author, challenge, title="Crate pool",
                                     description="Share crates with two other suppliers.")
    followed = actions.submit_idea(author, challenge, title="Deposit trays",
                                   description="A small deposit on every tray.")
    for role in (A, M, L, E, C):
        actions.follow_idea(users[role], followed)
    return {"unfollowed": unfollowed, "followed": followed, "expert": expert,
            "competency": competency, "person": users[C]}


def _area(w) -> dict:
    return w.extra["ideas_discussion"]


HTML_SAMPLES = {
    "ideas:idea_follow": Probe(
        "idea.contribute", "post", kwargs=lambda w: {"pk": _area(w)["unfollowed"].pk},
        data={"follow": "1"}, allowed=302, per_role={P: 404}),
    "ideas:idea_experts": Probe(
        "idea.contribute", kwargs=lambda w: {"pk": w.idea.pk}, per_role=NOT_INVITERS),
    "ideas:idea_expert_invite": Probe(
        "idea.contribute", "post", kwargs=lambda w: {"pk": w.idea.pk},
        data=lambda w: {"expert_id": str(_area(w)["expert"].pk),
                        "message": "You ran the tray trials."},
        allowed=302, per_role=NOT_INVITERS),
    # Partners open only the profiles of people they have met in their invited challenges.
    "ideas:person_detail": Probe(
        "idea.browse", kwargs=lambda w: {"pk": w.users[C].pk}, per_role={P: 404}),
}

API_SAMPLES = {
    "POST /api/v1/ideas/{idea_id}/follow": Probe(
        "idea.contribute", "post", kwargs=lambda w: {"idea_id": _area(w)["unfollowed"].pk},
        per_role={P: 404}),
    "DELETE /api/v1/ideas/{idea_id}/follow": Probe(
        "idea.contribute", "delete", kwargs=lambda w: {"idea_id": _area(w)["followed"].pk},
        per_role={P: 404}),
    "GET /api/v1/ideas/{idea_id}/experts": Probe(
        "idea.browse", kwargs=lambda w: {"idea_id": w.idea.pk}, per_role={P: 404}),
    "POST /api/v1/ideas/{idea_id}/experts": Probe(
        "idea.contribute", "post", allowed=201, kwargs=lambda w: {"idea_id": w.idea.pk},
        data=lambda w: {"expert_id": _area(w)["expert"].pk,
                        "competency_id": _area(w)["competency"].pk},
        per_role=NOT_INVITERS),
    "GET /api/v1/ideas/{idea_id}/expert-candidates": Probe(
        "idea.contribute", kwargs=lambda w: {"idea_id": w.idea.pk}, per_role=NOT_INVITERS),
    "GET /api/v1/people/{person_id}": Probe(
        "idea.browse", kwargs=lambda w: {"person_id": w.users[C].pk}, per_role={P: 404}),
}

# For tests/test_api_schema.py: one successful call per operation, on the fixture idea (written
# by the contributor).
API_SUCCESSES = {
    "POST /api/v1/ideas/{idea_id}/follow": (policy.EVALUATOR, None, 200),
    "DELETE /api/v1/ideas/{idea_id}/follow": (policy.LEADER, None, 200),
    "GET /api/v1/ideas/{idea_id}/experts": (policy.AUDITOR, None, 200),
    "POST /api/v1/ideas/{idea_id}/experts": (
        policy.CONTRIBUTOR, lambda expert_id, competency_id: {
            "expert_id": expert_id, "competency_id": competency_id,
            "message": "You ran the tray trials."}, 201),
    "GET /api/v1/ideas/{idea_id}/expert-candidates": (policy.MANAGER, None, 200),
    "GET /api/v1/people/{person_id}": (policy.EVALUATOR, None, 200),
}

PATH_OBJECTS = {"expert_id": "expert", "competency_id": "competency", "person_id": "person"}
