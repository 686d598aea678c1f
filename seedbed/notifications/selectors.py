"""Read access to notifications, preferences and webhooks.

A notification belongs to its recipient alone; whether its idea or challenge may still be
opened is asked of the ideas selectors each time (access can change after it was sent).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from seedbed import policy
from seedbed.ideas import selectors as idea_selectors
from seedbed.lib.validation import is_valid_id
from seedbed.notifications.models import (
    KINDS,
    Notification,
    NotificationPreference,
    Webhook,
    WebhookDelivery,
)

Email = NotificationPreference.Email

# What a person gets by e-mail until they choose otherwise. Things addressed to them by name
# (a comment on their idea, a mention, an invitation) ask for an answer, so they go at once;
# broadcasts and status news on followed ideas would flood an inbox and wait for the digest.
DEFAULT_EMAIL: dict[str, str] = {
    "comment.added": Email.IMMEDIATE,
    "comment.mention": Email.IMMEDIATE,
    "coauthor.invited": Email.IMMEDIATE,
    "expert.invited": Email.IMMEDIATE,
    "idea.status_changed": Email.DAILY,
    "challenge.opened": Email.DAILY,
}
KIND_LABELS = dict(KINDS)


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")


def unread_count(user) -> int:
    """One small query on the (recipient, read_at) index: the bell in the navigation."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def get_notification_for_user(user, pk: int) -> Notification:
    # Someone else's notification does not exist, as far as this person can tell.
    found = notifications_of(user).filter(pk=pk).first() if is_valid_id(pk) else None
    if found is None:
        raise Http404("No such notification")
    return found


def target_available(user, notification: Notification) -> bool:
    """Whether the person may still open what the notification is about."""
    if notification.idea_id:
        return idea_selectors.visible_ideas(user).filter(pk=notification.idea_id).exists()
    if notification.challenge_id:
        return idea_selectors.visible_challenges(user).filter(
            pk=notification.challenge_id).exists()
    return True


def email_preferences(user) -> dict[str, str]:
    """Every kind with the person's choice (their own, or the default), in one query."""
    chosen = dict(NotificationPreference.objects.filter(user_id=user.pk)
                  .values_list("kind", "email"))
    return {kind: chosen.get(kind, DEFAULT_EMAIL[kind]) for kind, _ in KINDS}


def email_choices_for(user_ids: list[int], kind: str) -> dict[int, str]:
    """Each person's e-mail choice for one kind, in one query per 500 people."""
    chosen: dict[int, str] = {}
    for start in range(0, len(user_ids), 500):
        chosen.update(NotificationPreference.objects.filter(
            kind=kind, user_id__in=user_ids[start:start + 500]).values_list("user_id", "email"))
    return {pk: chosen.get(pk, DEFAULT_EMAIL[kind]) for pk in user_ids}


def webhooks_for(user) -> QuerySet[Webhook]:
    if not policy.can(user, "webhook.manage"):
        return Webhook.objects.none()
    return Webhook.objects.select_related("created_by").order_by("name", "id")


def get_webhook_for_user(user, pk: int) -> Webhook:
    if not policy.can(user, "webhook.manage"):
        raise PermissionDenied("Only innovation managers may manage webhooks.")
    found = webhooks_for(user).filter(pk=pk).first() if is_valid_id(pk) else None
    if found is None:
        raise Http404("No such webhook")
    return found


def deliveries_of(webhook: Webhook) -> QuerySet[WebhookDelivery]:
    return webhook.deliveries.order_by("-created_at", "-id")


def get_delivery(webhook: Webhook, pk: int) -> WebhookDelivery:
    found = deliveries_of(webhook).filter(pk=pk).first() if is_valid_id(pk) else None
    if found is None:
        raise Http404("No such delivery")
    return found
