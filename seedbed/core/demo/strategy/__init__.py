"""The demo organisation's strategy side, built through the strategy actions, area by area.

Each area module has ``build(ctx: dict) -> None``; ``ctx`` starts with ``users`` (by person key:
the role names for the role accounts, e.g. ctx["users"]["manager"]), ``units`` (by unit name),
``competencies`` (by name) and ``today``, and each area adds what later areas need (e.g.
``ctx["focus_areas"]``). The order below is the order of those needs.
"""

from __future__ import annotations

from seedbed.core.demo.strategy import (
    context,
    documents,
    focus,
    partners,
    planning,
    resources,
)

AREAS = (context, focus, documents, planning, resources, partners)


def build(ctx: dict) -> dict:
    for area in AREAS:
        area.build(ctx)
    return ctx
