"""The partner register (clause 6.6): organisations, agreements, and the partner accounts that
belong to them, through the pages, the API and the admin site."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.accounts.tests.helpers import admin_form_data
from seedbed.audit.models import AuditEvent
from seedbed.strategy.actions import partners as actions
from seedbed.strategy.models import PartnerAgreement, PartnerOrganisation
from tests import test_api_schema
from tests.support import assert_error_body

# The API schema suite's fixtures: every response is checked against the OpenAPI document.
contract = test_api_schema.contract
call = test_api_schema.call

TODAY = timezone.localdate()


def verbs(prefix: str) -> list[str]:
    return list(AuditEvent.objects.filter(verb__startswith=prefix).order_by("seq")
                .values_list("verb", flat=True))


@pytest.fixture
def kestrel(users) -> PartnerOrganisation:
    partner = actions.register_partner(
        users["manager"], name="Kestrel Packaging Ltd", kind="supplier",
        description="Trays and films. <script>alert(1)</script> **Recyclable** mono-PET.",
        website="https://kestrel.example", contact_name="Sofia Marquez",
        contact_email="sofia@kestrel.example")
    actions.add_agreement(users["manager"], partner, kind="nda", title="Mutual NDA 2022",
                          starts_on=date(2022, 1, 1), ends_on=date(2023, 12, 31))
    actions.add_agreement(users["manager"], partner, kind="ip", title="Joint tray IP terms",
                          starts_on=TODAY - timedelta(days=30), ends_on=None,
                          ip_terms="Foreground IP is **jointly** owned.")
    actions.add_agreement(users["manager"], partner, kind="collaboration",
                          title="Next year's trial", starts_on=TODAY + timedelta(days=60),
                          ends_on=TODAY + timedelta(days=400))
    return partner


def test_manager_registers_a_partner_and_adds_an_agreement(client_for, users):
    manager = client_for("manager")
    r = manager.post(reverse("strategy:partners_create"), {
        "name": "University of Pennine, Food Science", "kind": "university",
        "description": "Shelf-life studies.", "website": "https://pennine.example",
        "contact_name": "Prof. Alan Reed", "contact_email": "a.reed@pennine.example"})
    partner = PartnerOrganisation.objects.get(name="University of Pennine, Food Science")
    assert r.status_code == 302 and r["Location"] == partner.get_absolute_url()
    assert partner.created_by == users["manager"]
    url = reverse("strategy:partners_agreement_create", args=[partner.pk])
    assert manager.get(url).status_code == 200
    r = manager.post(url, {"kind": "nda", "title": "Mutual NDA", "starts_on": "2025-03-01",
                           "ends_on": "2028-02-28", "ip_terms": ""})
    assert r.status_code == 302
    agreement = PartnerAgreement.objects.get()
    assert (agreement.partner, agreement.kind, agreement.ends_on) == (
        partner, "nda", date(2028, 2, 28))
    assert verbs("partner") == ["partner.registered", "partner_agreement.added"]


def test_partner_page_lists_agreements_with_their_status_and_accounts(client_for, kestrel,
                                                                      users):
    actions.assign_partner_account(users["manager"], users["partner"], kestrel)
    page = client_for("leader").get(kestrel.get_absolute_url())
    assert page.status_code == 200
    statuses = {a.title: a.status for a in page.context["agreements"]}
    assert statuses == {"Mutual NDA 2022": "expired", "Joint tray IP terms": "active",
                        "Next year's trial": "upcoming"}
    assert [u.pk for u in page.context["accounts"]] == [users["partner"].pk]
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<strong>Recyclable</strong>" in html and "<strong>jointly</strong>" in html
    assert "Partner Person" in html
    assert "Link account" not in html  # leaders read the register; managers keep it


def test_partner_list_is_paginated_and_filtered_by_kind(client_for, users, kestrel):
    actions.register_partner(users["manager"], name="Voltwise Energy", kind="startup")
    manager = client_for("manager")
    page = manager.get(reverse("strategy:partners_list"))
    # Campus Lab is the fixture partner's organisation.
    assert [p.name for p in page.context["page"].object_list] == [
        "Campus Lab", "Kestrel Packaging Ltd", "Voltwise Energy"]
    counts = {p.name: (p.agreement_count, p.account_count)
              for p in page.context["page"].object_list}
    assert counts == {"Campus Lab": (0, 1), "Kestrel Packaging Ltd": (3, 0),
                      "Voltwise Energy": (0, 0)}
    page = manager.get(reverse("strategy:partners_list") + "?kind=startup")
    assert [p.name for p in page.context["page"].object_list] == ["Voltwise Energy"]


@pytest.mark.parametrize(("data", "field"), [
    ({"name": "kestrel packaging ltd"}, "name"),  # names are unique, whatever the case
    ({"name": "  "}, "name"),
    ({"kind": "competitor"}, "kind"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"contact_email": "not-an-address"}, "contact_email"),
])
def test_bad_partner_input_is_a_field_error(data, field, client_for, kestrel):
    body = {"name": "New partner", "kind": "supplier", **data}
    r = client_for("manager").post(reverse("strategy:partners_create"), body)
    assert r.status_code == 400 and field in r.context["form"].errors
    assert PartnerOrganisation.objects.count() == 2  # Kestrel and the fixture's Campus Lab


def test_agreement_cannot_end_before_it_starts(client_for, kestrel):
    url = reverse("strategy:partners_agreement_create", args=[kestrel.pk])
    r = client_for("manager").post(url, {"kind": "nda", "title": "Backwards",
                                         "starts_on": "2025-05-01", "ends_on": "2025-04-30"})
    assert r.status_code == 400 and "ends_on" in r.context["form"].errors
    assert kestrel.agreements.count() == 3


def test_editing_a_partner_is_audited(client_for, kestrel):
    url = reverse("strategy:partners_edit", args=[kestrel.pk])
    manager = client_for("manager")
    assert manager.get(url).status_code == 200
    r = manager.post(url, {"name": "Kestrel Packaging Ltd", "kind": "supplier",
                           "description": "Trays.", "contact_name": "Sofia Marquez"})
    assert r.status_code == 302
    kestrel.refresh_from_db()
    assert (kestrel.description, kestrel.website, kestrel.contact_email) == ("Trays.", "", "")
    event = AuditEvent.objects.get(verb="partner.updated")
    assert set(event.changes) == {"description", "website", "contact_email"}


# --- Partner accounts ------------------------------------------------------------------------


def test_only_partner_accounts_belong_to_a_partner_organisation(users, kestrel):
    with pytest.raises(ValidationError) as caught:
        actions.assign_partner_account(users["manager"], users["contributor"], kestrel)
    assert "user" in caught.value.message_dict
    assert User.objects.get(pk=users["contributor"].pk).partner_org is None
    user = actions.assign_partner_account(users["manager"], users["partner"], kestrel)
    assert user.partner_org == kestrel
    event = AuditEvent.objects.get(verb="user.partner_org_assigned")
    assert event.changes["partner_org"]["after"] == kestrel.pk
    # Assigning it again changes nothing and records nothing.
    actions.assign_partner_account(users["manager"], users["partner"], kestrel)
    assert AuditEvent.objects.filter(verb="user.partner_org_assigned").count() == 1


def test_manager_links_a_partner_account_on_the_partner_page(client_for, users, kestrel):
    url = reverse("strategy:partners_account_assign", args=[kestrel.pk])
    manager = client_for("manager")
    assert manager.get(url).status_code == 405
    r = manager.post(url, {"user": users["contributor"].pk})
    assert r.status_code == 400  # only partner-role accounts are offered
    assert manager.post(url, {"user": users["partner"].pk}).status_code == 302
    assert User.objects.get(pk=users["partner"].pk).partner_org == kestrel


def test_the_admin_site_refuses_a_partner_organisation_for_an_employee(client_for, users,
                                                                       kestrel):
    contributor = users["contributor"]
    url = reverse("admin:accounts_user_change", args=[contributor.pk])
    r = client_for("admin").post(url, admin_form_data(contributor, partner_org=kestrel.pk))
    assert r.status_code == 200  # the form again, with the error
    assert "Only partner accounts may belong" in r.content.decode()
    assert User.objects.get(pk=contributor.pk).partner_org is None
    partner = users["partner"]
    r = client_for("admin").post(reverse("admin:accounts_user_change", args=[partner.pk]),
                                 admin_form_data(partner, partner_org=kestrel.pk))
    assert r.status_code == 302
    assert User.objects.get(pk=partner.pk).partner_org == kestrel


def test_the_fixture_partner_belongs_to_campus_lab(users):
    assert users["partner"].partner_org.name == "Campus Lab"


# --- API -------------------------------------------------------------------------------------


def test_partner_register_through_the_api(call, client_for, users):
    manager = client_for("manager")
    created = call(manager, "POST", "/api/v1/strategy/partners", {
        "name": "Voltwise Energy", "kind": "startup", "description": "Heat pumps *for* plants",
        "website": "https://voltwise.example"}).json()
    assert created["agreements"] == [] and created["accounts"] == []
    assert "<em>for</em>" in created["description_html"]
    url = f"/api/v1/strategy/partners/{created['id']}"
    patched = call(manager, "PATCH", url, {"contact_name": "Lena Frost"}).json()
    assert patched["contact_name"] == "Lena Frost" and patched["name"] == "Voltwise Energy"
    agreement = call(manager, "POST", url + "/agreements", {
        "kind": "ip", "title": "Pilot IP terms", "ip_terms": "We own our *data*.",
        "starts_on": str(TODAY - timedelta(days=1))}).json()
    assert agreement["status"] == "active" and agreement["ends_on"] is None
    assert "<em>data</em>" in agreement["ip_terms_html"]
    detail = call(client_for("auditor"), "GET", url).json()
    assert [a["title"] for a in detail["agreements"]] == ["Pilot IP terms"]
    listed = call(client_for("leader"), "GET", "/api/v1/strategy/partners?kind=startup").json()
    assert listed["count"] == 1
    assert call(manager, "GET", "/api/v1/strategy/partners?q=volt").json()["count"] == 1
    assert verbs("partner") == ["partner.registered", "partner.updated",
                                "partner_agreement.added"]


def test_partner_detail_api_lists_its_accounts(call, client_for, users, kestrel):
    actions.assign_partner_account(users["manager"], users["partner"], kestrel)
    detail = call(client_for("manager"), "GET", f"/api/v1/strategy/partners/{kestrel.pk}").json()
    assert [a["id"] for a in detail["accounts"]] == [users["partner"].pk]
    assert {a["status"] for a in detail["agreements"]} == {"expired", "active", "upcoming"}


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    ("POST", "", {"name": "Kestrel PACKAGING Ltd", "kind": "supplier"}, 422),
    ("POST", "", {"name": "X", "kind": "rival"}, 422),
    ("POST", "", {"name": "X", "kind": "other", "website": "ftp://x.example"}, 422),
    ("POST", "", {"name": "", "kind": "other"}, 422),
    ("POST", "", {"name": "X\x00", "kind": "other"}, 422),
    ("PATCH", "/{p}", {"name": None}, 422),
    ("PATCH", "/{p}", {"contact_email": "nope"}, 422),
    ("PATCH", "/987654", {"name": "Gone"}, 404),
    ("GET", "/99999999999999999999", None, 404),
    ("POST", "/{p}/agreements", {"kind": "nda", "title": "T", "starts_on": "2025-02-01",
                                 "ends_on": "2025-01-31"}, 422),
    ("POST", "/{p}/agreements", {"kind": "lease", "title": "T", "starts_on": "2025-02-01"},
     422),
    ("POST", "/{p}/agreements", {"kind": "nda", "title": "T", "starts_on": "2025-02-30"}, 422),
    ("POST", "/987654/agreements", {"kind": "nda", "title": "T", "starts_on": "2025-02-01"},
     404),
])
def test_bad_partner_api_input_is_a_documented_4xx(method, path, body, status,
                                                   call, client_for, kestrel):
    url = "/api/v1/strategy/partners" + path.format(p=kestrel.pk)
    manager = client_for("manager")  # signing in is audited too
    before = AuditEvent.objects.count()
    assert_error_body(call(manager, method, url, body), status)
    assert AuditEvent.objects.count() == before
    assert PartnerOrganisation.objects.count() == 2 and kestrel.agreements.count() == 3


@pytest.mark.parametrize("role", [policy.EVALUATOR, policy.CONTRIBUTOR, policy.PARTNER])
def test_the_register_is_not_for_everyone(role, client_for, users, kestrel):
    actions.assign_partner_account(users["manager"], users["partner"], kestrel)
    client = client_for(role)
    # Not even the partner's own organisation: the entry holds our notes about them.
    assert client.get(kestrel.get_absolute_url()).status_code == 403
    assert_error_body(client.get(f"/api/v1/strategy/partners/{kestrel.pk}"), 403, "forbidden")


# --- Fixed query counts ----------------------------------------------------------------------


def populate(users, n: int) -> PartnerOrganisation:
    """n partners, each with agreements and partner accounts; the first has n of each."""
    first = None
    for k in range(n):
        partner = actions.register_partner(users["manager"], name=f"Partner {k}",
                                           kind="supplier", description=f"*Partner* {k}")
        first = first or partner
        for j in range(n if k == 0 else 1 + k % 3):
            actions.add_agreement(users["manager"], partner, kind="nda", title=f"NDA {j}",
                                  starts_on=date(2024, 1, 1), ip_terms="**Ours**")
            account = User.objects.create_user(f"p{k}-{j}@example.test", "x" * 12,
                                               full_name=f"Partner person {k}.{j}",
                                               role=policy.PARTNER)
            actions.assign_partner_account(users["manager"], account, partner)
    return first


# Every signed-in request costs 2 (session, user); the comments say what each page adds.
@pytest.mark.parametrize("size", (3, 30))
@pytest.mark.parametrize(("role", "page", "queries"), [
    # + count, page of partners, agreement counts, account counts
    (policy.LEADER, "list", 7),
    # + partner, its agreements, its accounts, partner accounts for the link form
    (policy.MANAGER, "detail", 7),
    # + page, count
    (policy.AUDITOR, "api list", 4),
    # + partner, its agreements, its accounts
    (policy.AUDITOR, "api detail", 5),
])
def test_partner_pages_cost_a_fixed_number_of_queries(size, role, page, queries, users,
                                                      client_for, django_assert_num_queries):
    first = populate(users, size)
    url = {"list": reverse("strategy:partners_list"), "detail": first.get_absolute_url(),
           "api list": "/api/v1/strategy/partners",
           "api detail": f"/api/v1/strategy/partners/{first.pk}"}[page]
    client = client_for(role)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
