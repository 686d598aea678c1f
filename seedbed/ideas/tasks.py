"""Periodic ideation work: challenges open and close on their dates by themselves."""

from __future__ import annotations

from datetime import timedelta

from seedbed.core.periodic import periodic
from seedbed.ideas.actions.challenges import open_and_close_due_challenges


# Dates are days, but a short interval means a challenge opens within minutes of midnight
# (local time, settings.TIME_ZONE) rather than hours later; the query is cheap (an index on
# status).
@periodic("ideas.challenge_dates", every=timedelta(minutes=5))
def challenge_dates() -> dict[str, list[int]]:
    return open_and_close_due_challenges()
