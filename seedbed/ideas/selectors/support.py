"""Support reads: what a person placed on a page of ideas, and their token budgets.

Pages never ask idea by idea: ``my_support(user, ideas)`` answers for a whole page with one
query (two when the page holds ideas of a tokens-mode challenge). It does not decide who may
see an idea; callers pass ideas that came from the visibility selectors.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import IntegerField, Value

from seedbed import policy
from seedbed.ideas.models import Challenge, CoAuthor, Idea, SupportBudget, Vote

_CLOSED_FOR_GOOD = {
    Idea.Status.DRAFT: "Drafts take support once submitted.",
    Idea.Status.MERGED: "Merged into another idea.",
    Idea.Status.DECLINED: "Declined: no longer takes support.",
}


@dataclass(frozen=True)
class SupportState:
    """Everything the vote widget of one idea needs, computed without a query."""

    idea: Idea
    mode: str  # Challenge.VotingMode
    tokens: int  # what this person placed (1 or 0 in support mode)
    can_vote: bool  # the role takes part and the idea takes support from this person now
    reason: str  # why not, when the widget shows no control
    budget: int | None = None  # tokens mode: the person's budget in the challenge …
    remaining: int | None = None  # … and what is left of it

    @property
    def supported(self) -> bool:
        return self.tokens > 0

    @property
    def tokens_mode(self) -> bool:
        return self.mode == Challenge.VotingMode.TOKENS

    @property
    def can_add(self) -> bool:
        return self.can_vote and self.remaining is not None and self.remaining > 0 \
            and self.tokens < (self.budget or 0)


class MySupport(dict):
    """``{idea id: tokens placed}`` for one page of ideas (so ``idea.pk in voted`` still reads
    as before), plus what the vote widgets of that page need: the ideas this person co-authors
    and what is left of their budget in each tokens-mode challenge."""

    def __init__(self, user, placed: dict[int, int], coauthored: set[int],
                 spent: dict[int, int]):
        super().__init__(placed)
        self.user = user
        self.coauthored = coauthored
        self.spent = spent
        self.takes_part = policy.can(user, "idea.contribute")

    def state(self, idea: Idea) -> SupportState:
        challenge = idea.challenge if idea.challenge_id else None
        mode = challenge.voting_mode if challenge else Challenge.VotingMode.SUPPORT
        tokens = self.get(idea.pk, 0)
        reason = ""
        if not self.takes_part:
            reason = "Only participants vote."
        elif idea.status in _CLOSED_FOR_GOOD:
            reason = _CLOSED_FOR_GOOD[idea.status]
        elif challenge is not None and not challenge.accepts_ideas():
            reason = "Voting is closed: the challenge is not open."
        elif idea.author_id == self.user.pk or idea.pk in self.coauthored:
            reason = "Your own idea."
        budget = remaining = None
        if mode == Challenge.VotingMode.TOKENS:
            budget = challenge.token_budget
            remaining = max(budget - self.spent.get(challenge.pk, 0), 0)
        return SupportState(idea=idea, mode=mode, tokens=tokens, can_vote=not reason,
                            reason=reason, budget=budget, remaining=remaining)


def my_support(user, ideas) -> MySupport:
    """What this person placed on these ideas, and what the vote widgets need to know."""
    ideas = list(ideas)
    if not user.is_authenticated or not ideas:
        return MySupport(user, {}, set(), {})
    ids = [idea.pk for idea in ideas]
    # One query for both: a vote row carries its tokens (always >= 1); an accepted
    # co-authorship comes back with 0, which no vote can have.
    votes = (Vote.objects.filter(voter=user, idea_id__in=ids).order_by()
             .values_list("idea_id", "tokens"))
    coauthorships = (CoAuthor.objects
                     .filter(user=user, idea_id__in=ids, status=CoAuthor.Status.ACCEPTED)
                     .order_by()
                     .annotate(mark=Value(0, output_field=IntegerField()))
                     .values_list("idea_id", "mark"))
    placed: dict[int, int] = {}
    coauthored: set[int] = set()
    for idea_id, tokens in votes.union(coauthorships, all=True):
        if tokens:
            placed[idea_id] = tokens
        else:
            coauthored.add(idea_id)
    tokens_challenges = {idea.challenge_id for idea in ideas if idea.challenge_id
                         and idea.challenge.voting_mode == Challenge.VotingMode.TOKENS}
    spent = dict(SupportBudget.objects.filter(voter=user, challenge_id__in=tokens_challenges)
                 .values_list("challenge_id", "spent")) if tokens_challenges else {}
    return MySupport(user, placed, coauthored, spent)


@dataclass(frozen=True)
class Budget:
    challenge: Challenge
    mode: str
    budget: int | None
    spent: int
    ideas_supported: int

    @property
    def remaining(self) -> int | None:
        return None if self.budget is None else max(self.budget - self.spent, 0)


def my_budget(user, challenge: Challenge) -> Budget:
    """This person's support in one challenge (the challenge comes from the visibility
    selectors). In support mode there is no budget: ``spent`` counts the ideas supported."""
    supported = Vote.objects.filter(voter=user, idea__challenge=challenge)
    if challenge.voting_mode == Challenge.VotingMode.TOKENS:
        row = SupportBudget.objects.filter(voter=user, challenge=challenge).values_list(
            "spent", flat=True).first()
        return Budget(challenge, challenge.voting_mode, challenge.token_budget, row or 0,
                      supported.count())
    count = supported.count()
    return Budget(challenge, challenge.voting_mode, None, count, count)
