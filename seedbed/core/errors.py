"""Exceptions that actions raise; views turn them into form errors, the API into 4xx bodies."""

from __future__ import annotations


class StateConflict(Exception):
    """The request is well-formed but the record's state forbids it (answered with 409)."""

    def __init__(self, message: str, code: str = "conflict") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
