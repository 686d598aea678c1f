"""Ideas: draft, submit, edit with versions, co-authors, tags, attachments, the IP-confidential
flag, evaluators and status (clauses 8.3.3 create concepts, 6.6 collaboration, 7.1.7 IP).

Counters. ``Challenge.idea_count`` counts every submitted idea in the challenge (drafts and
merged ideas never); ``Challenge.public_idea_count`` the ones that are also not confidential.
They change here only when an idea becomes submitted (``submit``/``submit_draft``) or when a
submitted idea's confidential flag flips (``update_idea``); status changes between submitted,
under review, selected, parked and declined leave both alone (those ideas stay listed).
"""

from __future__ import annotations

import re
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from seedbed import policy
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas import attachments as storage
from seedbed.ideas import customfields
from seedbed.ideas.models import (
    Attachment,
    Challenge,
    CoAuthor,
    Idea,
    IdeaType,
    IdeaVersion,
    Tag,
)
from seedbed.ideas.selectors import ideas as idea_reads
from seedbed.lib.validation import clean_text
from seedbed.notifications import events

_clean_text = partial(clean_text, required=True)

MAX_TAGS = 10
TAG_MAX_LENGTH = 40
# Letters and digits of any script, then also spaces, hyphens, dots, plus, hash, ampersand.
_TAG_RE = re.compile(r"^[^\W_][\w .+#&-]*$")
# The fields an edit may change, and the ones its audit event compares.
IDEA_FIELDS = ("title", "description", "custom_values", "confidential", "tags")

# Who may move an idea where (managers only). A reason is required for every decision.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Idea.Status.SUBMITTED: (Idea.Status.UNDER_REVIEW, Idea.Status.PARKED, Idea.Status.DECLINED),
    Idea.Status.UNDER_REVIEW: (Idea.Status.SELECTED, Idea.Status.PARKED, Idea.Status.DECLINED,
                               Idea.Status.SUBMITTED),
    Idea.Status.PARKED: (Idea.Status.UNDER_REVIEW, Idea.Status.DECLINED),
    Idea.Status.SELECTED: (Idea.Status.UNDER_REVIEW,),
    Idea.Status.DECLINED: (Idea.Status.UNDER_REVIEW,),
}
REASON_MAX = 2000


# --- Shared checks ----------------------------------------------------------------------------


