"""Turns an emitted event into in-app notifications, e-mails and webhook deliveries.

Runs after the action's transaction has committed (``events.emit``). Who is told:

- ``comment.added``: the idea's author, accepted co-authors and followers (not the commenter,
  nor people the comment mentions: they get ``comment.mention``);
- ``comment.mention``, ``coauthor.invited``, ``expert.invited``: the people the action names;
- ``idea.status_changed``: the author, accepted co-authors and followers;
- ``challenge.opened``: the challenge's audience (every employee; the people in the targeted
  units and the units below them; the partner accounts of invited organisations), written in
  batches because it can be thousands of people;
- ``idea.submitted``: nobody in-app (webhooks only).

Every candidate is checked against the ideas selectors, so nobody is told about an idea or a
challenge they may not open (a confidential idea, a partner outside the challenge), and the
person who acted is never told about their own action.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import OrgUnit, User
from seedbed.ideas import selectors as idea_selectors
from seedbed.ideas.models import Challenge, CoAuthor, Comment, Follow, Idea
from seedbed.notifications import events
from seedbed.notifications.models import (
    KINDS,
    WEBHOOK_EVENTS,
    Notification,
    NotificationPreference,
    Webhook,
    WebhookDelivery,
)
from seedbed.notifications.payloads import absolute, body_for
from seedbed.notifications.selectors import email_choices_for

logger = logging.getLogger(__name__)

NOTIFIED_KINDS = {kind for kind, _ in KINDS}
HOOKED_EVENTS = {event for event, _ in WEBHOOK_EVENTS}
BATCH = 500


def handle(payload: dict) -> None:
    """Never lets a failure reach the action's caller: the change is already committed, and a
    notification that could not be written must not turn it into an error page."""
    try:
        _handle(payload)
    except Exception:
        logger.exception("notifications for %s failed", payload.get("event"))
        if getattr(settings, "TESTING", False):
            raise


def _handle(payload: dict) -> None:
    event = payload["event"]
    if event not in NOTIFIED_KINDS and event not in HOOKED_EVENTS:
        return
    idea = (Idea.objects.select_related("challenge", "author").filter(pk=payload["idea_id"])
            .first() if payload.get("idea_id") else None)
    comment = (Comment.objects.filter(pk=payload["comment_id"]).first()
               if payload.get("comment_id") else None)
    if idea is None and comment is not None:
        idea = Idea.objects.select_related("challenge", "author").get(pk=comment.idea_id)
    challenge = (Challenge.objects.filter(pk=payload["challenge_id"]).first()
                 if payload.get("challenge_id") else None)
    if challenge is None and idea is not None:
        challenge = idea.challenge
    actor = User.objects.filter(pk=payload["actor_id"]).first() if payload.get("actor_id") else None
    if event in NOTIFIED_KINDS:
        notify(event, actor=actor, idea=idea, challenge=challenge, comment=comment,
               named=payload.get("recipient_ids") or [])
    if event in HOOKED_EVENTS:
        queue_webhooks(event, actor=actor, idea=idea, challenge=challenge, comment=comment,
                       extra=payload.get("extra") or {})


# --- In-app notifications and e-mail ----------------------------------------------------------


def _quoted(title: str, limit: int = 200) -> str:
    title = title if len(title) <= limit else title[: limit - 1] + "…"
    return f"“{title}”"


def _text(event: str, actor: User | None, idea: Idea | None, challenge: Challenge | None) -> str:
    who = actor.full_name if actor else "Someone"
    if event == events.COMMENT_ADDED:
        text = f"{who} commented on {_quoted(idea.title)}"
    elif event == events.COMMENT_MENTION:
        text = f"{who} mentioned you in a comment on {_quoted(idea.title)}"
    elif event == events.IDEA_STATUS_CHANGED:
        text = f"{_quoted(idea.title)} is now {idea.get_status_display().lower()}"
    elif event == events.CHALLENGE_OPENED:
        text = f"New challenge open for your ideas: {_quoted(challenge.title)}"
    elif event == events.COAUTHOR_INVITED:
        text = f"{who} invited you to co-author {_quoted(idea.title)}"
    else:
        text = f"{who} asked for your expertise on {_quoted(idea.title)}"
    return text[:300]


def _url(idea: Idea | None, challenge: Challenge | None, comment: Comment | None) -> str:
    if idea is not None:
        url = idea.get_absolute_url()
        return f"{url}#comment-{comment.pk}" if comment is not None else url
    return challenge.get_absolute_url() if challenge is not None else ""


def _idea_team(idea: Idea) -> set[int]:
    accepted = CoAuthor.objects.filter(idea=idea, status=CoAuthor.Status.ACCEPTED)
    return {idea.author_id, *accepted.values_list("user_id", flat=True)}


def _followers(idea: Idea) -> set[int]:
    return set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))


def _may_see_idea(user_ids: Iterable[int], idea: Idea) -> list[User]:
    people = User.objects.filter(pk__in=list(user_ids), is_active=True).select_related("org_unit")
    return [person for person in people if policy.role_of(person) is not None
            and idea_selectors.visible_ideas(person).filter(pk=idea.pk).exists()]


def _unit_and_below(unit_ids: set[int]) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in OrgUnit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, todo = set(), list(unit_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def challenge_audience(challenge: Challenge) -> list[User]:
    """The people a challenge is aimed at who may see it. The selector is asked once per kind
    of person (role, unit, partner organisation), not once per person: those three decide what
    a person sees, so the cost grows with the organisation's shape, not its head count."""
    employees = User.objects.filter(is_active=True, role__in=policy.EMPLOYEES)
    if challenge.audience == Challenge.Audience.ORGANISATION:
        candidates = list(employees)
    elif challenge.audience == Challenge.Audience.UNITS:
        units = _unit_and_below(set(challenge.units.values_list("pk", flat=True)))
        candidates = list(employees.filter(org_unit_id__in=units))
    else:
        candidates = []
    partner_orgs = list(challenge.partner_orgs.values_list("pk", flat=True))
    if partner_orgs:
        candidates += list(User.objects.filter(is_active=True, role=policy.PARTNER,
                                               partner_org_id__in=partner_orgs))
    verdicts: dict[tuple, bool] = {}
    audience = []
    for person in candidates:
        if policy.role_of(person) is None:
            continue
        shape = (person.role, person.org_unit_id, person.partner_org_id)
        if shape not in verdicts:
            verdicts[shape] = idea_selectors.visible_challenges(person).filter(
                pk=challenge.pk).exists()
        if verdicts[shape]:
            audience.append(person)
    return audience


