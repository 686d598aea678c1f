"""Marking duplicates, merging ideas and undoing a merge.

A merge folds a *source* idea into a surviving *target*: votes, comments (with their threads),
followers and tags move to the target; the source's author (and its co-authors) become
co-authors of the target; the source gets status "merged" and points at the target. Every row
that moved, was dropped (a person who supported both keeps one vote) or was created is listed
in ``IdeaMerge.moved`` and in the audit event, so ``undo_merge`` can put back exactly that.
Attachments and the edit history stay on the merged idea, which stays readable (its page
sends people to the survivor, with a link back).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import (
    Challenge,
    CoAuthor,
    Comment,
    Follow,
    Idea,
    IdeaMerge,
    SupportBudget,
    Vote,
)
from seedbed.lib.validation import clean_text
from seedbed.notifications import events

COUNTERS = ("vote_count", "token_count", "comment_count", "follower_count")


def _lock_pair(source: Idea, target: Idea) -> tuple[Idea, Idea]:
    # Locked in id order, so two merges of the same pair in opposite directions cannot deadlock.
    locked = {idea.pk: idea for idea in
              Idea.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
              .order_by("pk")}
    return locked[source.pk], locked[target.pk]


def _voting_mode(idea: Idea) -> str:
    if idea.challenge_id is None:
        return Challenge.VotingMode.SUPPORT
    return Challenge.objects.values_list("voting_mode", flat=True).get(pk=idea.challenge_id)


def _recount(idea: Idea) -> dict:
    """Set the idea's counters from its rows (exact whatever happened before); returns them."""
    votes = Vote.objects.filter(idea=idea).aggregate(n=Count("id"), tokens=Sum("tokens"))
    values = {
        "vote_count": votes["n"],
        "token_count": votes["tokens"] or 0,
        "comment_count": Comment.objects.filter(idea=idea).count(),
        "follower_count": Follow.objects.filter(idea=idea).count(),
    }
    Idea.objects.filter(pk=idea.pk).update(**values)
    return values


def _challenge_counts(idea: Idea, delta: int) -> None:
    """A merged idea leaves its challenge's listed counts; an unmerged one comes back."""
    if idea.challenge_id is None:
        return
    changes = {"idea_count": F("idea_count") + delta}
    if not idea.confidential:
        changes["public_idea_count"] = F("public_idea_count") + delta
    Challenge.objects.filter(pk=idea.challenge_id).update(**changes)


def _stamp(value) -> str | None:
    return value.isoformat() if value else None


def _validate_merge(source: Idea, target: Idea) -> None:
    if source.status == Idea.Status.MERGED:
        raise StateConflict("This idea has already been merged into another one.",
                            "already_merged")
    if target.status == Idea.Status.MERGED:
        # Merging into a merged idea would build a chain (or a cycle): name the survivor.
        raise StateConflict("The chosen idea has itself been merged into another idea; "
                            "merge into that one instead.", "target_merged")
    if Idea.Status.DRAFT in (source.status, target.status):
        raise StateConflict("Drafts cannot be merged: only submitted ideas.", "draft")
    if source.confidential and not target.confidential:
        # Moving a confidential idea's discussion into an open one would publish it (7.1.7).
        raise StateConflict("A confidential idea can only be merged into another "
                            "confidential idea.", "confidential_boundary")


