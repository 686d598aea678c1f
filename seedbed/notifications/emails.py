"""The e-mails: one per notification, or the daily digest. Plain text with a simple HTML
alternative; links are absolute, built from SEEDBED_BASE_URL."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from seedbed import policy
from seedbed.ideas import selectors as idea_selectors
from seedbed.notifications.models import Notification, NotificationPreference
from seedbed.notifications.payloads import absolute
from seedbed.notifications.selectors import KIND_LABELS, email_preferences


def still_visible(user, items: list[Notification]) -> list[Notification]:
    """The notifications whose idea or challenge the person may still open (two queries):
    access can change between the event and the e-mail (an idea marked confidential)."""
    if policy.role_of(user) is None:
        return []
    idea_ids = {n.idea_id for n in items if n.idea_id}
    challenge_ids = {n.challenge_id for n in items if n.challenge_id}
    ideas = set(idea_selectors.visible_ideas(user).filter(pk__in=idea_ids)
                .values_list("pk", flat=True)) if idea_ids else set()
    challenges = set(idea_selectors.visible_challenges(user).filter(pk__in=challenge_ids)
                     .values_list("pk", flat=True)) if challenge_ids else set()

    def available(n: Notification) -> bool:
        if n.idea_id:
            return n.idea_id in ideas
        if n.challenge_id:
            return n.challenge_id in challenges
        return True

    return [n for n in items if available(n)]


def _send(user, subject: str, template: str, context: dict) -> int:
    context = {**context, "user": user,
               "preferences_url": absolute(reverse("notifications:preferences")),
               "notifications_url": absolute(reverse("notifications:list"))}
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context),
                               "text/html")
    return message.send()


def send_one(notification: Notification) -> int:
    user = notification.recipient
    if not still_visible(user, [notification]):
        return 0
    subject = f"[Seedbed] {notification.text}"[:200].replace("\n", " ")
    return _send(user, subject, "one", {"notification": notification,
                                        "link": absolute(notification.url),
                                        "kind_label": KIND_LABELS.get(notification.kind, "")})


def send_digest(user, items: list[Notification]) -> int:
    wanted = email_preferences(user)
    shown = [n for n in still_visible(user, items)
             if wanted.get(n.kind) != NotificationPreference.Email.OFF]
    if not shown:
        return 0
    entries = [{"text": n.text, "link": absolute(n.url), "at": n.created_at} for n in shown]
    count = len(entries)
    subject = f"[Seedbed] Your daily digest: {count} update{'s' if count != 1 else ''}"
    return _send(user, subject, "digest", {"entries": entries, "count": count})
