"""Per-request facts (request id, client address) that audit events carry."""

from __future__ import annotations

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("seedbed_request_id", default="")
client_ip: ContextVar[str | None] = ContextVar("seedbed_client_ip", default=None)
