"""Focus areas: the register readers see, employees' proposals, and the managers' triage
(accept, merge, decline with a reason the proposer sees) — through the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from seedbed.audit.models import AuditEvent
from seedbed.ideas.tests.helpers import text_by_id, texts_with_class
from seedbed.strategy.actions import context as context_actions
from seedbed.strategy.actions import focus as actions
from seedbed.strategy.models import FocusArea

LIST = "/strategy/focus-areas/"
PROPOSE = LIST + "propose/"
MINE = LIST + "proposals/mine/"
TRIAGE = LIST + "proposals/"


def strategy_events():
    return AuditEvent.objects.filter(verb__startswith="focus_area.").order_by("seq")


def state() -> tuple:
    return (FocusArea.objects.count(), FocusArea.context_issues.through.objects.count(),
            FocusArea.interested_parties.through.objects.count(), strategy_events().count(),
            sorted(FocusArea.objects.values_list("status", flat=True)))


@pytest.fixture
def links(users):
    manager = users["manager"]
    return {
        "issue": context_actions.create_context_issue(
            manager, title="Retailer consolidation", category="economic", impact="high"),
        "party": context_actions.create_interested_party(manager, name="Major retailers"),
    }


@pytest.fixture
def active(users, links):
    return actions.create_focus_area(
        users["manager"], title="Lower-energy chilling", kind="opportunity", horizon="h1",
        priority=1, rationale="Refrigeration is our **largest** electricity load.",
        owner=users["leader"], context_issues=[links["issue"]],
        interested_parties=[links["party"]])


@pytest.fixture
def proposal(users):
    return actions.propose_focus_area(
        users["contributor"], title="Refill formats for sauces", kind="opportunity",
        rationale="Shoppers keep asking for *less* packaging.")


# --- The register ------------------------------------------------------------------------------


def test_manager_creates_an_active_focus_area_with_links(client_for, users, links):
    manager = client_for("manager")
    r = manager.post(LIST + "new/", {
        "title": "Plant-based ready meals", "kind": "opportunity", "horizon": "h2",
        "priority": "1", "rationale": "Flexitarians.", "owner": users["evaluator"].pk,
        "context_issues": [links["issue"].pk], "interested_parties": [links["party"].pk]})
    area = FocusArea.objects.get()
    assert r.status_code == 302 and r["Location"] == area.get_absolute_url()
    assert (area.status, area.horizon, area.priority, area.owner) == (
        "active", "h2", 1, users["evaluator"])
    assert list(area.context_issues.all()) == [links["issue"]]
    assert list(area.interested_parties.all()) == [links["party"]]
    event = strategy_events().get()
    assert event.verb == "focus_area.created"
    assert event.changes["context_issues"] == {"before": None, "after": [links["issue"].pk]}
    assert not area.is_proposal


@pytest.mark.parametrize("changes,field", [
    ({"context_issues": ["987654"]}, "context_issues"),
    ({"interested_parties": ["987654"]}, "interested_parties"),
    ({"owner": "987654"}, "owner"),
    ({"kind": "rumour"}, "kind"),
    ({"horizon": "h4"}, "horizon"),
    ({"priority": "0"}, "priority"),
    ({"rationale": ""}, "rationale"),
    ({"title": "t" * 201}, "title"),
])
def test_bad_focus_area_input_is_a_field_error_and_stores_nothing(client_for, links, changes,
                                                                   field):
    before = state()
    data = {"title": "Automation", "kind": "opportunity", "horizon": "h1", "priority": "2",
            "rationale": "Labour shortage.", "context_issues": [links["issue"].pk], **changes}
    r = client_for("manager").post(LIST + "new/", data)
    assert r.status_code == 400
    assert text_by_id(r.content.decode(), f"id_{field}_error")
    assert state() == before


def test_action_refuses_unknown_links_and_partner_owners(users, links):
    from django.core.exceptions import ValidationError

    before = state()
    with pytest.raises(ValidationError) as exc:
        actions.create_focus_area(users["manager"], title="T", kind="threat", rationale="R",
                                  owner=users["partner"], context_issues=[987654],
                                  interested_parties=[links["party"].pk, 2**70])
    assert set(exc.value.message_dict) == {"owner", "context_issues", "interested_parties"}
    assert state() == before


def test_register_shows_active_focus_areas_with_filters_and_sorting(client_for, users, active,
                                                                    proposal):
    threat = actions.create_focus_area(users["manager"], title="Energy price spikes",
                                       kind="threat", horizon="h2", priority=2, rationale="R")
    retired = actions.create_focus_area(users["manager"], title="Own-label frozen range",
                                        kind="opportunity", rationale="R")
    actions.update_focus_area(users["manager"], retired, status="retired")
    reader = client_for("evaluator")

    def titles(query=""):
        return [row.split(" Opportunity")[0].split(" Threat")[0]
                for row in texts_with_class(reader.get(LIST + query).content.decode(),
                                            "focus-card")]

    assert titles() == [active.title, threat.title]  # by priority; no proposals, no retired
    assert titles("?kind=threat") == [threat.title]
    assert titles("?horizon=h1") == [active.title]
    assert titles("?priority=2") == [threat.title]
    assert titles("?sort=title") == [threat.title, active.title]
    assert titles("?status=retired") == [retired.title]
    # Someone else's proposal is not on offer to an evaluator, even when asked for.
    assert titles("?status=proposed") == [active.title, threat.title]
    assert titles("?kind=%00&sort=nonsense&page=x") == [active.title, threat.title]


def test_detail_shows_why_it_matters_links_and_owner(client_for, users, active, links):
    html = client_for("contributor").get(active.get_absolute_url()).content.decode()
    assert "<strong>largest</strong>" in html
    assert links["issue"].title in html and links["party"].name in html
    assert users["leader"].full_name in html
    assert "Edit" not in texts_with_class(html, "actions")
    assert "Decide on this proposal" not in html


def test_markup_in_a_proposal_is_escaped(client_for, users):
    area = actions.propose_focus_area(users["contributor"], title="<img src=x onerror=alert(1)>",
                                      kind="threat", rationale="<script>alert(2)</script> *x*")
    html = client_for("manager").get(area.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<em>x</em>" in html


def test_manager_edits_and_retires_a_focus_area(client_for, users, active):
    manager = client_for("manager")
    form = manager.get(f"{LIST}{active.pk}/edit/").content.decode()
    assert 'name="status"' in form
    r = manager.post(f"{LIST}{active.pk}/edit/", {
        "title": active.title, "kind": "opportunity", "horizon": "h3", "priority": "1",
        "rationale": active.rationale, "owner": users["leader"].pk, "status": "retired"})
    assert r.status_code == 302
    active.refresh_from_db()
    assert (active.horizon, active.status) == ("h3", "retired")
    event = strategy_events().filter(verb="focus_area.updated").get()
    assert set(event.changes) == {"horizon", "status", "context_issues", "interested_parties"}
    # Retired ones stay readable by everyone (older challenges point at them).
    assert client_for("contributor").get(active.get_absolute_url()).status_code == 200


def test_a_proposal_cannot_be_activated_by_editing_its_status(users, proposal):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        actions.update_focus_area(users["manager"], proposal, status="active")
    assert set(exc.value.message_dict) == {"status"}
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


# --- Proposals ---------------------------------------------------------------------------------


def test_employee_proposes_and_follows_their_proposal(client_for, users, links):
    contributor = client_for("contributor")
    r = contributor.post(PROPOSE, {
        "title": "Shrinkflation backlash", "kind": "threat",
        "rationale": "Shoppers notice smaller packs.", "context_issues": [links["issue"].pk]})
    area = FocusArea.objects.get()
    assert r.status_code == 302 and r["Location"] == area.get_absolute_url()
    assert (area.status, area.proposed_by, area.owner) == ("proposed", users["contributor"], None)
    assert strategy_events().get().verb == "focus_area.proposed"
    assert contributor.get(area.get_absolute_url()).status_code == 200
    rows = texts_with_class(contributor.get(MINE).content.decode(), "proposal-row")
    assert len(rows) == 1 and "Waiting for a decision" in rows[0]
    # Another employee does not see it; leaders, auditors and managers do.
    other = client_for("evaluator")
    assert other.get(area.get_absolute_url()).status_code == 404
    assert texts_with_class(other.get(MINE).content.decode(), "proposal-row") == []
    for role in ("leader", "auditor", "manager", "admin"):
        assert client_for(role).get(area.get_absolute_url()).status_code == 200, role


def test_auditors_and_partners_cannot_propose(client_for):
    for role in ("auditor", "partner"):
        r = client_for(role).post(PROPOSE, {"title": "T", "kind": "threat", "rationale": "R"})
        assert r.status_code == 403
    assert not FocusArea.objects.exists()


def test_bad_proposal_is_a_field_error(client_for):
    r = client_for("contributor").post(PROPOSE, {"title": "", "kind": "maybe",
                                                 "rationale": "", "context_issues": ["x"]})
    assert r.status_code == 400
    html = r.content.decode()
    for field in ("title", "kind", "rationale", "context_issues"):
        assert text_by_id(html, f"id_{field}_error"), field
    assert not FocusArea.objects.exists()


def test_triage_queue_lists_proposals_oldest_first(client_for, users, active, proposal):
    newer = actions.propose_focus_area(users["evaluator"], title="Robotic case packing",
                                       kind="opportunity", rationale="R")
    rows = texts_with_class(client_for("manager").get(TRIAGE).content.decode(), "proposal-row")
    assert [row.split(" ")[0] for row in rows] == ["Refill", "Robotic"]
    assert proposal.proposed_by.full_name in rows[0]
    assert newer.title in rows[1] and active.title not in " ".join(rows)
    assert client_for("leader").get(TRIAGE).status_code == 403


def test_manager_sees_the_decision_forms_on_a_proposal(client_for, proposal, active):
    html = client_for("manager").get(proposal.get_absolute_url()).content.decode()
    assert "Decide on this proposal" in html
    targets = text_by_id(html, "id_merge-into")
    assert active.title in targets and proposal.title not in targets  # not into itself
    leader = client_for("leader").get(proposal.get_absolute_url()).content.decode()
    assert "Decide on this proposal" not in leader


def test_accept_puts_the_proposal_in_the_register(client_for, users, proposal):
    r = client_for("manager").post(f"{LIST}{proposal.pk}/accept/", {
        "accept-owner": users["evaluator"].pk, "accept-horizon": "h2", "accept-priority": "1",
        "accept-reason": "Great spot."})
    assert r.status_code == 302 and r["Location"] == TRIAGE
    proposal.refresh_from_db()
    assert (proposal.status, proposal.owner, proposal.horizon, proposal.priority) == (
        "active", users["evaluator"], "h2", 1)
    assert proposal.decided_by == users["manager"] and proposal.decided_at is not None
    event = strategy_events().filter(verb="focus_area.accepted").get()
    assert event.changes["status"] == {"before": "proposed", "after": "active"}
    assert event.changes["decided_by"] == {"before": None, "after": users["manager"].pk}
    # Now everyone reads it in the register; the proposer sees it accepted.
    assert proposal.title in client_for("evaluator").get(LIST).content.decode()
    rows = texts_with_class(client_for("contributor").get(MINE).content.decode(), "proposal-row")
    assert "Accepted" in rows[0] and "Great spot." in rows[0]


def test_accept_without_an_owner_makes_the_manager_the_owner(client_for, users, proposal):
    r = client_for("manager").post(f"{LIST}{proposal.pk}/accept/", {
        "accept-horizon": "h1", "accept-priority": "2"})
    assert r.status_code == 302
    proposal.refresh_from_db()
    assert proposal.owner == users["manager"]


def test_merge_into_an_active_focus_area(client_for, users, proposal, active):
    r = client_for("manager").post(f"{LIST}{proposal.pk}/merge/", {
        "merge-into": active.pk, "merge-reason": "Same energy theme."})
    assert r.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.merged_into) == ("merged", active)
    rows = texts_with_class(client_for("contributor").get(MINE).content.decode(), "proposal-row")
    assert f"Merged into {active.title}" in rows[0] and "Same energy theme." in rows[0]
    assert strategy_events().filter(verb="focus_area.merged").get().changes["merged_into"] == {
        "before": None, "after": active.pk}


def test_merge_refuses_itself_and_inactive_targets(client_for, users, proposal, active):
    other = actions.propose_focus_area(users["evaluator"], title="Other", kind="threat",
                                       rationale="R")
    actions.update_focus_area(users["manager"], active, status="retired")
    before = state()
    manager = client_for("manager")
    for target in (proposal.pk, other.pk, active.pk, 987654):
        r = manager.post(f"{LIST}{proposal.pk}/merge/", {"merge-into": target})
        assert r.status_code == 400, target
        assert text_by_id(r.content.decode(), "id_merge-into_error")
    assert state() == before
    from django.core.exceptions import ValidationError

    for target in (proposal, other, active):
        with pytest.raises(ValidationError):
            actions.merge_proposal(users["manager"], proposal, into=target)
    assert state() == before


def test_decline_needs_a_reason_the_proposer_then_reads(client_for, users, proposal):
    manager = client_for("manager")
    r = manager.post(f"{LIST}{proposal.pk}/decline/", {"decline-reason": "   "})
    assert r.status_code == 400
    assert text_by_id(r.content.decode(), "id_decline-reason_error")
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    r = manager.post(f"{LIST}{proposal.pk}/decline/", {
        "decline-reason": "Covered by the packaging focus area; add your idea to its challenge."})
    assert r.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "declined" and proposal.decided_by == users["manager"]
    contributor = client_for("contributor")
    rows = texts_with_class(contributor.get(MINE).content.decode(), "proposal-row")
    assert "Declined" in rows[0] and "add your idea to its challenge" in rows[0]
    detail = contributor.get(proposal.get_absolute_url()).content.decode()
    assert "add your idea to its challenge" in detail
    # Declined proposals are not in the register.
    assert proposal.title not in client_for("evaluator").get(LIST).content.decode()


def test_deciding_a_decided_proposal_changes_nothing(client_for, users, proposal, active):
    actions.decline_proposal(users["manager"], proposal, reason="No.")
    before = state()
    manager = client_for("admin")
    for url, data in (("accept", {"accept-horizon": "h1", "accept-priority": "1"}),
                      ("merge", {"merge-into": active.pk}),
                      ("decline", {"decline-reason": "Again."})):
        r = manager.post(f"{LIST}{proposal.pk}/{url}/", data)
        assert r.status_code == 302 and r["Location"] == proposal.get_absolute_url()
    assert state() == before
    assert manager.get(f"{LIST}{proposal.pk}/edit/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.decision_reason == "No."


def test_contributor_cannot_triage(client_for, proposal):
    contributor = client_for("contributor")
    assert contributor.get(TRIAGE).status_code == 403
    r = contributor.post(f"{LIST}{proposal.pk}/accept/", {"accept-horizon": "h1",
                                                          "accept-priority": "1"})
    assert r.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_partner_sees_no_focus_area(client_for, active, proposal):
    partner = client_for("partner")
    for url in (LIST, active.get_absolute_url(), MINE, PROPOSE, TRIAGE):
        assert partner.get(url).status_code == 403, url


def test_my_proposals_leaves_out_what_a_manager_created_directly(client_for, active, users):
    own = actions.propose_focus_area(users["manager"], title="Mine", kind="threat",
                                     rationale="R")
    rows = texts_with_class(client_for("manager").get(MINE).content.decode(), "proposal-row")
    assert len(rows) == 1 and own.title in rows[0]


# --- Query budgets -----------------------------------------------------------------------------


def _populate(users, n: int) -> dict:
    from seedbed.accounts.models import User

    manager = users["manager"]
    issues = [context_actions.create_context_issue(manager, title=f"I{k}", category="legal")
              for k in range(3)]
    parties = [context_actions.create_interested_party(manager, name=f"P{k}") for k in range(3)]
    people = [User.objects.create_user(f"p{k}@example.test", "x" * 12, full_name=f"P {k}",
                                       role="contributor") for k in range(3)]
    first = None
    for k in range(n):
        area = actions.create_focus_area(
            manager, title=f"Area {k}", kind="threat" if k % 2 else "opportunity",
            rationale="*Why*", owner=people[k % 3], context_issues=issues[: 1 + k % 3],
            interested_parties=parties[: k % 3])
        first = first or area
        proposal = actions.propose_focus_area(users["contributor"], title=f"Proposal {k}",
                                              kind="threat", rationale="R",
                                              context_issues=issues[:1])
        if k % 3 == 1:
            actions.decline_proposal(manager, proposal, reason="Not now.")
        elif k % 3 == 2:
            actions.merge_proposal(manager, proposal, into=area)
    pending = actions.propose_focus_area(users["contributor"], title="Pending", kind="threat",
                                         rationale="R")
    return {"area": first, "pending": pending}


# page → (who, URL, budget). Every signed-in request costs 2 (session, user).
BUDGETS = {
    # + count, page, its context issues, its interested parties
    "register": ("contributor", lambda d: LIST, 7),
    "register, all filters": ("manager", lambda d: LIST + "?kind=threat&horizon=h1&sort=title",
                              7),
    # + area with people, its issues, its parties
    "focus area page": ("contributor", lambda d: d["area"].get_absolute_url(), 6),
    # + the same, and the owners and merge targets of the decision forms
    "proposal page with triage": ("manager", lambda d: d["pending"].get_absolute_url(), 8),
    # + count, page with decider and target
    "my proposals": ("contributor", lambda d: MINE, 5),
    # + count, page, issues, parties
    "triage queue": ("manager", lambda d: TRIAGE, 7),
    # + page with people, issues, parties, count
    "API register": ("contributor", lambda d: "/api/v1/strategy/focus-areas", 6),
    "API my proposals": ("contributor",
                         lambda d: "/api/v1/strategy/focus-areas/proposals/mine", 6),
    "API focus area": ("contributor",
                       lambda d: f"/api/v1/strategy/focus-areas/{d['area'].pk}", 5),
}


@pytest.mark.parametrize("size", (3, 30))
@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_pages_cost_a_fixed_number_of_queries(page, size, users, django_assert_num_queries):
    data = _populate(users, size)
    role, url, budget = BUDGETS[page]
    client = Client()
    client.force_login(users[role])
    with django_assert_num_queries(budget):
        response = client.get(url(data))
    assert response.status_code == 200
