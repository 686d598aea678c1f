from __future__ import annotations

import ipaddress
import re
import uuid

from django.conf import settings
from django.http import JsonResponse

from seedbed.audit import context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _resolve_client_address(request) -> None:
    """Behind N trusted proxies, the client is the N-th X-Forwarded-For entry from the right
    (entries further left are whatever the client chose to send)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < count:
        return
    try:
        address = str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return
    request.META["REMOTE_ADDR"] = address


class RequestContextMiddleware:
    """Give every request an id (kept from X-Request-ID when sane) and note the client address,
    so audit events can name both."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        _resolve_client_address(request)
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


class ApiErrorBodyMiddleware:
    """Under /api/ every error answers in the API's error body, including the 404 for an
    unknown path and the 405 for a wrong method, which Django and ninja render themselves."""

    _CODES = {404: ("not_found", "Not found."), 405: ("method_not_allowed",
                                                      "This method is not allowed here.")}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in self._CODES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = self._CODES[response.status_code]
            replacement = JsonResponse(
                {"error": {"code": code, "message": message, "fields": {}}},
                status=response.status_code,
            )
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response
