from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.strategy.actions import partners as actions
from seedbed.strategy.forms.partners import AccountAssignForm, AgreementForm, PartnerForm
from seedbed.strategy.models import PartnerOrganisation
from seedbed.strategy.selectors import partners as selectors

PER_PAGE = 25


@policy.rule("strategy.records")
def partner_list(request):
    partners = selectors.visible_partners(request.user)
    kind = request.GET.get("kind", "")
    if kind in PartnerOrganisation.Kind.values:
        partners = partners.filter(kind=kind)
    page = Paginator(partners, PER_PAGE).get_page(request.GET.get("page"))
    selectors.attach_counts(page.object_list)
    return render(request, "strategy/partners/partner_list.html", {
        "page": page, "kind": kind, "kinds": PartnerOrganisation.Kind.choices,
        "query": f"kind={kind}" if kind in PartnerOrganisation.Kind.values else "",
        "can_manage": policy.can(request.user, "strategy.manage")})


def _detail_context(request, partner, *, account_form=None) -> dict:
    today = timezone.localdate()
    agreements = list(partner.agreements.all())
    for agreement in agreements:
        agreement.status = agreement.status_on(today)
    can_manage = policy.can(request.user, "strategy.manage")
    return {
        "partner": partner, "agreements": agreements, "accounts": list(partner.accounts.all()),
        "can_manage": can_manage,
        "account_form": account_form or (AccountAssignForm() if can_manage else None),
    }


@policy.rule("strategy.records")
def partner_detail(request, pk: int):
    partner = selectors.get_partner_for_user(request.user, pk)
    return render(request, "strategy/partners/partner_detail.html",
                  _detail_context(request, partner))


def _partner_form(request, partner=None):
    initial = {}
    if partner is not None:
        initial = {field: getattr(partner, field) for field in actions.PARTNER_FIELDS}
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if partner is None:
                partner = actions.register_partner(request.user, **form.cleaned_data)
                messages.success(request, "Partner organisation registered.")
            else:
                actions.update_partner(request.user, partner, **form.cleaned_data)
                messages.success(request, "Partner organisation updated.")
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(partner)
    return render(request, "strategy/partners/partner_form.html",
                  {"form": form, "partner": partner}, status=400 if form.errors else 200)


@policy.rule("strategy.manage")
def partner_create(request):
    return _partner_form(request)


@policy.rule("strategy.manage")
def partner_edit(request, pk: int):
    return _partner_form(request, selectors.get_partner_for_user(request.user, pk))


@policy.rule("strategy.manage")
def agreement_create(request, pk: int):
    partner = selectors.get_partner_for_user(request.user, pk)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_agreement(request.user, partner, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Agreement added.")
            return redirect(partner)
    return render(request, "strategy/partners/agreement_form.html",
                  {"form": form, "partner": partner}, status=400 if form.errors else 200)


@policy.rule("strategy.manage")
@require_POST
def account_assign(request, pk: int):
    partner = selectors.get_partner_for_user(request.user, pk)
    form = AccountAssignForm(request.POST)
    if form.is_valid():
        try:
            actions.assign_partner_account(request.user, form.cleaned_data["user"], partner)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['user']} now belongs to {partner}.")
            return redirect(partner)
    return render(request, "strategy/partners/partner_detail.html",
                  _detail_context(request, partner, account_form=form), status=400)