@transaction.atomic
def merge_ideas(actor, source: Idea, target: Idea, *, reason: str = "") -> IdeaMerge:
    """Fold ``source`` into ``target`` (the survivor). See the module docstring."""
    errors: dict[str, str] = {}
    reason = clean_text(reason, "reason", max_length=500, errors=errors)
    if source.pk == target.pk:
        errors["target"] = "An idea cannot be merged into itself."
    if errors:
        raise ValidationError(errors)
    # Lock order as in the support actions: the supporters' budgets first, then the ideas.
    both = (Vote.objects.filter(idea_id=source.pk)
            .filter(voter_id__in=Vote.objects.filter(idea_id=target.pk).values("voter_id"))
            .values("voter_id"))
    list(SupportBudget.objects.select_for_update().filter(
        challenge_id=target.challenge_id, voter_id__in=both).order_by("pk"))
    source, target = _lock_pair(source, target)
    _validate_merge(source, target)
    source_mode, target_mode = _voting_mode(source), _voting_mode(target)
    tokens = Challenge.VotingMode.TOKENS
    if source.challenge_id != target.challenge_id and tokens in (source_mode, target_mode):
        raise StateConflict("Tokens are a budget per challenge: ideas in different challenges "
                            "can be merged only when both use simple support.",
                            "token_budgets_differ")
    tokens_mode = target_mode == tokens
    now = timezone.now()
    before = {"source": {f: getattr(source, f) for f in COUNTERS},
              "target": {f: getattr(target, f) for f in COUNTERS}}

    moved: dict = {"votes": [], "votes_dropped": [], "votes_raised": [], "budgets": [],
                   "comments": [], "follows": [], "follows_dropped": [],
                   "coauthors_created": [], "coauthors_accepted": [], "tags": [],
                   "status": source.status}

    # Votes: one per person on the survivor. Someone who supported both keeps one vote (in
    # tokens mode the larger placement), and the tokens that frees go back to their budget.
    on_target = {v.voter_id: v for v in Vote.objects.select_for_update().filter(idea=target)}
    for vote in Vote.objects.select_for_update().filter(idea=source).order_by("pk"):
        kept = on_target.get(vote.voter_id)
        if kept is None:
            moved["votes"].append(vote.pk)
            continue
        moved["votes_dropped"].append({"id": vote.pk, "voter": vote.voter_id,
                                       "tokens": vote.tokens,
                                       "created_at": _stamp(vote.created_at),
                                       "updated_at": _stamp(vote.updated_at)})
        freed = min(vote.tokens, kept.tokens)
        if vote.tokens > kept.tokens:
            moved["votes_raised"].append({"id": kept.pk, "before": kept.tokens,
                                          "after": vote.tokens})
            Vote.objects.filter(pk=kept.pk).update(tokens=vote.tokens, updated_at=now)
        if tokens_mode and target.challenge_id:
            budget = (SupportBudget.objects.select_for_update()
                      .filter(challenge_id=target.challenge_id, voter_id=vote.voter_id).first())
            if budget is not None:
                freed = min(freed, budget.spent)
                SupportBudget.objects.filter(pk=budget.pk).update(spent=F("spent") - freed)
                moved["budgets"].append({"id": budget.pk, "voter": vote.voter_id,
                                         "freed": freed})
    Vote.objects.filter(pk__in=[d["id"] for d in moved["votes_dropped"]]).delete()
    Vote.objects.filter(pk__in=moved["votes"]).update(idea=target)

    # Comments move with their threads (parents and replies are all on the source).
    moved["comments"] = list(Comment.objects.filter(idea=source).order_by("pk")
                             .values_list("pk", flat=True))
    Comment.objects.filter(pk__in=moved["comments"]).update(idea=target)

    # Followers: whoever followed the duplicate now follows the survivor (once).
    following = set(Follow.objects.filter(idea=target).values_list("user_id", flat=True))
    for follow in Follow.objects.filter(idea=source).order_by("pk"):
        if follow.user_id in following:
            moved["follows_dropped"].append({"id": follow.pk, "user": follow.user_id,
                                             "created_at": _stamp(follow.created_at)})
        else:
            moved["follows"].append(follow.pk)
    Follow.objects.filter(pk__in=[d["id"] for d in moved["follows_dropped"]]).delete()
    Follow.objects.filter(pk__in=moved["follows"]).update(idea=target)

    # Authorship: the duplicate's author becomes an accepted co-author of the survivor, its
    # co-authors join with the status they had. The source keeps its own rows (its record).
    people = [(source.author_id, CoAuthor.Status.ACCEPTED)] + [
        (c.user_id, c.status) for c in CoAuthor.objects.filter(idea=source)
        .exclude(status=CoAuthor.Status.DECLINED).order_by("pk")]
    existing = {c.user_id: c for c in CoAuthor.objects.filter(idea=target)}
    for user_id, status in people:
        if user_id == target.author_id:
            continue
        row = existing.get(user_id)
        if row is None:
            row = CoAuthor.objects.create(idea=target, user_id=user_id, status=status,
                                          invited_by=actor, invited_at=now,
                                          responded_at=now if status == "accepted" else None)
            existing[user_id] = row
            moved["coauthors_created"].append(row.pk)
        elif status == CoAuthor.Status.ACCEPTED and row.status != status:
            moved["coauthors_accepted"].append({"id": row.pk, "before": row.status,
                                                "responded_at": _stamp(row.responded_at)})
            CoAuthor.objects.filter(pk=row.pk).update(status=status, responded_at=now)
            row.status = status

    target_tags = set(target.tags.values_list("pk", flat=True))
    moved["tags"] = sorted(set(source.tags.values_list("pk", flat=True)) - target_tags)
    if moved["tags"]:
        target.tags.add(*moved["tags"])

    previous_status = source.status
    Idea.objects.filter(pk=source.pk).update(status=Idea.Status.MERGED, merged_into=target,
                                             updated_at=now)
    Idea.objects.filter(pk=target.pk).update(last_activity_at=now, updated_at=now)
    after = {"source": _recount(source), "target": _recount(target)}
    _challenge_counts(source, -1)

    merge = IdeaMerge.objects.create(source=source, target=target, reason=reason, moved=moved,
                                     merged_by=actor, merged_at=now)
    event = audit.record(actor, "idea.merged", source, {
        "status": {"before": previous_status, "after": Idea.Status.MERGED},
        "merged_into": {"before": None, "after": target.pk},
        "merge": {"before": None, "after": {"id": merge.pk, "target": target.pk,
                                            "reason": reason, "moved": moved}},
        "counters": {"before": before, "after": after},
    })
    IdeaMerge.objects.filter(pk=merge.pk).update(audit_seq=event.seq)
    merge.audit_seq = event.seq
    source.status, source.merged_into = Idea.Status.MERGED, target
    events.emit(events.IDEA_STATUS_CHANGED, actor=actor, idea=source,
                extra={"from": previous_status, "to": Idea.Status.MERGED,
                       "merged_into": target.pk})
    return merge


