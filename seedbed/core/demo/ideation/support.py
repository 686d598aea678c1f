"""Support in the demo: colleagues spread their tokens over the ideas of the healthier-recipes
challenge (voting mode "tokens"), some pouring their budget into one favourite, others
spreading it thin; and the partner account (Kestrel Packaging) supports ideas in the
open-innovation packaging challenge it is invited to.

Runs after the challenges and their ideas exist (``ideation.challenges``), through the
actions, so the counters, budgets and audit trail agree. Needs ``ctx["users"]`` (by person
key; the role accounts under their role names) and ``ctx["challenges"]`` (by seed key, from
the challenges demo). Returns ``{"token_votes": int, "tokens": int, "partner_votes": int}``.
"""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.ideas import actions
from seedbed.ideas import selectors as idea_selectors
from seedbed.ideas.models import Challenge, Idea

# How people tend to spend ten tokens: all-in on a favourite, a split, or a spread.
SPREADS: tuple[tuple[int, ...], ...] = (
    (4, 3, 2, 1), (6, 4), (2, 2, 2, 2, 2), (5, 3, 2), (10,), (3, 3, 2, 1), (7, 2),
)
TOKENS_CHALLENGE = "healthy"
OPEN_INNOVATION_CHALLENGE = "packaging"


def _ideas(challenge: Challenge) -> list[Idea]:
    return list(idea_selectors.listed(challenge.ideas.all()).order_by("created_at", "id"))


def _may_support(user, idea: Idea) -> bool:
    return (policy.can(user, "idea.contribute") and idea.author_id != user.pk
            and idea_selectors.visible_ideas(user).filter(pk=idea.pk).exists())


def _spread_tokens(challenge: Challenge | None, users: dict) -> tuple[int, int]:
    if challenge is None or challenge.voting_mode != Challenge.VotingMode.TOKENS \
            or not challenge.accepts_ideas():
        return 0, 0
    ideas = _ideas(challenge)
    rng = random.Random(f"support:{challenge.pk}")  # noqa: S311 (demo content, not security)
    votes = tokens = 0
    for index, user in enumerate(sorted(users.values(), key=lambda u: u.email)):
        candidates = [idea for idea in ideas if _may_support(user, idea)]
        if not candidates:
            continue
        spread = SPREADS[index % len(SPREADS)]
        # Whatever the person placed before (a single token from a quick "support") is
        # replaced by their considered choice.
        for idea in candidates:
            actions.set_tokens(user, idea, 0)
        for idea, n in zip(rng.sample(candidates, min(len(spread), len(candidates))), spread,
                           strict=False):
            try:
                actions.set_tokens(user, idea, min(n, challenge.token_budget))
            except (StateConflict, ValidationError):
                continue  # the budget is spent: the demo never overspends either
            votes += 1
            tokens += n
    return votes, tokens


def _partner_support(challenge: Challenge | None, partner) -> int:
    if challenge is None or not challenge.accepts_ideas():
        return 0
    supported = 0
    for idea in _ideas(challenge)[:3]:
        if _may_support(partner, idea):
            actions.set_tokens(partner, idea, 1)  # support mode: 1 supports, idempotent
            supported += 1
    return supported


def build(ctx: dict) -> dict:
    users, challenges = ctx["users"], ctx["challenges"]
    token_votes, tokens = _spread_tokens(challenges.get(TOKENS_CHALLENGE), users)
    partner_votes = _partner_support(challenges.get(OPEN_INNOVATION_CHALLENGE),
                                     users[policy.PARTNER])
    return {"token_votes": token_votes, "tokens": tokens, "partner_votes": partner_votes}
