"""Bulk benchmark data: many ideas, votes and comments, and one initiative for every ten ideas
(``bulk_initiatives``), inserted fast.

This path does NOT go through the actions and writes no audit event per row: it exists to
measure how pages behave at scale (``make bench``, docs/performance.md). One audit event,
``demo.bulk_loaded``, records that the load happened and what it inserted. The denormalised
counters (``Challenge.idea_count``, ``Idea.vote_count``, ``Idea.comment_count``) are computed
from the very rows inserted, so they are exact.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import OrgUnit, User
from seedbed.audit import service as audit
from seedbed.audit.models import AuditEvent
from seedbed.core.demo.bulk_initiatives import insert_initiatives
from seedbed.core.demo.challenges import CHALLENGES
from seedbed.core.demo.people import COMPANY, DOMAIN
from seedbed.ideas.models import Challenge, Comment, Idea, IdeaType, Vote
from seedbed.strategy.models import FocusArea

BULK_DOMAIN = f"bulk.{DOMAIN}"
BULK_VERB = "demo.bulk_loaded"
BATCH = 2000  # ideas per round; their votes and comments go in the same round
MEAN_VOTES, MAX_VOTES = 3.0, 40
MEAN_COMMENTS, MAX_COMMENTS = 2.0, 25

FIRST_NAMES = (
    "Amara", "Ben", "Carys", "Dev", "Eilidh", "Farah", "George", "Hana", "Isaac", "Jade",
    "Kofi", "Leah", "Mateusz", "Niamh", "Owen", "Parveen", "Quinn", "Rosa", "Sanjay", "Tara",
    "Umar", "Vera", "Wes", "Ximena", "Yasmin", "Zac",
)
LAST_NAMES = (
    "Ahmed", "Barker", "Clarke", "Davies", "Ellis", "Fox", "Gill", "Hughes", "Iqbal", "Jones",
    "Kowalski", "Lewis", "Murphy", "Nolan", "Owusu", "Patel", "Quinn", "Roberts", "Singh",
    "Taylor", "Usman", "Vaughan", "Walsh", "Young",
)
JOB_TITLES = (
    "Production Operative", "Line Leader", "Quality Technician", "Maintenance Technician",
    "Development Technologist", "Planner", "Hygiene Operative", "Warehouse Operative",
    "Account Manager", "Buyer", "Finance Analyst", "Process Engineer",
)
CHALLENGE_THEMES = (
    "Faster changeovers on the sauce lines", "Fewer underweight rejects at the checkweighers",
    "Safer manual handling in goods-in", "Cleaner, quicker hygiene shifts",
    "Cutting water use per tonne", "Smarter maintenance with sensor data",
    "Better forecasts for promotions", "Fewer customer complaints about seals",
    "Greener transport to the depots", "New soups for the winter range",
    "Reducing allergen cross-contact risk", "Lower-salt recipes without losing taste",
    "Making night shifts work better", "Supplier ideas for better ingredients",
    "Smarter use of the development kitchen", "Better on-pack cooking instructions",
    "Less paper on the production floor", "Attracting apprentices to food engineering",
    "Food-service growth in staff canteens", "Ideas from our newest colleagues",
)
COMMENT_BODIES = (
    "Good idea. Do we know how often this happens on the other shift?",
    "We tried something similar a few years ago; the problem then was the cost of parts.",
    "Could we trial this on one line first and measure before and after?",
    "Quality needs to see a risk assessment before any trial.",
    "Happy to help with the numbers if someone can share last quarter's data.",
    "This would also help the Wrexham site, same equipment there.",
    "What would the payback be? A rough figure would help the review.",
    "Supportive. Let's ask the supplier whether they have seen this elsewhere.",
    "I'd add: the night shift sees this problem most, ask them too.",
    "Linked to the forecasting idea - worth looking at together.",
    "Simple and cheap. Why haven't we done this already?",
    "Needs a food safety check, but otherwise I like it.",
    "Our customer asked about exactly this in the last business review.",
    "Maintenance can look at it in the next planned shutdown.",
    "The operators on line 2 have been asking for this for months.",
)


@dataclass
class BulkSummary:
    ideas: int = 0
    users: int = 0
    challenges: int = 0
    votes: int = 0
    comments: int = 0
    initiatives: int = 0
    seconds: float = 0.0


def bulk_loaded_ideas() -> int | None:
    """How many ideas an earlier bulk load inserted, or None if there was none."""
    event = AuditEvent.objects.filter(verb=BULK_VERB).order_by("-seq").first()
    return event.changes.get("ideas", {}).get("after") if event else None


def _geometric(rng: random.Random, mean: float, cap: int) -> int:
    """A count with a long tail (most ideas get a few votes, some get many)."""
    p = 1.0 / (mean + 1.0)
    return min(cap, int(math.log(1.0 - rng.random()) / math.log(1.0 - p)))


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


def bulk_load(n_ideas: int, *, seed: int = 56001,
              progress: Callable[[str], None] | None = None) -> BulkSummary:
    """Insert ``n_ideas`` ideas with proportionate users, challenges, votes and comments.

    Needs the demo organisation (its manager owns the challenges). Deterministic for a seed.
    """
    if n_ideas < 1:
        raise ValueError("n_ideas must be at least 1")
    started = timezone.now()
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    manager = User.objects.get(email=f"{policy.MANAGER}@{DOMAIN}")
    summary = BulkSummary(ideas=n_ideas)
    with transaction.atomic():
        user_ids = _insert_users(rng, max(10, round(n_ideas / 20)), started)
        summary.users = len(user_ids)
        # Ideas are spread unevenly: a few challenges draw most of them, as in real life.
        n_challenges = max(1, min(len(CHALLENGE_THEMES), n_ideas // 50))
        weights = [1.0 / (k + 1) ** 0.7 for k in range(n_challenges)]
        placement = rng.choices(range(n_challenges), weights=weights, k=n_ideas)
        challenges = _insert_challenges(rng, manager, placement, n_challenges, started)
        summary.challenges = len(challenges)
        texts = [idea for ch in CHALLENGES for idea in ch.ideas]
        type_ids = list(IdeaType.objects.filter(active=True).values_list("pk", flat=True))
        idea_ids: list[int] = []
        for first in range(0, n_ideas, BATCH):
            ideas = []
            for number in range(first, min(first + BATCH, n_ideas)):
                challenge = challenges[placement[number]]
                text = texts[number % len(texts)]
                ideas.append(Idea(
                    challenge_id=challenge.pk,
                    author_id=rng.choice(user_ids),
                    title=f"{text.title} (#{number + 1})",
                    description=text.description,
                    idea_type_id=rng.choice(type_ids) if type_ids else None,
                    created_at=_between(rng, challenge.created_at, started),
                    vote_count=_geometric(rng, MEAN_VOTES, min(MAX_VOTES, len(user_ids))),
                    comment_count=_geometric(rng, MEAN_COMMENTS, MAX_COMMENTS),
                ))
                ideas[-1].updated_at = ideas[-1].submitted_at = ideas[-1].created_at
                ideas[-1].last_activity_at = ideas[-1].created_at
                ideas[-1].trend_score = _trend(rng, ideas[-1], started)
            Idea.objects.bulk_create(ideas)
            idea_ids += [idea.pk for idea in ideas]
            summary.votes += _insert_votes(rng, ideas, user_ids, started)
            summary.comments += _insert_comments(rng, ideas, user_ids, started)
            if progress:
                progress(f"  {first + len(ideas):,} / {n_ideas:,} ideas")
        summary.initiatives = insert_initiatives(rng, idea_ids, user_ids, manager, started,
                                                 progress)
        summary.seconds = round((timezone.now() - started).total_seconds(), 1)
        facts = asdict(summary)
        del facts["seconds"]
        audit.record(None, BULK_VERB, None,
                     {name: {"before": None, "after": value} for name, value in facts.items()},
                     object_type="seedbed.benchmark", object_repr=f"{n_ideas} bulk ideas")
    return summary


def _trend(rng: random.Random, idea: Idea, now: datetime) -> float:
    """A plausible "trending" score (seedbed.ideas.selectors.feed): the submission plus the
    idea's votes and comments, taken as happening at one moment of its life."""
    from seedbed.ideas.selectors import feed

    score = feed.trend_term(feed.WEIGHT_SUBMIT, idea.created_at)
    activity = idea.vote_count * feed.WEIGHT_VOTE + idea.comment_count * feed.WEIGHT_COMMENT
    if activity:
        score = feed.add_log(score, feed.trend_term(activity, _between(rng, idea.created_at,
                                                                        now)))
    return score


