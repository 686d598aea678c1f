"""Probes for notifications (everyone, their own) and webhooks (innovation managers)."""

from __future__ import annotations

from seedbed import policy
from tests.matrix._base import Probe

C = policy.CONTRIBUTOR


def build(users, org) -> dict:
    from seedbed.notifications.models import Notification, Webhook, WebhookDelivery

    notes = {role: Notification.objects.create(
        recipient=person, kind="comment.added", text="Someone commented on “Reusable crates”",
        url="/notifications/") for role, person in users.items()}
    # A loopback address nobody listens on; the matrix never commits, so nothing is posted.
    webhook = Webhook.objects.create(
        name="Innovation channel", url="http://127.0.0.1:9/hook", secret="whsec_matrix",
        events=["idea.submitted", "comment.added"], format="slack", created_by=users["manager"])
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="idea.submitted", payload={"text": "New idea"}, status="failed",
        attempts=6, last_error="ConnectionRefusedError")
    return {"notification": notes[C], "webhook": webhook, "delivery": delivery}


def _mine(w) -> dict:
    return {"pk": w.extra["notifications"]["notification"].pk}


def _hook(w) -> dict:
    return {"pk": w.extra["notifications"]["webhook"].pk}


OFF = {kind.replace(".", "-"): "off" for kind in (
    "comment.added", "comment.mention", "idea.status_changed", "challenge.opened",
    "coauthor.invited", "expert.invited")}
WEBHOOK_FORM = {"name": "Ideas to Teams", "url": "https://example.test/hooks/teams",
                "events": ["idea.submitted"], "format": "teams"}

HTML_SAMPLES = {
    "notifications:list": Probe("account.self"),
    # Only the recipient may open or mark a notification; anyone else cannot tell it exists.
    "notifications:open": Probe("account.self", "post", kwargs=_mine, allowed=404,
                                per_role={C: 302}),
    "notifications:read": Probe("account.self", "post", kwargs=_mine, allowed=404,
                                per_role={C: 302}),
    "notifications:read_all": Probe("account.self", "post", allowed=302),
    "notifications:preferences": Probe("account.self", "post", data=OFF, allowed=302),
    "notifications:webhook_list": Probe("webhook.manage"),
    # The secret is shown on the answer page itself (200), never after a redirect.
    "notifications:webhook_create": Probe("webhook.manage", "post", data=WEBHOOK_FORM),
    "notifications:webhook_detail": Probe("webhook.manage", kwargs=_hook),
    "notifications:webhook_switch": Probe("webhook.manage", "post", kwargs=_hook, allowed=302),
    "notifications:webhook_delete": Probe("webhook.manage", "post", kwargs=_hook, allowed=302),
    "notifications:webhook_test": Probe("webhook.manage", "post", kwargs=_hook, allowed=302),
    "notifications:webhook_redeliver": Probe(
        "webhook.manage", "post", allowed=302,
        kwargs=lambda w: {"pk": w.extra["notifications"]["webhook"].pk,
                          "delivery_pk": w.extra["notifications"]["delivery"].pk}),
}

N = "/api/v1/notifications"
H = "/api/v1/webhooks"


def _note_id(w) -> dict:
    return {"notification_id": w.extra["notifications"]["notification"].pk}


def _hook_id(w) -> dict:
    return {"webhook_id": w.extra["notifications"]["webhook"].pk}


PREFERENCES = {"preferences": [{"kind": "challenge.opened", "email": "off"}]}
WEBHOOK_BODY = {"name": "Ideas to Slack", "url": "https://example.test/hooks/slack",
                "events": ["idea.submitted", "challenge.opened"], "format": "slack"}

API_SAMPLES = {
    f"GET {N}": Probe("account.self"),
    f"GET {N}/unread-count": Probe("account.self"),
    f"POST {N}/read-all": Probe("account.self", "post"),
    f"GET {N}/preferences": Probe("account.self"),
    f"PUT {N}/preferences": Probe("account.self", "put", data=PREFERENCES),
    f"POST {N}/{{notification_id}}/read": Probe("account.self", "post", kwargs=_note_id,
                                                allowed=404, per_role={C: 200}),
    f"GET {H}": Probe("webhook.manage"),
    f"POST {H}": Probe("webhook.manage", "post", data=WEBHOOK_BODY, allowed=201),
    f"GET {H}/{{webhook_id}}": Probe("webhook.manage", kwargs=_hook_id),
    f"PATCH {H}/{{webhook_id}}": Probe("webhook.manage", "patch", kwargs=_hook_id,
                                       data={"active": False}),
    f"DELETE {H}/{{webhook_id}}": Probe("webhook.manage", "delete", kwargs=_hook_id),
    f"POST {H}/{{webhook_id}}/test": Probe("webhook.manage", "post", kwargs=_hook_id,
                                           allowed=201),
    f"GET {H}/{{webhook_id}}/deliveries": Probe("webhook.manage", kwargs=_hook_id),
    f"POST {H}/{{webhook_id}}/deliveries/{{delivery_id}}/redeliver": Probe(
        "webhook.manage", "post",
        kwargs=lambda w: {**_hook_id(w),
                          "delivery_id": w.extra["notifications"]["delivery"].pk}),
}

# For tests/test_api_schema.py: one successful call per operation, and the path parameters.
API_SUCCESSES = {
    f"GET {N}": (C, None, 200),
    f"GET {N}/unread-count": (C, None, 200),
    f"POST {N}/read-all": (C, None, 200),
    f"GET {N}/preferences": (policy.PARTNER, None, 200),
    f"PUT {N}/preferences": (policy.AUDITOR, PREFERENCES, 200),
    f"POST {N}/{{notification_id}}/read": (C, None, 200),
    f"GET {H}": (policy.MANAGER, None, 200),
    f"POST {H}": (policy.ADMIN, WEBHOOK_BODY, 201),
    f"GET {H}/{{webhook_id}}": (policy.MANAGER, None, 200),
    f"PATCH {H}/{{webhook_id}}": (policy.MANAGER, {"name": "Chat", "events": ["comment.added"]},
                                  200),
    f"DELETE {H}/{{webhook_id}}": (policy.ADMIN, None, 200),
    f"POST {H}/{{webhook_id}}/test": (policy.MANAGER, None, 201),
    f"GET {H}/{{webhook_id}}/deliveries": (policy.MANAGER, None, 200),
    f"POST {H}/{{webhook_id}}/deliveries/{{delivery_id}}/redeliver": (policy.MANAGER, None, 200),
}
PATH_OBJECTS = {"notification_id": "notification", "webhook_id": "webhook",
                "delivery_id": "delivery"}
