"""Read access to challenges and ideas. Visibility is decided here and only here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from seedbed import policy
from seedbed.ideas.models import Challenge, Comment, Idea, Vote
from seedbed.lib.validation import is_valid_id as _valid_id

# Roles that see every challenge (and drafts, for those who run the IMS).
_SEE_ALL = {policy.ADMIN, policy.MANAGER, policy.LEADER, policy.AUDITOR}


def _reaches(user, via: str = "") -> Q:
    """The challenges an evaluator or contributor sees, as a condition on the challenge's own
    columns; ``via="challenge__"`` applies it to ideas through their challenge."""
    unit_ids = user.org_unit.ancestor_ids() if user.org_unit_id else []
    # A challenge for a unit reaches everyone in that unit and the units below it.
    targeted = Challenge.units.through.objects.filter(orgunit_id__in=unit_ids)
    return ~Q(**{f"{via}status": Challenge.Status.DRAFT}) & (
        Q(**{f"{via}audience": Challenge.Audience.ORGANISATION})
        | Q(**{f"{via}audience": Challenge.Audience.UNITS,
               f"{via}pk__in": targeted.values("challenge_id")})
    )


def visible_challenges(user) -> QuerySet[Challenge]:
    role = policy.role_of(user)
    qs = Challenge.objects.all()
    if role in policy.RUNS_IMS:
        return qs
    if role in _SEE_ALL:
        return qs.exclude(status=Challenge.Status.DRAFT)
    if role in (policy.EVALUATOR, policy.CONTRIBUTOR):
        return qs.filter(_reaches(user))
    # Partners see only challenges their organisation is invited to (invitations arrive with
    # the ideation issue); until then, none. Unknown or lapsed roles see nothing.
    return qs.none()


def get_challenge_for_user(user, pk: int, *, manage: bool = False) -> Challenge:
    challenge = visible_challenges(user).filter(pk=pk).first() if _valid_id(pk) else None
    if challenge is None:
        raise Http404("No such challenge")
    if manage and not policy.can(user, "challenge.manage"):
        raise PermissionDenied("Only innovation managers may change challenges.")
    return challenge


def visible_ideas(user) -> QuerySet[Idea]:
    role = policy.role_of(user)
    if role in policy.RUNS_IMS:
        return Idea.objects.all()
    if role in _SEE_ALL:
        return Idea.objects.exclude(challenge__status=Challenge.Status.DRAFT)
    if role in (policy.EVALUATOR, policy.CONTRIBUTOR):
        # Filtering on the joined challenge row, not "challenge_id IN (visible challenges)":
        # with the IN form SQLite fetches every visible idea and sorts them all (0.5 s at 100k
        # ideas); this way it walks the newest-first index and stops after one page.
        return Idea.objects.filter(_reaches(user, via="challenge__"))
    return Idea.objects.filter(challenge__in=visible_challenges(user).values("pk"))


def count_visible_ideas(user) -> int:
    """Ideas this person may see, summed from the challenges' exact denormalised counters:
    one small query whatever the number of ideas."""
    total = visible_challenges(user).order_by().aggregate(n=Sum("idea_count"))["n"]
    return total or 0


def get_idea_for_user(user, pk: int) -> Idea:
    idea = (visible_ideas(user).select_related("challenge", "author").filter(pk=pk).first()
            if _valid_id(pk) else None)
    if idea is None:
        raise Http404("No such idea")
    return idea


def idea_list(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    """What an idea row needs, fetched in one query."""
    return qs.select_related("author", "challenge").order_by("-created_at", "-id")


def comments_for(idea: Idea) -> QuerySet[Comment]:
    return idea.comments.select_related("author").order_by("created_at", "id")


def voted_idea_ids(user, ideas) -> set[int]:
    """Which of these ideas the person supports: one query for a whole page."""
    if not user.is_authenticated:
        return set()
    ids = [idea.pk for idea in ideas]
    return set(Vote.objects.filter(voter=user, idea_id__in=ids).values_list("idea_id", flat=True))
