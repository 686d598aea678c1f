"""An objective's health, derived from progress made against time elapsed (ISO 56001, 6.2).

Health is never typed by hand: it follows from the numbers. Arithmetic is exact (fractions), so
the thresholds hold to the day and to the last decimal place.

- progress = (value - baseline) / (target - baseline): 0 at the baseline, 1 at the target, for
  increasing and decreasing targets alike (a negative progress means it moved the wrong way);
- elapsed = (as_of - start) / (due - start), measured on the date of the latest value, so the
  value is compared with where the plan said it should be on the day it was measured;
- the gap = progress - elapsed, in points of 100.

In order, the first that applies:
  not started  today is before the start date
  achieved     progress >= 100 %
  off track    the due date has passed (and it is not achieved)
  no data      no value recorded yet
  on track     progress >= elapsed - 10 points
  at risk      progress >= elapsed - 25 points
  off track    otherwise
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

ON_TRACK_TOLERANCE = Fraction(10, 100)
AT_RISK_TOLERANCE = Fraction(25, 100)


class Health(StrEnum):
    NOT_STARTED = "not_started"
    NO_DATA = "no_data"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ACHIEVED = "achieved"

    @property
    def label(self) -> str:
        return HEALTH_LABELS[self]


HEALTH_LABELS = {
    Health.NOT_STARTED: "Not started",
    Health.NO_DATA: "No data",
    Health.ON_TRACK: "On track",
    Health.AT_RISK: "At risk",
    Health.OFF_TRACK: "Off track",
    Health.ACHIEVED: "Achieved",
}


def plain_number(value: Decimal | None) -> str:
    """A stored decimal without trailing zeros: 12.5000 → "12.5", 100.0000 → "100"."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def progress_made(baseline: Decimal, target: Decimal, value: Decimal | None) -> Fraction | None:
    """How far from baseline to target the value has come (1 = target reached)."""
    if value is None or target == baseline:
        return None
    return (Fraction(value) - Fraction(baseline)) / (Fraction(target) - Fraction(baseline))


def time_elapsed(start_on: date, due_on: date, on: date) -> Fraction:
    """The share of the planned period gone by on ``on``, between 0 and 1."""
    if due_on <= start_on:
        return Fraction(1) if on >= due_on else Fraction(0)
    share = Fraction((on - start_on).days, (due_on - start_on).days)
    return min(max(share, Fraction(0)), Fraction(1))


@dataclass(frozen=True)
class Assessment:
    health: Health
    progress: Fraction | None  # None without a value
    elapsed: Fraction  # at the latest value's date, or today without one

    @property
    def progress_percent(self) -> float | None:
        return None if self.progress is None else round(float(self.progress) * 100, 1)

    @property
    def elapsed_percent(self) -> float:
        return round(float(self.elapsed) * 100, 1)


def assess(*, baseline: Decimal, target: Decimal, start_on: date, due_on: date,
           value: Decimal | None, as_of: date | None, today: date) -> Assessment:
    progress = progress_made(baseline, target, value)
    measured_on = as_of if (value is not None and as_of is not None) else today
    elapsed = time_elapsed(start_on, due_on, measured_on)
    if today < start_on:
        health = Health.NOT_STARTED
    elif progress is not None and progress >= 1:
        health = Health.ACHIEVED
    elif today > due_on:
        health = Health.OFF_TRACK
    elif progress is None:
        health = Health.NO_DATA
    elif progress >= elapsed - ON_TRACK_TOLERANCE:
        health = Health.ON_TRACK
    elif progress >= elapsed - AT_RISK_TOLERANCE:
        health = Health.AT_RISK
    else:
        health = Health.OFF_TRACK
    return Assessment(health, progress, elapsed)
