"""The demo's challenges, tied to Alder Valley Foods' strategy: each asks about one or more of
its focus areas ("why we ask"), has a sponsor from top management, accepts the idea types that
fit, and one runs on a budget of tokens. The packaging challenge is open innovation (Kestrel
Packaging, a supplier, is invited) and has extra questions on its form; the digital one is
scheduled to open by itself in a month.

Needs ``ctx["users"]`` (by person key), ``ctx["units"]`` (by name), ``ctx["today"]``, and from
the strategy demo ``ctx["focus_areas"]`` (by key) and ``ctx["partners"]`` (by name); optional
``ctx["summary"]`` (counts, updated). Adds and returns ``ctx["challenges"]`` (by seed key).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.core.demo.challenges import CHALLENGES
from seedbed.core.demo.seeds import ChallengeSeed
from seedbed.ideas import actions as idea_actions
from seedbed.ideas import selectors as idea_selectors
from seedbed.ideas.actions import types as type_actions
from seedbed.ideas.models import Challenge, Idea, IdeaType


@dataclass(frozen=True)
class Links:
    focus: tuple[str, ...]  # keys of the strategy demo's focus areas
    sponsor: str  # person key
    idea_types: tuple[str, ...]  # codes; the first is the type of the seeded ideas
    partners: tuple[str, ...] = ()  # partner organisation names (invited)
    audience: str = ""  # default: units if the seed names units, else the organisation
    voting_mode: str = Challenge.VotingMode.SUPPORT
    token_budget: int = 10
    # (label, kind, choices, help) of extra questions on the submission form
    fields: tuple[tuple[str, str, tuple[str, ...], str], ...] = ()
    status: str = ""  # overrides the seed's status ("scheduled")


LINKS: dict[str, Links] = {
    "onboarding": Links(("skills_culture",), "claire",
                        ("continuous_improvement", "process")),
    "packaging": Links(
        ("packaging",), policy.LEADER, ("product", "process"),
        partners=("Kestrel Packaging Ltd",),
        fields=(
            ("Which products would it apply to?", "multi_choice",
             ("Ready meals", "Soups", "Sauces", "All chilled lines"), ""),
            ("Estimated plastic saved per year (tonnes)", "number", (),
             "A rough figure is fine; the packaging team checks it."),
            ("Could we trial it on one line within three months?", "yes_no", (), ""),
        )),
    "waste": Links(("skills_culture", "energy"), "claire",
                   ("continuous_improvement", "process")),
    "energy": Links(("energy",), "tom", ("process", "continuous_improvement")),
    "healthy": Links(("hfss", "plant_meals"), policy.LEADER, ("product",),
                     voting_mode=Challenge.VotingMode.TOKENS, token_budget=10),
    "digital": Links(("automation",), "claire", ("process",), status="scheduled"),
    "proteins": Links(("plant_meals",), policy.LEADER, ("product", "business_model"),
                      partners=("Pennine University, School of Food Science",
                                "Voltwise Energy"),
                      audience=Challenge.Audience.PARTNERS),
}


def build(ctx: dict) -> dict:
    IdeaType.ensure_defaults()
    types = {t.code: t for t in IdeaType.objects.all()}
    challenges = {}
    for seed in CHALLENGES:
        challenges[seed.key] = _create_challenge(seed, LINKS[seed.key], ctx, types)
    ctx["challenges"] = challenges
    return challenges


def _count(ctx: dict, name: str, n: int = 1) -> None:
    summary = ctx.get("summary")
    if summary is not None:
        setattr(summary, name, getattr(summary, name) + n)


def _takes_part(user: User, challenge: Challenge) -> bool:
    """Asks the system's own rules, so the demo never shows a comment its author could not
    have written."""
    return (policy.can(user, "idea.contribute")
            and idea_selectors.visible_challenges(user).filter(pk=challenge.pk).exists())


def _create_challenge(seed: ChallengeSeed, links: Links, ctx: dict,
                      types: dict[str, IdeaType]) -> Challenge:
    users, units, today = ctx["users"], ctx["units"], ctx["today"]
    manager = users[policy.MANAGER]

    def day(offset: int | None):
        return today + timedelta(days=offset) if offset is not None else None

    audience = links.audience or (Challenge.Audience.UNITS if seed.units
                                  else Challenge.Audience.ORGANISATION)
    challenge = idea_actions.create_challenge(
        manager, title=seed.title, description=seed.description,
        opens_on=day(seed.opens_in_days), closes_on=day(seed.closes_in_days),
        audience=audience, units=[units[name] for name in seed.units],
        focus_areas=[ctx["focus_areas"][key] for key in links.focus],
        sponsor=users[links.sponsor],
        idea_types=[types[code] for code in links.idea_types],
        partner_orgs=[ctx["partners"][name] for name in links.partners],
        voting_mode=links.voting_mode, token_budget=links.token_budget,
    )
    for label, kind, choices, help_text in links.fields:
        type_actions.add_custom_field(manager, challenge=challenge, label=label, kind=kind,
                                      choices=list(choices), help_text=help_text)
    _count(ctx, "challenges")
    status = links.status or seed.status
    if status == Challenge.Status.DRAFT:
        return challenge
    if status == Challenge.Status.SCHEDULED:
        return idea_actions.schedule_challenge(manager, challenge, today=today)
    challenge = idea_actions.open_challenge(manager, challenge)
    participants = [u for u in users.values() if _takes_part(u, challenge)]
    idea_type = types[links.idea_types[0]]
    for index, idea_seed in enumerate(seed.ideas):
        author = _participant(users, idea_seed.author, participants, seed)
        idea = idea_actions.submit_idea(author, challenge, title=idea_seed.title,
                                        description=idea_seed.description, idea_type=idea_type)
        _count(ctx, "ideas")
        for commenter_key, body in idea_seed.comments:
            commenter = _participant(users, commenter_key, participants, seed)
            idea_actions.add_comment(commenter, idea, body=body)
            _count(ctx, "comments")
        _count(ctx, "votes", _cast_votes(idea, author, idea_seed.votes, participants,
                                         random.Random(f"{seed.key}:{index}")))  # noqa: S311
    if status == Challenge.Status.CLOSED:
        challenge = idea_actions.close_challenge(manager, challenge)
    return challenge


def _participant(users: dict[str, User], key: str, participants: list[User],
                 seed: ChallengeSeed) -> User:
    user = users[key]
    if user not in participants:
        raise ValueError(f"demo content: {key} cannot take part in the {seed.key!r} challenge")
    return user


def _cast_votes(idea: Idea, author: User, wanted: int, participants: list[User],
                rng: random.Random) -> int:
    supporters = rng.sample([u for u in participants if u != author],
                            min(wanted, len(participants) - 1))
    for supporter in supporters:
        idea_actions.toggle_vote(supporter, idea)
    return len(supporters)
