"""Background work: e-mails (one at a time or as the daily digest) and webhook deliveries.

Deliveries are retried with back-off. The delivery row is the source of truth: its
``next_attempt_at`` says when the next attempt is due. With a worker backend that can defer
(django-tasks-db) the retry is queued with ``run_after``; the periodic job
``notifications.webhook_retries`` also picks up whatever is due (a lost task, or the immediate
backend, which cannot defer). An attempt first claims the row with a conditional UPDATE, so two
runners never post the same attempt twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from seedbed.core.periodic import periodic
from seedbed.lib import webhooks as http
from seedbed.notifications import emails
from seedbed.notifications.models import Notification, WebhookDelivery

logger = logging.getLogger(__name__)

# After the first attempt fails: wait 1 min, 5 min, 30 min, 2 h, 6 h; then give up.
BACKOFF: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=5),
                                  timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 5
# How long an attempt holds its claim on a delivery: far longer than the HTTP timeout, so a
# second runner never posts while the first is still waiting for an answer.
LEASE = timedelta(minutes=10)


# --- E-mail -----------------------------------------------------------------------------------


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """One e-mail per notification whose recipient wants it at once. Each is claimed before it
    is sent, so running the task twice sends once."""
    sent = 0
    items = (Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True,
                                         in_digest=False)
             .select_related("recipient").order_by("id"))
    for notification in items:
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True)\
            .update(emailed_at=timezone.now())
        if not claimed:
            continue
        try:
            sent += emails.send_one(notification)
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            raise
    return sent


@periodic("notifications.daily_digest", every=timedelta(days=1))
def send_daily_digests() -> int:
    """Gather each person's waiting notifications into one e-mail and mark them sent.
    Idempotent: a notification is claimed (``emailed_at``) before its e-mail goes out."""
    waiting = Notification.objects.filter(in_digest=True, emailed_at__isnull=True)
    sent = 0
    for recipient_id in sorted(set(waiting.values_list("recipient_id", flat=True))):
        sent += _digest_for(recipient_id)
    return sent


def _digest_for(recipient_id: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        items = list(Notification.objects.select_for_update()
                     .filter(recipient_id=recipient_id, in_digest=True, emailed_at__isnull=True)
                     .select_related("recipient").order_by("created_at", "id"))
        if not items:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
    try:
        return emails.send_digest(items[0].recipient, items)
    except Exception:
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=None)
        raise


# --- Webhooks ---------------------------------------------------------------------------------


def schedule_delivery(delivery_id: int) -> None:
    """Queue the next attempt of a delivery for the moment it is due."""
    delivery = WebhookDelivery.objects.filter(pk=delivery_id,
                                              status=WebhookDelivery.Status.PENDING).first()
    if delivery is None:
        return
    due = delivery.next_attempt_at or timezone.now()
    if due <= timezone.now():
        deliver_webhook.enqueue(delivery_id)
        return
    if deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=due).enqueue(delivery_id)
    # Otherwise the periodic job below sends it when it is due.


@task()
def deliver_webhook(delivery_id: int) -> str:
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=delivery_id, status=WebhookDelivery.Status.PENDING,
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return "not due"
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    return attempt(delivery)


def attempt(delivery: WebhookDelivery) -> str:
    """Post a claimed delivery once and record the outcome (and the next try, if any)."""
    hook = delivery.webhook
    now = timezone.now()
    attempts = delivery.attempts + 1
    if not hook.active:
        result = http.PostResult(False, None, "The webhook is switched off.")
    else:
        body = http.canonical_body(delivery.payload)
        timestamp = str(int(now.timestamp()))
        result = http.post(hook.url, body, {
            "X-Seedbed-Event": delivery.event,
            "X-Seedbed-Delivery": str(delivery.pk),
            "X-Seedbed-Timestamp": timestamp,
            "X-Seedbed-Signature": http.sign(hook.secret, timestamp, body),
        }, timeout=TIMEOUT_SECONDS)
    fields = {"attempts": attempts, "last_status_code": result.status_code,
              "last_error": result.error[:300]}
    if result.ok:
        fields.update(status=WebhookDelivery.Status.SUCCEEDED, delivered_at=timezone.now(),
                      next_attempt_at=None)
    elif attempts >= MAX_ATTEMPTS or not hook.active:
        fields.update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
    else:
        fields.update(next_attempt_at=now + BACKOFF[attempts - 1])
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    if not result.ok:
        logger.info("webhook delivery %s failed (attempt %s): %s", delivery.pk, attempts,
                    result.error)
    if fields.get("next_attempt_at"):
        schedule_delivery(delivery.pk)
    return fields.get("status", WebhookDelivery.Status.PENDING)


@periodic("notifications.webhook_retries", every=timedelta(minutes=1))
def send_due_deliveries() -> int:
    """Attempt every pending delivery whose time has come (claimed one by one)."""
    now = timezone.now()
    due = list(WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:500])
    for pk in due:
        deliver_webhook.call(pk)
    return len(due)
