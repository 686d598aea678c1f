"""In-app and e-mail notifications, digests and outgoing webhooks (clause 7.4 communication)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

# What people can be told about; the event names are the webhook event names too.
KINDS: tuple[tuple[str, str], ...] = (
    ("comment.added", "A comment on my idea"),
    ("comment.mention", "I am mentioned in a comment"),
    ("idea.status_changed", "The status of an idea I follow changes"),
    ("challenge.opened", "A challenge opens for my unit"),
    ("coauthor.invited", "I am invited to co-author an idea"),
    ("expert.invited", "I am invited as an expert"),
)

WEBHOOK_EVENTS: tuple[tuple[str, str], ...] = (
    ("idea.submitted", "Idea submitted"),
    ("idea.status_changed", "Idea status changed"),
    ("comment.added", "Comment added"),
    ("challenge.opened", "Challenge opened"),
)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(max_length=40, choices=KINDS)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    # What it is about: the idea or challenge (access is re-checked when it is opened).
    idea = models.ForeignKey("ideas.Idea", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    challenge = models.ForeignKey("ideas.Challenge", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # E-mail: sent at once, waiting for the daily digest, or not wanted.
    emailed_at = models.DateTimeField(null=True, blank=True)
    in_digest = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at", "-id"],
                         name="notification_recent_idx"),
            models.Index(fields=["in_digest", "emailed_at"], name="notification_digest_idx"),
        ]

    def __str__(self) -> str:
        return self.text


class NotificationPreference(models.Model):
    class Email(models.TextChoices):
        IMMEDIATE = "immediate", "Immediately"
        DAILY = "daily", "Daily digest"
        OFF = "off", "Off"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(max_length=40, choices=KINDS)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.IMMEDIATE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"


class Webhook(models.Model):
    class Format(models.TextChoices):
        JSON = "json", "Seedbed JSON"
        SLACK = "slack", "Slack incoming webhook"
        TEAMS = "teams", "Microsoft Teams incoming webhook"

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    # Shared secret for the HMAC-SHA256 signature header (shown once to the manager).
    secret = models.CharField(max_length=100)
    events = models.JSONField(default=list)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.JSON)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed (gave up)"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["webhook", "-created_at"], name="delivery_recent_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
