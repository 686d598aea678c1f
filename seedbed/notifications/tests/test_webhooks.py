"""Outgoing webhooks: registration, signed deliveries to a real HTTP server on 127.0.0.1,
retries with back-off, the delivery log, Slack and Teams bodies, confidential ideas kept in."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions as idea_actions
from seedbed.lib import webhooks as http
from seedbed.notifications import actions, events
from seedbed.notifications.models import Webhook, WebhookDelivery
from seedbed.notifications.tasks import BACKOFF, deliver_webhook, send_due_deliveries
from tests.support import api_call, assert_error_body


class Receiver:
    """An HTTP server in a thread that records what it is sent and answers with the next
    status of ``statuses`` (the last one repeats)."""

    def __init__(self):
        self.received: list[dict] = []
        self.statuses = [200]
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append({"path": self.path, "headers": dict(self.headers),
                                          "body": body})
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 \
                    else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hook(users, receiver):
    def make(fmt="json", events_=("idea.submitted", "idea.status_changed", "comment.added",
                                   "challenge.opened")):
        webhook, secret = actions.create_webhook(users["manager"], name=f"To {fmt}",
                                                 url=receiver.url, events=list(events_),
                                                 format=fmt)
        return webhook, secret

    return make


def submit(committed, users, challenge, title="Reusable crates"):
    return committed(lambda: idea_actions.submit_idea(
        users["contributor"], challenge, title=title, description="Swap cardboard."))


def test_submitted_idea_is_delivered_signed(users, challenge, hook, receiver, committed):
    webhook, secret = hook()
    idea = submit(committed, users, challenge)
    assert len(receiver.received) == 1
    got = receiver.received[0]
    headers = {k.lower(): v for k, v in got["headers"].items()}
    delivery = WebhookDelivery.objects.get()
    assert headers["x-seedbed-event"] == "idea.submitted"
    assert headers["x-seedbed-delivery"] == str(delivery.pk)
    assert http.verify(secret, headers["x-seedbed-timestamp"], got["body"],
                       headers["x-seedbed-signature"])
    assert headers["x-seedbed-signature"].startswith("sha256=")
    assert not http.verify("whsec_wrong", headers["x-seedbed-timestamp"], got["body"],
                           headers["x-seedbed-signature"])
    # The timestamp is signed too: replaying the body with another timestamp fails.
    assert not http.verify(secret, "1", got["body"], headers["x-seedbed-signature"])
    body = json.loads(got["body"])
    assert set(body) == {"event", "id", "occurred_at", "data"}
    assert body["event"] == "idea.submitted"
    assert body["data"]["idea"]["id"] == idea.pk
    assert body["data"]["idea"]["title"] == "Reusable crates"
    assert body["data"]["idea"]["url"].endswith(f"/ideas/{idea.pk}/")
    assert "description" not in json.dumps(body)
    assert delivery.status == "succeeded" or WebhookDelivery.objects.get().status == "succeeded"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None


def test_only_active_webhooks_for_the_event_get_it(users, challenge, hook, receiver, committed):
    hook(events_=["comment.added"])
    off, _ = hook()
    actions.update_webhook(users["manager"], off, active=False)
    submit(committed, users, challenge)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_confidential_ideas_never_leave(users, idea, hook, receiver, emit):
    hook()
    idea.confidential = True
    idea.save(update_fields=["confidential"])
    emit(events.IDEA_STATUS_CHANGED, actor=users["manager"], idea=idea)
    emit(events.COMMENT_ADDED, actor=users["manager"], idea=idea)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("fmt", ["slack", "teams"])
def test_chat_formats_send_a_text_with_a_link(fmt, users, challenge, hook, receiver, committed,
                                              settings):
    settings.SEEDBED_BASE_URL = "https://seedbed.example"
    hook(fmt)
    idea = submit(committed, users, challenge, title="Crates <for> [all]")
    body = json.loads(receiver.received[0]["body"])
    assert set(body) == {"text"}
    link = f"https://seedbed.example/ideas/{idea.pk}/"
    if fmt == "slack":
        assert body["text"] == f"New idea: <{link}|Crates &lt;for&gt; [all]>"
    else:
        assert body["text"] == f"New idea: [Crates <for> \\[all\\]]({link})"


def test_failed_delivery_backs_off_then_gives_up(users, challenge, hook, receiver, committed):
    hook()
    receiver.statuses = [500]
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        submit(committed, users, challenge)
        delivery = WebhookDelivery.objects.get()
        waits = []
        for _ in BACKOFF:
            delivery.refresh_from_db()
            assert delivery.status == "pending"
            waits.append(delivery.next_attempt_at - timezone.now())
            clock.shift(waits[-1] - timedelta(seconds=1))
            assert send_due_deliveries() == 0  # not due yet
            clock.shift(timedelta(seconds=1))
            assert send_due_deliveries() == 1
    assert waits == list(BACKOFF)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 6)
    assert delivery.last_status_code == 500 and "500" in delivery.last_error
    assert delivery.next_attempt_at is None
    assert len(receiver.received) == 6


def test_unreachable_receiver_is_logged_as_an_error(users, challenge, hook, receiver,
                                                    committed):
    webhook, _ = hook()
    receiver.close()
    submit(committed, users, challenge)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.last_status_code is None and delivery.last_error
    receiver.server = type("Closed", (), {"shutdown": lambda s: None,
                                          "server_close": lambda s: None})()


def test_an_attempt_is_made_once_even_if_queued_twice(users, challenge, hook, receiver,
                                                      committed):
    hook()
    receiver.statuses = [500]
    submit(committed, users, challenge)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliver_webhook.call(delivery.pk) == "pending"
    assert deliver_webhook.call(delivery.pk) == "not due"
    assert len(receiver.received) == 2


def test_redirects_are_not_followed(receiver):
    receiver.statuses = [302]
    result = http.post(receiver.url, b"{}", {}, timeout=5)
    assert not result.ok and result.status_code == 302


# --- Management: pages and API ----------------------------------------------------------------


def test_register_shows_the_secret_once_and_refuses_other_schemes(users, client_for):
    client = client_for("manager")
    form = {"name": "Innovation channel", "url": "https://hooks.example/abc",
            "events": ["idea.submitted", "challenge.opened"], "format": "teams"}
    response = client.post(reverse("notifications:webhook_create"), form)
    assert response.status_code == 200
    webhook = Webhook.objects.get()
    assert webhook.secret in response.content.decode()
    assert webhook.secret not in client.get(
        reverse("notifications:webhook_detail", args=[webhook.pk])).content.decode()
    event = AuditEvent.objects.get(verb="webhook.created")
    assert webhook.secret not in json.dumps(event.changes)
    for bad in ("ftp://hooks.example/x", "javascript:alert(1)", "file:///etc/passwd",
                "hooks.example/x", "http:///nohost"):
        answer = client.post(reverse("notifications:webhook_create"), {**form, "url": bad})
        assert answer.status_code == 400, bad
    assert Webhook.objects.count() == 1
    api = api_call(client, "post", "/api/v1/webhooks", {**form, "url": "gopher://x"})
    assert set(assert_error_body(api, 422, "invalid")["fields"]) == {"url"}


def test_api_register_patch_test_and_delete(users, client_for, receiver, committed):
    client = client_for("admin")
    created = api_call(client, "post", "/api/v1/webhooks", {
        "name": "Chat", "url": receiver.url, "events": ["comment.added"],
        "format": "slack"}).json()
    assert created["secret"].startswith("whsec_") and created["active"] is True
    url = f"/api/v1/webhooks/{created['id']}"
    assert "secret" not in client.get(url).json()
    patched = api_call(client, "patch", url, {"events": ["idea.submitted", "comment.added"]})
    assert patched.json()["events"] == ["idea.submitted", "comment.added"]
    assert_error_body(api_call(client, "patch", url, {"url": None}), 422)
    webhook = Webhook.objects.get()
    committed(lambda: actions.send_test(users["admin"], webhook))
    assert json.loads(receiver.received[0]["body"]) == {
        "text": f"Test message from Seedbed: <{webhook_link()}|Chat>"}
    log = client.get(url + "/deliveries").json()
    assert log["count"] == 1 and log["items"][0]["status"] == "succeeded"
    assert api_call(client, "delete", url).json() == {"deleted": True}
    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()


def webhook_link():
    from django.conf import settings

    return settings.SEEDBED_BASE_URL + "/"


def test_switched_off_webhook_cannot_be_tested(users, client_for, hook):
    webhook, _ = hook()
    actions.update_webhook(users["manager"], webhook, active=False)
    answer = api_call(client_for("manager"), "post", f"/api/v1/webhooks/{webhook.pk}/test")
    assert_error_body(answer, 409, "webhook_inactive")


@pytest.mark.parametrize("size", (3, 30))
def test_delivery_log_page_and_redeliver(size, users, client_for, hook, receiver, committed,
                                         django_assert_num_queries):
    webhook, _ = hook()
    failed = [WebhookDelivery.objects.create(
        webhook=webhook, event="idea.submitted", payload={"event": "idea.submitted"},
        status="failed", attempts=6, last_status_code=503, last_error="HTTP 503")
        for _ in range(size)]
    client = client_for("manager")
    # session, user, the bell, the webhook, the count and page of deliveries
    with django_assert_num_queries(6):
        html = client.get(reverse("notifications:webhook_detail", args=[webhook.pk])) \
            .content.decode()
    assert "Failed (gave up)" in html and "HTTP 503" in html and "Redeliver" in html
    redeliver = reverse("notifications:webhook_redeliver", args=[webhook.pk, failed[0].pk])
    committed(lambda: client.post(redeliver))
    failed[0].refresh_from_db()
    assert (failed[0].status, failed[0].attempts) == ("succeeded", 1)
    assert len(receiver.received) == 1
    assert AuditEvent.objects.filter(verb="webhook.redelivered").count() == 1


def test_switch_and_delete_pages(users, client_for, hook):
    webhook, _ = hook()
    client = client_for("manager")
    assert client.post(reverse("notifications:webhook_switch", args=[webhook.pk])).status_code \
        == 302
    webhook.refresh_from_db()
    assert webhook.active is False
    assert AuditEvent.objects.filter(verb="webhook.deactivated").count() == 1
    assert "To json" in client.get(reverse("notifications:webhook_list")).content.decode()
    assert client.post(reverse("notifications:webhook_delete", args=[webhook.pk])).status_code \
        == 302
    assert not Webhook.objects.exists()
    assert AuditEvent.objects.filter(verb="webhook.deleted").count() == 1
