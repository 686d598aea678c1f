"""Support for ideas, per the challenge's voting mode: simple support (one per person, a
toggle) or a budget of tokens each participant spreads over the challenge's ideas.

Rules (docs: "Support and voting"):

- only submitted ideas that are still in play can be supported: not drafts, merged or
  declined ideas;
- an idea in a challenge can be supported while the challenge accepts ideas; an idea sent
  against a focus area (no challenge) always uses simple support and stays open;
- nobody supports their own idea (its author and accepted co-authors): a self-vote says
  nothing about the idea, and in tokens mode it would let people pour their budget into
  their own work;
- in tokens mode nobody spends more than ``Challenge.token_budget`` in one challenge, even
  with concurrent requests: the person's ``SupportBudget`` row is locked while tokens move,
  and its check constraint (spent <= budget) is the last line of defence.

Counters (``Idea.vote_count``: people, ``Idea.token_count``: tokens) change with F()
updates only, inside the same transaction as the vote row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Challenge, CoAuthor, Idea, SupportBudget, Vote

# Ideas nobody can support any more (or yet).
_NOT_SUPPORTABLE = {
    Idea.Status.DRAFT: ("A draft cannot be supported until it is submitted.", "idea_draft"),
    Idea.Status.MERGED: ("This idea was merged into another one: support that one instead.",
                         "idea_merged"),
    Idea.Status.DECLINED: ("This idea was declined and no longer takes support.",
                           "idea_declined"),
}


@dataclass(frozen=True)
class SupportResult:
    """Where things stand after a change: the person's tokens on the idea (1 or 0 in support
    mode), the idea's exact counters and, in tokens mode, the person's budget."""

    idea_id: int
    voting_mode: str
    tokens: int
    vote_count: int
    token_count: int
    budget: int | None = None
    spent: int | None = None

    @property
    def supported(self) -> bool:
        return self.tokens > 0

    @property
    def remaining(self) -> int | None:
        return None if self.budget is None else max(self.budget - self.spent, 0)


def _locked_idea(pk: int) -> Idea:
    # "of self": PostgreSQL cannot lock the nullable side of the outer join to the challenge
    # (ideas outside challenges have none); the idea row is the one that needs the lock.
    return Idea.objects.select_for_update(of=("self",)).select_related("challenge").get(pk=pk)


def voting_mode_of(idea: Idea) -> str:
    if idea.challenge_id is None:
        return Challenge.VotingMode.SUPPORT
    return idea.challenge.voting_mode


def _check_supportable(actor, idea: Idea, *, adding: bool) -> None:
    """Refuse support that the rules above forbid. Taking support back is allowed on a
    declined idea (so tokens are not stuck there) and on one's own idea (a co-author who
    supported it before joining)."""
    if idea.status in _NOT_SUPPORTABLE and (adding or idea.status != Idea.Status.DECLINED):
        raise StateConflict(*_NOT_SUPPORTABLE[idea.status])
    if idea.challenge_id is not None and not idea.challenge.accepts_ideas():
        raise StateConflict("Voting has closed for this challenge.", "challenge_not_open")
    if adding and (idea.author_id == actor.pk or CoAuthor.objects.filter(
            idea=idea, user=actor, status=CoAuthor.Status.ACCEPTED).exists()):
        raise StateConflict("You cannot support your own idea.", "own_idea")


def _touch(idea: Idea, now, *, added: bool) -> None:
    """Support is activity: it moves the idea's last-activity date and, when support is
    added (not withdrawn), its "trending" score (the feed's atomic bump)."""
    Idea.objects.filter(pk=idea.pk).update(last_activity_at=now)
    if added:
        from seedbed.ideas.selectors import feed

        feed.bump_trend(idea.pk, feed.WEIGHT_VOTE, now)


def _result(idea: Idea, mode: str, tokens: int, budget: SupportBudget | None) -> SupportResult:
    idea.refresh_from_db(fields=["vote_count", "token_count"])
    return SupportResult(idea_id=idea.pk, voting_mode=mode, tokens=tokens,
                         vote_count=idea.vote_count, token_count=idea.token_count,
                         budget=budget.budget if budget else None,
                         spent=budget.spent if budget else None)


@transaction.atomic
def toggle_vote(actor, idea: Idea) -> tuple[bool, int]:
    """Support an idea, or withdraw support. Returns (supports now, exact vote count).

    In tokens mode the toggle places one token, or takes back every token placed."""
    if voting_mode_of(Idea.objects.select_related("challenge").get(pk=idea.pk)) == \
            Challenge.VotingMode.TOKENS:
        placed = Vote.objects.filter(idea=idea, voter=actor).values_list("tokens", flat=True)
        result = set_tokens(actor, idea, 0 if placed.first() else 1)
        return result.supported, result.vote_count
    supported, count = _support(actor, idea, want=None)
    return supported, count


def _support(actor, idea: Idea, *, want: bool | None) -> tuple[bool, int]:
    """Simple support: ``want`` True/False sets it, None toggles it."""
    # The idea row lock serialises one person's double-click and keeps the counter exact.
    idea = _locked_idea(idea.pk)
    existing = Vote.objects.filter(idea=idea, voter=actor).first()
    if want is None:
        want = existing is None
    if want == (existing is not None):
        return want, idea.vote_count
    _check_supportable(actor, idea, adding=want)
    now = timezone.now()
    if existing:
        existing.delete()
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1,
                                               token_count=F("token_count") - existing.tokens)
        audit.record(actor, "vote.withdrawn", idea, {"supported": {"before": True, "after": False}})
    else:
        Vote.objects.create(idea=idea, voter=actor, tokens=1, created_at=now, updated_at=now)
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1,
                                               token_count=F("token_count") + 1)
        audit.record(actor, "vote.cast", idea, {"supported": {"before": False, "after": True}})
    _touch(idea, now, added=want)
    idea.refresh_from_db(fields=["vote_count"])
    return want, idea.vote_count


