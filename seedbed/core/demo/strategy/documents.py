from __future__ import annotations


def build(ctx: dict) -> None:
    """Filled in with this area's demo records."""
