"""The context register: issues (clause 4.1) and interested parties (4.2), through HTML and the
API, audited, validated, paginated, and at a fixed query cost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.ideas.tests.helpers import api, text_by_id, texts_with_class
from seedbed.strategy.actions import context as actions
from seedbed.strategy.models import ContextIssue, InterestedParty

ISSUES = "/strategy/context/issues/"
PARTIES = "/strategy/context/parties/"
API_ISSUES = "/api/v1/strategy/context-issues"
API_PARTIES = "/api/v1/strategy/interested-parties"


def strategy_events():
    """Audit events of the register (signing in is audited too, and not what we look at)."""
    return AuditEvent.objects.exclude(verb__startswith="user.").order_by("seq")


def counts() -> tuple[int, int, int]:
    return ContextIssue.objects.count(), InterestedParty.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def manager(client_for):
    return client_for("manager")


@pytest.fixture
def issue(users):
    return actions.create_context_issue(
        users["manager"], title="HFSS advertising and promotion rules", category="legal",
        impact="high", trend="growing", source="UK HFSS regulations",
        description="Volume promotions on *high fat, sugar, salt* products are restricted.",
        review_on=timezone.localdate() + timedelta(days=90))


@pytest.fixture
def party(users):
    return actions.create_interested_party(
        users["manager"], name="Major retailers", needs="Lower **cost** per pack.",
        expectations="Range innovation twice a year.", importance="high")


# --- Issues through the pages ------------------------------------------------------------------


def test_manager_adds_an_issue_and_it_is_audited(manager, users):
    r = manager.post(ISSUES + "new/", {
        "title": "Net zero by 2040", "category": "environmental", "impact": "high",
        "trend": "growing", "source": "Retailer climate commitments", "review_on": "2030-01-31",
        "description": "Scope 3 targets from our customers."})
    issue = ContextIssue.objects.get()
    assert r.status_code == 302 and r["Location"] == issue.get_absolute_url()
    assert (issue.category, issue.impact, issue.trend) == ("environmental", "high", "growing")
    assert issue.created_by == users["manager"] and str(issue.review_on) == "2030-01-31"
    event = strategy_events().get()
    assert event.verb == "context_issue.created" and event.object_id == str(issue.pk)
    assert event.changes["title"] == {"before": None, "after": "Net zero by 2040"}


@pytest.mark.parametrize("changes,field", [
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "t" * 201}, "title"),
    ({"category": "astrological"}, "category"),
    ({"impact": "enormous"}, "impact"),
    ({"review_on": "31 February"}, "review_on"),
    ({"source": "s" * 301}, "source"),
])
def test_bad_issue_input_is_a_field_error_and_stores_nothing(manager, changes, field):
    before = counts()
    data = {"title": "Skills shortage", "category": "social", "impact": "medium",
            "trend": "stable", **changes}
    r = manager.post(ISSUES + "new/", data)
    assert r.status_code == 400
    assert text_by_id(r.content.decode(), f"id_{field}_error")
    assert counts() == before


def test_edit_records_only_what_changed(manager, issue):
    r = manager.post(f"{ISSUES}{issue.pk}/edit/", {
        "title": issue.title, "category": "legal", "impact": "medium", "trend": "growing",
        "source": issue.source, "description": issue.description,
        "review_on": issue.review_on.isoformat()})
    assert r.status_code == 302
    event = AuditEvent.objects.filter(verb="context_issue.updated").get()
    assert event.changes == {"impact": {"before": "high", "after": "medium"}}
    # Saving it again unchanged writes nothing.
    manager.post(f"{ISSUES}{issue.pk}/edit/", {
        "title": issue.title, "category": "legal", "impact": "medium", "trend": "growing",
        "source": issue.source, "description": issue.description,
        "review_on": issue.review_on.isoformat()})
    assert AuditEvent.objects.filter(verb="context_issue.updated").count() == 1


def test_list_filters_by_category_and_flags_past_review_dates(manager, users, issue):
    today = timezone.localdate()
    stale = actions.create_context_issue(users["manager"], title="Automation of packing lines",
                                         category="technological",
                                         review_on=today - timedelta(days=1))
    html = manager.get(ISSUES).content.decode()
    assert issue.title in html and stale.title in html
    rows = texts_with_class(html, "issue-row")  # by category: legal, then technological
    assert [("Review overdue" in row) for row in rows] == [False, True]
    assert stale.title in rows[1]
    legal = manager.get(ISSUES + "?category=legal").content.decode()
    assert issue.title in legal and stale.title not in legal
    overdue = manager.get(ISSUES + "?overdue=1").content.decode()
    assert stale.title in overdue and issue.title not in overdue
    # Nonsense filters show everything rather than failing.
    assert manager.get(ISSUES + "?category=%00&page=abc").status_code == 200


def test_list_is_paginated(manager, users):
    for n in range(26):
        actions.create_context_issue(users["manager"], title=f"Issue {n:02}", category="social")
    first = manager.get(ISSUES).content.decode()
    second = manager.get(ISSUES + "?page=2").content.decode()
    assert len(texts_with_class(first, "issue-row")) == 25
    assert len(texts_with_class(second, "issue-row")) == 1
    assert "Page 2 of 2" in second


def test_detail_renders_markdown_and_escapes_markup(client_for, users):
    issue = actions.create_context_issue(
        users["manager"], title="<script>alert(1)</script>", category="internal",
        description="Our **values** <script>alert(2)</script>")
    html = client_for("contributor").get(issue.get_absolute_url()).content.decode()
    assert "<strong>values</strong>" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_contributor_reads_but_cannot_change_and_partner_sees_nothing(client_for, issue):
    contributor = client_for("contributor")
    assert contributor.get(ISSUES).status_code == 200
    assert contributor.get(issue.get_absolute_url()).status_code == 200
    assert contributor.get(f"{ISSUES}{issue.pk}/edit/").status_code == 403
    assert contributor.post(ISSUES + "new/", {"title": "x", "category": "social"}).status_code \
        == 403
    partner = client_for("partner")
    assert partner.get(ISSUES).status_code == 403
    assert partner.get(issue.get_absolute_url()).status_code == 403
    assert partner.get(API_ISSUES).status_code == 403
    assert ContextIssue.objects.count() == 1


def test_unknown_issue_is_404(manager):
    assert manager.get(f"{ISSUES}987654/").status_code == 404
    assert manager.get(f"{ISSUES}987654/edit/").status_code == 404
    assert manager.get(f"{API_ISSUES}/987654").status_code == 404
    assert manager.get(f"{API_ISSUES}/99999999999999999999").status_code == 404


# --- Interested parties through the pages ------------------------------------------------------


def test_manager_adds_and_edits_an_interested_party(manager, users):
    r = manager.post(PARTIES + "new/", {"name": "Shop-floor employees", "importance": "medium",
                                        "needs": "Safe, **less repetitive** work.",
                                        "expectations": "Be asked before lines change."})
    party = InterestedParty.objects.get()
    assert r.status_code == 302 and r["Location"] == party.get_absolute_url()
    html = manager.get(party.get_absolute_url()).content.decode()
    assert "<strong>less repetitive</strong>" in html
    r = manager.post(f"{PARTIES}{party.pk}/edit/", {"name": "Shop-floor employees",
                                                    "importance": "high",
                                                    "needs": party.needs,
                                                    "expectations": party.expectations})
    assert r.status_code == 302
    party.refresh_from_db()
    assert party.importance == "high"
    assert list(strategy_events().values_list("verb", flat=True)) == [
        "interested_party.created", "interested_party.updated"]


def test_bad_party_input_is_a_field_error(manager):
    r = manager.post(PARTIES + "new/", {"name": "", "importance": "vital",
                                        "needs": "n" * 5001})
    assert r.status_code == 400
    html = r.content.decode()
    for field in ("name", "importance", "needs"):
        assert text_by_id(html, f"id_{field}_error"), field
    assert not InterestedParty.objects.exists() and not strategy_events().exists()


def test_party_list_flags_past_reviews(client_for, users, party):
    actions.create_interested_party(users["manager"], name="Environment Agency",
                                    review_on=timezone.localdate() - timedelta(days=3))
    rows = texts_with_class(client_for("evaluator").get(PARTIES).content.decode(), "party-row")
    assert [("Review overdue" in row) for row in rows] == [True, False]


# --- The API -----------------------------------------------------------------------------------


def test_issue_lifecycle_through_the_api(manager, users):
    created = api(manager, "post", API_ISSUES, {
        "title": "Energy price volatility", "category": "economic", "impact": "high",
        "trend": "growing", "review_on": "2000-01-01", "description": "Gas *and* power."})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["review_overdue"] is True and "<em>and</em>" in body["description_html"]
    assert body["created_by"]["id"] == users["manager"].pk
    url = f"{API_ISSUES}/{body['id']}"
    patched = api(manager, "patch", url, {"review_on": None, "trend": "stable"}).json()
    assert patched["review_on"] is None and patched["trend"] == "stable"
    assert patched["title"] == "Energy price volatility"
    assert api(manager, "patch", url, {"title": None}).status_code == 422
    reader = api_get(users, "auditor", url)
    assert reader["id"] == body["id"]
    listed = api_get(users, "contributor", API_ISSUES + "?category=economic")
    assert listed["count"] == 1
    assert api_get(users, "contributor", API_ISSUES + "?category=legal")["count"] == 0
    assert list(strategy_events().values_list("verb", flat=True)) == [
        "context_issue.created", "context_issue.updated"]


def api_get(users, role, url):
    from django.test import Client

    client = Client()
    client.force_login(users[role])
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("body,fields", [
    ({"title": "", "category": "legal"}, {"title"}),
    ({"title": "T", "category": "astrology"}, {"category"}),
    ({"title": "T", "category": "legal", "impact": "huge", "trend": "up"}, {"impact", "trend"}),
    ({"title": "T", "category": "legal", "review_on": "2024-02-30"}, {"review_on"}),
    ({"title": "T\x00", "category": "legal"}, {"title"}),
    ({"title": ["T"], "category": "legal"}, {"title"}),
])
def test_bad_api_input_is_422_naming_fields(manager, body, fields):
    before = counts()
    response = api(manager, "post", API_ISSUES, body)
    assert response.status_code == 422, response.content
    assert set(response.json()["error"]["fields"]) == fields
    assert counts() == before


def test_party_through_the_api(manager, client_for):
    created = api(manager, "post", API_PARTIES, {"name": "Consumers", "importance": "high",
                                                 "needs": "Food that is **good value**."})
    assert created.status_code == 201
    body = created.json()
    assert "<strong>good value</strong>" in body["needs_html"]
    patched = api(manager, "patch", f"{API_PARTIES}/{body['id']}", {"importance": "medium"})
    assert patched.json()["importance"] == "medium"
    refused = api(client_for("contributor"), "patch", f"{API_PARTIES}/{body['id']}",
                  {"importance": "low"})
    assert refused.status_code == 403
    assert api(manager, "post", API_PARTIES, {"name": " "}).status_code == 422
    assert InterestedParty.objects.get().importance == "medium"


# --- Query budgets -----------------------------------------------------------------------------


def _populate(users, n: int) -> tuple[ContextIssue, InterestedParty]:
    from seedbed.strategy.actions import focus as focus_actions

    issues = [actions.create_context_issue(users["manager"], title=f"Issue {k}",
                                           category="economic", description="*md*")
              for k in range(n)]
    parties = [actions.create_interested_party(users["manager"], name=f"Party {k}")
               for k in range(n)]
    for k in range(n):
        focus_actions.create_focus_area(
            users["manager"], title=f"Area {k}", kind="opportunity", rationale="Why.",
            owner=users["leader"], context_issues=[issues[0]], interested_parties=[parties[0]])
    return issues[0], parties[0]


# page → (URL from the first issue and party, budget). Every signed-in request costs 2
# (session, user).
BUDGETS = {
    "issue list": (lambda i, p: ISSUES, 5),  # + count, page
    "issue detail": (lambda i, p: i.get_absolute_url(), 5),  # + issue, its focus areas
    "party list": (lambda i, p: PARTIES, 5),
    "party detail": (lambda i, p: p.get_absolute_url(), 5),
    "API issue list": (lambda i, p: API_ISSUES, 4),
    "API party list": (lambda i, p: API_PARTIES, 4),
}


@pytest.mark.parametrize("size", (3, 30))
@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_pages_cost_a_fixed_number_of_queries(page, size, users, client_for,
                                              django_assert_num_queries):
    issue, party = _populate(users, size)
    url, budget = BUDGETS[page]
    client = client_for("contributor")
    with django_assert_num_queries(budget):
        response = client.get(url(issue, party))
    assert response.status_code == 200
