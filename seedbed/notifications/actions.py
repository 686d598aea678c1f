"""Every change to notifications, preferences and webhooks: one transaction, one audit event.

Marking notifications read is audited too: it is the record that a communication reached the
person it was meant for (clause 7.4), and it is what an auditor asks when someone says "I was
never told".
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.lib.validation import clean_text
from seedbed.lib.webhooks import is_http_url
from seedbed.notifications import dispatch
from seedbed.notifications.models import (
    KINDS,
    WEBHOOK_EVENTS,
    Notification,
    NotificationPreference,
    Webhook,
    WebhookDelivery,
)
from seedbed.notifications.selectors import email_preferences

_WEBHOOK_FIELDS = ("name", "url", "events", "format", "active")
TEST_EVENT = "webhook.test"


# --- Notifications ----------------------------------------------------------------------------


@transaction.atomic
def mark_read(actor, notification: Notification) -> Notification:
    """Mark one of the person's notifications read (nothing happens when it already is)."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk,
                                                                 recipient_id=actor.pk)
    if notification.read_at is not None:
        return notification
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    audit.record(actor, "notification.read", notification,
                 {"read_at": {"before": None, "after": notification.read_at.isoformat()}})
    return notification


@transaction.atomic
def mark_all_read(actor) -> int:
    now = timezone.now()
    marked = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)\
        .update(read_at=now)
    audit.record(actor, "notifications.read_all", actor,
                 {"unread": {"before": marked, "after": 0}})
    return marked


@transaction.atomic
def set_email_preferences(actor, choices: dict[str, str]) -> dict[str, str]:
    """Set how the person hears by e-mail about each kind given (others stay as they are)."""
    kinds = {kind for kind, _ in KINDS}
    allowed = set(NotificationPreference.Email.values)
    errors = {}
    for kind, choice in choices.items():
        if kind not in kinds:
            errors[kind] = "There is no such kind of notification."
        elif choice not in allowed:
            errors[kind] = f"Choose one of: {', '.join(sorted(allowed))}."
    if errors:
        raise ValidationError(errors)
    before = email_preferences(actor)
    for kind, choice in choices.items():
        NotificationPreference.objects.update_or_create(user=actor, kind=kind,
                                                        defaults={"email": choice})
    after = email_preferences(actor)
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor, "notification_preferences.changed", actor, changes)
    return after


# --- Webhooks ---------------------------------------------------------------------------------


def _clean_webhook(fields: dict, errors: dict) -> dict:
    cleaned = {}
    if "name" in fields:
        cleaned["name"] = clean_text(fields["name"], "name", max_length=100, errors=errors,
                                     required=True)
    if "url" in fields:
        url = clean_text(fields["url"], "url", max_length=500, errors=errors, required=True)
        if "url" not in errors and (not is_http_url(url) or any(c.isspace() for c in url)):
            errors["url"] = "Enter an http:// or https:// address."
        cleaned["url"] = url
    if "events" in fields:
        known = [event for event, _ in WEBHOOK_EVENTS]
        wanted = fields["events"]
        if not isinstance(wanted, (list, tuple)) or not wanted:
            errors["events"] = "Choose at least one event."
        elif any(event not in known for event in wanted):
            errors["events"] = f"Events are some of: {', '.join(known)}."
        else:
            cleaned["events"] = [event for event in known if event in wanted]
    if "format" in fields:
        if fields["format"] not in Webhook.Format.values:
            errors["format"] = f"Choose one of: {', '.join(Webhook.Format.values)}."
        cleaned["format"] = fields["format"]
    if "active" in fields:
        if not isinstance(fields["active"], bool):
            errors["active"] = "Say true or false."
        cleaned["active"] = fields["active"]
    return cleaned


@transaction.atomic
def create_webhook(actor, *, name: str, url: str, events: list[str],
                   format: str = Webhook.Format.JSON) -> tuple[Webhook, str]:  # noqa: A002
    """Register a webhook; returns it with its signing secret, which is shown only this once."""
    errors: dict[str, str] = {}
    cleaned = _clean_webhook({"name": name, "url": url, "events": events, "format": format},
                             errors)
    if errors:
        raise ValidationError(errors)
    secret = "whsec_" + secrets.token_urlsafe(32)
    now = timezone.now()
    webhook = Webhook.objects.create(**cleaned, secret=secret, created_by=actor, created_at=now,
                                     updated_at=now)
    # The secret itself never goes into the trail.
    audit.record(actor, "webhook.created", webhook, audit.created(webhook, _WEBHOOK_FIELDS))
    return webhook, secret


@transaction.atomic
def update_webhook(actor, webhook: Webhook, **fields) -> Webhook:
    unknown = set(fields) - set(_WEBHOOK_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in unknown})
    errors: dict[str, str] = {}
    cleaned = _clean_webhook(fields, errors)
    if errors:
        raise ValidationError(errors)
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    before = audit.snapshot(webhook, _WEBHOOK_FIELDS)
    for name, value in cleaned.items():
        setattr(webhook, name, value)
    changes = audit.diff(before, audit.snapshot(webhook, _WEBHOOK_FIELDS))
    if not changes:
        return webhook
    webhook.updated_at = timezone.now()
    webhook.save(update_fields=[*cleaned, "updated_at"])
    verb = "webhook.updated"
    if set(changes) == {"active"}:
        verb = "webhook.activated" if webhook.active else "webhook.deactivated"
    audit.record(actor, verb, webhook, changes)
    return webhook


@transaction.atomic
def delete_webhook(actor, webhook: Webhook) -> None:
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    changes = audit.diff(audit.snapshot(webhook, _WEBHOOK_FIELDS), {})
    audit.record(actor, "webhook.deleted", webhook, changes)
    webhook.delete()  # its delivery log goes with it


@transaction.atomic
def send_test(actor, webhook: Webhook) -> WebhookDelivery:
    """Queue a harmless test message, so a manager can see the receiver answer."""
    if not webhook.active:
        raise StateConflict("Switch the webhook on before sending a test.", "webhook_inactive")
    delivery, = dispatch.create_deliveries(
        [webhook], TEST_EVENT, data={"message": "Test message from Seedbed",
                                     "webhook": {"id": webhook.pk, "name": webhook.name}},
        summary="Test message from Seedbed", title=webhook.name, url="/")
    audit.record(actor, "webhook.tested", webhook, {"delivery": {"before": None,
                                                                 "after": delivery.pk}})
    return delivery


@transaction.atomic
def redeliver(actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now (after a fix on the receiving side). It starts a fresh series
    of attempts with the full back-off; the audit trail keeps what the log showed before."""
    delivery = WebhookDelivery.objects.select_for_update().select_related("webhook")\
        .get(pk=delivery.pk)
    if not delivery.webhook.active:
        raise StateConflict("Switch the webhook on before redelivering.", "webhook_inactive")
    if delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 0:
        raise StateConflict("This delivery has not been attempted yet.", "delivery_pending")
    before = {"status": delivery.status, "attempts": delivery.attempts}
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.attempts = 0
    delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
    audit.record(actor, "webhook.redelivered", delivery.webhook,
                 {"delivery": {"before": None, "after": delivery.pk},
                  "status": {"before": before["status"], "after": delivery.status},
                  "attempts": {"before": before["attempts"], "after": 0}})
    from seedbed.notifications import tasks

    transaction.on_commit(lambda: tasks.schedule_delivery(delivery.pk))
    return delivery
