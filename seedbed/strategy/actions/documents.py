"""Every change to controlled documents (intent, scope, strategy, policy), their versions and
acknowledgements. One transaction, one audit event each.

A version goes draft → in review → approved → superseded (clause 7.5: documented information
under control). Approved and superseded versions never change.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.lib.validation import is_valid_id
from seedbed.strategy.models import (
    Acknowledgement,
    ControlledDocument,
    DocumentVersion,
    FocusArea,
)

Status = DocumentVersion.Status
Kind = ControlledDocument.Kind

DOCUMENT_FIELDS = ("kind", "title", "owner", "requires_acknowledgement")
CONTENT_FIELDS = ("body", "change_summary", "focus_areas", "resources_needed",
                  "progress_measures", "next_review_on")
# Only strategy versions carry these (clause 5.3).
STRATEGY_FIELDS = ("focus_areas", "resources_needed", "progress_measures", "next_review_on")
TEXT_LIMITS = {"body": 100000, "change_summary": 500, "resources_needed": 10000,
               "progress_measures": 10000}
# Participants are asked to read new approved versions of these (clauses 5.2, 5.3, 7.3).
ACKNOWLEDGED_KINDS = (Kind.POLICY, Kind.STRATEGY)


def _state_label(version: DocumentVersion) -> str:
    return version.get_status_display().lower()


def _clean_text(value, field: str, errors: dict) -> str:
    value = (value or "").strip()
    limit = TEXT_LIMITS[field]
    if len(value) > limit:
        errors[field] = f"Keep this under {limit} characters (it has {len(value)})."
    return value


def _focus_areas(values, errors: dict) -> list[FocusArea]:
    ids = {getattr(value, "pk", value) for value in values}
    bad_type = [i for i in ids if not isinstance(i, int) or isinstance(i, bool)]
    if bad_type:
        errors["focus_areas"] = "Give focus areas by their ids."
        return []
    found = list(FocusArea.objects.filter(pk__in={i for i in ids if is_valid_id(i)},
                                          status=FocusArea.Status.ACTIVE))
    missing = ids - {area.pk for area in found}
    if missing:
        errors["focus_areas"] = (f"Unknown or inactive focus areas: {sorted(missing)}. "
                                 "A strategy can only address active focus areas.")
    return found


def _clean_content(document: ControlledDocument, changes: dict) -> dict:
    """Validate the content fields present in ``changes``; return them cleaned."""
    errors: dict[str, str] = {}
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not content fields: {sorted(unknown)}")
    clean: dict = {}
    for name, value in changes.items():
        if name in TEXT_LIMITS:
            clean[name] = _clean_text(value, name, errors)
        elif name == "focus_areas":
            clean[name] = _focus_areas(value or [], errors)
        elif name == "next_review_on":
            if value is not None and value < timezone.localdate():
                errors[name] = "The next review date cannot be in the past."
            clean[name] = value
    if document.kind != Kind.STRATEGY:
        for name in STRATEGY_FIELDS:
            if clean.get(name):
                errors[name] = (f"Only strategy documents carry this; a "
                                f"{document.get_kind_display().lower()} leaves it empty.")
    if errors:
        raise ValidationError(errors)
    return clean


def _apply(version: DocumentVersion, clean: dict) -> list[str]:
    fields = []
    for name, value in clean.items():
        if name != "focus_areas":
            setattr(version, name, value)
            fields.append(name)
    return fields


@transaction.atomic
def create_document(actor, *, kind: str, title: str, owner=None) -> ControlledDocument:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "This field is required."
    elif len(title) > 200:
        errors["title"] = f"Keep this under 200 characters (it has {len(title)})."
    if kind not in Kind.values:
        errors["kind"] = "Choose innovation intent, IMS scope, strategy or policy."
    if errors:
        raise ValidationError(errors)
    document = ControlledDocument.objects.create(
        kind=kind, title=title, owner=owner or actor,
        requires_acknowledgement=kind in ACKNOWLEDGED_KINDS)
    audit.record(actor, "document.created", document, audit.created(document, DOCUMENT_FIELDS))
    return document


@transaction.atomic
def create_draft(actor, document: ControlledDocument, **changes) -> DocumentVersion:
    """Start the next version: a copy of the current approved version (empty for the first),
    with ``changes`` applied. A document has at most one draft or version in review."""
    # Locking the document serialises two managers starting a draft at the same moment.
    document = ControlledDocument.objects.select_for_update().get(pk=document.pk)
    versions = document.versions.all()
    open_version = versions.filter(status__in=DocumentVersion.OPEN).first()
    if open_version is not None:
        raise StateConflict(
            f"Version {open_version.number} of this document is already "
            f"{_state_label(open_version)}; finish or return it before starting another.",
            "draft_exists")
    clean = _clean_content(document, changes)
    base = versions.filter(status=Status.APPROVED).prefetch_related("focus_areas").first()
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(document=document, number=number, author=actor, change_summary="",
                              body=base.body if base else "")
    focus_areas: list[FocusArea] = []
    if base is not None and document.kind == Kind.STRATEGY:
        version.resources_needed = base.resources_needed
        version.progress_measures = base.progress_measures
        version.next_review_on = base.next_review_on
        # Retired or merged focus areas are not carried into the new draft.
        focus_areas = [a for a in base.focus_areas.all() if a.status == FocusArea.Status.ACTIVE]
    _apply(version, clean)
    version.save(force_insert=True)
    version.focus_areas.set(clean.get("focus_areas", focus_areas))
    audit.record(actor, "document_version.drafted", version,
                 audit.created(version, ("document", "number", "status", *CONTENT_FIELDS)))
    return version


def _locked_open_version(version: DocumentVersion) -> DocumentVersion:
    version = DocumentVersion.objects.select_for_update().select_related("document").get(
        pk=version.pk)
    if version.status in DocumentVersion.PUBLISHED:
        raise StateConflict(
            f"Version {version.number} is {_state_label(version)}; approved versions never "
            "change. Start a new draft instead.", "version_immutable")
    return version


@transaction.atomic
def update_draft(actor, version: DocumentVersion, **changes) -> DocumentVersion:
    version = _locked_open_version(version)
    if version.status != Status.DRAFT:
        raise StateConflict(
            f"Version {version.number} is in review; a leader must send it back before it can "
            "be edited.", "in_review")
    clean = _clean_content(version.document, changes)
    before = audit.snapshot(version, CONTENT_FIELDS)
    fields = _apply(version, clean)
    if fields:
        version.save(update_fields=fields)
    if "focus_areas" in clean:
        version.focus_areas.set(clean["focus_areas"])
    change_set = audit.diff(before, audit.snapshot(version, CONTENT_FIELDS))
    if change_set:
        audit.record(actor, "document_version.updated", version, change_set)
    return version


@transaction.atomic
def submit_version(actor, version: DocumentVersion) -> DocumentVersion:
    version = _locked_open_version(version)
    if version.status != Status.DRAFT:
        raise StateConflict(f"Version {version.number} is already in review.", "in_review")
    errors: dict[str, str] = {}
    if not version.body.strip():
        errors["body"] = "Write the document before submitting it for review."
    if not version.change_summary.strip():
        errors["change_summary"] = "Say what changed in this version, for the approver."
    if version.document.kind == Kind.STRATEGY:
        if version.next_review_on is None:
            errors["next_review_on"] = "A strategy needs its next review date."
        elif version.next_review_on < timezone.localdate():
            errors["next_review_on"] = "The next review date cannot be in the past."
    if errors:
        raise ValidationError(errors)
    version.status = Status.IN_REVIEW
    version.submitted_at = timezone.now()
    version.return_reason = ""
    version.save(update_fields=["status", "submitted_at", "return_reason"])
    audit.record(actor, "document_version.submitted", version,
                 {"status": {"before": Status.DRAFT, "after": Status.IN_REVIEW}})
    return version


@transaction.atomic
def approve_version(actor, version: DocumentVersion, *,
                    effective_on: date | None = None) -> DocumentVersion:
    """A leader approves a version in review; the previously approved version is superseded in
    the same transaction."""
    # The document lock makes concurrent approvals of two versions take turns: the second one
    # sees the first one's result (and, at worst, the partial unique index refuses it).
    document = ControlledDocument.objects.select_for_update().get(pk=version.document_id)
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == Status.APPROVED:
        raise StateConflict(f"Version {version.number} is already approved.", "already_approved")
    if version.status == Status.SUPERSEDED:
        raise StateConflict(f"Version {version.number} has been superseded; it never changes.",
                            "version_immutable")
    if version.status != Status.IN_REVIEW:
        raise StateConflict(
            f"Version {version.number} is still a draft; it must be submitted for review "
            "before it can be approved.", "not_in_review")
    if version.author_id == getattr(actor, "pk", None):
        raise PermissionDenied("You cannot approve a version you wrote.")
    effective_on = effective_on or timezone.localdate()
    previous = document.versions.filter(status=Status.APPROVED).first()
    if previous and previous.effective_on and effective_on < previous.effective_on:
        raise ValidationError({"effective_on": (
            f"Version {previous.number} took effect on {previous.effective_on:%d %b %Y}; the "
            "new version cannot take effect before it.")})
    if version.next_review_on and version.next_review_on <= effective_on:
        raise ValidationError({"effective_on": (
            f"This version is due for review on {version.next_review_on:%d %b %Y}; it must "
            "take effect before that date.")})
    changes = {"status": {"before": Status.IN_REVIEW, "after": Status.APPROVED},
               "approver": {"before": None, "after": actor.pk},
               "effective_on": {"before": None, "after": effective_on}}
    if previous is not None:
        previous.status = Status.SUPERSEDED
        previous.save(update_fields=["status"])
        changes["superseded_version"] = {"before": None, "after": previous.number}
    version.status = Status.APPROVED
    version.approver = actor
    version.approved_at = timezone.now()
    version.effective_on = effective_on
    version.save(update_fields=["status", "approver", "approved_at", "effective_on"])
    audit.record(actor, "document_version.approved", version, changes)
    return version


@transaction.atomic
def return_version(actor, version: DocumentVersion, *, reason: str) -> DocumentVersion:
    """A leader sends a version in review back to its author, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the version goes back, for its author."})
    if len(reason) > 5000:
        raise ValidationError({"reason": f"Keep this under 5000 characters (it has "
                                         f"{len(reason)})."})
    version = _locked_open_version(version)
    if version.status != Status.IN_REVIEW:
        raise StateConflict(f"Version {version.number} is a draft, not in review.",
                            "not_in_review")
    version.status = Status.DRAFT
    version.return_reason = reason
    version.save(update_fields=["status", "return_reason"])
    audit.record(actor, "document_version.returned", version,
                 {"status": {"before": Status.IN_REVIEW, "after": Status.DRAFT},
                  "return_reason": {"before": "", "after": reason}})
    return version


@transaction.atomic
def acknowledge_version(actor, version: DocumentVersion) -> Acknowledgement:
    """Record that a participant has read the current approved version (clause 7.3).

    Confirming the same version twice is refused (409) rather than silently ignored, so the
    recorded time stays the first reading and a script learns it asked twice."""
    # The version lock serialises a double click; the unique constraint backs it up.
    version = DocumentVersion.objects.select_for_update().select_related("document").get(
        pk=version.pk)
    if version.status != Status.APPROVED:
        raise StateConflict(
            f"Version {version.number} is {_state_label(version)}; only the current approved "
            "version can be acknowledged.", "not_current")
    if not version.document.requires_acknowledgement:
        raise StateConflict("Nobody is asked to acknowledge this document.", "not_asked")
    existing = Acknowledgement.objects.filter(version=version, user=actor).first()
    if existing is not None:
        raise StateConflict(
            f"You already confirmed reading version {version.number} on "
            f"{timezone.localtime(existing.acknowledged_at):%d %b %Y}.", "already_acknowledged")
    ack = Acknowledgement.objects.create(version=version, user=actor)
    audit.record(actor, "document_version.acknowledged", version,
                 {"acknowledged_by": {"before": None, "after": actor.pk}})
    return ack
