from __future__ import annotations

from seedbed.core.demo.ideation import notifications as demo
from seedbed.notifications.models import NotificationPreference, Webhook, WebhookDelivery
from seedbed.notifications.selectors import email_preferences


def test_demo_sets_preferences_and_an_offline_webhook(users, committed):
    built = committed(lambda: demo.build({"users": users}))
    webhook = Webhook.objects.get()
    assert built["webhook"] == webhook and webhook.active is False
    assert ".example/" in webhook.url
    assert list(WebhookDelivery.objects.values_list("status", flat=True)) == ["failed"] * 2
    assert email_preferences(users["manager"])["challenge.opened"] == "off"
    assert email_preferences(users["contributor"])["idea.status_changed"] == "immediate"
    assert NotificationPreference.objects.filter(user=users["auditor"]).count() == 0
