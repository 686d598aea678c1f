"""Turns an emitted event into notifications and webhook deliveries (filled in by the
notifications work; until then events are dropped)."""

from __future__ import annotations


def handle(payload: dict) -> None:
    return None
