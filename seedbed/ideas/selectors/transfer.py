"""What an export of a challenge's ideas holds, read in a fixed number of queries.

Rows come from ``listed(visible_ideas(user))``: the exporting person's own visibility, so an
export never shows more than the pages do. Drafts and merged ideas are left out (a merged
idea's supporters, comments and followers now belong to the surviving idea, which is listed).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from seedbed.ideas.models import Attachment, Challenge, CoAuthor, CustomField, Idea
from seedbed.ideas.selectors import listed, visible_ideas

BASE_COLUMNS = (
    "ID", "Title", "Description", "Type", "Status", "Author", "Author e-mail", "Co-authors",
    "Org unit", "Tags", "Submitted at (UTC)", "Confidential", "Supporters", "Tokens",
    "Comments", "Followers", "Link",
)


@dataclass
class ExportTable:
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    confidential: int = 0  # how many of the rows are IP-confidential (for the audit event)


def export_fields(challenge: Challenge) -> list[CustomField]:
    """Every custom field an idea of this challenge may answer, whatever its type: the fields
    of each accepted type (unless the challenge defines the same key, which wins, as in
    ``customfields.definitions_for``), then the challenge's own. Retired (inactive) fields are
    kept: ideas may hold answers to them, and an export is a record."""
    type_ids = challenge.idea_types.through.objects.filter(challenge_id=challenge.pk)
    rows = list(CustomField.objects.filter(
        Q(challenge_id=challenge.pk) | Q(idea_type_id__in=type_ids.values("ideatype_id")))
        .select_related("idea_type").order_by("position", "id"))
    own = [f for f in rows if f.challenge_id is not None]
    own_keys = {f.key for f in own}
    by_type = sorted((f for f in rows if f.idea_type_id is not None and f.key not in own_keys),
                     key=lambda f: (f.idea_type.position, f.idea_type.name, f.position, f.pk))
    return by_type + own


def _headers(fields: list[CustomField]) -> list[str]:
    labels = [f.label for f in fields]
    headers = []
    for f in fields:
        label = f.label
        if labels.count(label) > 1 and f.idea_type_id is not None:
            label = f"{label} ({f.idea_type.name})"
        headers.append(label)
    return headers


def _choice_label(f: CustomField, value: Any) -> str:
    for choice in f.choices or []:
        if isinstance(choice, dict) and str(choice.get("value")) == str(value):
            return str(choice.get("label") or value)
    return str(value)


def format_answer(f: CustomField, value: Any, files: list[str]) -> Any:
    """An answer as a cell: choices by their labels, several joined with "; ", yes/no, file
    fields as the attached files' names."""
    if f.kind == CustomField.Kind.FILE:
        return "; ".join(files)
    if value is None or value == "" or value == []:
        return ""
    if f.kind == CustomField.Kind.MULTI_CHOICE:
        values = value if isinstance(value, list) else [value]
        return "; ".join(_choice_label(f, v) for v in values)
    if f.kind == CustomField.Kind.CHOICE:
        return _choice_label(f, value)
    if f.kind == CustomField.Kind.YES_NO:
        return "yes" if value in (True, "true", "yes", 1) else "no"
    if f.kind == CustomField.Kind.NUMBER and isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, dict)):
        return "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return str(value)


def exported_ideas(user, challenge: Challenge) -> QuerySet[Idea]:
    return listed(visible_ideas(user).filter(challenge_id=challenge.pk))


def export_table(user, challenge: Challenge, *, base_url: str) -> ExportTable:
    """The table: one row per listed idea this person may see, oldest first. Five queries
    whatever the number of ideas (fields, ideas, tags, co-authors, file names)."""
    fields = export_fields(challenge)
    table = ExportTable(header=[*BASE_COLUMNS, *_headers(fields)])
    ideas_qs = exported_ideas(user, challenge)
    ideas = list(ideas_qs.select_related("author", "idea_type", "org_unit")
                 .order_by("submitted_at", "id"))
    ids = ideas_qs.values("pk")
    tags: dict[int, list[str]] = defaultdict(list)
    for idea_id, name in (Idea.tags.through.objects.filter(idea_id__in=ids)
                          .order_by("tag__name").values_list("idea_id", "tag__name")):
        tags[idea_id].append(name)
    coauthors: dict[int, list[str]] = defaultdict(list)
    for idea_id, name in (CoAuthor.objects.filter(idea_id__in=ids,
                                                  status=CoAuthor.Status.ACCEPTED)
                          .order_by("invited_at", "id").values_list("idea_id", "user__full_name")):
        coauthors[idea_id].append(name)
    files: dict[tuple[int, str], list[str]] = defaultdict(list)
    if any(f.kind == CustomField.Kind.FILE for f in fields):
        for idea_id, key, name in (Attachment.objects.filter(idea_id__in=ids,
                                                             removed_at__isnull=True)
                                   .exclude(field_key="").order_by("uploaded_at", "id")
                                   .values_list("idea_id", "field_key", "original_name")):
            files[(idea_id, key)].append(name)
    base_url = base_url.rstrip("/")
    for idea in ideas:
        table.confidential += idea.confidential
        answers = [
            format_answer(f, idea.custom_values.get(f.key), files.get((idea.pk, f.key), []))
            if f.challenge_id is not None or f.idea_type_id == idea.idea_type_id else ""
            for f in fields]
        table.rows.append([
            idea.pk, idea.title, idea.description,
            idea.idea_type.name if idea.idea_type else "", idea.get_status_display(),
            idea.author.full_name, idea.author.email, "; ".join(coauthors.get(idea.pk, [])),
            idea.org_unit.name if idea.org_unit else "", ", ".join(tags.get(idea.pk, [])),
            idea.submitted_at, idea.confidential, idea.vote_count, idea.token_count,
            idea.comment_count, idea.follower_count, base_url + idea.get_absolute_url(),
            *answers,
        ])
    return table
