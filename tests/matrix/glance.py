"""Probes for "Strategy at a glance" (seedbed/strategy/{views,api}/glance.py)."""

from __future__ import annotations

from tests.matrix._base import Probe

# A read of approved records only: every employee and the auditor get the page; partners are
# refused by the rule (403), anonymous is sent to sign in.
HTML_SAMPLES = {
    "strategy:glance": Probe("strategy.read"),
}

API_SAMPLES = {
    "GET /api/v1/strategy/glance": Probe("strategy.read"),
}


def build(users, org) -> dict:
    # The page reads what the other strategy areas build for their own probes; it needs no
    # object of its own.
    return {}
