"""Co-creation reads: threads, mentions, followers, experts and people's profiles.

Who may see an idea is still decided by ``visible_ideas`` (selectors/__init__.py); everything
here builds on it. Who may open a person's profile is decided by ``visible_people``.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from seedbed import policy
from seedbed.ideas.models import CoAuthor, Comment, ExpertInvitation, Follow, Idea
from seedbed.ideas.selectors import listed, visible_ideas
from seedbed.lib.validation import is_valid_id

# At most this many people are resolved (and notified) from one comment's mentions.
MAX_MENTIONS = 20
# "@" + a handle (an e-mail local part) or a whole e-mail address, not inside a word or an
# address ("anna@example.test" mentions nobody). Trailing dots belong to the sentence.
MENTION_RE = re.compile(
    r"(?<![\w@.+-])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)")


# --- Handles and mentions ---------------------------------------------------------------------


def handle_of(user) -> str:
    """A person's handle: the part of their e-mail address before the "@", lower-case. People
    have no user names; the address is unique and already known to colleagues."""
    return user.email.split("@", 1)[0].lower()


def mentioned_handles(body: str) -> list[str]:
    """The handles (or whole addresses) written as @mentions in ``body``, lower-case, in order,
    each once."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(body or ""):
        token = match.group(1).rstrip(".").lower()
        if token:
            seen.setdefault(token, None)
    return list(seen)


def may_see_idea(user, idea: Idea) -> bool:
    return visible_ideas(user).filter(pk=idea.pk).exists()


def resolve_mentions(actor, idea: Idea, body: str) -> list:
    """The people ``body`` mentions who may see ``idea`` and whose profile the writer may open.
    A mention of anyone else (someone who cannot see a confidential idea, an internal person a
    partner has never met, an unknown or ambiguous handle) is ignored: not stored, not told."""
    handles = mentioned_handles(body)[:MAX_MENTIONS]
    if not handles:
        return []
    query = Q()
    for token in handles:
        query |= Q(email__iexact=token) if "@" in token else Q(email__istartswith=f"{token}@")
    candidates = list(visible_people(actor).filter(query).filter(is_active=True))
    by_handle: dict[str, list] = {}
    for person in candidates:
        by_handle.setdefault(handle_of(person), []).append(person)
    found = []
    for token in handles:
        if "@" in token:
            matches = [p for p in candidates if p.email.lower() == token]
        else:
            # A handle two people share names nobody; their full address still works.
            matches = by_handle.get(token, [])
        if len(matches) == 1 and matches[0] not in found and matches[0].pk != actor.pk:
            found.append(matches[0])
    return [person for person in found
            if policy.role_of(person) is not None and may_see_idea(person, idea)]


# --- Threads ----------------------------------------------------------------------------------


def _with_people(qs: QuerySet[Comment]) -> QuerySet[Comment]:
    return qs.select_related("author").prefetch_related("mentions")


def comment_page(idea: Idea) -> QuerySet[Comment]:
    """Every comment on the idea, oldest first (the API's flat list; replies name their
    parent)."""
    return _with_people(idea.comments.order_by("created_at", "id"))


def threads_for(idea: Idea, limit: int) -> list[Comment]:
    """The first ``limit`` threads: top-level comments, each with ``replies`` (oldest first)
    prefetched with their authors and mentions. Four queries whatever the size."""
    replies = _with_people(Comment.objects.order_by("created_at", "id"))
    top = _with_people(idea.comments.filter(parent__isnull=True).order_by("created_at", "id"))
    return list(top.prefetch_related(Prefetch("replies", queryset=replies))[:limit])


# --- Following ----------------------------------------------------------------------------------


def is_following(user, idea: Idea) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(idea=idea, user=user).exists()


# --- Experts ------------------------------------------------------------------------------------


def expert_invitations(idea: Idea) -> QuerySet[ExpertInvitation]:
    return (idea.expert_invitations.select_related("expert", "competency", "invited_by")
            .order_by("created_at", "id"))


def is_author(user, idea: Idea) -> bool:
    """The idea's author or a co-author who accepted."""
    if idea.author_id == user.pk:
        return True
    return CoAuthor.objects.filter(idea=idea, user=user,
                                   status=CoAuthor.Status.ACCEPTED).exists()


def can_invite_experts(user, idea: Idea) -> bool:
    """Authors, co-authors and those who run the IMS; partners never (the search would list
    internal people to them)."""
    role = policy.role_of(user)
    if role in policy.RUNS_IMS:
        return True
    return role in policy.EMPLOYEES and is_author(user, idea)