def _insert_users(rng: random.Random, count: int, now: datetime) -> list[int]:
    # One shared unusable password: bulk people never sign in, and hashing thousands of real
    # passwords with Argon2 would take minutes.
    password = make_password(None)
    units = list(OrgUnit.objects.exclude(name=COMPANY).values_list("pk", flat=True))
    users = []
    for number in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        users.append(User(
            email=f"{first.lower()}.{last.lower()}.{number + 1}@{BULK_DOMAIN}",
            full_name=f"{first} {last}",
            role=policy.EVALUATOR if number % 25 == 0 else policy.CONTRIBUTOR,
            org_unit_id=rng.choice(units) if units else None,
            job_title=rng.choice(JOB_TITLES),
            password=password,
            date_joined=now - timedelta(days=rng.randint(30, 2000)),
        ))
    User.objects.bulk_create(users, batch_size=500)
    return [user.pk for user in users]


def _insert_challenges(rng: random.Random, manager: User, placement: list[int], count: int,
                       now: datetime) -> list[Challenge]:
    sizes = [0] * count
    for index in placement:
        sizes[index] += 1
    today = timezone.localdate()
    challenges = []
    for index in range(count):
        created = now - timedelta(days=rng.randint(120, 365))
        # Every fifth challenge has closed; the rest still accept ideas.
        closed = index % 5 == 4
        challenges.append(Challenge(
            title=CHALLENGE_THEMES[index],
            description=(f"**{CHALLENGE_THEMES[index]}.** Share what you see in your own "
                         "work and what you would change. The innovation team reviews ideas "
                         "every two weeks.\n\n*Benchmark data generated by seed_demo.*"),
            status=Challenge.Status.CLOSED if closed else Challenge.Status.OPEN,
            opens_on=created.date(),
            closes_on=today - timedelta(days=1) if closed else today + timedelta(days=60),
            created_by=manager,
            created_at=created,
            updated_at=created,
            # Bulk ideas are never confidential: everyone who sees a challenge sees them all.
            idea_count=sizes[index],
            public_idea_count=sizes[index],
        ))
    Challenge.objects.bulk_create(challenges)
    # Like every challenge, each asks about a focus area of the demo strategy and takes every
    # active idea type.
    areas = list(FocusArea.objects.filter(status=FocusArea.Status.ACTIVE).order_by("pk"))
    types = list(IdeaType.objects.filter(active=True))
    for index, challenge in enumerate(challenges):
        if areas:
            challenge.focus_areas.add(areas[index % len(areas)])
        challenge.idea_types.set(types)
    return challenges


def _insert_votes(rng: random.Random, ideas: list[Idea], user_ids: list[int],
                  now: datetime) -> int:
    votes = []
    for idea in ideas:
        # sample() draws distinct people: one vote per idea and voter, as the constraint says.
        for voter in rng.sample(user_ids, idea.vote_count):
            votes.append(Vote(idea_id=idea.pk, voter_id=voter,
                              created_at=_between(rng, idea.created_at, now)))
    Vote.objects.bulk_create(votes)
    return len(votes)


def _insert_comments(rng: random.Random, ideas: list[Idea], user_ids: list[int],
                     now: datetime) -> int:
    comments = []
    for idea in ideas:
        moments = sorted(_between(rng, idea.created_at, now) for _ in range(idea.comment_count))
        for moment in moments:
            comments.append(Comment(idea_id=idea.pk, author_id=rng.choice(user_ids),
                                    body=rng.choice(COMMENT_BODIES), created_at=moment))
    Comment.objects.bulk_create(comments)
    return len(comments)
