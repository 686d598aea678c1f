"""Read access to the partner register (clause 6.6). It is an internal record (rule
``strategy.records``): partners themselves see none of it, not even their own organisation's
entry, which holds agreements and notes about them."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.lib.validation import is_valid_id as _valid_id
from seedbed.strategy.models import PartnerAgreement, PartnerOrganisation


def visible_partners(user) -> QuerySet[PartnerOrganisation]:
    if not policy.can(user, "strategy.records"):
        return PartnerOrganisation.objects.none()
    return PartnerOrganisation.objects.order_by("name", "id")


def attach_counts(partners: list[PartnerOrganisation]) -> list[PartnerOrganisation]:
    """Set ``agreement_count`` and ``account_count`` on a page of partners: one grouped query
    per relation (a joined Count() over both would multiply the rows)."""
    ids = [p.pk for p in partners]
    agreements = dict(PartnerAgreement.objects.filter(partner_id__in=ids).order_by()
                      .values_list("partner_id").annotate(n=Count("id")))
    accounts = dict(User.objects.filter(partner_org_id__in=ids).order_by()
                    .values_list("partner_org_id").annotate(n=Count("id")))
    for partner in partners:
        partner.agreement_count = agreements.get(partner.pk, 0)
        partner.account_count = accounts.get(partner.pk, 0)
    return partners


def with_details(qs: QuerySet[PartnerOrganisation]) -> QuerySet[PartnerOrganisation]:
    return qs.prefetch_related(
        Prefetch("agreements", queryset=PartnerAgreement.objects.order_by("-starts_on", "-id")),
        Prefetch("accounts", queryset=User.objects.order_by("full_name", "id")
                 .only("id", "full_name", "email", "job_title", "is_active", "role",
                       "partner_org_id")))


def get_partner_for_user(user, pk: int) -> PartnerOrganisation:
    partner = (with_details(visible_partners(user)).filter(pk=pk).first()
               if _valid_id(pk) else None)
    if partner is None:
        raise Http404("No such partner organisation")
    return partner


def assignable_accounts() -> QuerySet[User]:
    """Partner accounts that may be linked to an organisation."""
    return User.objects.filter(role=policy.PARTNER, is_active=True).order_by("full_name", "id")