@transaction.atomic
def undo_merge(actor, merge: IdeaMerge) -> IdeaMerge:
    """Put back exactly what ``merge`` moved. Refused when the survivor has since been merged
    into another idea (undo that merge first) or the merge was already undone."""
    merge = IdeaMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise StateConflict("This merge has already been undone.", "already_undone")
    source, target = _lock_pair(merge.source, merge.target)
    if target.status == Idea.Status.MERGED:
        raise StateConflict("The surviving idea has since been merged into another idea; undo "
                            "that merge first.", "target_merged")
    if source.status != Idea.Status.MERGED or source.merged_into_id != target.pk:
        raise StateConflict("The merged idea has changed since; this merge cannot be undone.",
                            "merge_changed")
    moved, now = merge.moved, timezone.now()
    before = {"source": {f: getattr(source, f) for f in COUNTERS},
              "target": {f: getattr(target, f) for f in COUNTERS}}
    restored: dict = {"votes": [], "votes_recreated": [], "comments": [], "follows": [],
                      "follows_recreated": [], "coauthors_removed": [], "tags": []}

    # Tokens first: the budgets must have room for the placements that come back.
    for entry in moved.get("budgets", []):
        budget = SupportBudget.objects.select_for_update().filter(pk=entry["id"]).first()
        if budget is None:
            continue
        if budget.spent + entry["freed"] > budget.budget:
            raise StateConflict("A supporter has since spent the tokens this merge gave back, "
                                "so their votes cannot be restored.", "budget_spent")
        SupportBudget.objects.filter(pk=budget.pk).update(spent=F("spent") + entry["freed"])
    for entry in moved.get("votes_raised", []):
        Vote.objects.filter(pk=entry["id"], idea=target, tokens=entry["after"]).update(
            tokens=entry["before"], updated_at=now)
    restored["votes"] = list(Vote.objects.filter(pk__in=moved.get("votes", []), idea=target)
                             .values_list("pk", flat=True))
    Vote.objects.filter(pk__in=restored["votes"]).update(idea=source)
    voted = set(Vote.objects.filter(idea=source).values_list("voter_id", flat=True))
    for entry in moved.get("votes_dropped", []):
        if entry["voter"] in voted or Vote.objects.filter(pk=entry["id"]).exists():
            continue
        Vote.objects.create(pk=entry["id"], idea=source, voter_id=entry["voter"],
                            tokens=entry["tokens"],
                            created_at=parse_datetime(entry["created_at"]) or now,
                            updated_at=parse_datetime(entry["updated_at"]) or now)
        restored["votes_recreated"].append(entry["id"])

    # Comments go back, with any replies written to them on the survivor since the merge
    # (a thread is never split between two ideas).
    thread = set(Comment.objects.filter(pk__in=moved.get("comments", []), idea=target)
                 .values_list("pk", flat=True))
    frontier = set(thread)
    while frontier:
        frontier = set(Comment.objects.filter(parent_id__in=frontier, idea=target)
                       .exclude(pk__in=thread).values_list("pk", flat=True))
        thread |= frontier
    restored["comments"] = sorted(thread)
    Comment.objects.filter(pk__in=thread).update(idea=source)

    restored["follows"] = list(Follow.objects.filter(pk__in=moved.get("follows", []),
                                                     idea=target).values_list("pk", flat=True))
    Follow.objects.filter(pk__in=restored["follows"]).update(idea=source)
    following = set(Follow.objects.filter(idea=source).values_list("user_id", flat=True))
    for entry in moved.get("follows_dropped", []):
        if entry["user"] in following or Follow.objects.filter(pk=entry["id"]).exists():
            continue
        Follow.objects.create(pk=entry["id"], idea=source, user_id=entry["user"],
                              created_at=parse_datetime(entry["created_at"]) or now)
        restored["follows_recreated"].append(entry["id"])

    restored["coauthors_removed"] = list(
        CoAuthor.objects.filter(pk__in=moved.get("coauthors_created", []), idea=target)
        .values_list("pk", flat=True))
    CoAuthor.objects.filter(pk__in=restored["coauthors_removed"]).delete()
    for entry in moved.get("coauthors_accepted", []):
        CoAuthor.objects.filter(pk=entry["id"], idea=target).update(
            status=entry["before"], responded_at=parse_datetime(entry["responded_at"] or ""))

    restored["tags"] = list(moved.get("tags", []))
    if restored["tags"]:
        target.tags.remove(*restored["tags"])

    status = moved.get("status") or Idea.Status.SUBMITTED
    Idea.objects.filter(pk=source.pk).update(status=status, merged_into=None, updated_at=now,
                                             last_activity_at=now)
    after = {"source": _recount(source), "target": _recount(target)}
    _challenge_counts(source, +1)
    IdeaMerge.objects.filter(pk=merge.pk).update(undone_by=actor, undone_at=now)
    merge.undone_by, merge.undone_at = actor, now
    audit.record(actor, "idea.merge_undone", source, {
        "status": {"before": Idea.Status.MERGED, "after": status},
        "merged_into": {"before": target.pk, "after": None},
        "merge": {"before": {"id": merge.pk, "audit_seq": merge.audit_seq},
                  "after": {"id": merge.pk, "restored": restored}},
        "counters": {"before": before, "after": after},
    })
    events.emit(events.IDEA_STATUS_CHANGED, actor=actor, idea=source,
                extra={"from": Idea.Status.MERGED, "to": status})
    return merge
