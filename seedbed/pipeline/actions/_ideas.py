"""The original ideas follow their initiative: their status changes with it and their authors
and followers are told (notifications: ``idea.status_changed``)."""

from __future__ import annotations

from django.utils import timezone

from seedbed.ideas.models import Idea
from seedbed.notifications import events
from seedbed.pipeline.models import Initiative

# Initiative outcome → the status its ideas take.
FOLLOW = {
    "promoted": Idea.Status.SELECTED,
    Initiative.Status.ACTIVE: Idea.Status.SELECTED,
    Initiative.Status.ON_HOLD: Idea.Status.PARKED,
    Initiative.Status.STOPPED: Idea.Status.DECLINED,
    Initiative.Status.DEPLOYED: Idea.Status.IMPLEMENTED,
}


def follow_ideas(actor, initiative: Initiative, state: str, reason: str) -> dict[int, dict]:
    """Set the linked ideas' status to what ``state`` maps to; returns the changes
    ``{idea id: {"before": …, "after": …}}`` for the caller's audit event (the caller records
    the one event of its action). Merged ideas are left alone."""
    status = FOLLOW[state]
    ideas = list(Idea.objects.select_for_update(of=("self",))
                 .filter(initiative_link__initiative_id=initiative.pk)
                 .exclude(status__in=(Idea.Status.MERGED, status))
                 .select_related("challenge").order_by("pk"))
    now = timezone.now()
    changes = {}
    for idea in ideas:
        changes[idea.pk] = {"before": idea.status, "after": status}
        before = idea.status
        idea.status = status
        idea.updated_at = now
        idea.save(update_fields=["status", "updated_at"])
        events.emit(events.IDEA_STATUS_CHANGED, actor=actor, idea=idea, challenge=idea.challenge,
                    extra={"from": before, "to": status, "reason": reason,
                           "initiative_id": initiative.pk})
    return changes
