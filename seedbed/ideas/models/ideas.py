from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from seedbed.ideas.models.challenges import Challenge, IdeaType


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)  # stored lower-case

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Idea(models.Model):
    """An idea, in a challenge or against a focus area. Clause 8.3.3 builds concepts from these."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        UNDER_REVIEW = "under_review", "Under review"
        SELECTED = "selected", "Selected"
        PARKED = "parked", "Parked"
        DECLINED = "declined", "Declined"
        # Its initiative passed the last gate (set by the pipeline, not by hand).
        IMPLEMENTED = "implemented", "Implemented"
        # Folded into another idea (``merged_into``); its page redirects there.
        MERGED = "merged", "Merged"

    challenge = models.ForeignKey(Challenge, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="ideas")
    # Ideas outside any challenge are sent against a focus area (exactly one of the two).
    focus_area = models.ForeignKey("strategy.FocusArea", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="ideas")
    idea_type = models.ForeignKey(IdeaType, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="ideas")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=20000, help_text="Markdown.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    # The author's unit when the idea was submitted: the feed's "org unit" filter.
    org_unit = models.ForeignKey("accounts.OrgUnit", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="ideas")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    # IP-confidential (clause 7.1.7): only authors, managers, leaders and assigned evaluators.
    confidential = models.BooleanField(default=False)
    # Answers to the challenge's and type's custom fields, by field key.
    custom_values = models.JSONField(default=dict, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="ideas")
    # Evaluators a manager assigned; they may see the idea even when it is confidential.
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                        related_name="ideas_to_evaluate")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_ideas")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # Denormalised counters, changed only with F() expressions inside the actions.
    vote_count = models.PositiveIntegerField(default=0)  # people supporting it
    token_count = models.PositiveIntegerField(default=0)  # tokens placed (voting mode "tokens")
    comment_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)
    # Kept by the support/discussion actions for the feed's "trending" sort (see feed selector).
    trend_score = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["challenge", "-created_at", "-id"], name="idea_challenge_new_idx"),
            models.Index(fields=["-created_at", "-id"], name="idea_new_idx"),
            models.Index(fields=["-vote_count", "-id"], name="idea_support_idx"),
            models.Index(fields=["-comment_count", "-id"], name="idea_discussed_idx"),
            models.Index(fields=["-trend_score", "-id"], name="idea_trend_idx"),
            models.Index(fields=["status", "-created_at"], name="idea_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(challenge__isnull=False) | models.Q(focus_area__isnull=False),
                name="idea_in_challenge_or_focus_area",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:idea_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class IdeaVersion(models.Model):
    """The idea as it was after each save: the edit history (evidence for IP disputes too)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=20000)
    custom_values = models.JSONField(default=dict, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["idea", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "number"], name="idea_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id} v{self.number}"


class CoAuthor(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="coauthors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="coauthorships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="coauthor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.idea_id} ({self.status})"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never reuses the uploader's file name (kept in original_name instead).
    return f"ideas/{instance.idea_id}/{instance.token}"


class Attachment(models.Model):
    """A file on an idea. Stored under SEEDBED_MEDIA_ROOT (outside the web root) and served only
    through a view that asks the selectors whether the person may see the idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    # For an answer to a custom field of kind "file"; blank for a plain attachment.
    field_key = models.SlugField(max_length=40, blank=True)
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
