"""Notifications in the demo: people's e-mail settings and one webhook to the innovation team's
chat, with a delivery log.

Needs ``ctx["users"]`` (by person key; the role accounts under their role names). Run it last
of the ideation builders; returns ``{"webhook": Webhook}``.

The in-app notifications themselves come from the real events of the other builders
(challenges opening, comments, mentions, invitations): the dispatcher runs when the demo's
transaction commits, with the e-mail settings chosen here. Most colleagues take the daily
digest, so seeding prints few e-mails to the console.

The webhook points at an address under ``.example`` (reserved, never resolves) and is switched
off, so ``make run`` never tries the network; its log shows what a failing receiver looks like.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from seedbed import policy
from seedbed.notifications import actions
from seedbed.notifications.models import WebhookDelivery

DAILY, OFF, IMMEDIATE = "daily", "off", "immediate"

# The role accounts, each with settings someone in that seat would choose.
ROLE_SETTINGS = {
    # Runs the IMS: hears of every comment in the digest, never of challenges they opened.
    policy.MANAGER: {"comment.added": DAILY, "challenge.opened": OFF,
                     "idea.status_changed": DAILY},
    # Top management reads one e-mail a day at most.
    policy.LEADER: {"comment.added": DAILY, "comment.mention": DAILY, "expert.invited": DAILY,
                    "coauthor.invited": DAILY},
    # Wants to know at once when their idea moves.
    policy.CONTRIBUTOR: {"idea.status_changed": IMMEDIATE},
    policy.EVALUATOR: {"comment.added": DAILY},
    policy.ADMIN: {"comment.added": OFF, "challenge.opened": OFF, "idea.status_changed": OFF},
}
COLLEAGUE_SETTINGS = {"comment.added": DAILY, "comment.mention": DAILY,
                      "coauthor.invited": DAILY, "expert.invited": DAILY}

WEBHOOK_URL = "https://chat.alder-valley.example/hooks/innovation-team"


def build(ctx: dict) -> dict:
    users = ctx["users"]
    for key, person in users.items():
        wanted = ROLE_SETTINGS.get(key, COLLEAGUE_SETTINGS if key not in policy.ROLES else {})
        if wanted:
            actions.set_email_preferences(person, wanted)
    manager = users[policy.MANAGER]
    webhook, _secret = actions.create_webhook(
        manager, name="Innovation team channel (Teams)", url=WEBHOOK_URL,
        events=["idea.submitted", "challenge.opened"], format="teams")
    # Two earlier messages the channel never received: the reason it was switched off.
    now = timezone.now()
    for hours, title in ((30, "Refill pouches for our sauces"),
                         (6, "Heat recovery from the Leeds chillers")):
        WebhookDelivery.objects.create(
            webhook=webhook, event="idea.submitted", status=WebhookDelivery.Status.FAILED,
            payload={"text": f"New idea: {title}"},
            attempts=6, last_error="URLError: [Errno -2] Name or service not known",
            created_at=now - timedelta(hours=hours))
    webhook = actions.update_webhook(manager, webhook, active=False)
    return {"webhook": webhook}
