"""Challenges tied to strategy: focus areas ("why we ask"), sponsor, audience with invited
partners, accepted idea types and voting mode, through the pages and the API."""

from __future__ import annotations

import pytest

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions
from seedbed.ideas.models import Challenge, IdeaType
from seedbed.ideas.tests.helpers import api
from seedbed.strategy.actions import focus as focus_actions
from seedbed.strategy.models import FocusArea, PartnerOrganisation
from tests.support import challenge_form_data, new_challenge


def make_area(manager, title: str, **extra) -> FocusArea:
    return focus_actions.create_focus_area(manager, title=title, kind="threat",
                                           rationale="Why it matters.", **extra)


@pytest.fixture
def partners(users):
    campus = PartnerOrganisation.objects.get(name="Campus Lab")
    other = PartnerOrganisation.objects.create(name="Kestrel Packaging", kind="supplier",
                                               created_by=users["admin"])
    return {"campus": campus, "other": other}


@pytest.fixture
def types(db):
    IdeaType.ensure_defaults()
    return {t.code: t for t in IdeaType.objects.all()}


def test_manager_creates_a_challenge_with_everything_on_the_page(client_for, users, partners,
                                                                 types):
    manager = users["manager"]
    area = make_area(manager, "Recyclable packaging")
    r = client_for("manager").post("/challenges/new/", {
        "title": "Plastic-light trays", "description": "Halve **virgin** plastic.",
        "focus_areas": [area.pk], "sponsor": users["leader"].pk, "audience": "organisation",
        "partner_orgs": [partners["other"].pk],
        "idea_types": [types["product"].pk, types["process"].pk],
        "voting_mode": "tokens", "token_budget": 7, "closes_on": "2099-01-31"})
    assert r.status_code == 302
    ch = Challenge.objects.get(title="Plastic-light trays")
    assert list(ch.focus_areas.all()) == [area]
    assert ch.sponsor == users["leader"]
    assert list(ch.partner_orgs.all()) == [partners["other"]]
    assert set(ch.idea_types.all()) == {types["product"], types["process"]}
    assert (ch.voting_mode, ch.token_budget, ch.status) == ("tokens", 7, "draft")
    event = AuditEvent.objects.get(verb="challenge.created")
    assert event.changes["focus_areas"] == {"before": None, "after": [area.pk]}
    assert event.changes["partner_orgs"] == {"before": None, "after": [partners["other"].pk]}
    assert event.changes["sponsor"] == {"before": None, "after": users["leader"].pk}
    assert event.changes["voting_mode"]["after"] == "tokens"


@pytest.mark.parametrize("changes,field", [
    ({"focus_areas": []}, "focus_areas"),
    ({"idea_types": []}, "idea_types"),
    ({"audience": "partners", "partner_orgs": []}, "partner_orgs"),
    ({"token_budget": 0}, "token_budget"),
])
def test_challenge_form_refuses_what_a_challenge_cannot_do_without(client_for, users, changes,
                                                                   field):
    ch = new_challenge(users["manager"], title="Base", description="D")
    data = challenge_form_data(ch, title="Another")
    data.update(changes)
    client = client_for("manager")
    before = (Challenge.objects.count(), AuditEvent.objects.count())
    r = client.post("/challenges/new/", data)
    assert r.status_code == 400
    assert f'id="id_{field}_error"' in r.content.decode()
    assert (Challenge.objects.count(), AuditEvent.objects.count()) == before


def test_api_creates_and_shows_the_links(client_for, users, partners, types):
    manager = users["manager"]
    area = make_area(manager, "Energy of keeping food cold")
    r = api(client_for("manager"), "post", "/api/v1/challenges", {
        "title": "Cold chain", "description": "Use less energy.", "focus_area_ids": [area.pk],
        "sponsor_id": users["leader"].pk, "partner_org_ids": [partners["campus"].pk],
        "idea_type_ids": [types["process"].pk], "voting_mode": "tokens", "token_budget": 5})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["focus_areas"] == [{"id": area.pk, "title": area.title, "kind": "threat"}]
    assert body["focus_area_ids"] == [area.pk]
    assert body["sponsor"]["id"] == body["sponsor_id"] == users["leader"].pk
    assert body["partner_org_ids"] == [partners["campus"].pk]
    assert body["idea_type_ids"] == [types["process"].pk]
    assert (body["voting_mode"], body["token_budget"]) == ("tokens", 5)


def test_api_names_each_refused_link(client_for, users, types):
    manager = users["manager"]
    retired = make_area(manager, "Old worry")
    focus_actions.update_focus_area(manager, retired, status="retired")
    r = api(client_for("manager"), "post", "/api/v1/challenges", {
        "title": "T", "description": "D", "focus_area_ids": [retired.pk],
        "sponsor_id": users["partner"].pk, "audience": "partners", "token_budget": 0,
        "idea_type_ids": [987654]})
    assert r.status_code == 422
    fields = r.json()["error"]["fields"]
    assert "token_budget" in fields  # the schema refuses it before anything else
    r = api(client_for("manager"), "post", "/api/v1/challenges", {
        "title": "T", "description": "D", "focus_area_ids": [retired.pk],
        "sponsor_id": users["partner"].pk, "audience": "partners"})
    assert r.status_code == 422
    assert set(r.json()["error"]["fields"]) == {"focus_area_ids", "sponsor_id",
                                                "partner_org_ids"}
    assert not Challenge.objects.exists()


