from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from seedbed.accounts.models import ApiToken, User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def get_token_for_user(user: User, pk: int) -> ApiToken:
    token = tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token")
    return token


def user_for_token(secret: str) -> User | None:
    """The active user a bearer token belongs to, or None. Marks the token as used."""
    if not secret or not secret.startswith(ApiToken.PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        # Bookkeeping, not a change of record: throttled so reads stay cheap, and not audited.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
