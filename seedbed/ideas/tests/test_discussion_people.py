"""Co-creation: experts found by competency, contributor profiles, and the pages' query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from seedbed import policy
from seedbed.accounts.models import Competency, User
from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions
from seedbed.ideas.models import CoAuthor, ExpertInvitation, Idea
from seedbed.ideas.tests.helpers import api
from tests.support import assert_error_body, new_challenge


@pytest.fixture
def told_events(monkeypatch):
    from seedbed.notifications import dispatch

    seen: list[dict] = []
    monkeypatch.setattr(dispatch, "handle", seen.append)
    return seen


@pytest.fixture
def packaging(db):
    return Competency.objects.create(name="Packaging engineering")


@pytest.fixture
def experts(users, org, packaging):
    """Three holders of the competency: a colleague in Sales (sees the whole-organisation
    challenge), the evaluator, and the partner (never offered: not an employee)."""
    sales = User.objects.create_user("priya.shah@example.test", "x" * 12, full_name="Priya Shah",
                                     role=policy.CONTRIBUTOR, org_unit=org["sales"],
                                     job_title="Packaging technologist")
    for person in (sales, users["evaluator"], users["partner"]):
        person.competencies.add(packaging)
    return {"sales": sales}


def test_author_finds_experts_by_competency_and_invites_one(
        client_for, users, idea, packaging, experts, told_events,
        django_capture_on_commit_callbacks):
    c = client_for("contributor")
    url = reverse("ideas:idea_experts", args=[idea.pk])
    r = c.get(url, {"competency": packaging.pk})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Priya Shah" in html and "Evaluator Person" in html
    assert "Partner Person" not in html  # partners are never offered as experts
    assert "@priya.shah" in html
    r = c.get(url, {"competency": packaging.pk}, headers={"HX-Request": "true"})
    assert r.content.decode().lstrip().startswith('<div id="expert-results"')

    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("ideas:idea_expert_invite", args=[idea.pk]), {
            "expert_id": experts["sales"].pk, "competency_id": packaging.pk,
            "message": "You ran the tray trials."})
    assert r.status_code == 302
    invitation = ExpertInvitation.objects.get()
    assert (invitation.expert, invitation.competency, invitation.invited_by) == (
        experts["sales"], packaging, users["contributor"])
    assert AuditEvent.objects.filter(verb="expert.invited").count() == 1
    assert [(e["event"], e["recipient_ids"]) for e in told_events
            if e["event"] == "expert.invited"] == [("expert.invited", [experts["sales"].pk])]
    page = c.get(idea.get_absolute_url()).content.decode()
    experts_part = page.split('id="experts"', 1)[1]
    assert "Priya Shah" in experts_part and "Packaging engineering" in experts_part
    # Once invited, a person is no longer offered.
    assert "Priya Shah" not in c.get(url, {"competency": packaging.pk}).content.decode()


def test_a_confidential_idea_offers_only_people_who_may_see_it(client_for, users, idea,
                                                               packaging, experts):
    Idea.objects.filter(pk=idea.pk).update(confidential=True)
    users["manager"].competencies.add(packaging)
    r = client_for("contributor").get(
        f"/api/v1/ideas/{idea.pk}/expert-candidates?competency_id={packaging.pk}")
    assert r.status_code == 200
    assert [p["full_name"] for p in r.json()] == ["Manager Person"]
    refused = api(client_for("contributor"), "post", f"/api/v1/ideas/{idea.pk}/experts",
                  {"expert_id": experts["sales"].pk})
    assert assert_error_body(refused, 422)["fields"] == {
        "expert_id": ["This person cannot see the idea, so they cannot be invited."]}
    assert not ExpertInvitation.objects.exists()


def test_only_authors_and_managers_invite_experts(client_for, users, idea, experts, packaging):
    body = {"expert_id": experts["sales"].pk, "competency_id": packaging.pk}
    url = f"/api/v1/ideas/{idea.pk}/experts"
    for role in ("leader", "evaluator"):
        assert_error_body(api(client_for(role), "post", url, body), 403, "forbidden")
        assert client_for(role).get(reverse("ideas:idea_experts", args=[idea.pk])) \
            .status_code == 403
    assert_error_body(api(client_for("partner"), "post", url, body), 404)
    assert_error_body(api(client_for("auditor"), "post", url, body), 403)
    made = api(client_for("manager"), "post", url, {**body, "message": "Please look"})
    assert made.status_code == 201
    assert made.json()["expert"]["handle"] == "priya.shah"
    assert made.json()["competency"] == {"id": packaging.pk, "name": "Packaging engineering"}
    assert_error_body(api(client_for("contributor"), "post", url, body), 409, "already_invited")
    listed = client_for("auditor").get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["expert"]["id"] == experts["sales"].pk
    # A partner co-author is not an inviter either: the search would list internal people.
    CoAuthor.objects.create(idea=idea, user=users["partner"], invited_by=users["contributor"],
                            status=CoAuthor.Status.ACCEPTED)
    assert_error_body(client_for("partner").get(
        f"/api/v1/ideas/{idea.pk}/expert-candidates"), 403)


def test_bad_expert_input_is_refused(client_for, idea, experts, packaging):
    c = client_for("contributor")
    url = f"/api/v1/ideas/{idea.pk}/experts"
    before = AuditEvent.objects.count()
    for body, status in (({"expert_id": 987654}, 422), ({"expert_id": 0}, 422),
                         ({"expert_id": experts["sales"].pk, "competency_id": 987654}, 422),
                         ({"expert_id": experts["sales"].pk, "message": "x" * 501}, 422),
                         ({"expert_id": experts["sales"].pk, "message": "a\x00"}, 422),
                         ({}, 422)):
        assert_error_body(api(c, "post", url, body), status)
    # Someone who does not hold the competency named.
    other = Competency.objects.create(name="Sensory science")
    r = api(c, "post", url, {"expert_id": experts["sales"].pk, "competency_id": other.pk})
    assert assert_error_body(r, 422)["fields"] == {
        "competency_id": ["This person does not hold that competency."]}
    assert_error_body(c.get(f"/api/v1/ideas/{idea.pk}/expert-candidates?competency_id=987654"),
                      404)
    r = c.post(reverse("ideas:idea_expert_invite", args=[idea.pk]), {"expert_id": "987654"})
    assert r.status_code == 400
    assert AuditEvent.objects.count() == before and not ExpertInvitation.objects.exists()


# --- Profiles -----------------------------------------------------------------------------------


@pytest.fixture
def contributions(users, challenge, idea):
    """The contributor's open idea (the fixture), a confidential one, a comment on each, and a
    co-authored idea of the leader."""
    secret = actions.submit_idea(users["contributor"], challenge, title="Secret recipe",
                                 description="Keep this quiet.")
    Idea.objects.filter(pk=secret.pk).update(confidential=True)
    actions.add_comment(users["contributor"], idea, body="Adding the costs.")
    actions.add_comment(users["contributor"], secret, body="Confidential numbers.")
    shared = actions.submit_idea(users["leader"], challenge, title="Shared pallets",
                                 description="With the neighbours.")
    CoAuthor.objects.create(idea=shared, user=users["contributor"], invited_by=users["leader"],
                            status=CoAuthor.Status.ACCEPTED)
    return {"idea": idea, "secret": secret, "shared": shared}


def test_profile_shows_only_what_the_viewer_may_see(client_for, users, contributions):
    url = reverse("ideas:person_detail", args=[users["contributor"].pk])
    colleague = client_for("evaluator").get(url)
    assert colleague.status_code == 200
    html = colleague.content.decode()
    assert "Reusable crates" in html and "Shared pallets" in html and "Adding the costs." in html
    assert "Secret recipe" not in html and "Confidential numbers." not in html
    assert "1 idea · 1 co-authored · 1 comment" in html
    assert "@contributor" in html and "Plant Leeds" in html
    manager = client_for("manager").get(url).content.decode()
    assert "Secret recipe" in manager and "Confidential numbers." in manager
    assert "2 ideas · 1 co-authored · 2 comments" in manager

    data = client_for("evaluator").get(f"/api/v1/people/{users['contributor'].pk}").json()
    assert data["handle"] == "contributor" and data["org_unit"] == "Plant Leeds"
    assert data["counts"] == {"ideas": 1, "coauthored": 1, "comments": 1}
    assert [i["title"] for i in data["ideas"]] == ["Reusable crates"]
    assert [i["title"] for i in data["coauthored"]] == ["Shared pallets"]
    assert [c["idea_title"] for c in data["comments"]] == ["Reusable crates"]


def test_partners_open_only_profiles_of_people_they_have_met(client_for, users, contributions):
    partner = client_for("partner")
    contributor = users["contributor"]
    assert partner.get(reverse("ideas:person_detail", args=[contributor.pk])).status_code == 404
    assert_error_body(partner.get(f"/api/v1/people/{contributor.pk}"), 404, "not_found")
    # Invited to a challenge where the contributor takes part: now they have met.
    manager = users["manager"]
    lab = actions.open_challenge(manager, new_challenge(
        manager, title="Open lab", description="With partners.",
        partner_orgs=[users["partner"].partner_org]))
    joint = actions.submit_idea(users["partner"], lab, title="Edible film",
                                description="From the lab.")
    actions.add_comment(contributor, joint, body="Shelf life?")
    html = partner.get(reverse("ideas:person_detail", args=[contributor.pk])).content.decode()
    assert "Shelf life?" in html and "Edible film" in html
    # Nothing internal: the ideas and comments outside the partner's challenge, the unit.
    for internal in ("Reusable crates", "Shared pallets", "Adding the costs.", "Plant Leeds",
                     "Secret recipe"):
        assert internal not in html, internal
    data = partner.get(f"/api/v1/people/{contributor.pk}").json()
    assert data["org_unit"] is None and data["job_title"] is None
    assert data["counts"] == {"ideas": 0, "coauthored": 0, "comments": 1}
    # Someone they have never met stays hidden.
    assert partner.get(reverse("ideas:person_detail", args=[users["evaluator"].pk])) \
        .status_code == 404


def test_unknown_people_are_404(client_for):
    c = client_for("contributor")
    assert c.get("/people/987654/").status_code == 404
    assert_error_body(c.get("/api/v1/people/987654"), 404)
    assert_error_body(c.get("/api/v1/people/99999999999999999999"), 404)


# --- Query counts -------------------------------------------------------------------------------


def _grow(users, challenge, idea, n: int) -> None:
    people = [users[r] for r in ("contributor", "evaluator", "manager", "leader")]
    competency = Competency.objects.create(name=f"Skill {n}")
    for k in range(n):
        person = people[k % len(people)]
        top = actions.add_comment(person, idea, body=f"Thread {k} @evaluator @manager")
        for j in range(2):
            actions.add_comment(people[(k + j + 1) % len(people)], idea,
                                body=f"Reply {k}.{j} @leader", parent_id=top.pk)
        other = actions.submit_idea(person, challenge, title=f"Idea {n}-{k}", description="x")
        actions.add_comment(users["contributor"], other, body="Me too")
        expert = User.objects.create_user(f"expert{n}-{k}@example.test", "x" * 12,
                                          full_name=f"Expert {k}", role=policy.CONTRIBUTOR)
        expert.competencies.add(competency)
        actions.invite_expert(users["manager"], idea, expert=expert, competency=competency)
        users["contributor"].competencies.add(competency)


@pytest.mark.parametrize(("page", "role"), [
    # The whole idea page (every area's part) as an author and as a manager (who may invite
    # experts), and the profile page: the count must not move between the two sizes.
    ("idea", "contributor"),
    ("idea", "manager"),
    ("profile", "evaluator"),
    ("profile", "partner"),
])
def test_pages_cost_the_same_queries_at_two_sizes(page, role, users, challenge, idea):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(users[role])
    url = (idea.get_absolute_url() if page == "idea"
           else reverse("ideas:person_detail", args=[users["contributor"].pk]))
    counts = []
    for n in (2, 8):
        _grow(users, challenge, idea, n)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == (404 if (page, role) == ("profile", "partner") else 200)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], f"{page} as {role}: {counts}"


def test_idea_page_discussion_queries_are_pinned(users, challenge, idea,
                                                 django_assert_num_queries):
    """The discussion's own share of the idea page: six queries whatever the size."""
    from seedbed.ideas.views.discussion import detail_context

    class Request:
        user = users["contributor"]

    for n in (2, 8):
        _grow(users, challenge, idea, n)
        idea.refresh_from_db()
        with django_assert_num_queries(6):
            context = detail_context(Request, idea)
            for thread in context["threads"]:
                for reply in thread.replies.all():
                    list(reply.mentions.all())
                list(thread.mentions.all())
        assert sum(1 + len(t.replies.all()) for t in context["threads"]) == idea.comment_count


def test_profile_page_queries_are_pinned(users, challenge, idea, django_assert_num_queries):
    client = Client()
    client.force_login(users["evaluator"])
    url = reverse("ideas:person_detail", args=[users["contributor"].pk])
    client.get(url)
    for n in (2, 8):
        _grow(users, challenge, idea, n)
        # session, user, person, org unit (visibility), competencies, 3 lists, 3 counts, and
        # the layout's unread-notifications bell
        with django_assert_num_queries(12):
            assert client.get(url).status_code == 200
