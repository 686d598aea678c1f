"""Co-creation: threaded comments, mentions, follows, expert invitations (clause 6.6).

Decisions (see docs): threads are one level deep, so a reply to a reply joins the thread of
the comment it answers (its ``parent`` is that thread's first comment). A person's first
comment on an idea makes them follow it; unfollowing afterwards sticks. Authors are made
followers by the action that submits the idea (``auto_follow``).
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from seedbed import policy
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Comment, ExpertInvitation, Follow, Idea
from seedbed.ideas.selectors import discussion as reads
from seedbed.lib.validation import clean_text, is_valid_id
from seedbed.notifications import events

_clean_text = partial(clean_text, required=True)


def _refuse_closed_discussion(idea: Idea) -> None:
    if idea.status == Idea.Status.MERGED:
        raise StateConflict("This idea was merged into another; continue there.", "idea_merged")
    if idea.status == Idea.Status.DRAFT:
        raise StateConflict("Comments open once the idea is submitted.", "idea_draft")


def _parent_for(idea: Idea, parent_id, errors: dict[str, str]) -> Comment | None:
    if parent_id in (None, ""):
        return None
    try:
        parent_id = int(parent_id)
    except (TypeError, ValueError):
        errors["parent_id"] = "Choose a comment to reply to."
        return None
    parent = (Comment.objects.filter(pk=parent_id).only("pk", "idea_id", "parent_id").first()
              if is_valid_id(parent_id) else None)
    if parent is None or parent.idea_id != idea.pk:
        errors["parent_id"] = "You can only reply to a comment on this idea."
        return None
    # One level of threads: answering a reply answers its thread.
    if parent.parent_id is not None:
        parent = Comment.objects.only("pk", "idea_id", "parent_id").get(pk=parent.parent_id)
    return parent


def auto_follow(user, idea: Idea) -> bool:
    """Make ``user`` follow ``idea`` as part of another action (its audit event says so): no
    event of its own. Returns whether a follow was added."""
    _, made = Follow.objects.get_or_create(idea=idea, user=user)
    if made:
        Idea.objects.filter(pk=idea.pk).update(follower_count=F("follower_count") + 1)
    return made


def _touch_trend(idea: Idea, at) -> None:
    """A comment makes the idea "trend" in the feed (the feed owns the score)."""
    from seedbed.ideas.selectors import feed

    feed.record_activity(idea, "comment", at)


@transaction.atomic
def add_comment(actor, idea: Idea, *, body: str, parent_id: int | None = None) -> Comment:
    errors: dict[str, str] = {}
    body = _clean_text(body, "body", max_length=5000, errors=errors)
    parent = _parent_for(idea, parent_id, errors)
    if errors:
        raise ValidationError(errors)
    # The idea row is the lock: counters and the follow stay exact under concurrent comments.
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    _refuse_closed_discussion(idea)
    mentioned = reads.resolve_mentions(actor, idea, body)
    first_here = not Comment.objects.filter(idea=idea, author=actor).exists()
    now = timezone.now()
    comment = Comment.objects.create(idea=idea, author=actor, body=body, parent=parent,
                                     created_at=now)
    if mentioned:
        comment.mentions.set(mentioned)
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1,
                                           last_activity_at=now)
    followed = first_here and auto_follow(actor, idea)
    changes = audit.created(comment, ("idea", "parent", "body", "mentions"))
    if followed:
        changes["followed"] = {"before": False, "after": True}
    audit.record(actor, "comment.added", comment, changes)
    _touch_trend(idea, now)
    events.emit(events.COMMENT_ADDED, actor=actor, idea=idea, challenge=idea.challenge,
                comment=comment)
    if mentioned:
        events.emit(events.COMMENT_MENTION, actor=actor, idea=idea, challenge=idea.challenge,
                    comment=comment, recipients=mentioned)
    return comment


@transaction.atomic
def follow_idea(actor, idea: Idea) -> tuple[bool, int]:
    """Follow ``idea``. Returns (following, follower count); following twice changes nothing."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status == Idea.Status.MERGED:
        raise StateConflict("This idea was merged into another; follow that one.", "idea_merged")
    if auto_follow(actor, idea):
        audit.record(actor, "idea.followed", idea, {"follower_count": {
            "before": idea.follower_count, "after": idea.follower_count + 1}})
        return True, idea.follower_count + 1
    return True, idea.follower_count


@transaction.atomic
def unfollow_idea(actor, idea: Idea) -> tuple[bool, int]:
    """Stop following ``idea``. Returns (following, follower count); idempotent."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    deleted, _ = Follow.objects.filter(idea=idea, user=actor).delete()
    if not deleted:
        return False, idea.follower_count
    Idea.objects.filter(pk=idea.pk).update(follower_count=F("follower_count") - 1)
    audit.record(actor, "idea.unfollowed", idea, {"follower_count": {
        "before": idea.follower_count, "after": idea.follower_count - 1}})
    return False, idea.follower_count - 1


@transaction.atomic
def invite_expert(actor, idea: Idea, *, expert, competency=None,
                  message: str = "") -> ExpertInvitation:
    """Ask an employee with the right competency to bring their expertise to an idea."""
    reads.require_expert_inviter(actor, idea)
    errors: dict[str, str] = {}
    message = clean_text(message, "message", max_length=500, errors=errors)
    if expert is None:
        errors["expert_id"] = "Choose a person to invite."
    elif (policy.role_of(expert) not in policy.EMPLOYEES
          or not reads.may_see_idea(expert, idea)):
        # Partners are never invited this way, nor anyone who could not read the idea (a
        # confidential one, a challenge outside their unit).
        errors["expert_id"] = "This person cannot see the idea, so they cannot be invited."
    elif expert.pk == actor.pk or expert.pk == idea.author_id:
        errors["expert_id"] = "Invite someone other than yourself or the idea's author."
    elif competency is not None and not expert.competencies.filter(pk=competency.pk).exists():
        errors["competency_id"] = "This person does not hold that competency."
    if errors:
        raise ValidationError(errors)
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status in (Idea.Status.MERGED, Idea.Status.DRAFT):
        raise StateConflict("Experts are invited to submitted ideas only.", "idea_not_open")
    if ExpertInvitation.objects.filter(idea=idea, expert=expert).exists():
        raise StateConflict(f"{expert.full_name} is already invited.", "already_invited")
    invitation = ExpertInvitation.objects.create(idea=idea, expert=expert, competency=competency,
                                                 message=message, invited_by=actor)
    audit.record(actor, "expert.invited", invitation,
                 audit.created(invitation, ("idea", "expert", "competency", "message")))
    events.emit(events.EXPERT_INVITED, actor=actor, idea=idea, challenge=idea.challenge,
                recipients=[expert], extra={"invitation_id": invitation.pk,
                                            "competency": str(competency or "")})
    return invitation
