"""The evaluation statistics, checked against numbers worked out by hand (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from seedbed.pipeline.models import Criterion
from seedbed.pipeline.selectors.evaluation import (
    aggregate,
    agreement_label,
    normalised,
    rwg,
    sample_variance,
    standard_deviation,
    weighted_score,
)


def criterion(pk: int, key: str, weight: str, *, low: int = 1, high: int = 5,
              better: bool = True) -> Criterion:
    return Criterion(pk=pk, key=key, name=key.title(), weight=Decimal(weight), min_score=low,
                     max_score=high, higher_is_better=better)


FIT, RISK = criterion(1, "fit", "3"), criterion(2, "risk", "1", better=False)


def test_normalised_score_is_turned_round_when_lower_is_better():
    assert normalised(4, 1, 5) == 0.75
    assert normalised(4, 1, 5, higher_is_better=False) == 0.25
    assert normalised(-2, -2, 2) == 0.0


def test_weighted_score_by_hand():
    # fit 4 of 1-5 → 0.75, weight 3; risk 2 of 1-5 → 0.25 → inverted 0.75, weight 1.
    assert weighted_score([FIT, RISK], {1: 4, 2: 2}) == Decimal("75.00")
    # fit 5 → 1.0 ×3, risk 5 → 0 ×1: 3/4 = 75 again; fit 3 → .5×3, risk 1 → 1×1: 2.5/4 = 62.5.
    assert weighted_score([FIT, RISK], {1: 5, 2: 5}) == Decimal("75.00")
    assert weighted_score([FIT, RISK], {1: 3, 2: 1}) == Decimal("62.50")
    assert weighted_score([FIT, RISK], {1: 2, 2: 4}) == Decimal("25.00")
    # Thirds round half up to two decimals: fit 2 (.25×3) + criterion 3 of 1-4 at 2 (1/3 ×1).
    third = criterion(3, "ease", "1", low=1, high=4)
    assert weighted_score([FIT, third], {1: 2, 3: 2}) == Decimal("27.08")
    assert weighted_score([FIT, RISK], {}) is None


def test_sample_variance_and_standard_deviation():
    assert sample_variance([4, 4, 5]) == pytest.approx(1 / 3)
    assert standard_deviation([2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx(2.13809, abs=1e-5)
    assert sample_variance([3]) is None and standard_deviation([]) is None


def test_rwg_known_values():
    # 5-point scale: σ²_EU = (25 - 1) / 12 = 2.
    assert rwg([4, 4, 5], 1, 5) == pytest.approx(1 - (1 / 3) / 2)  # 0.8333
    assert rwg([3, 3, 3], 1, 5) == 1.0
    assert rwg([2, 4], 1, 5) == pytest.approx(0.0)  # s² = 2 = σ²_EU
    assert rwg([1, 5], 1, 5) == 0.0  # s² = 8: clipped at 0
    assert rwg([1, 2, 2, 3], 1, 5) == pytest.approx(1 - (2 / 3) / 2)  # 0.6667
    # 7-point scale: σ²_EU = 4; ratings 5, 6, 6, 7: s² = 2/3 → 0.8333.
    assert rwg([5, 6, 6, 7], 1, 7) == pytest.approx(1 - (2 / 3) / 4)
    assert rwg([4], 1, 5) is None


def test_agreement_labels():
    assert [agreement_label(v) for v in (None, 0.0, 0.49, 0.5, 0.69, 0.7, 1.0)] == [
        "n/a", "low", "low", "moderate", "moderate", "high", "high"]


def test_aggregate_per_criterion_and_overall():
    sheets = [{1: 4, 2: 2}, {1: 4, 2: 3}, {1: 5, 2: 1}]
    result = aggregate([FIT, RISK], sheets)
    fit, risk = result.criteria
    assert (fit.n, fit.low, fit.high) == (3, 4, 5)
    assert fit.mean == pytest.approx(13 / 3)
    assert fit.sd == pytest.approx((1 / 3) ** 0.5)
    assert fit.rwg == pytest.approx(5 / 6) and fit.agreement == "high"
    assert risk.mean == 2.0 and risk.sd == 1.0
    assert risk.rwg == pytest.approx(0.5) and risk.agreement == "moderate"
    # Weighted per sheet: 75, (0.75×3 + 0.5)/4 = 68.75, (3 + 1)/4 = 100.
    assert result.n == 3
    assert result.mean == pytest.approx((75 + 68.75 + 100) / 3)
    assert (result.low, result.high) == (68.75, 100.0)
    assert result.sd == pytest.approx(standard_deviation([75, 68.75, 100]))
    assert result.rwg == pytest.approx((5 / 6 + 0.5) / 2)
    assert result.agreement == "moderate"
    assert result.for_key("risk") is risk and result.for_key("nope") is None


def test_aggregate_of_one_or_no_evaluation_has_no_agreement():
    one = aggregate([FIT, RISK], [{1: 4, 2: 2}])
    assert one.n == 1 and one.mean == 75.0 and one.sd is None and one.rwg is None
    assert one.agreement == "n/a" and one.criteria[0].agreement == "n/a"
    none = aggregate([FIT, RISK], [])
    assert none.n == 0 and none.mean is None and none.criteria[0].mean is None
    assert none.criteria[0].low is None
