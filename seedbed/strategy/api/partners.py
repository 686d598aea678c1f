# No "from __future__ import annotations": ninja reads these annotations at import time.

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.lib.markdown import render_markdown
from seedbed.strategy.actions import partners as actions
from seedbed.strategy.models import PartnerAgreement, PartnerOrganisation
from seedbed.strategy.selectors import partners as selectors

router = Router(tags=["strategy"])


class PartnerOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    website: str
    contact_name: str
    contact_email: str
    created_at: datetime
    updated_at: datetime


class AgreementOut(Schema):
    id: int
    partner_id: int
    kind: str
    title: str
    ip_terms: str
    ip_terms_html: str
    starts_on: date
    ends_on: date | None
    status: str
    created_at: datetime

    @staticmethod
    def resolve_ip_terms_html(obj) -> str:
        return render_markdown(obj.ip_terms)

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.status_on(timezone.localdate())


class AccountOut(Schema):
    id: int
    full_name: str
    email: str
    is_active: bool


class PartnerDetailOut(PartnerOut):
    description_html: str
    agreements: list[AgreementOut]
    accounts: list[AccountOut]

    @staticmethod
    def resolve_description_html(obj) -> str:
        return render_markdown(obj.description)

    @staticmethod
    def resolve_agreements(obj) -> list:
        return list(obj.agreements.all())

    @staticmethod
    def resolve_accounts(obj) -> list:
        return list(obj.accounts.all())


class PartnerIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: PartnerOrganisation.Kind
    description: str = Field("", max_length=5000)
    website: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=150)
    contact_email: str = Field("", max_length=254)


class PartnerPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: PartnerOrganisation.Kind | None = None
    description: str | None = Field(None, max_length=5000)
    website: str | None = Field(None, max_length=200)
    contact_name: str | None = Field(None, max_length=150)
    contact_email: str | None = Field(None, max_length=254)


class AgreementIn(Schema):
    kind: PartnerAgreement.Kind
    title: str = Field(..., min_length=1, max_length=200)
    ip_terms: str = Field("", max_length=10000)
    starts_on: date
    ends_on: date | None = None


def _detail(pk: int) -> PartnerOrganisation:
    return selectors.with_details(PartnerOrganisation.objects.filter(pk=pk)).get()


@router.get("/partners", response={200: Page[PartnerOut], **ERRORS},
            summary="The partner register")
@policy.api_rule("strategy.records")
def list_partners(request, kind: PartnerOrganisation.Kind | None = None,
                  q: str = Query("", max_length=200),
                  limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    partners = selectors.visible_partners(request.user)
    if kind:
        partners = partners.filter(kind=kind)
    if q:
        partners = partners.filter(name__icontains=q)
    return page_of(partners, limit=limit, offset=offset)


@router.post("/partners", response={201: PartnerDetailOut, **ERRORS},
             summary="Register a partner organisation")
@policy.api_rule("strategy.manage")
def register_partner(request, payload: PartnerIn):
    partner = actions.register_partner(request.user, **payload.dict())
    return 201, _detail(partner.pk)


@router.get("/partners/{partner_id}", response={200: PartnerDetailOut, **ERRORS},
            summary="A partner with its agreements and partner accounts")
@policy.api_rule("strategy.records")
def get_partner(request, partner_id: int):
    return selectors.get_partner_for_user(request.user, partner_id)


@router.patch("/partners/{partner_id}", response={200: PartnerDetailOut, **ERRORS})
@policy.api_rule("strategy.manage")
def update_partner(request, partner_id: int, payload: PartnerPatch):
    partner = selectors.get_partner_for_user(request.user, partner_id)
    data = payload.dict(exclude_unset=True)
    for name, value in data.items():
        if value is None:
            raise ValidationError({name: "This field cannot be null."})
    actions.update_partner(request.user, partner, **data)
    return _detail(partner.pk)


@router.post("/partners/{partner_id}/agreements", response={201: AgreementOut, **ERRORS},
             summary="Record an agreement with a partner (NDA, IP terms, collaboration)")
@policy.api_rule("strategy.manage")
def add_agreement(request, partner_id: int, payload: AgreementIn):
    partner = selectors.get_partner_for_user(request.user, partner_id)
    return 201, actions.add_agreement(request.user, partner, **payload.dict())
