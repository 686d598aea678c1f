"""Portfolio criteria (clause 6.4) kept as data, and the portfolio export.

A criterion is the share of investment the organisation aims to put in one bucket of one
dimension (H1 70 %, H2 20 %, H3 10 %; a share per idea type, focus area or org unit). The
balance views compare the real shares with these targets. Targets of a dimension are meant to
add up to 100 %; the pages warn when they do not, but a manager may keep a partial set while
working on it, so the actions do not refuse it.

An export is recorded in the audit trail (``portfolio.exported``: format, filters, how many
initiatives and how many confidential ones left the system), like an export of ideas.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from seedbed import policy
from seedbed.audit import service as audit
from seedbed.ideas import tabular
from seedbed.lib.validation import clean_text
from seedbed.pipeline.models import PortfolioCriterion
from seedbed.pipeline.selectors import portfolio as reads

CRITERION_FIELDS = ("dimension", "bucket", "label", "target_share", "note")
FORMATS = ("csv", "xlsx")


def _require_manage(actor) -> None:
    if not policy.can(actor, "pipeline.manage"):
        raise PermissionDenied("Only innovation managers keep the portfolio criteria.")


def _share(value: Any, errors: dict[str, str]) -> Decimal | None:
    try:
        share = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        errors["target_share"] = "Give the target share as a number from 0 to 100."
        return None
    if not share.is_finite() or not 0 <= share <= 100:
        errors["target_share"] = "Give the target share as a number from 0 to 100."
        return None
    return share


def _clean(data: Mapping[str, Any], *, instance: PortfolioCriterion | None) -> dict[str, Any]:
    """Every field's problem at once. The bucket must be one the dimension offers (a horizon,
    an idea type's code, the id of a focus area or org unit) and not have a target yet."""
    errors: dict[str, str] = {}
    dimension = data.get("dimension")
    bucket = str(data.get("bucket") or "").strip()
    buckets: dict[str, str] = {}
    if dimension not in PortfolioCriterion.Dimension.values:
        errors["dimension"] = "Choose horizon, idea type, focus area or org unit."
    else:
        buckets = dict(reads.bucket_choices()[dimension])
        if not bucket:
            errors["bucket"] = "Choose what the target is for."
        elif bucket not in buckets:
            errors["bucket"] = "This is not a bucket of that dimension."
        elif PortfolioCriterion.objects.filter(dimension=dimension, bucket=bucket).exclude(
                pk=instance.pk if instance else None).exists():
            errors["bucket"] = "This bucket already has a target: edit that one."
    label = clean_text(data.get("label"), "label", max_length=120, errors=errors)
    note = clean_text(data.get("note"), "note", max_length=300, errors=errors)
    share = _share(data.get("target_share"), errors)
    if errors:
        raise ValidationError(errors)
    return {"dimension": dimension, "bucket": bucket, "label": label or buckets[bucket][:120],
            "target_share": share, "note": note}


def _save(criterion: PortfolioCriterion, changed: list[str]) -> None:
    # Two managers adding the same bucket at once: the unique constraint lets one win; the
    # other is told the bucket is taken, as if it had been there first.
    try:
        with transaction.atomic():
            criterion.save(update_fields=changed if criterion.pk else None)
    except IntegrityError:
        raise ValidationError(
            {"bucket": "This bucket already has a target: edit that one."}) from None


@transaction.atomic
def add_criterion(actor, *, dimension: str, bucket: str, target_share: Any, label: str = "",
                  note: str = "") -> PortfolioCriterion:
    _require_manage(actor)
    clean = _clean({"dimension": dimension, "bucket": bucket, "target_share": target_share,
                    "label": label, "note": note}, instance=None)
    criterion = PortfolioCriterion(**clean, updated_by=actor, updated_at=timezone.now())
    _save(criterion, [])
    audit.record(actor, "portfolio_criterion.created", criterion,
                 audit.created(criterion, CRITERION_FIELDS))
    return criterion


