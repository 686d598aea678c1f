"""Acknowledgements and awareness (clause 7.3), the home page's "please read" list and overdue
strategy reviews, concurrent approvals, the demo, and the pages' fixed query cost."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from seedbed import policy
from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain
from seedbed.audit.tests.conftest import audit_rows_cleared  # noqa: F401  (shared fixture)
from seedbed.core.demo.strategy import documents as demo
from seedbed.ideas.tests.helpers import texts_with_class
from seedbed.strategy.actions import documents as actions
from seedbed.strategy.models import Acknowledgement, ControlledDocument, DocumentVersion, FocusArea
from tests.support import api_call as api
from tests.support import assert_error_body

API = "/api/v1/strategy"


def approved(users, document, body="Text.", **content):
    version = actions.create_draft(users["manager"], document, body=body,
                                   change_summary="Issue.", **content)
    actions.submit_version(users["manager"], version)
    return actions.approve_version(users["leader"], version)


def review_date(days: int = 365):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def policy_v1(users):
    document = actions.create_document(users["manager"], kind="policy", title="Innovation policy")
    return approved(users, document, body="We **welcome** ideas.")


# --- Acknowledgements -----------------------------------------------------------------------------


def test_employees_are_asked_to_read_an_approved_policy_and_confirm_once(users, client_for,
                                                                         policy_v1):
    contributor = client_for("contributor")
    home = contributor.get(reverse("core:home")).content.decode()
    assert texts_with_class(home, "please-read")[0].startswith("Please read Innovation policy")
    assert policy_v1.document.get_absolute_url() in home
    response = contributor.post(reverse("strategy:documents_version_acknowledge",
                                        args=[policy_v1.pk]), follow=True)
    page = response.content.decode()
    assert "your reading is recorded" in page and "You have confirmed reading version 1" in page
    ack = Acknowledgement.objects.get()
    assert (ack.user, ack.version) == (users["contributor"], policy_v1)
    assert "please-read" not in contributor.get(reverse("core:home")).content.decode()
    assert AuditEvent.objects.filter(verb="document_version.acknowledged").count() == 1

    # A second confirmation is refused: a message on the page, a 409 in the API, no new record.
    again = contributor.post(reverse("strategy:documents_version_acknowledge",
                                     args=[policy_v1.pk]), follow=True)
    assert "You already confirmed reading version 1" in again.content.decode()
    assert_error_body(api(contributor, "post", f"{API}/versions/{policy_v1.pk}/acknowledge"),
                      409, "already_acknowledged")
    assert Acknowledgement.objects.count() == 1
    assert AuditEvent.objects.filter(verb="document_version.acknowledged").count() == 1
    detail = api(contributor, "get", f"{API}/documents/{policy_v1.document_id}").json()
    assert detail["acknowledged_by_me"] is True


def test_a_new_approved_version_asks_again(users, client_for, policy_v1):
    actions.acknowledge_version(users["contributor"], policy_v1)
    v2 = actions.create_draft(users["manager"], policy_v1.document, change_summary="Partners.")
    actions.submit_version(users["manager"], v2)
    actions.approve_version(users["leader"], v2)
    contributor = client_for("contributor")
    home = contributor.get(reverse("core:home")).content.decode()
    assert "Version 2" in texts_with_class(home, "please-read")[0]
    assert_error_body(api(contributor, "post", f"{API}/versions/{policy_v1.pk}/acknowledge"),
                      409, "not_current")
    response = api(contributor, "post", f"{API}/versions/{v2.pk}/acknowledge")
    assert response.status_code == 201
    assert response.json()["version_id"] == v2.pk
    assert response.json()["user"]["id"] == users["contributor"].pk


def test_documents_nobody_must_acknowledge_cannot_be_acknowledged(users, client_for):
    intent = actions.create_document(users["manager"], kind="intent", title="Intent")
    version = approved(users, intent)
    contributor = client_for("contributor")
    assert "please-read" not in contributor.get(reverse("core:home")).content.decode()
    assert "I have read this" not in contributor.get(intent.get_absolute_url()).content.decode()
    assert_error_body(api(contributor, "post", f"{API}/versions/{version.pk}/acknowledge"),
                      409, "not_asked")
    assert not Acknowledgement.objects.exists()


@pytest.mark.parametrize("role", ["auditor", "partner"])
def test_auditors_and_partners_are_not_asked(role, users, client_for, policy_v1):
    client = client_for(role)
    assert "please-read" not in client.get(reverse("core:home")).content.decode()
    assert_error_body(api(client, "post", f"{API}/versions/{policy_v1.pk}/acknowledge"),
                      403, "forbidden")
    if role == "auditor":
        page = client.get(policy_v1.document.get_absolute_url()).content.decode()
        assert "We <strong>welcome</strong> ideas." in page and "I have read this" not in page


# --- Awareness per org unit -----------------------------------------------------------------------


@pytest.fixture
def awareness_world(users, org, policy_v1):
    def person(email: str, unit, **extra) -> User:
        return User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].title(),
                                        role=policy.CONTRIBUTOR, org_unit=unit, **extra)

    seller = person("seller@example.test", org["sales"])
    person("gone@example.test", org["sales"], is_active=False)  # left: not asked
    person("floater@example.test", None)
    actions.acknowledge_version(users["contributor"], policy_v1)  # in Plant Leeds
    actions.acknowledge_version(seller, policy_v1)
    return {"seller": seller}


def test_awareness_counts_each_unit_with_the_units_below_it(users, org, client_for,
                                                            awareness_world, policy_v1):
    report = api(client_for("auditor"), "get", f"{API}/awareness").json()
    assert len(report["versions"]) == 1
    entry = report["versions"][0]
    assert entry["version"]["id"] == policy_v1.pk
    # Asked: the five employees of Plant Leeds (admin … contributor), the seller and the person
    # in no unit; the partner, the auditor and the person who left are not asked.
    assert (entry["asked"], entry["acknowledged"]) == (7, 2)
    rows = {row["org_unit"]: (row["asked"], row["acknowledged"], row["rate"])
            for row in entry["units"]}
    assert rows == {"Northwind Foods": (6, 2, 0.3333), "Operations": (5, 1, 0.2),
                    "Plant Leeds": (5, 1, 0.2), "Sales": (1, 1, 1.0), None: (1, 0, 0.0)}

    page = client_for("leader").get(reverse("strategy:documents_awareness"))
    html = page.content.decode()
    assert page.status_code == 200 and "2 of 7 read (29%)" in html
    assert "Seller" in html and "Contributor Person" in html


def test_the_acknowledgement_log_filters_by_version_and_pages(users, client_for, org,
                                                               policy_v1):
    for k in range(27):
        reader = User.objects.create_user(f"reader{k}@example.test", PASSWORD,
                                          full_name=f"Reader {k}", role=policy.CONTRIBUTOR,
                                          org_unit=org["sales"])
        actions.acknowledge_version(reader, policy_v1)
    client = client_for("manager")
    url = reverse("strategy:documents_awareness")
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first and "Reader 26" in first and "Reader 0" not in first
    assert "Reader 0" in client.get(url + "?page=2").content.decode()
    assert "Reader 26" not in client.get(url + "?version=987654").content.decode()
    assert client.get(url + "?version=abc").status_code == 200


@pytest.mark.parametrize("role", ["evaluator", "contributor", "partner"])
def test_awareness_is_for_records_roles_only(role, client_for):
    client = client_for(role)
    assert client.get(reverse("strategy:documents_awareness")).status_code == 403
    assert_error_body(api(client, "get", f"{API}/awareness"), 403, "forbidden")


# --- Overdue strategy reviews ---------------------------------------------------------------------


def test_overdue_strategy_review_is_flagged_for_those_who_keep_the_registers(
        users, client_for, time_machine):
    strategy = actions.create_document(users["manager"], kind="strategy", title="Our strategy")
    approved(users, strategy, next_review_on=review_date(30))
    assert "review-overdue" not in client_for("manager").get(reverse("core:home")).content.decode()
    time_machine.move_to(timezone.now() + timedelta(days=31))
    for role in ("manager", "admin"):
        home = client_for(role).get(reverse("core:home")).content.decode()
        assert texts_with_class(home, "review-overdue")[0].startswith(
            "Strategy review overdue Our strategy"), role
    for role in ("leader", "contributor", "auditor"):
        assert "review-overdue" not in client_for(role).get(reverse("core:home")).content.decode()
    page = client_for("contributor").get(strategy.get_absolute_url()).content.decode()
    assert "status-overdue" in page


# --- Concurrency ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_rows_cleared")
def test_simultaneous_approvals_leave_exactly_one_approved_version(users):
    document = actions.create_document(users["manager"], kind="policy", title="Policy")
    v1 = approved(users, document)
    v2 = actions.create_draft(users["manager"], document, change_summary="Second.")
    actions.submit_version(users["manager"], v2)
    leaders = [users["leader"]] + [
        User.objects.create_user(f"leader{i}@example.test", PASSWORD, full_name=f"Leader {i}",
                                 role=policy.LEADER) for i in range(3)]
    statuses: list[int] = []
    failures: list[str] = []
    barrier = threading.Barrier(len(leaders))

    def approve(leader) -> None:
        try:
            client = Client()
            client.force_login(leader)
            barrier.wait(timeout=10)
            response = api(client, "post", f"{API}/versions/{v2.pk}/approve", {})
            statuses.append(response.status_code)
        except BaseException as exc:  # reported by the assertion below
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(leader,)) for leader in leaders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(statuses) == [200] + [409] * (len(leaders) - 1)
    assert list(document.versions.filter(status="approved")) == [v2]
    assert DocumentVersion.objects.get(pk=v1.pk).status == "superseded"
    assert AuditEvent.objects.filter(verb="document_version.approved").count() == 2
    assert verify_chain().ok


# --- Demo -----------------------------------------------------------------------------------------


def test_demo_documents_build_through_the_actions(users, org):
    area = FocusArea.objects.create(title="Recyclable trays", kind="opportunity",
                                    rationale="Why.", status="active",
                                    proposed_by=users["manager"])
    ctx = {"users": dict(users), "today": timezone.localdate(), "focus_areas": {"trays": area}}
    demo.build(ctx)
    kinds = dict(ControlledDocument.objects.values_list("kind", "title"))
    assert set(kinds) == {"intent", "scope", "strategy", "policy"}
    strategy = ctx["documents"]["strategy"]
    statuses = list(strategy.versions.order_by("number").values_list("status", flat=True))
    assert statuses == ["superseded", "approved"]
    assert list(strategy.versions.get(status="approved").focus_areas.all()) == [area]
    policy_version = ctx["documents"]["policy"].versions.get()
    strategy_version = strategy.versions.get(status="approved")
    asked = len([u for u in users.values() if policy.can(u, "strategy.acknowledge")])
    read_policy = policy_version.acknowledgements.count()
    read_strategy = strategy_version.acknowledgements.count()
    assert 0 < read_strategy < read_policy < asked
    assert AuditEvent.objects.filter(verb="document_version.approved").count() == 5
    assert verify_chain().ok


# --- Query budgets --------------------------------------------------------------------------------

SIZES = (3, 24)


def populate(users, org, n: int) -> dict:
    """n documents (policy and strategy alternating) with two approved versions each, the last
    one also with a draft; the first has n versions; n readers across units acknowledge."""
    areas = [FocusArea.objects.create(title=f"Area {k}", kind="opportunity", rationale="R",
                                      status="active", proposed_by=users["manager"])
             for k in range(3)]
    documents = []
    for k in range(n):
        kind = ("policy", "strategy")[k % 2]
        document = actions.create_document(users["manager"], kind=kind, title=f"Doc {k:02}")
        extra = ({"next_review_on": review_date(), "focus_areas": areas[: 1 + k % 3]}
                 if kind == "strategy" else {})
        for number in range(n if k == 0 else 2):
            approved(users, document, body=f"Version {number}\nline", **extra)
        documents.append(document)
    actions.create_draft(users["manager"], documents[-1], change_summary="Next.")
    units = [org["plant"], org["sales"], org["ops"], None]
    readers = [User.objects.create_user(f"r{k}@example.test", PASSWORD, full_name=f"R {k}",
                                        role=policy.CONTRIBUTOR, org_unit=units[k % 4])
               for k in range(n)]
    current = DocumentVersion.objects.filter(status="approved")
    for reader in readers:
        for version in current[: n // 2]:
            actions.acknowledge_version(reader, version)
    return {"first": documents[0], "strategy": documents[1],
            "version": documents[1].versions.get(status="approved")}


# page → (role, URL from the populated records, budget). Every signed-in request costs 2
# (session, user).
BUDGETS = {
    # + count, page of documents with owners, their approved versions (one prefetch)
    "document list": ("contributor", lambda w: reverse("strategy:documents_list"), 6),
    # … and their drafts (one more prefetch)
    "document list (manager)": ("manager", lambda w: reverse("strategy:documents_list"), 7),
    # + document, approved version, its focus areas, acknowledged?
    "strategy page": ("contributor", lambda w: w["strategy"].get_absolute_url(), 7),
    # … and the open draft (managers are asked to acknowledge too)
    "strategy page (manager)": ("manager", lambda w: w["strategy"].get_absolute_url(), 8),
    # + document, count, page of versions
    "history": ("auditor", lambda w: reverse("strategy:documents_history",
                                             args=[w["first"].pk]), 6),
    # + version with author and approver, its focus areas
    "version page": ("contributor", lambda w: w["version"].get_absolute_url(), 5),
    # + version, the earlier one, the versions to choose from
    "diff": ("evaluator", lambda w: reverse("strategy:documents_version_diff",
                                            args=[w["version"].pk]), 6),
    # + versions, units, people, acknowledgements; count and page of the log
    "awareness": ("auditor", lambda w: reverse("strategy:documents_awareness"), 9),
    # + document list, count and prefetch as in the HTML list
    "API document list": ("contributor", lambda w: f"{API}/documents", 5),
    # + document, approved version and focus areas, acknowledged?
    "API document": ("contributor", lambda w: f"{API}/documents/{w['strategy'].pk}", 6),
    # + document, page of versions, count
    "API versions": ("contributor", lambda w: f"{API}/documents/{w['first'].pk}/versions", 5),
    "API awareness": ("auditor", lambda w: f"{API}/awareness", 6),
    # + open challenges, latest ideas, my ideas, documents to acknowledge, overdue reviews,
    # co-author invitations waiting for me, the bell's unread count
    "manager home": ("manager", lambda w: reverse("core:home"), 9),
}


def measure(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


@pytest.mark.parametrize("size", SIZES)
def test_pages_cost_a_fixed_number_of_queries(size, users, org, django_assert_num_queries):
    world = populate(users, org, size)
    clients: dict[str, Client] = {}
    for page, (role, url_of, budget) in BUDGETS.items():
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(users[role])
        with django_assert_num_queries(budget, info=f"{page} with {size} documents"):
            response = clients[role].get(url_of(world))
        assert response.status_code == 200, page


def test_the_larger_size_overflows_the_paginated_pages(users, org):
    populate(users, org, SIZES[1])
    assert ControlledDocument.objects.count() > 20
    assert Acknowledgement.objects.count() > 25
    assert DocumentVersion.objects.filter(document__title="Doc 00").count() > 20
