"""Probes for support (voting): the token stepper and the budget.

The probes use an open-innovation challenge in tokens mode to which the partner's organisation
is invited, with an idea by someone outside the role accounts: every participant, the partner
included, succeeds (the partner rows of the matrix); auditors only read.
"""

from __future__ import annotations

from tests.matrix._base import Probe


def build(users, org) -> dict:
    from seedbed.accounts.models import User
    from seedbed.ideas import actions
    from tests.support import new_challenge

    challenge = new_challenge(
        users["manager"], title="Longer shelf life for fresh soups",
        description="How could our chilled soups keep **five more days** without additives?",
        partner_orgs=[users["partner"].partner_org], voting_mode="tokens", token_budget=5)
    challenge = actions.open_challenge(users["manager"], challenge)
    author = User.objects.create_user(
        "soup-author@example.test", "x" * 12, full_name="Soup Author", role="contributor",
        org_unit=org["ops"])
    idea = actions.submit_idea(author, challenge, title="High-pressure processing",
                               description="Pasteurise sealed pots with pressure, not heat.")
    return {"challenge": challenge, "idea": idea, "author": author}


def _idea(w) -> dict:
    return {"pk": w.extra["ideas_support"]["idea"].pk}


HTML_SAMPLES = {
    "ideas:idea_tokens": Probe("idea.contribute", "post", kwargs=_idea, data={"tokens": "2"},
                               allowed=302),
}

API_SAMPLES = {
    "PUT /api/v1/ideas/{idea_id}/tokens": Probe(
        "idea.contribute", "put", data={"tokens": 3},
        kwargs=lambda w: {"idea_id": w.extra["ideas_support"]["idea"].pk}),
    "GET /api/v1/challenges/{challenge_id}/my-budget": Probe(
        "idea.contribute",
        kwargs=lambda w: {"challenge_id": w.extra["ideas_support"]["challenge"].pk}),
}

# tests/test_api_schema.py: one documented success each (on the fixture idea, support mode).
API_SUCCESSES = {
    "PUT /api/v1/ideas/{idea_id}/tokens": ("evaluator", {"tokens": 1}, 200),
    "GET /api/v1/challenges/{challenge_id}/my-budget": ("contributor", None, 200),
}
