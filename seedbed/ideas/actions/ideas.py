"""Ideas: draft, submit, edit, co-authors, tags, attachments, status (clause 8.3.3)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Challenge, Idea, IdeaType, IdeaVersion
from seedbed.lib.validation import clean_text
from seedbed.notifications import events

_clean_text = partial(clean_text, required=True)


def _idea_type_for(challenge: Challenge, idea_type: IdeaType | None,
                   errors: dict[str, str]) -> IdeaType | None:
    """The idea's type: the one given, which the challenge must accept; or, when the challenge
    accepts exactly one type, that one."""
    accepted = list(challenge.idea_types.all())
    if idea_type is None:
        if len(accepted) == 1:
            return accepted[0]
        errors["idea_type"] = "Choose the type of idea."
        return None
    if accepted and idea_type not in accepted:
        errors["idea_type"] = "This challenge does not take ideas of that type."
    return idea_type


@transaction.atomic
def submit_idea(actor, challenge: Challenge, *, title: str, description: str,
                idea_type: IdeaType | None = None) -> Idea:
    errors: dict[str, str] = {}
    title = _clean_text(title, "title", max_length=200, errors=errors)
    description = _clean_text(description, "description", max_length=20000, errors=errors)
    idea_type = _idea_type_for(challenge, idea_type, errors)
    if errors:
        raise ValidationError(errors)
    # Lock the challenge so a concurrent close cannot slip between the check and the insert.
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not challenge.accepts_ideas():
        raise StateConflict("This challenge is not accepting ideas.", "challenge_not_open")
    now = timezone.now()
    idea = Idea.objects.create(challenge=challenge, author=actor, title=title,
                               description=description, idea_type=idea_type,
                               org_unit_id=actor.org_unit_id, submitted_at=now,
                               created_at=now, updated_at=now, last_activity_at=now)
    IdeaVersion.objects.create(idea=idea, number=1, title=title, description=description,
                               custom_values={}, edited_by=actor, edited_at=now)
    Challenge.objects.filter(pk=challenge.pk).update(
        idea_count=F("idea_count") + 1, public_idea_count=F("public_idea_count") + 1)
    audit.record(actor, "idea.submitted", idea,
                 audit.created(idea, ("challenge", "idea_type", "title", "description",
                                      "status")))
    events.emit(events.IDEA_SUBMITTED, actor=actor, idea=idea, challenge=challenge)
    return idea


