from __future__ import annotations

import re
import uuid

from seedbed.audit import context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """Give every request an id (kept from X-Request-ID when sane) and note the client address,
    so audit events can name both."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        tokens = (
            context.request_id.set(request_id),
            context.client_ip.set(request.META.get("REMOTE_ADDR") or None),
        )
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(tokens[0])
            context.client_ip.reset(tokens[1])
        response["X-Request-ID"] = request_id
        return response
