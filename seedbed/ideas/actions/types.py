"""Idea types and custom submission fields (clause 8.3.3: the forms concepts start from).

Types are never deleted (ideas point at them); a deactivated type is no longer offered to new
challenges or ideas. Custom fields belong to one challenge or one idea type; once an idea has
answered a field its key and kind are fixed, because the answer is stored under that key as
data (``Idea.custom_values``) and exports read it back by key.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Challenge, CustomField, Idea, IdeaType
from seedbed.lib.validation import clean_text

_required_text = partial(clean_text, required=True)

TYPE_FIELDS = ("code", "name", "description", "active", "position")
FIELD_FIELDS = ("key", "label", "help_text", "kind", "choices", "required", "position", "active")
MAX_CHOICES = 50
MAX_FIELDS_PER_SCOPE = 30
CHOICE_KINDS = (CustomField.Kind.CHOICE, CustomField.Kind.MULTI_CHOICE)


def _slug_key(text: str, max_length: int) -> str:
    return slugify(text).replace("-", "_")[:max_length].strip("_")


# --- idea types ------------------------------------------------------------------------------

def _clean_type(data: dict[str, Any], *, instance: IdeaType | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = _required_text(data["name"], "name", max_length=80, errors=errors)
    description = clean_text(data.get("description") or "", "description", max_length=300,
                             errors=errors)
    code = (data.get("code") or "").strip() or _slug_key(name or "", 40)
    if code and code != slugify(code).replace("-", "_"):
        errors["code"] = "Use lower-case letters, digits and underscores."
    elif not code and "name" not in errors:
        errors["code"] = "Give the type a code (letters, digits and underscores)."
    others = IdeaType.objects.exclude(pk=instance.pk if instance else None)
    if code and others.filter(code=code).exists():
        errors["code"] = "Another idea type already has this code."
    if name and others.filter(name__iexact=name).exists():
        errors["name"] = "Another idea type already has this name."
    if errors:
        raise ValidationError(errors)
    return {"code": code, "name": name, "description": description}


@transaction.atomic
def create_idea_type(actor, *, name: str, description: str = "", code: str = "") -> IdeaType:
    clean = _clean_type({"name": name, "description": description, "code": code},
                        instance=None)
    position = (IdeaType.objects.aggregate(n=Max("position"))["n"] or 0) + 1
    idea_type = IdeaType.objects.create(position=position, **clean)
    audit.record(actor, "idea_type.created", idea_type, audit.created(idea_type, TYPE_FIELDS))
    return idea_type


@transaction.atomic
def update_idea_type(actor, idea_type: IdeaType, **changes) -> IdeaType:
    """Rename, describe, (de)activate or move a type. Its code is fixed once ideas use it."""
    idea_type = IdeaType.objects.select_for_update().get(pk=idea_type.pk)
    before = audit.snapshot(idea_type, TYPE_FIELDS)
    merged = {"name": changes.get("name") or idea_type.name,
              "description": changes.get("description", idea_type.description),
              "code": changes.get("code") or idea_type.code}
    clean = _clean_type(merged, instance=idea_type)
    if clean["code"] != idea_type.code and Idea.objects.filter(idea_type=idea_type).exists():
        raise StateConflict("Ideas of this type exist: its code can no longer change.",
                            "type_in_use")
    if changes.get("active") is not None:
        clean["active"] = bool(changes["active"])
    if changes.get("position") is not None:
        position = changes["position"]
        if not isinstance(position, int) or not 0 <= position <= 1000:
            raise ValidationError({"position": "Give a position between 0 and 1000."})
        clean["position"] = position
    if clean.get("active") is False and idea_type.active and not IdeaType.objects.filter(
            active=True).exclude(pk=idea_type.pk).exists():
        raise StateConflict("At least one idea type must stay active.", "last_active_type")
    for name, value in clean.items():
        setattr(idea_type, name, value)
    idea_type.updated_at = timezone.now()
    idea_type.save(update_fields=[*clean, "updated_at"])
    change_set = audit.diff(before, audit.snapshot(idea_type, TYPE_FIELDS))
    if change_set:
        verb = "idea_type.updated"
        if set(change_set) == {"active"}:
            verb = "idea_type.activated" if idea_type.active else "idea_type.deactivated"
        audit.record(actor, verb, idea_type, change_set)
    return idea_type


def deactivate_idea_type(actor, idea_type: IdeaType) -> IdeaType:
    return update_idea_type(actor, idea_type, active=False)


# --- custom fields ---------------------------------------------------------------------------

def _scope_fields(challenge: Challenge | None, idea_type: IdeaType | None):
    if challenge is not None:
        return CustomField.objects.filter(challenge=challenge)
    return CustomField.objects.filter(idea_type=idea_type)


def has_answers(field: CustomField) -> bool:
    """Whether any idea has stored an answer under this field's key."""
    ideas = (Idea.objects.filter(challenge_id=field.challenge_id) if field.challenge_id
             else Idea.objects.filter(idea_type_id=field.idea_type_id))
    return ideas.filter(custom_values__has_key=field.key).exists()


