"""Canonical JSON and hashing for tamper-evident records."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64


def to_jsonable(value: Any) -> Any:
    """Turn dates, decimals, UUIDs … into plain JSON values, exactly as they will be stored."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(payload: dict[str, Any], prev_hash: str) -> str:
    body = canonical_json({"payload": payload, "prev_hash": prev_hash})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
