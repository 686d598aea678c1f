"""The demo organisation's ideation: challenges on its focus areas, ideas with co-authors and a
confidential one, threads, support, a merged duplicate, an import, notifications. Each module
builds one area through the actions; the order matters (each builds on what came before)."""

from __future__ import annotations

from seedbed.core.demo.ideation import (
    challenges,
    discussion,
    duplicates,
    feed,
    ideas,
    notifications,
    support,
    transfer,
)

ORDER = (challenges, ideas, discussion, support, duplicates, transfer, feed, notifications)


def build(ctx: dict) -> dict:
    """Build every area in order; returns what each built, by area name."""
    built = {}
    for area in ORDER:
        built[area.__name__.rsplit(".", 1)[-1]] = area.build(ctx)
    return built
