"""Changes to the partner register (clause 6.6): organisations, their agreements and the partner
accounts that belong to them. One transaction, one audit event each."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.audit import service as audit
from seedbed.lib.validation import clean_text as _text
from seedbed.strategy.models import PartnerAgreement, PartnerOrganisation

PARTNER_FIELDS = ("name", "kind", "description", "website", "contact_name", "contact_email")
AGREEMENT_FIELDS = ("partner", "kind", "title", "ip_terms", "starts_on", "ends_on")


def _validate_partner(data: dict, *, exclude_pk: int | None = None) -> dict:
    errors: dict[str, str] = {}
    name = _text(data.get("name"), "name", max_length=200, errors=errors, required=True)
    if name and "name" not in errors:
        clash = PartnerOrganisation.objects.filter(name__iexact=name)
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors["name"] = "A partner organisation with this name is already registered."
    kind = data.get("kind")
    if kind not in PartnerOrganisation.Kind.values:
        errors["kind"] = "Choose supplier, university, start-up, customer or other."
    description = _text(data.get("description"), "description", max_length=5000, errors=errors)
    website = _text(data.get("website"), "website", max_length=200, errors=errors)
    if website and "website" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors["website"] = "Enter a web address starting with https:// or http://."
    contact_name = _text(data.get("contact_name"), "contact_name", max_length=150,
                         errors=errors)
    contact_email = _text(data.get("contact_email"), "contact_email", max_length=254,
                          errors=errors)
    if contact_email and "contact_email" not in errors:
        try:
            EmailValidator()(contact_email)
        except ValidationError:
            errors["contact_email"] = "Enter a valid e-mail address."
    if errors:
        raise ValidationError(errors)
    return {"name": name, "kind": kind, "description": description, "website": website,
            "contact_name": contact_name, "contact_email": contact_email}


@transaction.atomic
def register_partner(actor, *, name: str, kind: str, description: str = "", website: str = "",
                     contact_name: str = "", contact_email: str = "") -> PartnerOrganisation:
    clean = _validate_partner({"name": name, "kind": kind, "description": description,
                               "website": website, "contact_name": contact_name,
                               "contact_email": contact_email})
    partner = PartnerOrganisation.objects.create(created_by=actor, **clean)
    audit.record(actor, "partner.registered", partner, audit.created(partner, PARTNER_FIELDS))
    return partner


@transaction.atomic
def update_partner(actor, partner: PartnerOrganisation, **changes) -> PartnerOrganisation:
    partner = PartnerOrganisation.objects.select_for_update().get(pk=partner.pk)
    before = audit.snapshot(partner, PARTNER_FIELDS)
    merged = {field: changes.get(field, getattr(partner, field)) for field in PARTNER_FIELDS}
    clean = _validate_partner(merged, exclude_pk=partner.pk)
    for field, value in clean.items():
        setattr(partner, field, value)
    partner.updated_at = timezone.now()
    partner.save(update_fields=[*clean, "updated_at"])
    change_set = audit.diff(before, audit.snapshot(partner, PARTNER_FIELDS))
    if change_set:
        audit.record(actor, "partner.updated", partner, change_set)
    return partner


@transaction.atomic
def add_agreement(actor, partner: PartnerOrganisation, *, kind: str, title: str,
                  starts_on: date, ends_on: date | None = None,
                  ip_terms: str = "") -> PartnerAgreement:
    errors: dict[str, str] = {}
    if kind not in PartnerAgreement.Kind.values:
        errors["kind"] = "Choose NDA, IP terms, collaboration or other."
    title = _text(title, "title", max_length=200, errors=errors, required=True)
    ip_terms = _text(ip_terms, "ip_terms", max_length=10000, errors=errors)
    if starts_on is None:
        errors["starts_on"] = "This field is required."
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The agreement must end on or after the day it starts."
    if errors:
        raise ValidationError(errors)
    agreement = PartnerAgreement.objects.create(
        partner=partner, kind=kind, title=title, ip_terms=ip_terms, starts_on=starts_on,
        ends_on=ends_on, created_by=actor)
    audit.record(actor, "partner_agreement.added", agreement,
                 audit.created(agreement, AGREEMENT_FIELDS))
    return agreement


@transaction.atomic
def assign_partner_account(actor, user: User,
                           partner: PartnerOrganisation | None) -> User:
    """Make a partner account belong to an organisation of the register (or to none)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if partner is not None and user.role != policy.PARTNER:
        raise ValidationError(
            {"user": "Only partner accounts may belong to a partner organisation."})
    before = user.partner_org_id
    after = partner.pk if partner is not None else None
    if before != after:
        user.partner_org = partner
        user.save(update_fields=["partner_org"])
        audit.record(actor, "user.partner_org_assigned", user,
                     {"partner_org": {"before": before, "after": after}})
    return user
