from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Challenge(models.Model):
    """A call for ideas (campaign). Clause 8.3.2: identifying opportunities."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Audience(models.TextChoices):
        ORGANISATION = "organisation", "Whole organisation"
        UNITS = "units", "Selected org units"

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=20000, help_text="Markdown.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    audience = models.CharField(
        max_length=20, choices=Audience.choices, default=Audience.ORGANISATION
    )
    units = models.ManyToManyField("accounts.OrgUnit", blank=True, related_name="challenges")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_created"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Denormalised: kept exact by the submit action (F() update), so lists need no COUNT().
    idea_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="challenge_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_on__isnull=True)
                | models.Q(closes_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="challenge_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:challenge_detail", args=[self.pk])

    def accepts_ideas(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.status != self.Status.OPEN:
            return False
        if self.opens_on and today < self.opens_on:
            return False
        return not (self.closes_on and today > self.closes_on)


class Idea(models.Model):
    """An idea submitted to a challenge. Clause 8.3.3 builds concepts from these."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="ideas")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=20000, help_text="Markdown.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Denormalised counters, changed only with F() expressions inside the vote/comment actions.
    vote_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["challenge", "-created_at", "-id"], name="idea_challenge_new_idx"),
            models.Index(fields=["-created_at", "-id"], name="idea_new_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:idea_detail", args=[self.pk])


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    # Replies arrive with threaded discussion; the column is here so that needs no migration.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "created_at", "id"], name="comment_idea_idx")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on idea {self.idea_id}"


class Vote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "voter"], name="vote_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} supports {self.idea_id}"