def _clean_choices(raw: Any, kind: str, errors: dict[str, str]) -> list[str]:
    if kind not in CHOICE_KINDS:
        return []
    if isinstance(raw, str):
        raw = raw.splitlines()
    if not isinstance(raw, (list, tuple)):
        errors["choices"] = "Give the choices as a list."
        return []
    cleaned: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            errors["choices"] = "Each choice must be text."
            return []
        local: dict[str, str] = {}
        text = clean_text(item, "choices", max_length=100, errors=local)
        if local:
            errors["choices"] = local["choices"]
            return []
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) < 2:
        errors["choices"] = "Give at least two choices, one a line."
    elif len(cleaned) > MAX_CHOICES:
        errors["choices"] = f"Give at most {MAX_CHOICES} choices."
    return cleaned


def _clean_field(data: dict[str, Any], *, scope, instance: CustomField | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    label = _required_text(data.get("label") or "", "label", max_length=200, errors=errors)
    help_text = clean_text(data.get("help_text") or "", "help_text", max_length=300,
                           errors=errors)
    kind = data.get("kind")
    if kind not in CustomField.Kind.values:
        errors["kind"] = "Choose what kind of answer the field takes."
    key = (data.get("key") or "").strip() or _slug_key(label or "", 40)
    if not key or key != _slug_key(key, 40) or not key[0].isalpha():
        errors["key"] = ("Use a key of lower-case letters, digits and underscores, starting "
                         "with a letter (at most 40).")
    elif scope.exclude(pk=instance.pk if instance else None).filter(key=key).exists():
        errors["key"] = "Another field here already uses this key."
    choices = _clean_choices(data.get("choices") or [], kind, errors)
    if errors:
        raise ValidationError(errors)
    return {"key": key, "label": label, "help_text": help_text, "kind": kind,
            "choices": choices, "required": bool(data.get("required"))}


@transaction.atomic
def add_custom_field(actor, *, challenge: Challenge | None = None,
                     idea_type: IdeaType | None = None, label: str, kind: str, key: str = "",
                     help_text: str = "", choices: list[str] | None = None,
                     required: bool = False) -> CustomField:
    """A new question on the submission form of one challenge or one idea type."""
    if (challenge is None) == (idea_type is None):
        raise ValueError("A custom field belongs to exactly one challenge or one idea type.")
    if challenge is not None:
        # Lock the challenge: two managers adding fields get distinct positions.
        challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if challenge.status == Challenge.Status.CLOSED:
            raise StateConflict("A closed challenge can no longer be edited.",
                                "challenge_closed")
    else:
        idea_type = IdeaType.objects.select_for_update().get(pk=idea_type.pk)
    scope = _scope_fields(challenge, idea_type)
    if scope.count() >= MAX_FIELDS_PER_SCOPE:
        raise ValidationError({"__all__": f"At most {MAX_FIELDS_PER_SCOPE} fields per form."})
    clean = _clean_field({"label": label, "kind": kind, "key": key, "help_text": help_text,
                          "choices": choices, "required": required}, scope=scope, instance=None)
    position = (scope.aggregate(n=Max("position"))["n"] or 0) + 1
    field = CustomField.objects.create(challenge=challenge, idea_type=idea_type,
                                       position=position, **clean)
    audit.record(actor, "custom_field.created", field,
                 {**audit.created(field, FIELD_FIELDS), **_scope_change(field)})
    return field


def _scope_change(field: CustomField) -> dict[str, dict[str, Any]]:
    if field.challenge_id:
        return {"challenge": {"before": None, "after": field.challenge_id}}
    return {"idea_type": {"before": None, "after": field.idea_type_id}}


def _check_open_scope(field: CustomField) -> None:
    if field.challenge_id and Challenge.objects.filter(
            pk=field.challenge_id, status=Challenge.Status.CLOSED).exists():
        raise StateConflict("A closed challenge can no longer be edited.", "challenge_closed")


@transaction.atomic
def update_custom_field(actor, field: CustomField, **changes) -> CustomField:
    """Edit a field's label, help, choices, required flag or active flag. The key and kind
    change only while no idea has answered it."""
    field = CustomField.objects.select_for_update().get(pk=field.pk)
    _check_open_scope(field)
    before = audit.snapshot(field, FIELD_FIELDS)
    merged = {name: (changes[name] if changes.get(name) is not None else getattr(field, name))
              for name in ("key", "label", "help_text", "kind", "choices", "required")}
    scope = _scope_fields(field.challenge, field.idea_type)
    clean = _clean_field(merged, scope=scope, instance=field)
    if (clean["key"] != field.key or clean["kind"] != field.kind) and has_answers(field):
        raise StateConflict("Ideas have answered this field: its key and kind can no longer "
                            "change (deactivate it and add a new one instead).", "field_answered")
    if changes.get("active") is not None:
        clean["active"] = bool(changes["active"])
    for name, value in clean.items():
        setattr(field, name, value)
    field.save(update_fields=list(clean))
    change_set = audit.diff(before, audit.snapshot(field, FIELD_FIELDS))
    if change_set:
        verb = "custom_field.updated"
        if set(change_set) == {"active"}:
            verb = "custom_field.activated" if field.active else "custom_field.deactivated"
        audit.record(actor, verb, field, change_set)
    return field


def deactivate_custom_field(actor, field: CustomField) -> CustomField:
    return update_custom_field(actor, field, active=False)


@transaction.atomic
def reorder_custom_fields(actor, *, challenge: Challenge | None = None,
                          idea_type: IdeaType | None = None,
                          field_ids: list[int]) -> list[CustomField]:
    """Put the fields of one form in the given order (every field of the form, once)."""
    if (challenge is None) == (idea_type is None):
        raise ValueError("Reorder the fields of exactly one challenge or one idea type.")
    if challenge is not None:
        challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if challenge.status == Challenge.Status.CLOSED:
            raise StateConflict("A closed challenge can no longer be edited.",
                                "challenge_closed")
    fields = list(_scope_fields(challenge, idea_type).select_for_update().order_by(
        "position", "id"))
    if sorted(field_ids) != sorted(f.pk for f in fields) or len(set(field_ids)) != len(
            field_ids):
        raise ValidationError({"field_ids": "Name every field of this form exactly once."})
    before = [f.pk for f in fields]
    if before == list(field_ids):
        return fields
    by_id = {f.pk: f for f in fields}
    ordered = [by_id[pk] for pk in field_ids]
    for position, field in enumerate(ordered, start=1):
        field.position = position
    CustomField.objects.bulk_update(ordered, ["position"])
    owner = challenge or idea_type
    audit.record(actor, "custom_field.reordered", owner,
                 {"field_order": {"before": before, "after": list(field_ids)}})
    return ordered


@transaction.atomic
def move_custom_field(actor, field: CustomField, direction: str) -> CustomField:
    """One step up or down in its form (the buttons on the edit pages)."""
    field = CustomField.objects.select_for_update().get(pk=field.pk)
    ids = list(_scope_fields(field.challenge, field.idea_type).order_by("position", "id")
               .values_list("pk", flat=True))
    i = ids.index(field.pk)
    j = i - 1 if direction == "up" else i + 1
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move a field up or down."})
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
        reorder_custom_fields(actor, challenge=field.challenge, idea_type=field.idea_type,
                              field_ids=ids)
    field.refresh_from_db()
    return field

