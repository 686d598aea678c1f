"""What every API router shares: authentication, the error body and pagination."""


from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from seedbed.accounts.selectors import user_for_token
from seedbed.core.errors import StateConflict

T = TypeVar("T")


class BearerToken(HttpBearer):
    """`Authorization: Bearer <personal token>`; the token's owner becomes request.user."""

    openapi_description = "A personal API token created on your profile page."

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The Django session. CSRF is checked only when a session cookie came with the request:
    without one nobody can be signed in, so a script sending no token or a revoked one is told
    401 (sign in) rather than 403 "CSRF check failed"."""

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


def _nul_locations(value, loc: tuple = ()) -> list[tuple]:
    if isinstance(value, str):
        return [loc] if "\x00" in value else []
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _nul_locations(item, (*loc, key))]
    if isinstance(value, list):
        return [found for i, item in enumerate(value) for found in _nul_locations(item, (*loc, i))]
    return []


class InputParser(Parser):
    """JSON bodies and query strings, refusing the NUL character: PostgreSQL can neither store
    nor compare it (a 500 otherwise), and Django's form fields refuse it too."""

    def _refuse_nul(self, data, source: str):
        found = _nul_locations(data)
        if found:
            raise NinjaValidationError([
                {"loc": (source, *loc), "msg": "Null characters are not allowed."}
                for loc in found])
        return data

    def parse_body(self, request):
        return self._refuse_nul(super().parse_body(request), "body")

    def parse_querydict(self, data, list_fields, request):
        return self._refuse_nul(super().parse_querydict(data, list_fields, request), "query")


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorBody(Schema):
    error: ErrorDetail


ERRORS: dict[int, type] = {code: ErrorBody for code in (400, 401, 403, 404, 409, 413, 422, 429)}


class Page(Schema, Generic[T]):
    items: list[T]
    count: int
    limit: int
    offset: int


def page_of(qs, *, limit: int, offset: int, count: int | None = None) -> dict[str, Any]:
    # Past the largest integer the database accepts there are no rows, and asking would fail.
    items = list(qs[offset: offset + limit]) if offset + limit < 2**63 else []
    return {"items": items, "count": qs.count() if count is None else count,
            "limit": limit, "offset": offset}


def error_response(api: NinjaAPI, request, status: int, code: str, message: str,
                   fields: dict[str, list[str]] | None = None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return api.create_response(request, body, status=status)


def _field_name(loc: list) -> str:
    # ninja reports where a value came from first ("body", "query", "path"), then for a body
    # the parameter's name, then the field. Drop only those leading parts: a field may itself
    # be called "body" (a comment's) and must keep its name.
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"] and parts[1:2] in (["payload"], ["data"]):
        parts = parts[2:]
    elif parts[:1] and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_field_name(list(err.get("loc", []))), []).append(err.get("msg", ""))
        return error_response(api, request, 422, "invalid", "Some fields are not valid.", fields)

    @api.exception_handler(DjangoValidationError)
    def invalid_action(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            fields = {"__all__": [str(m) for m in exc.messages]}
        return error_response(api, request, 422, "invalid", "Some fields are not valid.", fields)

    @api.exception_handler(StateConflict)
    def conflict(request, exc: StateConflict):
        return error_response(api, request, 409, exc.code, exc.message)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return error_response(api, request, 403, "forbidden",
                              str(exc) or "You may not do this.")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(api, request, 404, "not_found", "Not found.")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return error_response(api, request, 401, "unauthenticated",
                              "Sign in, or send a valid personal token as a Bearer token.")

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return error_response(api, request, 413, "too_large", "The request body is too large.")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, RequestDataTooBig):
            return too_big(request, exc.__cause__)
        if isinstance(exc.__cause__, NinjaValidationError):
            # Raised by InputParser inside ninja's body parsing, which wraps it in a 400.
            return invalid_input(request, exc.__cause__)
        if isinstance(exc, Throttled):
            return error_response(api, request, 429, "throttled", "Too many requests.")
        if exc.status_code == 403 and "CSRF" in str(exc):
            return error_response(api, request, 403, "csrf_failed",
                                  "Send the CSRF token (X-CSRFToken header) with session-"
                                  "authenticated changes, or use a Bearer token.")
        if exc.status_code == 400:
            # ninja raises this when the body cannot be parsed as JSON.
            return error_response(api, request, 400, "malformed",
                                  "The request body is not valid JSON.")
        return error_response(api, request, exc.status_code, "error", str(exc))


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Seedbed API",
        version="1",
        description="Innovation management: challenges, ideas, comments, votes and the audit "
        "trail. Authenticate with a session (send the CSRF token) or a personal Bearer token.",
        urls_namespace="api",
        auth=[BearerToken(), SessionAuth(csrf=True)],
        docs_url="/docs",
        openapi_url="/openapi.json",
        parser=InputParser(),
    )
    install_error_handlers(api)
    return api
