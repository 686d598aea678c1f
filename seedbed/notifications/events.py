"""The one place actions announce what happened; notifications and webhooks listen here.

Actions call ``emit(...)`` inside their transaction; the work runs on commit, so a rolled-back
change never notifies anyone. Recipients are computed from the records at that moment and each
is checked against the idea/challenge selectors (a confidential idea never notifies someone who
may not see it).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

# Event names (see models.KINDS and models.WEBHOOK_EVENTS).
IDEA_SUBMITTED = "idea.submitted"
IDEA_STATUS_CHANGED = "idea.status_changed"
COMMENT_ADDED = "comment.added"
COMMENT_MENTION = "comment.mention"
CHALLENGE_OPENED = "challenge.opened"
COAUTHOR_INVITED = "coauthor.invited"
EXPERT_INVITED = "expert.invited"


def emit(event: str, *, actor: Any = None, idea: Any = None, challenge: Any = None,
         comment: Any = None, recipients: list[Any] | None = None,
         extra: dict | None = None) -> None:
    """Announce ``event``. ``recipients`` names people to tell directly (mentions, invitations);
    the dispatcher adds the people an event concerns (authors, followers, unit members)."""
    from seedbed.notifications import dispatch

    payload = {"event": event, "actor_id": getattr(actor, "pk", None),
               "idea_id": getattr(idea, "pk", None),
               "challenge_id": getattr(challenge, "pk", None),
               "comment_id": getattr(comment, "pk", None),
               "recipient_ids": [u.pk for u in (recipients or [])],
               "extra": extra or {}}
    transaction.on_commit(lambda: dispatch.handle(payload))
