from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from seedbed.ideas.models.challenges import Challenge
from seedbed.ideas.models.ideas import Idea


class Vote(models.Model):
    """One person's support for an idea: 1 in "support" mode, the tokens placed in "tokens"."""

    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="votes"
    )
    tokens = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "voter"], name="vote_one_per_person"),
            models.CheckConstraint(condition=models.Q(tokens__gte=1), name="vote_tokens_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} supports {self.idea_id}"


class SupportBudget(models.Model):
    """Tokens one person has placed in one challenge. The row is locked while tokens move, so
    concurrent requests cannot overspend; the check constraint is the last line of defence."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="budgets")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="support_budgets")
    spent = models.PositiveSmallIntegerField(default=0)
    budget = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "voter"], name="budget_once"),
            models.CheckConstraint(condition=models.Q(spent__lte=models.F("budget")),
                                   name="budget_not_overspent"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id}: {self.spent}/{self.budget} in {self.challenge_id}"
