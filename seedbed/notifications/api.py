# No "from __future__ import annotations": ninja reads these annotations at import time.
"""Notifications (everyone, their own) and webhooks (innovation managers) over the API."""

from datetime import datetime
from typing import Literal

from ninja import Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.notifications import actions, selectors
from seedbed.notifications.models import KINDS

router = Router(tags=["notifications"])

EmailChoice = Literal["immediate", "daily", "off"]
Kind = Literal["comment.added", "comment.mention", "idea.status_changed", "challenge.opened",
               "coauthor.invited", "expert.invited"]
WebhookEvent = Literal["idea.submitted", "idea.status_changed", "comment.added",
                       "challenge.opened"]
WebhookFormat = Literal["json", "slack", "teams"]


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    idea_id: int | None
    challenge_id: int | None
    actor_id: int | None
    created_at: datetime
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    label: str
    email: EmailChoice


class PreferenceIn(Schema):
    kind: Kind
    email: EmailChoice


class PreferencesIn(Schema):
    preferences: list[PreferenceIn]


@router.get("/notifications", response={200: Page[NotificationOut], **ERRORS},
            summary="My notifications, newest first")
@policy.api_rule("account.self")
def list_notifications(request, unread: bool = False, limit: int = Query(20, ge=1, le=100),
                       offset: int = Query(0, ge=0)):
    qs = selectors.notifications_of(request.user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return page_of(qs, limit=limit, offset=offset)


@router.get("/notifications/unread-count", response={200: UnreadOut, **ERRORS})
@policy.api_rule("account.self")
def unread_count(request):
    return {"unread": selectors.unread_count(request.user)}


@router.post("/notifications/read-all", response={200: MarkedOut, **ERRORS})
@policy.api_rule("account.self")
def read_all(request):
    return {"marked": actions.mark_all_read(request.user)}


def _preferences(choices: dict[str, str]) -> list[dict]:
    return [{"kind": kind, "label": label, "email": choices[kind]} for kind, label in KINDS]


@router.get("/notifications/preferences", response={200: list[PreferenceOut], **ERRORS},
            summary="How I hear about each kind of notification by e-mail")
@policy.api_rule("account.self")
def get_preferences(request):
    return _preferences(selectors.email_preferences(request.user))


@router.put("/notifications/preferences", response={200: list[PreferenceOut], **ERRORS},
            summary="Change how I hear by e-mail (kinds not named stay as they are)")
@policy.api_rule("account.self")
def put_preferences(request, payload: PreferencesIn):
    choices = {item.kind: item.email for item in payload.preferences}
    return _preferences(actions.set_email_preferences(request.user, choices))


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
@policy.api_rule("account.self")
def read_one(request, notification_id: int):
    notification = selectors.get_notification_for_user(request.user, notification_id)
    return actions.mark_read(request.user, notification)


# --- Webhooks ---------------------------------------------------------------------------------


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    format: str
    active: bool
    created_at: datetime
    updated_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str


class WebhookIn(Schema):
    name: str
    url: str
    events: list[WebhookEvent]
    format: WebhookFormat = "json"


class WebhookPatch(Schema):
    name: str | None = None
    url: str | None = None
    events: list[WebhookEvent] | None = None
    format: WebhookFormat | None = None
    active: bool | None = None


class DeliveryOut(Schema):
    id: int
    webhook_id: int
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None


class DeletedOut(Schema):
    deleted: bool


@router.get("/webhooks", response={200: Page[WebhookOut], **ERRORS})
@policy.api_rule("webhook.manage")
def list_webhooks(request, limit: int = Query(50, ge=1, le=100), offset: int = Query(0, ge=0)):
    return page_of(selectors.webhooks_for(request.user), limit=limit, offset=offset)


@router.post("/webhooks", response={201: WebhookCreatedOut, **ERRORS},
             summary="Register a webhook (the signing secret is in this answer only)")
@policy.api_rule("webhook.manage")
def create_webhook(request, payload: WebhookIn):
    webhook, secret = actions.create_webhook(request.user, **payload.dict())
    webhook.secret = secret
    return 201, webhook


@router.get("/webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS})
@policy.api_rule("webhook.manage")
def get_webhook(request, webhook_id: int):
    return selectors.get_webhook_for_user(request.user, webhook_id)


@router.patch("/webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS})
@policy.api_rule("webhook.manage")
def update_webhook(request, webhook_id: int, payload: WebhookPatch):
    webhook = selectors.get_webhook_for_user(request.user, webhook_id)
    fields = payload.dict(exclude_unset=True)
    nulls = [name for name, value in fields.items() if value is None]
    if nulls:
        from django.core.exceptions import ValidationError

        raise ValidationError({name: "This field cannot be empty." for name in nulls})
    return actions.update_webhook(request.user, webhook, **fields)


@router.delete("/webhooks/{webhook_id}", response={200: DeletedOut, **ERRORS})
@policy.api_rule("webhook.manage")
def delete_webhook(request, webhook_id: int):
    actions.delete_webhook(request.user, selectors.get_webhook_for_user(request.user, webhook_id))
    return {"deleted": True}


@router.post("/webhooks/{webhook_id}/test", response={201: DeliveryOut, **ERRORS},
             summary="Queue a test message to the webhook")
@policy.api_rule("webhook.manage")
def test_webhook(request, webhook_id: int):
    webhook = selectors.get_webhook_for_user(request.user, webhook_id)
    return 201, actions.send_test(request.user, webhook)


@router.get("/webhooks/{webhook_id}/deliveries", response={200: Page[DeliveryOut], **ERRORS},
            summary="The delivery log, newest first")
@policy.api_rule("webhook.manage")
def list_deliveries(request, webhook_id: int, limit: int = Query(50, ge=1, le=100),
                    offset: int = Query(0, ge=0)):
    webhook = selectors.get_webhook_for_user(request.user, webhook_id)
    return page_of(selectors.deliveries_of(webhook), limit=limit, offset=offset)


@router.post("/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
             response={200: DeliveryOut, **ERRORS})
@policy.api_rule("webhook.manage")
def redeliver(request, webhook_id: int, delivery_id: int):
    webhook = selectors.get_webhook_for_user(request.user, webhook_id)
    return actions.redeliver(request.user, selectors.get_delivery(webhook, delivery_id))
