"""Read access to controlled documents, their versions and acknowledgements.

Readers (strategy.read) see documents that have an approved version, and only approved or
superseded versions; drafts and versions in review are for strategy.drafts; partners and lapsed
accounts see nothing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import OrgUnit, User
from seedbed.lib.validation import is_valid_id as _valid_id
from seedbed.strategy.models import Acknowledgement, ControlledDocument, DocumentVersion

Status = DocumentVersion.Status


def sees_drafts(user) -> bool:
    return policy.can(user, "strategy.drafts")


def visible_versions(user) -> QuerySet[DocumentVersion]:
    if sees_drafts(user):
        return DocumentVersion.objects.all()
    if policy.can(user, "strategy.read"):
        return DocumentVersion.objects.filter(status__in=DocumentVersion.PUBLISHED)
    return DocumentVersion.objects.none()


def visible_documents(user) -> QuerySet[ControlledDocument]:
    if sees_drafts(user):
        return ControlledDocument.objects.all()
    if policy.can(user, "strategy.read"):
        approved = DocumentVersion.objects.filter(document=OuterRef("pk"), status=Status.APPROVED)
        return ControlledDocument.objects.filter(Exists(approved))
    return ControlledDocument.objects.none()


def get_document_for_user(user, pk: int, *, manage: bool = False) -> ControlledDocument:
    document = (visible_documents(user).select_related("owner").filter(pk=pk).first()
                if _valid_id(pk) else None)
    if document is None:
        raise Http404("No such document")
    if manage and not policy.can(user, "strategy.manage"):
        raise PermissionDenied("Only innovation managers may draft controlled documents.")
    return document


def get_version_for_user(user, pk: int) -> DocumentVersion:
    version = (visible_versions(user).select_related("document", "author", "approver")
               .filter(pk=pk).first() if _valid_id(pk) else None)
    if version is None:
        raise Http404("No such version")
    return version


def with_focus_areas(qs: QuerySet[DocumentVersion]) -> QuerySet[DocumentVersion]:
    return qs.prefetch_related("focus_areas")


def document_list(user) -> QuerySet[ControlledDocument]:
    """Documents with, prefetched, their current approved version (``approved``) and, for
    those who see drafts, their open draft or version in review (``open``)."""
    qs = visible_documents(user).select_related("owner").prefetch_related(
        Prefetch("versions", to_attr="approved",
                 queryset=DocumentVersion.objects.filter(status=Status.APPROVED)
                 .select_related("author", "approver")))
    if sees_drafts(user):
        qs = qs.prefetch_related(
            Prefetch("versions", to_attr="open",
                     queryset=DocumentVersion.objects.filter(status__in=DocumentVersion.OPEN)
                     .select_related("author", "approver")))
    return qs.order_by("kind", "title", "pk")


def current_version(document: ControlledDocument) -> DocumentVersion | None:
    return (with_focus_areas(document.versions.filter(status=Status.APPROVED))
            .select_related("author", "approver").first())


def open_version(document: ControlledDocument) -> DocumentVersion | None:
    return document.versions.filter(status__in=DocumentVersion.OPEN).select_related(
        "author").first()


def history(user, document: ControlledDocument) -> QuerySet[DocumentVersion]:
    return (visible_versions(user).filter(document=document)
            .select_related("author", "approver").order_by("-number"))


def has_acknowledged(user, version: DocumentVersion | None) -> bool:
    if version is None or not user.is_authenticated:
        return False
    return Acknowledgement.objects.filter(version=version, user=user).exists()


def pending_acknowledgements(user) -> list[DocumentVersion]:
    """Current approved versions this person is asked to read and has not confirmed yet."""
    if not policy.can(user, "strategy.acknowledge"):
        return []
    mine = Acknowledgement.objects.filter(version=OuterRef("pk"), user=user)
    return list(DocumentVersion.objects.filter(
        status=Status.APPROVED, document__requires_acknowledgement=True)
        .exclude(Exists(mine)).select_related("document").order_by("document__kind", "pk")[:20])


def overdue_reviews(user, today=None) -> list[DocumentVersion]:
    """Current approved strategy versions whose review date has passed (for those who keep
    the registers)."""
    if not policy.can(user, "strategy.manage"):
        return []
    today = today or timezone.localdate()
    return list(DocumentVersion.objects.filter(
        status=Status.APPROVED, document__kind=ControlledDocument.Kind.STRATEGY,
        next_review_on__lt=today).select_related("document").order_by("next_review_on")[:20])


# --- Diff -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def diff_lines(before: str, after: str) -> list[DiffLine]:
    """A line diff of two Markdown sources; the text stays plain (templates escape it)."""
    old, new = (before or "").splitlines(), (after or "").splitlines()
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new,
                                                        autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", text) for text in old[i1:i2]]
            continue
        lines += [DiffLine("removed", text) for text in old[i1:i2]]
        lines += [DiffLine("added", text) for text in new[j1:j2]]
    return lines


def diff_base(user, version: DocumentVersion, against: int | None) -> DocumentVersion | None:
    """The version to compare with: the one asked for (of the same document, visible to this
    person), or else the closest earlier version they may see (None for the first)."""
    versions = visible_versions(user).filter(document_id=version.document_id).select_related(
        "author", "approver")
    if against is not None:
        base = versions.filter(pk=against).first() if _valid_id(against) else None
        if base is None:
            raise Http404("No such version of this document")
        return base
    return versions.filter(number__lt=version.number).order_by("-number").first()


# --- Awareness (clause 7.3) -------------------------------------------------------------------


@dataclass
class AwarenessRow:
    unit: OrgUnit | None  # None: people placed in no org unit
    asked: int = 0
    acknowledged: int = 0

    @property
    def rate(self) -> float | None:
        return round(self.acknowledged / self.asked, 4) if self.asked else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.acknowledged / self.asked) if self.asked else None


@dataclass
class Awareness:
    version: DocumentVersion
    total: AwarenessRow
    rows: list[AwarenessRow] = field(default_factory=list)


def asked_people() -> QuerySet[User]:
    """Who is asked to read policy and strategy: active employees whose access has not lapsed."""
    today = timezone.localdate()
    return (User.objects.filter(is_active=True,
                                role__in=policy.RULES["strategy.acknowledge"])
            .exclude(access_until__lt=today))


def acknowledged_versions() -> QuerySet[DocumentVersion]:
    return (DocumentVersion.objects.filter(status=Status.APPROVED,
                                           document__requires_acknowledgement=True)
            .select_related("document", "author", "approver")
            .order_by("document__kind", "document__title", "pk"))


def awareness(user) -> list[Awareness]:
    """Per current policy/strategy version and per org unit: of the people asked (those placed
    in the unit or any unit below it), how many confirmed reading it. Four queries in all."""
    if not policy.can(user, "strategy.records"):
        raise PermissionDenied("Your role does not allow this.")
    versions = list(acknowledged_versions())
    units = list(OrgUnit.objects.order_by("path"))
    people = list(asked_people().values_list("pk", "org_unit_id"))
    read = set(Acknowledgement.objects.filter(version__in=versions)
               .values_list("version_id", "user_id")) if versions else set()
    path_of = {unit.pk: unit.path for unit in units}
    result = []
    for version in versions:
        rows = {unit.pk: AwarenessRow(unit) for unit in units}
        unplaced = AwarenessRow(None)
        total = AwarenessRow(None)
        for person_id, unit_id in people:
            done = (version.pk, person_id) in read
            total.asked += 1
            total.acknowledged += done
            targets = ([rows[int(i)] for i in path_of[unit_id].strip("/").split("/")
                        if i and int(i) in rows] if unit_id in path_of else [unplaced])
            for row in targets:
                row.asked += 1
                row.acknowledged += done
        listed = [rows[unit.pk] for unit in units]
        if unplaced.asked:
            listed.append(unplaced)
        result.append(Awareness(version, total, listed))
    return result


def acknowledgement_log(user, version_id: int | None = None) -> QuerySet[Acknowledgement]:
    """Who confirmed reading which version (current or since superseded), and when, newest
    first."""
    if not policy.can(user, "strategy.records"):
        raise PermissionDenied("Your role does not allow this.")
    qs = Acknowledgement.objects.all()
    if version_id is not None:
        qs = qs.filter(version_id=version_id)
    return qs.select_related("user", "user__org_unit", "version", "version__document").order_by(
        "-acknowledged_at", "-pk")
