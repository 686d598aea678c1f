"""Focus areas, proposals and triage through the API: the same rules as the pages, the one
error body, 409 for deciding twice, and nothing stored on bad input."""

from __future__ import annotations

import pytest

from seedbed.audit.models import AuditEvent
from seedbed.ideas.tests.helpers import api
from seedbed.strategy.actions import context as context_actions
from seedbed.strategy.actions import focus as actions
from seedbed.strategy.models import FocusArea

API = "/api/v1/strategy/focus-areas"


def state() -> tuple:
    return (FocusArea.objects.count(), FocusArea.context_issues.through.objects.count(),
            AuditEvent.objects.filter(verb__startswith="focus_area.").count(),
            sorted(FocusArea.objects.values_list("status", flat=True)))


@pytest.fixture
def issue(users):
    return context_actions.create_context_issue(users["manager"], title="HFSS rules",
                                                category="legal")


@pytest.fixture
def party(users):
    return context_actions.create_interested_party(users["manager"], name="Consumers")


@pytest.fixture
def active(users, issue):
    return actions.create_focus_area(users["manager"], title="Healthier recipes",
                                     kind="opportunity", rationale="HFSS", horizon="h1",
                                     priority=1, context_issues=[issue])


@pytest.fixture
def proposal(users):
    return actions.propose_focus_area(users["contributor"], title="Salt reduction",
                                      kind="opportunity", rationale="Reformulate soups.")


def error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()["error"]
    if code:
        assert body["code"] == code
    return body


def test_manager_creates_and_patches_a_focus_area(client_for, users, issue, party):
    manager = client_for("manager")
    r = api(manager, "post", API, {
        "title": "Automation of packing", "kind": "opportunity", "horizon": "h2",
        "priority": 1, "rationale": "Labour **shortage**.", "owner_id": users["evaluator"].pk,
        "context_issue_ids": [issue.pk], "interested_party_ids": [party.pk]})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "active" and body["owner"]["id"] == users["evaluator"].pk
    assert body["context_issue_ids"] == [issue.pk]
    assert body["interested_party_ids"] == [party.pk]
    assert "<strong>shortage</strong>" in body["rationale_html"]
    url = f"{API}/{body['id']}"
    patched = api(manager, "patch", url, {"owner_id": None, "context_issue_ids": [],
                                          "status": "retired"}).json()
    assert patched["owner"] is None and patched["context_issue_ids"] == []
    assert patched["status"] == "retired" and patched["horizon"] == "h2"
    assert list(AuditEvent.objects.filter(verb__startswith="focus_area.").order_by("seq")
                .values_list("verb", flat=True)) == ["focus_area.created", "focus_area.updated"]


@pytest.mark.parametrize("changes,fields", [
    ({"context_issue_ids": [987654]}, {"context_issue_ids"}),
    ({"interested_party_ids": [987654, -1]}, {"interested_party_ids"}),
    ({"context_issue_ids": [99999999999999999999]}, {"context_issue_ids"}),
    ({"context_issue_ids": "all"}, {"context_issue_ids"}),
    ({"owner_id": 987654}, {"owner_id"}),
    ({"kind": "rumour", "horizon": "h9", "priority": 7}, {"kind", "horizon", "priority"}),
    ({"title": "", "rationale": ""}, {"title", "rationale"}),
    ({"title": "x\x00"}, {"title"}),
])
def test_bad_focus_area_input_is_422_and_stores_nothing(client_for, issue, changes, fields):
    before = state()
    body = {"title": "T", "kind": "threat", "rationale": "R", "context_issue_ids": [issue.pk],
            **changes}
    err = error(api(client_for("manager"), "post", API, body), 422, "invalid")
    assert set(err["fields"]) == fields
    assert state() == before


def test_partner_owner_is_refused(client_for, users):
    err = error(api(client_for("manager"), "post", API, {
        "title": "T", "kind": "threat", "rationale": "R", "owner_id": users["partner"].pk}), 422)
    assert set(err["fields"]) == {"owner_id"}


def test_patch_refuses_nulls_and_proposal_status(client_for, active, proposal):
    manager = client_for("manager")
    for body in ({"title": None}, {"kind": None}, {"status": None}):
        assert error(api(manager, "patch", f"{API}/{active.pk}", body), 422)
    err = error(api(manager, "patch", f"{API}/{active.pk}", {"status": "proposed"}), 422)
    assert set(err["fields"]) == {"status"}
    err = error(api(manager, "patch", f"{API}/{proposal.pk}", {"status": "active"}), 422)
    assert set(err["fields"]) == {"status"}
    err = error(api(manager, "patch", f"{API}/{active.pk}", {"context_issue_ids": [987654]}),
                422)
    assert set(err["fields"]) == {"context_issue_ids"}
    assert active.context_issues.count() == 1


def test_propose_and_read_my_proposals(client_for, users, issue):
    contributor = client_for("contributor")
    r = api(contributor, "post", f"{API}/proposals", {
        "title": "Chilled soup pouches", "kind": "opportunity", "rationale": "Lighter packs.",
        "context_issue_ids": [issue.pk]})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "proposed" and body["proposed_by"]["id"] == users["contributor"].pk
    assert body["owner"] is None and body["decided_by"] is None
    mine = contributor.get(f"{API}/proposals/mine").json()
    assert [item["id"] for item in mine["items"]] == [body["id"]] and mine["count"] == 1
    assert client_for("evaluator").get(f"{API}/proposals/mine").json()["count"] == 0
    # The proposer reads it; another employee cannot; managers and leaders can.
    assert contributor.get(f"{API}/{body['id']}").status_code == 200
    error(client_for("evaluator").get(f"{API}/{body['id']}"), 404, "not_found")
    assert client_for("leader").get(f"{API}/{body['id']}").status_code == 200
    # Listing proposals: managers see all of them, the proposer only their own.
    assert client_for("manager").get(f"{API}?status=proposed").json()["count"] == 1
    assert contributor.get(f"{API}?status=proposed").json()["count"] == 1
    assert client_for("evaluator").get(f"{API}?status=proposed").json()["count"] == 0