def test_editing_links_is_audited_field_by_field(client_for, users, challenge, partners):
    new_area = make_area(users["manager"], "Line automation")
    r = api(client_for("manager"), "patch", f"/api/v1/challenges/{challenge.pk}", {
        "focus_area_ids": [new_area.pk], "partner_org_ids": [partners["campus"].pk]})
    assert r.status_code == 200, r.content
    event = AuditEvent.objects.filter(verb="challenge.updated").get()
    old_area = FocusArea.objects.get(title="Less waste in operations")
    assert event.changes == {
        "focus_areas": {"before": [old_area.pk], "after": [new_area.pk]},
        "partner_orgs": {"before": [], "after": [partners["campus"].pk]}}


def test_voting_settings_are_fixed_once_someone_voted(client_for, users, idea):
    actions.toggle_vote(users["leader"], idea)
    r = api(client_for("manager"), "patch", f"/api/v1/challenges/{idea.challenge_id}",
            {"voting_mode": "tokens"})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "voting_started"
    assert Challenge.objects.get(pk=idea.challenge_id).voting_mode == "support"


def test_partners_only_challenge_reaches_invited_partners_not_employees(client_for, users,
                                                                        partners):
    ch = actions.open_challenge(users["manager"], new_challenge(
        users["manager"], title="Open call: proteins", description="With start-ups.",
        audience="partners", partner_orgs=[partners["campus"]]))
    assert client_for("partner").get(f"/challenges/{ch.pk}/").status_code == 200
    assert client_for("contributor").get(f"/challenges/{ch.pk}/").status_code == 404
    assert client_for("manager").get(f"/challenges/{ch.pk}/").status_code == 200


def test_challenge_page_shows_brief_why_we_ask_sponsor_and_partners(client_for, users,
                                                                    partners):
    manager = users["manager"]
    area = make_area(manager, "Plant-based meals")
    ch = actions.open_challenge(manager, new_challenge(
        manager, title="Open innovation", description="The **brief**.", focus_areas=[area],
        sponsor=users["leader"], partner_orgs=[partners["campus"], partners["other"]]))
    html = client_for("contributor").get(f"/challenges/{ch.pk}/").content.decode()
    assert "<h2>Brief</h2>" in html and "<strong>brief</strong>" in html
    assert "Why we ask" in html
    assert f'href="/strategy/focus-areas/{area.pk}/">Plant-based meals</a>' in html
    assert "Leader Person" in html
    assert "Campus Lab" in html and "Kestrel Packaging" in html
    assert "Simple support" in html
    assert "Export ideas" not in html and "Submission fields" not in html
    # A partner sees the challenge it is invited to, its own organisation only, and no links
    # into the strategy it may not read.
    html = client_for("partner").get(f"/challenges/{ch.pk}/").content.decode()
    assert "Campus Lab" in html and "Kestrel Packaging" not in html
    assert "Plant-based meals" in html and "/strategy/focus-areas/" not in html
    body = client_for("partner").get(f"/api/v1/challenges/{ch.pk}").json()
    assert body["partner_org_ids"] == [partners["campus"].pk]
    html = client_for("manager").get(f"/challenges/{ch.pk}/").content.decode()
    assert f'href="/challenges/{ch.pk}/export/"' in html
    assert f'href="/challenges/{ch.pk}/import/"' in html
    assert "Submission fields" in html


def _populate(manager, partners, size: int) -> Challenge:
    areas = [make_area(manager, f"Area {i}") for i in range(size)]
    orgs = [PartnerOrganisation.objects.create(name=f"Partner {i}", kind="startup",
                                               created_by=manager) for i in range(size)]
    IdeaType.ensure_defaults()
    ch = actions.open_challenge(manager, new_challenge(
        manager, title="Busy", description="D", focus_areas=areas, sponsor=manager,
        partner_orgs=orgs, idea_types=list(IdeaType.objects.all())))
    from seedbed.ideas.actions import types as type_actions

    for i in range(size):
        type_actions.add_custom_field(manager, challenge=ch, label=f"Question {i}",
                                      kind="short_text")
    return ch


@pytest.mark.parametrize("role,budget", [("manager", 10), ("contributor", 10)])
@pytest.mark.parametrize("size", [2, 12])
def test_challenge_page_costs_a_fixed_number_of_queries(client_for, users, partners, role,
                                                        budget, size,
                                                        django_assert_num_queries):
    ch = _populate(users["manager"], partners, size)
    client = client_for(role)
    client.get(f"/challenges/{ch.pk}/")  # warm the session
    with django_assert_num_queries(budget, info=f"{role} with {size} links"):
        assert client.get(f"/challenges/{ch.pk}/").status_code == 200
