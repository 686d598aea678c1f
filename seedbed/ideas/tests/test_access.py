"""Who may see which challenge and idea, and who may run challenges."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions
from seedbed.ideas.models import Challenge, Idea
from seedbed.ideas.tests.helpers import api
from tests.support import new_challenge


@pytest.fixture
def targeted(users, org):
    """An open challenge for Operations (and so Plant Leeds below it), with one idea."""
    ch = new_challenge(users["manager"], title="Line uptime",
                                  description="Fewer stoppages.", audience="units",
                                  units=[org["ops"]])
    actions.open_challenge(users["manager"], ch)
    idea = actions.submit_idea(users["contributor"], ch, title="Predictive oiling",
                               description="Sensors on bearings.")
    return ch, idea


@pytest.fixture
def sales_person(org):
    return User.objects.create_user("sales.rep@example.test", PASSWORD, full_name="Sales Rep",
                                    role="contributor", org_unit=org["sales"])


def client_of(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_member_of_a_targeted_sub_unit_sees_and_joins_the_challenge(client_for, targeted):
    ch, idea = targeted
    c = client_for("contributor")  # in Plant Leeds, under Operations
    assert "Line uptime" in c.get("/challenges/").content.decode()
    assert c.get(f"/challenges/{ch.pk}/").status_code == 200
    assert c.get(f"/ideas/{idea.pk}/").status_code == 200
    assert c.get(f"/api/v1/challenges/{ch.pk}").json()["unit_ids"] == list(
        ch.units.values_list("pk", flat=True))
    r = api(c, "post", f"/api/v1/challenges/{ch.pk}/ideas", {"title": "T", "description": "D"})
    assert r.status_code == 201


def test_people_outside_the_targeted_units_see_nothing_of_it(targeted, sales_person):
    ch, idea = targeted
    c = client_of(sales_person)
    assert "Line uptime" not in c.get("/challenges/").content.decode()
    assert c.get(f"/challenges/{ch.pk}/").status_code == 404
    assert c.get(f"/ideas/{idea.pk}/").status_code == 404
    assert "Predictive oiling" not in c.get("/ideas/").content.decode()
    assert c.get(f"/api/v1/challenges/{ch.pk}").status_code == 404
    assert c.get(f"/api/v1/ideas/{idea.pk}").status_code == 404
    assert c.get("/api/v1/ideas").json()["count"] == 0
    assert c.get("/api/v1/challenges").json()["count"] == 0
    before = (Idea.objects.count(), AuditEvent.objects.count())
    assert c.post(f"/challenges/{ch.pk}/ideas/new/",
                  {"title": "T", "description": "D"}).status_code == 404
    assert api(c, "post", f"/api/v1/ideas/{idea.pk}/vote").status_code == 404
    assert api(c, "post", f"/api/v1/ideas/{idea.pk}/comments",
               {"body": "hi"}).status_code == 404
    assert (Idea.objects.count(), AuditEvent.objects.count()) == before


def test_person_without_a_unit_sees_only_whole_organisation_challenges(org, targeted, challenge):
    loner = User.objects.create_user("loner@example.test", PASSWORD, full_name="Lo Ner",
                                     role="contributor")
    titles = [c["title"] for c in client_of(loner).get("/api/v1/challenges").json()["items"]]
    assert titles == ["Cut packaging waste"]


@pytest.mark.parametrize("role", ["admin", "manager", "leader", "auditor"])
def test_people_who_oversee_see_every_targeted_challenge(client_for, targeted, role):
    ch, idea = targeted
    c = client_for(role)
    assert c.get(f"/challenges/{ch.pk}/").status_code == 200
    assert c.get(f"/ideas/{idea.pk}/").status_code == 200


def test_partner_sees_no_internal_challenge(client_for, targeted, challenge, idea):
    c = client_for("partner")
    assert c.get("/api/v1/challenges").json()["count"] == 0
    assert c.get(f"/challenges/{challenge.pk}/").status_code == 404
    assert c.get(f"/ideas/{idea.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["leader", "auditor", "evaluator", "contributor", "partner"])
def test_drafts_are_hidden_from_all_but_those_who_run_the_ims(client_for, users, role):
    draft = new_challenge(users["manager"], title="Secret draft", description="...")
    c = client_for(role)
    assert c.get(f"/challenges/{draft.pk}/").status_code == 404
    assert "Secret draft" not in c.get("/challenges/").content.decode()
    assert c.get(f"/api/v1/challenges/{draft.pk}").status_code == 404


@pytest.mark.parametrize("role", ["leader", "evaluator", "contributor", "partner", "auditor"])
def test_only_those_who_run_the_ims_create_open_or_close_challenges(client_for, users,
                                                                   challenge, role):
    draft = new_challenge(users["manager"], title="Draft", description="Later.")
    c = client_for(role)
    before = (Challenge.objects.count(), AuditEvent.objects.count())

    assert c.get("/challenges/new/").status_code == 403
    assert c.post("/challenges/new/", {"title": "Mine", "description": "D",
                                       "audience": "organisation"}).status_code == 403
    assert c.post(f"/challenges/{draft.pk}/open/").status_code == 403
    assert c.post(f"/challenges/{draft.pk}/schedule/").status_code == 403
    assert c.post(f"/challenges/{challenge.pk}/close/").status_code == 403
    assert c.get(f"/challenges/{challenge.pk}/edit/").status_code == 403
    for method, url, body in [
        ("post", "/api/v1/challenges", {"title": "Mine", "description": "D",
                                        "focus_area_ids": [challenge.focus_areas.get().pk]}),
        ("post", f"/api/v1/challenges/{draft.pk}/schedule", None),
        ("post", f"/api/v1/challenges/{draft.pk}/open", None),
        ("post", f"/api/v1/challenges/{challenge.pk}/close", None),
        ("patch", f"/api/v1/challenges/{challenge.pk}", {"title": "Mine"}),
    ]:
        r = api(c, method, url, body)
        assert r.status_code == 403, url
        assert r.json()["error"]["code"] == "forbidden"

    assert (Challenge.objects.count(), AuditEvent.objects.count()) == before
    draft.refresh_from_db()
    challenge.refresh_from_db()
    assert (draft.status, challenge.status, challenge.title) == ("draft", "open",
                                                                "Cut packaging waste")


def test_challenge_page_offers_management_buttons_only_to_managers(client_for, challenge):
    manager_page = client_for("manager").get(f"/challenges/{challenge.pk}/").content.decode()
    assert f"/challenges/{challenge.pk}/close/" in manager_page
    page = client_for("contributor").get(f"/challenges/{challenge.pk}/").content.decode()
    assert f"/challenges/{challenge.pk}/close/" not in page
    assert f"/challenges/{challenge.pk}/edit/" not in page
    assert "/challenges/new/" not in client_for("contributor").get(
        "/challenges/").content.decode()


def test_auditor_reads_but_cannot_take_part(client_for, challenge, idea):
    c = client_for("auditor")
    assert c.get(f"/ideas/{idea.pk}/").status_code == 200
    before = AuditEvent.objects.count()
    assert c.post(f"/ideas/{idea.pk}/vote/").status_code == 403
    assert c.post(f"/ideas/{idea.pk}/comments/", {"body": "x"}).status_code == 403
    assert c.get(f"/challenges/{challenge.pk}/ideas/new/").status_code == 403
    assert api(c, "post", f"/api/v1/ideas/{idea.pk}/vote").status_code == 403
    assert AuditEvent.objects.count() == before
    assert "Share an idea" not in c.get(f"/challenges/{challenge.pk}/").content.decode()


def test_unknown_ids_are_404_not_500(client_for, db):
    c = client_for("manager")
    assert c.get("/challenges/999999/").status_code == 404
    assert c.get("/ideas/999999/").status_code == 404
    r = c.get("/api/v1/ideas/999999")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_draft_filter_is_offered_only_to_those_who_see_drafts(client_for, challenge):
    assert "?status=draft" in client_for("manager").get("/challenges/").content.decode()
    page = client_for("contributor").get("/challenges/").content.decode()
    assert "?status=draft" not in page
    assert "?status=open" in page