def clean_tags(raw, errors: dict[str, str]) -> list[str]:
    """Free tags: a list of names or one comma-separated string. Lower-case, trimmed, inner
    spaces collapsed, 1-40 characters each, at most ten, duplicates dropped."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, (list, tuple)) or not all(isinstance(t, str) for t in raw):
        errors["tags"] = "Give the tags as a list of words."
        return []
    names: list[str] = []
    for item in raw:
        name = " ".join(item.split()).lower()
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            errors["tags"] = f"Keep each tag under {TAG_MAX_LENGTH} characters ({name[:20]}…)."
            return []
        if not _TAG_RE.match(name):
            errors["tags"] = (f"“{name[:40]}” is not a tag: use letters, digits, spaces and "
                              "- . + # &.")
            return []
        if name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        errors["tags"] = f"Give at most {MAX_TAGS} tags (there are {len(names)})."
        return []
    return names


def _tag_rows(names: list[str]) -> list[Tag]:
    """The Tag rows for these names, reusing existing ones (two queries at most, plus one
    insert per new tag)."""
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    rows = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag, _ = Tag.objects.get_or_create(name=name)
        rows.append(tag)
    return rows


def _idea_type_for(challenge: Challenge | None, idea_type: IdeaType | None,
                   errors: dict[str, str]) -> IdeaType | None:
    """The idea's type: the one given, which the challenge must accept; or, when only one
    type is possible, that one."""
    if challenge is not None:
        accepted = [t for t in challenge.idea_types.all() if t.active]
    else:
        accepted = list(IdeaType.objects.filter(active=True))
    if idea_type is None:
        if len(accepted) == 1:
            return accepted[0]
        errors["idea_type"] = "Choose the type of idea."
        return None
    if not idea_type.active or (accepted and idea_type not in accepted):
        errors["idea_type"] = ("This challenge does not take ideas of that type."
                               if challenge is not None else "Choose an active idea type.")
    return idea_type


def _listed(idea: Idea) -> bool:
    """Counted in its challenge's counters (see the module's docstring)."""
    return idea.challenge_id is not None and idea.status not in (Idea.Status.DRAFT,
                                                                 Idea.Status.MERGED)


def _count(idea: Idea, *, total: int, public: int) -> None:
    if idea.challenge_id is None or not (total or public):
        return
    Challenge.objects.filter(pk=idea.challenge_id).update(
        idea_count=F("idea_count") + total, public_idea_count=F("public_idea_count") + public)


def _store_files(actor, idea: Idea, uploads: dict, values: dict) -> None:
    """Store answers to file questions as attachments (replacing an earlier answer's file)."""
    if not uploads:
        return
    now = timezone.now()
    for key, (upload, content_type) in uploads.items():
        Attachment.objects.filter(idea=idea, field_key=key, removed_at__isnull=True).update(
            removed_at=now)
        attachment = storage.store(idea, upload, uploaded_by=actor, content_type=content_type,
                                   field_key=key)
        values[key] = {"attachment_id": attachment.pk, "name": attachment.original_name}


def _split_answers(definitions, stored: dict) -> tuple[dict, dict]:
    """The idea's stored answers to its current questions: (plain answers, file answers).
    Answers to questions since removed or deactivated are left out (and so dropped on save)."""
    kinds = {f.key: f.kind for f in definitions}
    plain = {k: v for k, v in stored.items() if k in kinds and kinds[k] != "file"}
    files = {k: v for k, v in stored.items() if kinds.get(k) == "file"}
    return plain, files


def _check_target(actor, challenge: Challenge | None, focus_area, *, draft: bool) -> None:
    if (challenge is None) == (focus_area is None):
        raise ValidationError({"focus_area": "Send the idea to a challenge or a focus area."})
    if challenge is not None:
        if draft:
            if challenge.status == Challenge.Status.CLOSED:
                raise StateConflict("This challenge is closed.", "challenge_not_open")
        elif not challenge.accepts_ideas():
            raise StateConflict("This challenge is not accepting ideas.", "challenge_not_open")
        return
    from seedbed.strategy.models import FocusArea

    if focus_area.status != FocusArea.Status.ACTIVE:
        raise ValidationError({"focus_area": "Ideas can be sent only against an active focus "
                                             "area."})
    if policy.role_of(actor) not in policy.EMPLOYEES:
        # Partners take part only in the challenges their organisation is invited to.
        raise PermissionDenied("Partners submit ideas to the challenges they are invited to.")


# --- Draft and submit -------------------------------------------------------------------------


@transaction.atomic
def create_idea(actor, *, challenge: Challenge | None = None, focus_area=None, title: str,
                description: str, idea_type: IdeaType | None = None,
                custom_values: dict | None = None, files: dict | None = None,
                tags=None, confidential: bool = False, draft: bool = False) -> Idea:
    """A new idea in ``challenge`` or against ``focus_area``: submitted at once, or saved as a
    draft (private to its authors, not counted, announced to nobody)."""
    if challenge is not None:
        # Lock the challenge so a concurrent close cannot slip between the check and insert.
        challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    _check_target(actor, challenge, focus_area, draft=draft)
    errors: dict[str, str] = {}
    title = _clean_text(title, "title", max_length=200, errors=errors)
    description = _clean_text(description, "description", max_length=20000, errors=errors)
    idea_type = _idea_type_for(challenge, idea_type, errors)
    tag_names = clean_tags(tags, errors)
    values, uploads = {}, {}
    try:
        values, uploads = customfields.clean_values(
            customfields.definitions_for(challenge, idea_type), custom_values or {}, files,
            require=not draft)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    status = Idea.Status.DRAFT if draft else Idea.Status.SUBMITTED
    idea = Idea.objects.create(
        challenge=challenge, focus_area=focus_area, author=actor, title=title,
        description=description, idea_type=idea_type, org_unit_id=actor.org_unit_id,
        status=status, confidential=bool(confidential), submitted_at=None if draft else now,
        created_at=now, updated_at=now, last_activity_at=now)
    if tag_names:
        idea.tags.set(_tag_rows(tag_names))
    _store_files(actor, idea, uploads, values)
    if values:
        idea.custom_values = values
        idea.save(update_fields=["custom_values"])
    IdeaVersion.objects.create(idea=idea, number=1, title=title, description=description,
                               custom_values=values, edited_by=actor, edited_at=now)
    fields = ("challenge", "focus_area", "idea_type", "title", "description", "status",
              "confidential", "custom_values", "tags")
    if draft:
        audit.record(actor, "idea.drafted", idea, audit.created(idea, fields))
        return idea
    _count(idea, total=1, public=0 if idea.confidential else 1)
    audit.record(actor, "idea.submitted", idea, audit.created(idea, fields))
    _announce_submission(actor, idea)
    return idea


def _announce_submission(actor, idea: Idea) -> None:
    from seedbed.ideas.actions import discussion
    from seedbed.ideas.selectors import feed

    # Authors follow their own idea, so they hear about its status and comments.
    discussion.auto_follow(actor, idea)
    # A new idea starts "trending" from its submission, not from its first vote or comment.
    feed.record_activity(idea, "submit", idea.submitted_at)
    events.emit(events.IDEA_SUBMITTED, actor=actor, idea=idea, challenge=idea.challenge)


def submit_idea(actor, challenge: Challenge, *, title: str, description: str,
                idea_type: IdeaType | None = None, **fields) -> Idea:
    """Submit an idea to an open challenge (the name every other app and the demo use)."""
    return create_idea(actor, challenge=challenge, title=title, description=description,
                       idea_type=idea_type, **fields)


@transaction.atomic
def submit_draft(actor, idea: Idea) -> Idea:
    """Send a draft in: checks the required answers and that the challenge is open."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not idea_reads.may_edit(actor, idea):
        raise PermissionDenied("Only the idea's authors may submit it.")
    if idea.status != Idea.Status.DRAFT:
        raise StateConflict("This idea has already been submitted.", "not_a_draft")
    challenge = (Challenge.objects.select_for_update().get(pk=idea.challenge_id)
                 if idea.challenge_id else None)
    _check_target(idea.author, challenge, idea.focus_area, draft=False)
    definitions = customfields.definitions_for(challenge, idea.idea_type)
    answers, stored = _split_answers(definitions, idea.custom_values)
    values, _ = customfields.clean_values(definitions, answers, {}, existing=stored)
    now = timezone.now()
    idea.status = Idea.Status.SUBMITTED
    idea.submitted_at = now
    idea.custom_values = values
    idea.updated_at = idea.last_activity_at = now
    idea.save(update_fields=["status", "submitted_at", "custom_values", "updated_at",
                             "last_activity_at"])
    _count(idea, total=1, public=0 if idea.confidential else 1)
    audit.record(actor, "idea.submitted", idea,
                 {"status": {"before": Idea.Status.DRAFT, "after": Idea.Status.SUBMITTED}})
    _announce_submission(actor, idea)
    return idea


# --- Edit with versions -----------------------------------------------------------------------

_UNSET = object()


@transaction.atomic
def update_idea(actor, idea: Idea, *, title=_UNSET, description=_UNSET, custom_values=_UNSET,
                files: dict | None = None, tags=_UNSET, confidential=_UNSET) -> Idea:
    """Change an idea; every save that changes something is a new version (number + 1) and
    one audit event with the differences. Fields left out stay as they are."""
    # Only the idea's own row is locked: its challenge and type are nullable (outer joins),
    # which PostgreSQL cannot lock.
    idea = (Idea.objects.select_for_update(of=("self",))
            .select_related("challenge", "idea_type").get(pk=idea.pk))
    if not idea_reads.may_edit(actor, idea):
        raise PermissionDenied("Only the idea's authors and innovation managers may change it.")
    if idea.status == Idea.Status.MERGED:
        raise StateConflict("This idea was merged into another; edit that one.", "idea_merged")
    before = audit.snapshot(idea, IDEA_FIELDS)
    errors: dict[str, str] = {}
    new_title = idea.title if title is _UNSET else _clean_text(
        title, "title", max_length=200, errors=errors)
    new_description = idea.description if description is _UNSET else _clean_text(
        description, "description", max_length=20000, errors=errors)
    tag_names = None if tags is _UNSET else clean_tags(tags, errors)
    definitions = customfields.definitions_for(idea.challenge, idea.idea_type)
    answers, stored = _split_answers(definitions, idea.custom_values)
    if custom_values is not _UNSET:
        answers = dict(custom_values or {})
    values, uploads = idea.custom_values, {}
    try:
        values, uploads = customfields.clean_values(
            definitions, answers, files, existing=stored,
            require=idea.status != Idea.Status.DRAFT)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    was_public = _listed(idea) and not idea.confidential
    idea.title, idea.description = new_title, new_description
    if confidential is not _UNSET:
        idea.confidential = bool(confidential)
    if tag_names is not None:
        idea.tags.set(_tag_rows(tag_names))
    _store_files(actor, idea, uploads, values)
    idea.custom_values = values
    after = audit.snapshot(idea, IDEA_FIELDS)
    changes = audit.diff(before, after)
    if not changes:
        return idea
    now = timezone.now()
    idea.version += 1
    idea.updated_at = idea.last_activity_at = now
    idea.save(update_fields=["title", "description", "custom_values", "confidential",
                             "version", "updated_at", "last_activity_at"])
    IdeaVersion.objects.create(idea=idea, number=idea.version, title=idea.title,
                               description=idea.description, custom_values=idea.custom_values,
                               edited_by=actor, edited_at=now)
    is_public = _listed(idea) and not idea.confidential
    if was_public != is_public:
        _count(idea, total=0, public=1 if is_public else -1)
    changes["version"] = {"before": idea.version - 1, "after": idea.version}
    audit.record(actor, "idea.updated", idea, changes)
    return idea


# --- Co-authors -------------------------------------------------------------------------------


def _may_coauthor(invitee, idea: Idea, inviter) -> bool:
    """Employees may co-author any idea; a partner only an idea in a challenge their
    organisation is invited to, and (when a partner invites) only from the same organisation."""
    role = policy.role_of(invitee)
    if role in policy.EMPLOYEES:
        return True
    if role != policy.PARTNER or not invitee.partner_org_id or idea.challenge_id is None:
        return False
    if policy.role_of(inviter) == policy.PARTNER and \
            inviter.partner_org_id != invitee.partner_org_id:
        return False
    return idea.challenge.partner_orgs.filter(pk=invitee.partner_org_id).exists()


@transaction.atomic
def invite_coauthor(actor, idea: Idea, invitee) -> CoAuthor:
    idea = Idea.objects.select_for_update(of=("self",)).select_related("challenge").get(pk=idea.pk)
    if not idea_reads.may_invite(actor, idea):
        raise PermissionDenied("Only the idea's authors may invite co-authors.")
    if idea.status == Idea.Status.MERGED:
        raise StateConflict("This idea was merged into another.", "idea_merged")
    if invitee is None or invitee.pk == idea.author_id:
        raise ValidationError({"user": "Choose a colleague other than the idea's author."})
    if not _may_coauthor(invitee, idea, actor):
        raise ValidationError({"user": "This person cannot co-author this idea."})
    invitation = CoAuthor.objects.filter(idea=idea, user=invitee).first()
    now = timezone.now()
    if invitation is None:
        invitation = CoAuthor.objects.create(idea=idea, user=invitee, invited_by=actor,
                                             invited_at=now)
    elif invitation.status == CoAuthor.Status.DECLINED:
        # Asking again after a "no" is allowed: the answer is awaited anew.
        invitation.status, invitation.invited_by = CoAuthor.Status.INVITED, actor
        invitation.invited_at, invitation.responded_at = now, None
        invitation.save(update_fields=["status", "invited_by", "invited_at", "responded_at"])
    else:
        raise StateConflict(f"{invitee.full_name} is already "
                            f"{'invited' if invitation.status == 'invited' else 'a co-author'}.",
                            "already_invited")
    audit.record(actor, "coauthor.invited", idea,
                 {"coauthor": {"before": None, "after": invitee.pk}})
    events.emit(events.COAUTHOR_INVITED, actor=actor, idea=idea, challenge=idea.challenge,
                recipients=[invitee])
    return invitation


@transaction.atomic
def respond_to_invitation(actor, invitation: CoAuthor, *, accept: bool) -> CoAuthor:
    invitation = CoAuthor.objects.select_for_update().select_related("idea").get(
        pk=invitation.pk)
    if invitation.user_id != actor.pk:
        raise PermissionDenied("This invitation is addressed to someone else.")
    if invitation.status != CoAuthor.Status.INVITED:
        raise StateConflict("This invitation has already been answered.", "already_answered")
    if invitation.idea.status == Idea.Status.MERGED:
        raise StateConflict("This idea was merged into another.", "idea_merged")
    invitation.status = CoAuthor.Status.ACCEPTED if accept else CoAuthor.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    if accept:
        from seedbed.ideas.actions import discussion

        discussion.auto_follow(actor, invitation.idea)
    audit.record(actor, f"coauthor.{'accepted' if accept else 'declined'}", invitation.idea,
                 {"coauthor_status": {"before": CoAuthor.Status.INVITED,
                                      "after": invitation.status}})
    return invitation


# --- Attachments ------------------------------------------------------------------------------


@transaction.atomic
def add_attachment(actor, idea: Idea, upload) -> Attachment:
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not idea_reads.may_edit(actor, idea):
        raise PermissionDenied("Only the idea's authors and innovation managers may add files.")
    if idea.status == Idea.Status.MERGED:
        raise StateConflict("This idea was merged into another.", "idea_merged")
    if upload is None:
        raise ValidationError({"file": "Choose a file."})
    try:
        content_type = storage.check_upload(upload)
    except ValueError as exc:
        raise ValidationError({"file": str(exc)}) from None
    attachment = storage.store(idea, upload, uploaded_by=actor, content_type=content_type)
    audit.record(actor, "attachment.added", attachment,
                 audit.created(attachment, ("idea", "original_name", "content_type", "size",
                                            "sha256")))
    return attachment


@transaction.atomic
def remove_attachment(actor, attachment: Attachment) -> Attachment:
    """Soft removal: the file stays on disk for the record, but nobody is served it."""
    attachment = Attachment.objects.select_for_update().select_related("idea").get(
        pk=attachment.pk)
    if not idea_reads.may_edit(actor, attachment.idea):
        raise PermissionDenied("Only the idea's authors and innovation managers may remove "
                               "files.")
    if attachment.removed_at is not None:
        raise StateConflict("This file was already removed.", "already_removed")
    attachment.removed_at = timezone.now()
    attachment.save(update_fields=["removed_at"])
    if attachment.field_key:
        idea = Idea.objects.select_for_update().get(pk=attachment.idea_id)
        answer = idea.custom_values.get(attachment.field_key)
        if isinstance(answer, dict) and answer.get("attachment_id") == attachment.pk:
            idea.custom_values.pop(attachment.field_key)
            idea.save(update_fields=["custom_values"])
    audit.record(actor, "attachment.removed", attachment,
                 {"removed_at": {"before": None, "after": attachment.removed_at}})
    return attachment


# --- Managing: evaluators and status ----------------------------------------------------------


@transaction.atomic
def assign_evaluators(actor, idea: Idea, evaluators: list) -> Idea:
    """Set the evaluators (role evaluator) of an idea; they may then see it even when it is
    confidential. People of other roles assigned to score the idea on its scorecard (the
    pipeline's evaluation page adds them) stay assigned: this list does not own them."""
    if not policy.can(actor, "idea.manage"):
        raise PermissionDenied("Only innovation managers assign evaluators.")
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    wrong = [u for u in evaluators if policy.role_of(u) != policy.EVALUATOR]
    if wrong:
        raise ValidationError({"evaluators": "Only active people with the evaluator role can "
                                             "be assigned."})
    before = audit.snapshot(idea, ("evaluators",))
    kept = [u for u in idea.evaluators.all() if policy.role_of(u) != policy.EVALUATOR]
    idea.evaluators.set([*evaluators, *kept])
    changes = audit.diff(before, audit.snapshot(idea, ("evaluators",)))
    if changes:
        audit.record(actor, "idea.evaluators_assigned", idea, changes)
    return idea


@transaction.atomic
def change_status(actor, idea: Idea, *, status: str, reason: str = "") -> Idea:
    """Move a submitted idea: under review, selected, parked or declined (with a reason)."""
    if not policy.can(actor, "idea.manage"):
        raise PermissionDenied("Only innovation managers change an idea's status.")
    idea = Idea.objects.select_for_update(of=("self",)).select_related("challenge").get(pk=idea.pk)
    errors: dict[str, str] = {}
    reason = _clean_text(reason, "reason", max_length=REASON_MAX, errors=errors)
    if status not in Idea.Status.values:
        errors["status"] = "Choose a status."
    if errors:
        raise ValidationError(errors)
    allowed = TRANSITIONS.get(idea.status, ())
    if status not in allowed:
        raise StateConflict(
            f"An idea that is {idea.get_status_display().lower()} cannot become "
            f"{Idea.Status(status).label.lower()}.", "invalid_transition")
    before = idea.status
    idea.status = status
    idea.updated_at = timezone.now()
    idea.save(update_fields=["status", "updated_at"])
    audit.record(actor, "idea.status_changed", idea,
                 {"status": {"before": before, "after": status},
                  "reason": {"before": None, "after": reason}})
    events.emit(events.IDEA_STATUS_CHANGED, actor=actor, idea=idea, challenge=idea.challenge,
                extra={"from": before, "to": status, "reason": reason})
    return idea
