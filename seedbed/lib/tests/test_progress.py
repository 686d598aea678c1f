"""An objective's health follows from its figures, at exact thresholds."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from seedbed.lib.progress import (
    Health,
    assess,
    plain_number,
    progress_made,
    time_elapsed,
)

START, DUE = date(2026, 1, 1), date(2026, 1, 1) + timedelta(days=100)


def health(value, *, baseline="0", target="100", day: int = 50, as_of_day: int | None = None,
           today: date | None = None) -> Health:
    as_of = START + timedelta(days=day if as_of_day is None else as_of_day)
    return assess(baseline=Decimal(baseline), target=Decimal(target), start_on=START, due_on=DUE,
                  value=None if value is None else Decimal(str(value)),
                  as_of=None if value is None else as_of,
                  today=today or START + timedelta(days=day)).health


def test_progress_runs_from_baseline_to_target_for_increasing_targets():
    assert progress_made(Decimal(10), Decimal(20), Decimal(15)) == Fraction(1, 2)
    assert progress_made(Decimal(10), Decimal(20), Decimal(5)) == Fraction(-1, 2)


def test_progress_works_for_decreasing_targets():
    # Cut changeover time from 90 to 30 minutes: 60 minutes is halfway.
    assert progress_made(Decimal(90), Decimal(30), Decimal(60)) == Fraction(1, 2)
    assert progress_made(Decimal(90), Decimal(30), Decimal(100)) < 0


def test_progress_is_unknown_without_a_value_or_without_a_distance():
    assert progress_made(Decimal(1), Decimal(2), None) is None
    assert progress_made(Decimal(1), Decimal(1), Decimal(1)) is None


def test_time_elapsed_is_clamped_between_zero_and_one():
    assert time_elapsed(START, DUE, START) == 0
    assert time_elapsed(START, DUE, START + timedelta(days=25)) == Fraction(1, 4)
    assert time_elapsed(START, DUE, START - timedelta(days=5)) == 0
    assert time_elapsed(START, DUE, DUE + timedelta(days=5)) == 1


@pytest.mark.parametrize("value,expected", [
    (50, Health.ON_TRACK),   # exactly on plan at half time
    (40, Health.ON_TRACK),   # 10 points behind: still on track (edge)
    ("39.99", Health.AT_RISK),
    (25, Health.AT_RISK),    # 25 points behind: still at risk (edge)
    ("24.99", Health.OFF_TRACK),
    (-10, Health.OFF_TRACK),  # moved the wrong way
    (100, Health.ACHIEVED),
    (120, Health.ACHIEVED),
    ("99.99", Health.ON_TRACK),
])
def test_thresholds_at_half_time(value, expected):
    assert health(value) == expected


@pytest.mark.parametrize("value,expected", [
    (60, Health.ON_TRACK),   # from 90 down to 30 minutes, halfway at half time
    (66, Health.ON_TRACK),   # 10 points behind
    ("66.01", Health.AT_RISK),
    (75, Health.AT_RISK),    # 25 points behind
    ("75.01", Health.OFF_TRACK),
    (30, Health.ACHIEVED),
    (20, Health.ACHIEVED),
])
def test_thresholds_for_a_decreasing_target(value, expected):
    assert health(value, baseline="90", target="30") == expected


def test_not_started_before_the_start_date():
    assert health(None, today=START - timedelta(days=1)) == Health.NOT_STARTED


def test_no_data_without_a_value():
    assert health(None, day=0) == Health.NO_DATA
    assert health(None, day=100) == Health.NO_DATA  # the due date itself is not overdue


def test_overdue_and_not_achieved_is_off_track_even_without_data():
    late = DUE + timedelta(days=1)
    assert health(None, today=late) == Health.OFF_TRACK
    assert health(99, day=100, today=late) == Health.OFF_TRACK
    assert health(100, day=100, today=late) == Health.ACHIEVED


def test_progress_is_compared_with_the_time_elapsed_when_it_was_measured():
    # 20 % done when 20 % of the time had gone: on track, even if read much later.
    assert health(20, as_of_day=20, day=90) == Health.ON_TRACK
    assert health(20, as_of_day=60, day=60) == Health.OFF_TRACK


def test_labels_read_well():
    assert [h.label for h in Health] == ["Not started", "No data", "On track", "At risk",
                                         "Off track", "Achieved"]


@pytest.mark.parametrize("raw,shown", [
    ("12.5000", "12.5"), ("100.0000", "100"), ("0.0000", "0"), ("-3.2500", "-3.25"),
    ("1234567.0001", "1234567.0001"),
])
def test_plain_number_drops_trailing_zeros(raw, shown):
    assert plain_number(Decimal(raw)) == shown
    assert plain_number(None) == ""
