"""Read access to challenges and ideas. Visibility is decided here and only here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from seedbed import policy
from seedbed.ideas.models import Challenge, CoAuthor, Comment, Idea
from seedbed.lib.validation import is_valid_id as _valid_id

# Roles that see every challenge that is not a draft (and drafts, for those who run the IMS).
_SEE_ALL = {policy.ADMIN, policy.MANAGER, policy.LEADER, policy.AUDITOR}
# Roles that see IP-confidential ideas (besides the ideas' authors and assigned evaluators).
SEE_CONFIDENTIAL = frozenset({policy.ADMIN, policy.MANAGER, policy.LEADER})
# Challenges participants cannot see yet.
_NOT_YET = (Challenge.Status.DRAFT, Challenge.Status.SCHEDULED)


def _reaches(user, via: str = "") -> Q:
    """The challenges an evaluator or contributor sees, as a condition on the challenge's own
    columns; ``via="challenge__"`` applies it to ideas through their challenge."""
    unit_ids = user.org_unit.ancestor_ids() if user.org_unit_id else []
    # A challenge for a unit reaches everyone in that unit and the units below it.
    targeted = Challenge.units.through.objects.filter(orgunit_id__in=unit_ids)
    return ~Q(**{f"{via}status__in": _NOT_YET}) & (
        Q(**{f"{via}audience": Challenge.Audience.ORGANISATION})
        | Q(**{f"{via}audience": Challenge.Audience.UNITS,
               f"{via}pk__in": targeted.values("challenge_id")})
    )


def _invited(user, via: str = "") -> Q:
    """The challenges a partner's organisation is invited to (open innovation, clause 6.6)."""
    invited = Challenge.partner_orgs.through.objects.filter(
        partnerorganisation_id=user.partner_org_id)
    return ~Q(**{f"{via}status__in": _NOT_YET}) & Q(
        **{f"{via}pk__in": invited.values("challenge_id")})


def visible_challenges(user) -> QuerySet[Challenge]:
    role = policy.role_of(user)
    qs = Challenge.objects.all()
    if role in policy.RUNS_IMS:
        return qs
    if role in _SEE_ALL:
        return qs.exclude(status=Challenge.Status.DRAFT)
    if role in (policy.EVALUATOR, policy.CONTRIBUTOR):
        return qs.filter(_reaches(user))
    if role == policy.PARTNER and user.partner_org_id:
        return qs.filter(_invited(user))
    # Unknown or lapsed roles, and partner accounts without an organisation, see nothing.
    return qs.none()


def get_challenge_for_user(user, pk: int, *, manage: bool = False) -> Challenge:
    challenge = visible_challenges(user).filter(pk=pk).first() if _valid_id(pk) else None
    if challenge is None:
        raise Http404("No such challenge")
    if manage and not policy.can(user, "challenge.manage"):
        raise PermissionDenied("Only innovation managers may change challenges.")
    return challenge


def _authored(user) -> Q:
    """Ideas the person wrote or was asked to co-author (invited or accepted)."""
    coauthored = CoAuthor.objects.filter(user=user).exclude(status=CoAuthor.Status.DECLINED)
    return Q(author=user) | Q(pk__in=coauthored.values("idea_id"))


def _confidential_ok(user) -> Q:
    """Ideas that are not confidential, or that this person is assigned to evaluate."""
    assigned = Idea.evaluators.through.objects.filter(user_id=user.pk)
    return Q(confidential=False) | Q(pk__in=assigned.values("idea_id"))


def visible_ideas(user) -> QuerySet[Idea]:
    """Every idea this person may open. Lists narrow it further with ``listed()`` (no drafts,
    no merged ideas). The rules, in order:

    - a draft is seen only by its author and co-authors;
    - an IP-confidential idea (clause 7.1.7) only by its authors, managers, leaders and the
      evaluators assigned to it: not by auditors, other evaluators, contributors or partners;
    - otherwise an idea is seen by whoever sees its challenge; ideas sent against a focus area
      (no challenge) by every employee and auditor, never by partners.
    """
    role = policy.role_of(user)
    if role is None:
        return Idea.objects.none()
    not_draft = ~Q(status=Idea.Status.DRAFT)
    if role in SEE_CONFIDENTIAL:
        if role == policy.LEADER:
            shown = not_draft & ~Q(challenge__status=Challenge.Status.DRAFT)
        else:
            shown = not_draft
        return Idea.objects.filter(shown | _authored(user))
    if role == policy.AUDITOR:
        return Idea.objects.filter(not_draft & Q(confidential=False)
                                   & ~Q(challenge__status=Challenge.Status.DRAFT))
    if role in (policy.EVALUATOR, policy.CONTRIBUTOR):
        # Filtering on the joined challenge row, not "challenge_id IN (visible challenges)":
        # with the IN form SQLite fetches every visible idea and sorts them all (0.5 s at 100k
        # ideas); this way it walks the newest-first index and stops after one page.
        reach = _reaches(user, via="challenge__") | Q(challenge__isnull=True)
        return Idea.objects.filter((reach & not_draft & _confidential_ok(user))
                                   | _authored(user))
    if role == policy.PARTNER and user.partner_org_id:
        return Idea.objects.filter((_invited(user, via="challenge__") & not_draft
                                    & Q(confidential=False)) | _authored(user))
    return Idea.objects.none()


def listed(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    """What lists, counts and search show: submitted ideas, not drafts or merged ones."""
    return qs.exclude(status__in=(Idea.Status.DRAFT, Idea.Status.MERGED))


def count_visible_ideas(user) -> int:
    """Listed ideas this person may see in challenges, summed from the challenges' exact
    denormalised counters (one small query whatever the number of ideas): every idea for those
    who see confidential ones, the non-confidential ones for everyone else."""
    field = "idea_count" if policy.role_of(user) in SEE_CONFIDENTIAL else "public_idea_count"
    total = visible_challenges(user).order_by().aggregate(n=Sum(field))["n"]
    return total or 0


def get_idea_for_user(user, pk: int) -> Idea:
    idea = (visible_ideas(user).select_related("challenge", "author", "focus_area", "idea_type")
            .filter(pk=pk).first() if _valid_id(pk) else None)
    if idea is None:
        raise Http404("No such idea")
    return idea


def idea_list(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    """What an idea row needs, fetched in one query."""
    return listed(qs).select_related("author", "challenge").order_by("-created_at", "-id")


def comments_for(idea: Idea) -> QuerySet[Comment]:
    return idea.comments.select_related("author").order_by("created_at", "id")


def voted_idea_ids(user, ideas):
    """Which of these ideas the person supports, as ``{idea id: tokens}`` that also carries
    what the vote widgets need (selectors.support.MySupport): one query for a whole page."""
    from seedbed.ideas.selectors.support import my_support

    return my_support(user, ideas)
