"""Demo pipeline: evaluation (see the package's PLAN)."""

from __future__ import annotations


def build(ctx: dict) -> dict:
    return {}
