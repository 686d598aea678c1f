"""Changes to accounts: org units, users, API tokens. Each is audited."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import ApiToken, Competency, OrgUnit, User
from seedbed.audit import service as audit

USER_FIELDS = ("email", "full_name", "role", "org_unit", "job_title", "is_active",
               "access_until", "partner_org", "competencies")


@transaction.atomic
def create_org_unit(actor, *, name: str, parent: OrgUnit | None = None) -> OrgUnit:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "This field is required."})
    if OrgUnit.objects.filter(parent=parent, name=name).exists():
        raise ValidationError({"name": "A unit with this name already exists here."})
    unit = OrgUnit.objects.create(name=name, parent=parent)
    audit.record(actor, "org_unit.created", unit, audit.created(unit, ("name", "parent")))
    return unit


@transaction.atomic
def create_competency(actor, *, name: str, description: str = "") -> Competency:
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError({"name": "Give the competency a name of up to 80 characters."})
    if Competency.objects.filter(name=name).exists():
        raise ValidationError({"name": "This competency already exists."})
    competency = Competency.objects.create(name=name, description=(description or "").strip())
    # Same verb as the admin site records, so the trail reads alike whichever door was used.
    audit.record(actor, "competency.created", competency,
                 audit.created(competency, ("name", "description")))
    return competency


@transaction.atomic
def create_user(actor, *, email: str, full_name: str, role: str, password: str | None = None,
                org_unit: OrgUnit | None = None, competencies: list[Competency] | None = None,
                **extra) -> User:
    email = (email or "").strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": "An account with this e-mail address already exists."})
    if extra.get("partner_org") is not None and role != policy.PARTNER:
        raise ValidationError({"partner_org": "Only partner accounts belong to a partner "
                                              "organisation."})
    user = User.objects.create_user(email, password, full_name=full_name, role=role,
                                    org_unit=org_unit, **extra)
    if competencies:
        user.competencies.set(competencies)
    audit.record(actor, "user.created", user, audit.created(user, USER_FIELDS))
    return user


def record_user_change(actor, user: User, before: dict, verb: str = "user.updated") -> None:
    """Audit a change made elsewhere (the admin site) from a snapshot taken before it."""
    changes = audit.diff(before, audit.snapshot(user, USER_FIELDS))
    if changes:
        audit.record(actor, verb, user, changes)


@transaction.atomic
def create_api_token(actor: User, *, name: str) -> tuple[ApiToken, str]:
    """Create a personal token; the secret is returned once and only its digest is kept."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError({"name": "Give the token a name of up to 80 characters."})
    if actor.api_tokens.filter(revoked_at__isnull=True).count() >= 20:
        raise ValidationError({"name": "You already have 20 active tokens; revoke one first."})
    secret = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, lookup=secret[:10],
                                    digest=ApiToken.digest_of(secret))
    audit.record(actor, "api_token.created", token, {"name": {"before": None, "after": name}})
    return token, secret


@transaction.atomic
def revoke_api_token(actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "api_token.revoked", token,
                     {"revoked_at": {"before": None, "after": token.revoked_at}})
    return token


@transaction.atomic
def change_password(actor: User, user: User, new_password: str, *, verb: str) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
    # The password itself never enters the trail; only the fact that it changed.
    audit.record(actor, verb, user, {"password": {"before": "***", "after": "*** (changed)"}})