def recipients_for(event: str, *, actor: User | None, idea: Idea | None,
                   challenge: Challenge | None, comment: Comment | None,
                   named: list[int]) -> list[User]:
    if event == events.CHALLENGE_OPENED:
        if challenge is None:
            return []
        people = challenge_audience(challenge)
    elif idea is None:
        return []
    elif event == events.COMMENT_ADDED:
        wanted = _idea_team(idea) | _followers(idea)
        if comment is not None:
            wanted -= set(comment.mentions.values_list("pk", flat=True))
        people = _may_see_idea(wanted, idea)
    elif event == events.IDEA_STATUS_CHANGED:
        people = _may_see_idea(_idea_team(idea) | _followers(idea), idea)
    else:  # mentions and invitations: the people the action named
        people = _may_see_idea(set(named), idea)
    actor_id = actor.pk if actor is not None else None
    return [person for person in people if person.pk != actor_id]


def notify(event: str, *, actor: User | None, idea: Idea | None, challenge: Challenge | None,
           comment: Comment | None = None, named: list[int] | None = None) -> list[int]:
    """Write the notifications of one event and queue the immediate e-mails; returns the ids."""
    people = recipients_for(event, actor=actor, idea=idea, challenge=challenge,
                            comment=comment, named=named or [])
    if not people:
        return []
    text = _text(event, actor, idea, challenge)
    url = _url(idea, challenge, comment)
    choices = email_choices_for([p.pk for p in people], event)
    now = timezone.now()
    rows = [Notification(recipient=person, kind=event, actor=actor, idea=idea,
                         challenge=challenge if idea is None else None, text=text, url=url,
                         created_at=now,
                         in_digest=choices[person.pk] == NotificationPreference.Email.DAILY)
            for person in people]
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows, batch_size=BATCH)
    ids = [n.pk for n in created]
    if ids and ids[0] is None:  # a backend that returns no ids from bulk inserts
        ids = list(Notification.objects.filter(kind=event, created_at=now)
                   .values_list("pk", flat=True))
    immediate = [n.pk for n, person in zip(created, people, strict=True)
                 if choices[person.pk] == NotificationPreference.Email.IMMEDIATE]
    if immediate:
        from seedbed.notifications import tasks

        for start in range(0, len(immediate), 200):
            tasks.send_notification_emails.enqueue(immediate[start:start + 200])
    return ids


