"""What a valid scorecard criterion is: one rule for template scorecards and challenge scorecards
(used by ``actions.templates`` and ``actions.evaluation``)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from seedbed.lib.validation import clean_text
from seedbed.pipeline.models import Criterion, Scorecard

SCALE_LIMIT = 100  # scores live on [-100, 100]
MAX_WEIGHT = Decimal("999.99")


def _as_int(value: Any, field: str, errors: dict[str, str], *, low: int, high: int,
            message: str) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        errors.setdefault(field, message)
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors.setdefault(field, "Give a whole number.")
        return None
    if not low <= number <= high:
        errors.setdefault(field, message)
        return None
    return number


def _clean_weight(value: Any, errors: dict[str, str]) -> Decimal | None:
    try:
        weight = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors["weight"] = "Give the weight as a number, such as 2 or 1.5."
        return None
    if not weight.is_finite() or weight <= 0 or weight > MAX_WEIGHT:
        errors["weight"] = f"Give a weight above 0 and at most {MAX_WEIGHT}."
        return None
    if weight != weight.quantize(Decimal("0.01")):
        errors["weight"] = "Use at most two decimals."
        return None
    return weight


def clean_criterion(data: Mapping[str, Any], *, scorecard: Scorecard,
                     instance: Criterion | None) -> dict[str, Any]:
    """The cleaned fields of a criterion, or every field error at once. The key is made from
    the name when none is given."""
    errors: dict[str, str] = {}
    name = clean_text(data.get("name"), "name", max_length=120, errors=errors, required=True)
    description = clean_text(data.get("description") or "", "description", max_length=500,
                             errors=errors)
    key = (data.get("key") or "").strip() if isinstance(data.get("key"), str) else ""
    key = key or slugify(name or "").replace("-", "_")[:40].strip("_")
    if not key or len(key) > 40 or key != slugify(key).replace("-", "_") \
            or not key[0].isalpha():
        errors["key"] = ("Use a key of lower-case letters, digits and underscores, starting "
                         "with a letter (at most 40).")
    elif Criterion.objects.filter(scorecard=scorecard, key=key).exclude(
            pk=instance.pk if instance else None).exists():
        errors["key"] = "Another criterion of this scorecard already uses this key."
    weight = _clean_weight(data.get("weight"), errors)
    scale = f"Give a whole number from -{SCALE_LIMIT} to {SCALE_LIMIT}."
    low = _as_int(data.get("min_score"), "min_score", errors, low=-SCALE_LIMIT,
                  high=SCALE_LIMIT, message=scale)
    high = _as_int(data.get("max_score"), "max_score", errors, low=-SCALE_LIMIT,
                   high=SCALE_LIMIT, message=scale)
    if low is not None and high is not None and low >= high:
        errors["max_score"] = "The highest score must be above the lowest."
    clean = {"key": key, "name": name, "description": description, "weight": weight,
             "min_score": low, "max_score": high,
             "higher_is_better": bool(data.get("higher_is_better"))}
    if "position" in data:  # the caller places new criteria itself when it gives none
        clean["position"] = _as_int(data.get("position"), "position", errors, low=0, high=1000,
                                    message="Give a position from 0 to 1000.")
    if errors:
        raise ValidationError(errors)
    return clean
