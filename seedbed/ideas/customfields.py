"""Custom submission fields: which ones apply to an idea, and (below) how answers are checked.

A field is defined either on a challenge or on an idea type. An idea in challenge C of type T
answers the active fields of T first, then the active fields of C, each group in its own order.
When both define the same key the challenge's field wins (the challenge is the more specific
question), so an answer is always stored under one key in ``Idea.custom_values``.
"""

from __future__ import annotations

from django.db.models import Q

from seedbed.ideas.models import Challenge, CustomField, IdeaType


def definitions_for(challenge: Challenge | None, idea_type: IdeaType | None) -> list[CustomField]:
    """The active custom fields an idea in ``challenge`` of ``idea_type`` answers, in order.

    One query. Either argument may be None (an idea outside any challenge; no type chosen yet).
    """
    scopes = []
    if challenge is not None and challenge.pk:
        scopes.append(Q(challenge_id=challenge.pk))
    if idea_type is not None and idea_type.pk:
        scopes.append(Q(idea_type_id=idea_type.pk))
    if not scopes:
        return []
    scope = scopes[0] if len(scopes) == 1 else scopes[0] | scopes[1]
    rows = list(CustomField.objects.filter(scope, active=True).order_by("position", "id"))
    by_type = [f for f in rows if f.idea_type_id is not None]
    by_challenge = [f for f in rows if f.challenge_id is not None]
    challenge_keys = {f.key for f in by_challenge}
    return [f for f in by_type if f.key not in challenge_keys] + by_challenge


# --- Checking answers -------------------------------------------------------------------------
#
# ``clean_values`` is the one check of custom answers, used by the idea actions whatever the
# answers came from (the HTML form, the API's ``custom_values`` object, the demo). Answers are
# stored as JSON by key: text as a string, a number as an int or float, a choice as its text,
# several choices as a list, yes/no as a boolean, a date as "YYYY-MM-DD", and a file as
# {"attachment_id": …, "name": …} (the file itself is an Attachment with ``field_key``).

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000
_YES = {"yes", "true", "1", "on", "y"}
_NO = {"no", "false", "0", "off", "n"}


def error_key(key: str) -> str:
    """Where an answer's error is reported (the API's field name; forms map it back)."""
    return f"custom_values.{key}"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _number(value):
    from decimal import Decimal, InvalidOperation

    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        number = value
    elif isinstance(value, str):
        try:
            parsed = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError from None
        if not parsed.is_finite():
            raise ValueError
        number = int(parsed) if parsed == parsed.to_integral_value() else float(parsed)
    else:
        raise ValueError
    if isinstance(number, float) and (number != number or number in (float("inf"),
                                                                       float("-inf"))):
        raise ValueError
    if abs(number) > 10**15:
        raise ValueError
    return number


def _clean_one(field, value, errors: dict[str, str]):
    """The stored form of one non-blank answer, or None with an error noted."""
    from datetime import date

    from seedbed.lib.validation import clean_text

    key = error_key(field.key)
    kind = field.kind
    if kind in ("short_text", "long_text"):
        limit = SHORT_TEXT_MAX if kind == "short_text" else LONG_TEXT_MAX
        return clean_text(value, key, max_length=limit, errors=errors)
    if kind == "number":
        try:
            return _number(value)
        except ValueError:
            errors[key] = "Enter a number."
            return None
    if kind == "choice":
        if not isinstance(value, str) or value not in field.choices:
            errors[key] = "Choose one of the options given."
            return None
        return value
    if kind == "multi_choice":
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values) \
                or any(v not in field.choices for v in values):
            errors[key] = "Choose from the options given."
            return None
        # Stored in the field's own order, each once.
        return [choice for choice in field.choices if choice in values]
    if kind == "yes_no":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower() if isinstance(value, (str, int)) else ""
        if text in _YES:
            return True
        if text in _NO:
            return False
        errors[key] = "Answer yes or no."
        return None
    if kind == "date":
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str) and len(value.strip()) == 10:
            try:
                return date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        errors[key] = "Enter a date as YYYY-MM-DD."
        return None
    errors[key] = "This question cannot be answered here."
    return None


def clean_values(definitions: list[CustomField], data: dict, files: dict | None = None, *,
                 existing: dict | None = None, require: bool = True) -> tuple[dict, dict]:
    """Check the answers in ``data`` (by key) and the uploads in ``files`` (by key) against
    ``definitions``. Returns (values to store, {key: (upload, detected content type)} for the
    files to store as attachments).

    ``existing`` holds the idea's current answers: a file question keeps its file when no new
    one is sent. With ``require`` (submitting, not saving a draft) every required question
    must be answered. Keys that are not questions of this idea are refused, so nothing the
    form does not ask is stored. Raises ValidationError with every problem at once.
    """
    from django.core.exceptions import ValidationError

    from seedbed.ideas import attachments

    data = dict(data or {})
    files = dict(files or {})
    existing = existing or {}
    errors: dict[str, str] = {}
    values: dict = {}
    uploads: dict = {}
    by_key = {field.key: field for field in definitions}
    for key in sorted((set(data) | set(files)) - set(by_key)):
        errors[error_key(str(key)[:40])] = "This idea has no such question."
    for field in definitions:
        key = field.key
        if field.kind == "file":
            upload = files.get(key)
            if data.get(key) not in (None, "") and upload is None:
                errors[error_key(key)] = "Upload the file with the form (or as an attachment " \
                    "with this field's key)."
                continue
            if upload is not None:
                try:
                    uploads[key] = (upload, attachments.check_upload(upload))
                except ValueError as exc:
                    errors[error_key(key)] = str(exc)
                    continue
            elif existing.get(key):
                values[key] = existing[key]
            elif require and field.required:
                errors[error_key(key)] = "This question is required."
            continue
        value = data.get(key)
        if _blank(value):
            if require and field.required:
                errors[error_key(key)] = "This question is required."
            continue
        cleaned = _clean_one(field, value, errors)
        if error_key(key) not in errors and not _blank(cleaned):
            values[key] = cleaned
    if errors:
        raise ValidationError(errors)
    return values, uploads
