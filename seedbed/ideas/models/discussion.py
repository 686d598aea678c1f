from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from seedbed.ideas.models.ideas import Idea


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    body = models.TextField(max_length=5000)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                      related_name="mentioned_in")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "created_at", "id"], name="comment_idea_idx")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on idea {self.idea_id}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.idea_id}"


class ExpertInvitation(models.Model):
    """Someone asked to bring their expertise (found by competency) to an idea's discussion."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="expert_invitations")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="expert_invitations")
    competency = models.ForeignKey("accounts.Competency", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    message = models.CharField(max_length=500, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "expert"], name="expert_invited_once"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} invited to {self.idea_id}"