def require_expert_inviter(user, idea: Idea) -> None:
    if not can_invite_experts(user, idea):
        raise PermissionDenied("Only the idea's authors and innovation managers invite experts.")


def expert_candidates(user, idea: Idea, *, competency=None, q: str = "",
                      limit: int = 20) -> list:
    """Employees holding ``competency`` (or matching ``q`` by name) who may see the idea and are
    not yet invited, nor an author of it. At most ``limit``, by name."""
    require_expert_inviter(user, idea)
    User = get_user_model()
    people = User.objects.filter(is_active=True, role__in=policy.EMPLOYEES)
    if competency is not None:
        people = people.filter(competencies=competency)
    if q:
        people = people.filter(full_name__icontains=q)
    taken = set(idea.expert_invitations.values_list("expert_id", flat=True))
    taken |= set(idea.coauthors.values_list("user_id", flat=True)) | {idea.author_id, user.pk}
    found = []
    # Visibility is asked person by person (the selector is per viewer); the page stops at
    # ``limit`` matches, and a batch of 200 bounds the work of one search.
    for person in people.exclude(pk__in=taken).prefetch_related("competencies") \
            .order_by("full_name", "id")[:200]:
        if policy.role_of(person) is not None and may_see_idea(person, idea):
            found.append(person)
            if len(found) == limit:
                break
    return found


# --- People -------------------------------------------------------------------------------------


def visible_people(viewer) -> QuerySet:
    """The people whose profile ``viewer`` may open. Employees and auditors: everyone. A partner:
    themselves, their own organisation's people, and the people involved in the ideas they can
    see (authors, accepted co-authors, commenters, people mentioned, invited experts): never
    anyone internal they have not already met in their invited challenges."""
    User = get_user_model()
    role = policy.role_of(viewer)
    if role is None:
        return User.objects.none()
    if role != policy.PARTNER:
        return User.objects.all()
    ideas = listed(visible_ideas(viewer)).values("pk")
    involved = (
        Q(pk=viewer.pk)
        | Q(pk__in=Idea.objects.filter(pk__in=ideas).values("author_id"))
        | Q(pk__in=CoAuthor.objects.filter(idea__in=ideas, status=CoAuthor.Status.ACCEPTED)
            .values("user_id"))
        | Q(pk__in=Comment.objects.filter(idea__in=ideas).values("author_id"))
        | Q(pk__in=Comment.mentions.through.objects.filter(comment__idea__in=ideas)
            .values("user_id"))
        | Q(pk__in=ExpertInvitation.objects.filter(idea__in=ideas).values("expert_id"))
    )
    if viewer.partner_org_id:
        involved |= Q(partner_org_id=viewer.partner_org_id)
    return User.objects.filter(involved)


def get_person_for_user(viewer, pk: int):
    person = (visible_people(viewer).select_related("org_unit", "partner_org")
              .filter(pk=pk).first() if is_valid_id(pk) else None)
    if person is None:
        raise Http404("No such person")
    return person


PROFILE_ROWS = 20


def profile_of(viewer, person) -> dict:
    """What ``viewer`` may see of ``person``'s contributions: only ideas the viewer may see, and
    comments on those. Partners are not shown a person's internal unit or job title. A fixed
    number of queries."""
    ideas = listed(visible_ideas(viewer))
    own = ideas.filter(author=person)
    coauthored = ideas.filter(coauthors__user=person,
                              coauthors__status=CoAuthor.Status.ACCEPTED)
    comments = Comment.objects.filter(author=person, idea__in=ideas.values("pk"))
    internal = policy.role_of(viewer) != policy.PARTNER
    # A partner is told another organisation's name only when it is their own.
    same_org = person.partner_org_id and person.partner_org_id == viewer.partner_org_id
    return {
        "organisation": person.partner_org.name if person.partner_org_id
        and (internal or same_org) else "",
        "person": person,
        "handle": handle_of(person),
        "show_unit": internal,
        "competencies": list(person.competencies.all()),
        "ideas": list(own.select_related("challenge").order_by("-created_at", "-id")
                      [:PROFILE_ROWS]),
        "coauthored": list(coauthored.select_related("challenge", "author")
                           .order_by("-created_at", "-id")[:PROFILE_ROWS]),
        "comments": list(comments.select_related("idea").order_by("-created_at", "-id")
                         [:PROFILE_ROWS]),
        "counts": {"ideas": own.count(), "coauthored": coauthored.count(),
                   "comments": comments.count()},
    }
