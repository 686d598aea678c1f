"""Support for ideas: simple support or a budget of tokens per challenge."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Idea, Vote


@transaction.atomic
def toggle_vote(actor, idea: Idea) -> tuple[bool, int]:
    """Support an idea, or withdraw support. Returns (supports now, exact vote count)."""
    # The idea row lock serialises one person's double-click and keeps the counter exact.
    idea = Idea.objects.select_for_update().select_related("challenge").get(pk=idea.pk)
    if not idea.challenge.accepts_ideas():
        raise StateConflict("Voting has closed for this challenge.", "challenge_not_open")
    existing = Vote.objects.filter(idea=idea, voter=actor).first()
    if existing:
        existing.delete()
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
        audit.record(actor, "vote.withdrawn", idea, {"supported": {"before": True, "after": False}})
        supported = False
    else:
        Vote.objects.create(idea=idea, voter=actor)
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
        audit.record(actor, "vote.cast", idea, {"supported": {"before": False, "after": True}})
        supported = True
    idea.refresh_from_db(fields=["vote_count"])
    return supported, idea.vote_count
