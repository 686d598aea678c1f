"""Reads for one idea's own records: authors, versions, attachments, invitations.

Who may see an idea is decided by ``visible_ideas`` / ``get_idea_for_user`` in
selectors/__init__.py; everything here starts from an idea the caller already got from there
(or narrows ``visible_ideas``). Who may *change* an idea is decided here too, in one place:
``may_edit`` (its authors, accepted co-authors, and those who run the IMS).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from seedbed import policy
from seedbed.ideas.models import Attachment, CoAuthor, Idea, IdeaVersion
from seedbed.ideas.selectors import get_idea_for_user, visible_ideas
from seedbed.lib.validation import is_valid_id


def is_author(user, idea: Idea) -> bool:
    """The author, or a co-author who accepted. Uses prefetched co-authors when present."""
    if not getattr(user, "is_authenticated", False):
        return False
    if idea.author_id == user.pk:
        return True
    return any(c.user_id == user.pk and c.status == CoAuthor.Status.ACCEPTED
               for c in idea.coauthors.all())


def may_edit(user, idea: Idea) -> bool:
    """Edit title, description, answers, tags, attachments and the confidential flag."""
    if policy.role_of(user) is None:
        return False
    return policy.role_of(user) in policy.RUNS_IMS or is_author(user, idea)


def may_invite(user, idea: Idea) -> bool:
    """Invite co-authors: the idea's authors (not managers: it is the authors' team)."""
    return policy.can(user, "idea.contribute") and is_author(user, idea)


def get_idea_to_edit(user, pk: int) -> Idea:
    idea = get_idea_for_user(user, pk)
    if not may_edit(user, idea):
        raise PermissionDenied("Only the idea's authors and innovation managers may change it.")
    return idea


def with_frame(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    """What the idea page's frame shows, in a fixed number of queries."""
    return qs.select_related("challenge", "author", "focus_area", "idea_type").prefetch_related(
        Prefetch("coauthors", queryset=CoAuthor.objects.select_related("user", "invited_by")
                 .order_by("invited_at", "id")),
        "tags",
        Prefetch("attachments", queryset=Attachment.objects.filter(removed_at__isnull=True)
                 .select_related("uploaded_by").order_by("uploaded_at", "id"),
                 to_attr="live_attachments"),
        "evaluators",
    )


def get_idea_with_frame(user, pk: int) -> Idea:
    idea = with_frame(visible_ideas(user)).filter(pk=pk).first() if is_valid_id(pk) else None
    if idea is None:
        raise Http404("No such idea")
    return idea


def versions_of(idea: Idea) -> QuerySet[IdeaVersion]:
    return idea.versions.select_related("edited_by").order_by("-number")


def get_attachment_for_user(user, pk: int) -> Attachment:
    """A live attachment of an idea this person may see; 404 otherwise."""
    attachment = (Attachment.objects.filter(pk=pk, removed_at__isnull=True)
                  .select_related("idea").first() if is_valid_id(pk) else None)
    if attachment is None:
        raise Http404("No such attachment")
    get_idea_for_user(user, attachment.idea_id)  # 404 unless the idea is visible to them
    return attachment


def pending_invitations(user) -> QuerySet[CoAuthor]:
    """Co-author invitations waiting for this person's answer, on ideas they may see."""
    if policy.role_of(user) is None:
        return CoAuthor.objects.none()
    mine = CoAuthor.objects.filter(user=user, status=CoAuthor.Status.INVITED)
    # Visibility checked on these few ideas only: "idea IN (every visible idea)" made SQLite
    # evaluate the visibility rule over all 100,000 ideas of the benchmark (70-120 ms).
    seen = visible_ideas(user).filter(pk__in=mine.values("idea_id")).values("pk")
    return (mine.filter(idea__in=seen)
            .exclude(idea__status=Idea.Status.MERGED)
            .select_related("idea", "invited_by").order_by("-invited_at", "-id"))


def get_invitation_for_user(user, pk: int) -> CoAuthor:
    """An invitation addressed to this person (anyone else: 404)."""
    invitation = (CoAuthor.objects.filter(pk=pk, user_id=user.pk).select_related("idea").first()
                  if is_valid_id(pk) and user.is_authenticated else None)
    if invitation is None:
        raise Http404("No such invitation")
    return invitation