@transaction.atomic
def update_criterion(actor, criterion: PortfolioCriterion, **changes) -> PortfolioCriterion:
    """Change any of the fields; those not given keep their value."""
    _require_manage(actor)
    criterion = PortfolioCriterion.objects.select_for_update().get(pk=criterion.pk)
    before = audit.snapshot(criterion, CRITERION_FIELDS)
    merged = {name: changes[name] if changes.get(name) is not None else getattr(criterion, name)
              for name in CRITERION_FIELDS}
    if changes.get("label") is None and {"dimension", "bucket"} & {
            k for k, v in changes.items() if v is not None}:
        merged["label"] = ""  # named after the new bucket, not the old one
    clean = _clean(merged, instance=criterion)
    for name, value in clean.items():
        setattr(criterion, name, value)
    change_set = audit.diff(before, audit.snapshot(criterion, CRITERION_FIELDS))
    if not change_set:
        return criterion
    criterion.updated_by, criterion.updated_at = actor, timezone.now()
    _save(criterion, [*clean, "updated_by", "updated_at"])
    audit.record(actor, "portfolio_criterion.updated", criterion, change_set)
    return criterion


@transaction.atomic
def remove_criterion(actor, criterion: PortfolioCriterion) -> PortfolioCriterion:
    """Delete the target (the audit event keeps what it was)."""
    _require_manage(actor)
    criterion = PortfolioCriterion.objects.select_for_update().get(pk=criterion.pk)
    changes = {name: {"before": value, "after": None}
               for name, value in audit.snapshot(criterion, CRITERION_FIELDS).items()}
    audit.record(actor, "portfolio_criterion.deleted", criterion, changes)
    pk = criterion.pk
    criterion.delete()
    criterion.pk = pk
    return criterion


# --- Export -----------------------------------------------------------------------------------


@dataclass
class ExportStream:
    filename: str
    content_type: str
    chunks: Iterator[bytes]
    count: int


def export_portfolio(actor, params: reads.Filters | Mapping[str, Any] | None, *, fmt: str,
                     base_url: str) -> ExportStream:
    """The filtered initiatives ``actor`` may see, as CSV or XLSX, read in chunks of 10,000.

    The audit event is recorded first (with the count and filters), in its own transaction:
    the file is then written as it streams, outside any transaction, so a long export never
    holds the database's write lock."""
    if not policy.can(actor, "pipeline.portfolio"):
        raise PermissionDenied("Your role does not allow this.")
    errors = {} if fmt in FORMATS else {"format": "Choose csv or xlsx."}
    f = reads.Filters.of(params)
    errors |= f.errors()
    if errors:
        raise ValidationError(errors)
    qs = reads.export_queryset(actor, f)
    count = qs.count()
    confidential = qs.filter(confidential=True).count()
    with transaction.atomic():
        audit.record(actor, "portfolio.exported", None, {
            "format": {"before": None, "after": fmt},
            "filters": {"before": None, "after": f.query()},
            "initiatives": {"before": None, "after": count},
            "confidential_initiatives": {"before": None, "after": confidential},
        }, object_type="pipeline.portfolio", object_repr="Initiative portfolio")
    rows = reads.export_rows(qs, base_url=base_url)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        chunks = tabular.iter_csv(reads.EXPORT_COLUMNS, rows)
        content_type = tabular.CSV_CONTENT_TYPE
    else:
        chunks = _xlsx(rows)
        content_type = tabular.XLSX_CONTENT_TYPE
    return ExportStream(f"portfolio-{stamp}.{fmt}", content_type, chunks, count)


def _xlsx(rows) -> Iterator[bytes]:
    # A workbook is a zip archive, complete only when saved: written (write-only, row by row)
    # when the response starts, then sent.
    yield tabular.write_xlsx(reads.EXPORT_COLUMNS, rows, sheet_title="Portfolio")
