"""Checks that actions share for text they are given (from forms, the API or the demo)."""

from __future__ import annotations


def clean_text(value, field: str, *, max_length: int, errors: dict,
               required: bool = False) -> str:
    """The text stripped; a problem is put in ``errors[field]`` (the caller raises them all
    together, so a form shows every field's error at once)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = "Enter text."
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = "This field is required."
    elif len(value) > max_length:
        errors[field] = f"Keep this under {max_length} characters (it has {len(value)})."
    elif "\x00" in value:
        # PostgreSQL cannot store it; SQLite would, and the two must behave alike.
        errors[field] = "Null characters are not allowed."
    return value


def is_valid_id(pk: int) -> bool:
    """Whether a number can be a database id at all: an id outside 64 bits names nothing, and
    SQLite cannot even compare it (an OverflowError, i.e. a 500, instead of a 404)."""
    return 0 < pk < 2**63