def test_auditor_and_partner_cannot_propose(client_for):
    body = {"title": "T", "kind": "threat", "rationale": "R"}
    for role in ("auditor", "partner"):
        error(api(client_for(role), "post", f"{API}/proposals", body), 403, "forbidden")
    error(client_for("partner").get(API), 403, "forbidden")
    assert not FocusArea.objects.exists()


def test_list_filters(client_for, users, active, proposal):
    actions.create_focus_area(users["manager"], title="Energy costs", kind="threat",
                              horizon="h2", rationale="R")
    reader = client_for("contributor")

    def titles(query=""):
        return [item["title"] for item in reader.get(f"{API}{query}").json()["items"]]

    assert titles() == ["Healthier recipes", "Energy costs"]
    assert titles("?kind=threat") == ["Energy costs"]
    assert titles("?horizon=h1") == ["Healthier recipes"]
    assert titles("?status=retired") == []
    error(reader.get(f"{API}?kind=rumour"), 422)


def test_accept_merge_decline_through_the_api(client_for, users, active, proposal):
    manager = client_for("manager")
    second = actions.propose_focus_area(users["evaluator"], title="Less salt", kind="threat",
                                        rationale="R")
    third = actions.propose_focus_area(users["evaluator"], title="Gin soup", kind="opportunity",
                                       rationale="R")
    accepted = api(manager, "post", f"{API}/{proposal.pk}/accept", {
        "owner_id": users["leader"].pk, "horizon": "h2", "priority": 1}).json()
    assert accepted["status"] == "active" and accepted["owner"]["id"] == users["leader"].pk
    assert accepted["decided_by"]["id"] == users["manager"].pk and accepted["decided_at"]
    merged = api(manager, "post", f"{API}/{second.pk}/merge", {
        "into_id": active.pk, "reason": "Part of healthier recipes."}).json()
    assert merged["status"] == "merged" and merged["merged_into_id"] == active.pk
    declined = api(manager, "post", f"{API}/{third.pk}/decline",
                   {"reason": "Not our market."}).json()
    assert declined["status"] == "declined" and declined["decision_reason"] == "Not our market."
    mine = client_for("evaluator").get(f"{API}/proposals/mine").json()["items"]
    assert {(item["title"], item["status"], item["decision_reason"]) for item in mine} == {
        ("Less salt", "merged", "Part of healthier recipes."),
        ("Gin soup", "declined", "Not our market.")}
    verbs = list(AuditEvent.objects.filter(verb__startswith="focus_area.")
                 .values_list("verb", flat=True).order_by("seq"))
    assert verbs[-3:] == ["focus_area.accepted", "focus_area.merged", "focus_area.declined"]


def test_deciding_twice_is_409_and_changes_nothing(client_for, users, active, proposal):
    manager = client_for("manager")
    api(manager, "post", f"{API}/{proposal.pk}/decline", {"reason": "No."})
    before = state()
    for action, body in (("accept", {"horizon": "h1", "priority": 1}),
                         ("merge", {"into_id": active.pk}),
                         ("decline", {"reason": "Again."})):
        error(api(manager, "post", f"{API}/{proposal.pk}/{action}", body), 409,
              "already_decided")
    error(api(manager, "patch", f"{API}/{proposal.pk}", {"title": "Edited"}), 409,
          "focus_area_decided")
    assert state() == before
    # An active focus area was never a proposal: deciding it is a conflict too.
    error(api(manager, "post", f"{API}/{active.pk}/decline", {"reason": "x"}), 409)


def test_merge_into_itself_or_an_inactive_area_is_refused(client_for, users, active, proposal):
    manager = client_for("manager")
    other = actions.propose_focus_area(users["evaluator"], title="O", kind="threat",
                                       rationale="R")
    before = state()
    for target in (proposal.pk, other.pk, 987654, 2**70):
        err = error(api(manager, "post", f"{API}/{proposal.pk}/merge", {"into_id": target}),
                    422)
        assert set(err["fields"]) == {"into_id"}, target
    assert state() == before


def test_decline_needs_a_reason(client_for, proposal):
    manager = client_for("manager")
    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "r" * 5001}):
        error(api(manager, "post", f"{API}/{proposal.pk}/decline", body), 422)
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_contributor_cannot_triage_or_create(client_for, proposal):
    contributor = client_for("contributor")
    error(api(contributor, "post", f"{API}/{proposal.pk}/accept",
              {"horizon": "h1", "priority": 1}), 403, "forbidden")
    error(api(contributor, "post", API, {"title": "T", "kind": "threat", "rationale": "R"}),
          403, "forbidden")
    error(api(contributor, "patch", f"{API}/{proposal.pk}", {"title": "Mine"}), 403)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.title) == ("proposed", "Salt reduction")


def test_unknown_focus_area_is_404(client_for):
    manager = client_for("manager")
    error(manager.get(f"{API}/987654"), 404, "not_found")
    error(manager.get(f"{API}/99999999999999999999"), 404, "not_found")
    for method, url in (("patch", f"{API}/987654"), ("post", f"{API}/987654/decline")):
        error(api(manager, method, url, {"reason": "x"}), 404, "not_found")
