"""Probes for the portfolio: board."""

from __future__ import annotations

from tests.matrix._base import Probe


def build(users, org) -> dict:
    return {}


HTML_SAMPLES = {
    "pipeline:board": Probe("pipeline.portfolio"),
}

API_SAMPLES: dict = {}
