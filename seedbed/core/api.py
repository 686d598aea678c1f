"""What every API router shares: authentication, the error body and pagination."""


from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

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
    items = list(qs[offset: offset + limit])
    return {"items": items, "count": qs.count() if count is None else count,
            "limit": limit, "offset": offset}


def error_response(api: NinjaAPI, request, status: int, code: str, message: str,
                   fields: dict[str, list[str]] | None = None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return api.create_response(request, body, status=status)


def _field_name(loc: list) -> str:
    # ninja reports where a value came from first ("body", "query", "path"), then the field.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data")]
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
        if isinstance(exc, Throttled):
            return error_response(api, request, 429, "throttled", "Too many requests.")
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
    )
    install_error_handlers(api)
    return api
