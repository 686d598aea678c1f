"""The shapes the demo content is written in."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass


def md(text: str) -> str:
    """Markdown written indented in source, without the indentation (which would make code)."""
    return textwrap.dedent(text).strip()


@dataclass(frozen=True)
class IdeaSeed:
    author: str  # a key of people.PEOPLE
    title: str
    description: str
    # (author key, body), in the order they were posted.
    comments: tuple[tuple[str, str], ...] = ()
    # How many colleagues support it; the generator picks them, deterministically, from the
    # people who may see the challenge.
    votes: int = 0


@dataclass(frozen=True)
class ChallengeSeed:
    key: str
    title: str
    description: str
    status: str  # "draft", "open" or "closed" (ideation/challenges.py may schedule it)
    opens_in_days: int | None = None  # relative to the day the demo is seeded
    closes_in_days: int | None = None
    units: tuple[str, ...] = ()  # org unit names; empty means the whole organisation
    ideas: tuple[IdeaSeed, ...] = ()