def _lock_budget(actor, challenge: Challenge) -> SupportBudget:
    """The person's budget row in this challenge, created on first use and locked until the
    transaction ends: every token move of one person in one challenge queues here."""
    budget, _ = SupportBudget.objects.select_for_update().get_or_create(
        challenge=challenge, voter=actor, defaults={"budget": challenge.token_budget})
    # The budget follows the challenge's setting; lowered below what someone already placed,
    # it keeps their tokens where they are (they can only take tokens back).
    wanted = max(challenge.token_budget, budget.spent)
    if budget.budget != wanted:
        budget.budget = wanted
        budget.save(update_fields=["budget"])
    return budget


@transaction.atomic
def set_tokens(actor, idea: Idea, tokens: int) -> SupportResult:
    """Place ``tokens`` on an idea (0 takes the vote back). In a support-mode challenge (or for
    an idea outside challenges) 1 supports and 0 withdraws, without toggling."""
    if isinstance(tokens, bool) or not isinstance(tokens, int):
        raise ValidationError({"tokens": "Enter a whole number of tokens."})
    idea = Idea.objects.select_related("challenge").get(pk=idea.pk)
    mode = voting_mode_of(idea)
    if mode == Challenge.VotingMode.SUPPORT:
        if tokens not in (0, 1):
            raise ValidationError({"tokens": "This idea takes simple support: 1 to support it, "
                                             "0 to withdraw."})
        supported, _ = _support(actor, idea, want=bool(tokens))
        return _result(idea, mode, int(supported), None)

    challenge = idea.challenge
    if not 0 <= tokens <= challenge.token_budget:
        raise ValidationError(
            {"tokens": f"Place between 0 and {challenge.token_budget} tokens on an idea."})
    # Lock order everywhere: the person's budget, then the idea (never the other way round).
    budget = _lock_budget(actor, challenge)
    idea = _locked_idea(idea.pk)
    vote = Vote.objects.filter(idea=idea, voter=actor).first()
    before = vote.tokens if vote else 0
    delta = tokens - before
    if delta == 0:
        return _result(idea, mode, tokens, budget)
    _check_supportable(actor, idea, adding=delta > 0)
    if budget.spent + delta > budget.budget:
        left = budget.budget - budget.spent
        raise StateConflict(
            f"Not enough tokens: you have {left} of {budget.budget} left in this challenge. "
            "Take tokens back from another idea first.", "not_enough_tokens")
    now = timezone.now()
    if tokens == 0:
        vote.delete()
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1,
                                               token_count=F("token_count") - before)
        verb = "vote.withdrawn"
    elif vote is None:
        Vote.objects.create(idea=idea, voter=actor, tokens=tokens, created_at=now, updated_at=now)
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1,
                                               token_count=F("token_count") + tokens)
        verb = "vote.cast"
    else:
        Vote.objects.filter(pk=vote.pk).update(tokens=tokens, updated_at=now)
        Idea.objects.filter(pk=idea.pk).update(token_count=F("token_count") + delta)
        verb = "vote.changed"
    # The row is locked, so plain values are safe here; the budget follows the challenge's
    # setting again once tokens were taken back under a lowered budget.
    budget.spent += delta
    budget.budget = max(challenge.token_budget, budget.spent)
    budget.save(update_fields=["spent", "budget"])
    audit.record(actor, verb, idea, {"tokens": {"before": before, "after": tokens}})
    _touch(idea, now, added=delta > 0)
    return _result(idea, mode, tokens, budget)
