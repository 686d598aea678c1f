"""Signing and posting outgoing webhooks (knows no models).

The signature covers the timestamp and the raw body: ``HMAC-SHA256(secret, "<timestamp>." +
body)``, sent as ``X-Seedbed-Signature: sha256=<hex>`` with ``X-Seedbed-Timestamp:
<timestamp>``. A receiver recomputes it over the bytes it received, compares in constant time
and refuses timestamps older than a few minutes (so a captured request cannot be replayed).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

USER_AGENT = "Seedbed-Webhooks/1"


def canonical_body(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body,
                      hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (and what the tests do with what they receive)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@dataclass(frozen=True)
class PostResult:
    ok: bool
    status_code: int | None
    error: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would carry the signed body somewhere the manager never registered.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> PostResult:
    """POST ``body``; a 2xx answer is success, anything else (3xx included) a failure."""
    if not is_http_url(url):
        return PostResult(False, None, "Only http and https URLs are allowed.")
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
        **headers})
    try:
        with _opener.open(request, timeout=timeout) as response:  # noqa: S310 - scheme checked
            code = response.status
    except urllib.error.HTTPError as exc:
        return PostResult(False, exc.code, f"HTTP {exc.code} {exc.reason}"[:300])
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return PostResult(False, None, f"{type(exc).__name__}: {reason}"[:300])
    if 200 <= code < 300:
        return PostResult(True, code, "")
    return PostResult(False, code, f"HTTP {code}")