# --- Webhooks ---------------------------------------------------------------------------------

SUMMARIES = {
    events.IDEA_SUBMITTED: "New idea",
    events.IDEA_STATUS_CHANGED: "Idea status changed",
    events.COMMENT_ADDED: "New comment on",
    events.CHALLENGE_OPENED: "Challenge open for ideas",
}


def _person(user: User | None) -> dict | None:
    return {"id": user.pk, "name": user.full_name} if user is not None else None


def _idea_data(idea: Idea) -> dict:
    ch = idea.challenge
    return {"id": idea.pk, "title": idea.title, "status": idea.status,
            "url": absolute(idea.get_absolute_url()),
            "challenge": {"id": ch.pk, "title": ch.title} if ch is not None else None}


def _challenge_data(challenge: Challenge) -> dict:
    return {"id": challenge.pk, "title": challenge.title, "status": challenge.status,
            "url": absolute(challenge.get_absolute_url()),
            "opens_on": challenge.opens_on.isoformat() if challenge.opens_on else None,
            "closes_on": challenge.closes_on.isoformat() if challenge.closes_on else None}


def _simple(extra: dict) -> dict:
    return {str(k): v for k, v in extra.items()
            if isinstance(v, (str, int, float, bool)) or v is None}


def event_message(event: str, *, actor: User | None, idea: Idea | None,
                  challenge: Challenge | None, comment: Comment | None,
                  extra: dict) -> tuple[dict, str, str, str] | None:
    """(data, summary, title, url) for a webhook event, or None when it must not leave."""
    if event == events.CHALLENGE_OPENED:
        if challenge is None:
            return None
        return ({"challenge": _challenge_data(challenge), "actor": _person(actor)},
                SUMMARIES[event], challenge.title, challenge.get_absolute_url())
    if idea is None:
        return None
    # Confidential ideas (clause 7.1.7) and drafts never leave through a webhook: the receiving
    # chat channel knows nothing of Seedbed's access rules.
    if idea.confidential or idea.status == Idea.Status.DRAFT:
        return None
    data = {"idea": _idea_data(idea), "actor": _person(actor)}
    summary = SUMMARIES[event]
    url = idea.get_absolute_url()
    if event == events.IDEA_STATUS_CHANGED:
        data["changes"] = _simple(extra)
        summary = f"Idea now {idea.get_status_display().lower()}"
    if event == events.COMMENT_ADDED and comment is not None:
        url = f"{url}#comment-{comment.pk}"
        data["comment"] = {"id": comment.pk, "url": absolute(url)}
        summary = f"{actor.full_name if actor else 'Someone'} commented on"
    return data, summary, idea.title, url


def queue_webhooks(event: str, *, actor: User | None = None, idea: Idea | None = None,
                   challenge: Challenge | None = None, comment: Comment | None = None,
                   extra: dict | None = None) -> list[WebhookDelivery]:
    hooks = [hook for hook in Webhook.objects.filter(active=True) if event in hook.events]
    if not hooks:
        return []
    message = event_message(event, actor=actor, idea=idea, challenge=challenge,
                            comment=comment, extra=extra or {})
    if message is None:
        return []
    data, summary, title, url = message
    return create_deliveries(hooks, event, data=data, summary=summary, title=title, url=url)


def create_deliveries(hooks: list[Webhook], event: str, *, data: dict, summary: str, title: str,
                      url: str) -> list[WebhookDelivery]:
    """One delivery per webhook, its body fixed now (a redelivery sends the same bytes' content),
    posted by the background worker once this transaction commits."""
    now = timezone.now()
    event_id = uuid.uuid4().hex
    with transaction.atomic():
        deliveries = [WebhookDelivery.objects.create(
            webhook=hook, event=event, created_at=now, next_attempt_at=now,
            payload=body_for(hook.format, event=event, event_id=event_id,
                             occurred_at=now.isoformat(), data=data, summary=summary,
                             title=title, url=url))
            for hook in hooks]
        from seedbed.notifications import tasks

        for delivery in deliveries:
            transaction.on_commit(lambda pk=delivery.pk: tasks.schedule_delivery(pk))
    return deliveries
