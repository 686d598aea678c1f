"""Ideas: drafts and submission, focus-area ideas, edits with versions, co-authors, tags,
confidentiality and counters, status and evaluators (through the pages and the API)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from seedbed import policy
from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions
from seedbed.ideas.models import Challenge, CoAuthor, Idea, IdeaType, IdeaVersion, Tag
from seedbed.notifications import events
from seedbed.strategy.models import FocusArea


@pytest.fixture
def emitted(monkeypatch):
    """The events actions announce (name, recipients' ids), captured at emit time."""
    seen = []

    def capture(event, **kwargs):
        seen.append((event, [u.pk for u in kwargs.get("recipients") or []]))

    monkeypatch.setattr(events, "emit", capture)
    return seen


def api(client, method, url, body=None):
    return getattr(client, method)(url, data=json.dumps(body) if body is not None else None,
                                   content_type="application/json")


def counters(challenge) -> tuple[int, int]:
    challenge.refresh_from_db()
    return challenge.idea_count, challenge.public_idea_count


# --- Draft and submit -------------------------------------------------------------------------


def test_draft_is_private_uncounted_and_silent_until_submitted(client_for, users, challenge,
                                                               emitted):
    author = client_for("contributor")
    response = author.post(reverse("ideas:idea_create", args=[challenge.pk]), {
        "title": "Crate deposit", "description": "A deposit per crate.", "tags": "Crates, Retail",
        "save": "draft"})
    assert response.status_code == 302
    idea = Idea.objects.get(title="Crate deposit")
    assert idea.status == Idea.Status.DRAFT and idea.submitted_at is None
    assert counters(challenge) == (0, 0) and emitted == []
    assert AuditEvent.objects.filter(verb="idea.drafted", object_id=str(idea.pk)).exists()
    for role in ("manager", "leader", "evaluator", "auditor"):
        assert client_for(role).get(idea.get_absolute_url()).status_code == 404, role
    assert author.get(idea.get_absolute_url()).status_code == 200

    response = author.post(reverse("ideas:idea_submit", args=[idea.pk]))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED and idea.submitted_at is not None
    assert counters(challenge) == (1, 1)
    assert [e for e, _ in emitted] == [events.IDEA_SUBMITTED]
    assert client_for("leader").get(idea.get_absolute_url()).status_code == 200
    # Submitting twice is refused and counts nothing more.
    author.post(reverse("ideas:idea_submit", args=[idea.pk]))
    assert counters(challenge) == (1, 1)


def test_submission_needs_an_open_challenge_and_a_type_it_accepts(client_for, users, challenge):
    actions.close_challenge(users["manager"], challenge)
    response = client_for("contributor").post(
        reverse("ideas:idea_create", args=[challenge.pk]),
        {"title": "Late", "description": "Too late.", "save": "submit"})
    assert response.status_code == 400 and b"not accepting ideas" in response.content
    assert not Idea.objects.filter(title="Late").exists()


def test_type_is_required_when_the_challenge_takes_several(client_for, users, challenge):
    IdeaType.ensure_defaults()
    challenge.idea_types.set(IdeaType.objects.filter(code__in=["product", "process"]))
    client = client_for("contributor")
    url = reverse("ideas:idea_create", args=[challenge.pk])
    form = client.get(url).content.decode()
    assert 'name="idea_type"' in form and "Business model" not in form
    response = client.post(url, {"title": "T", "description": "D", "save": "submit"})
    assert response.status_code == 400 and not Idea.objects.exists()
    process = IdeaType.objects.get(code="process")
    client.post(url, {"title": "T", "description": "D", "idea_type": process.pk,
                      "save": "submit"})
    assert Idea.objects.get().idea_type == process


def test_idea_against_a_focus_area_outside_any_challenge(client_for, users, challenge):
    area = FocusArea.objects.get(title="Less waste in operations")
    product = IdeaType.objects.get(code="product")
    client = client_for("evaluator")
    assert client.get(reverse("ideas:idea_create_focus")).status_code == 200
    url = reverse("ideas:idea_create_focus") + f"?focus_area={area.pk}"
    response = client.post(url, {"title": "Re-use trim", "description": "Trim into soup.",
                                 "idea_type": product.pk, "save": "submit"})
    assert response.status_code == 302
    idea = Idea.objects.get(title="Re-use trim")
    assert idea.challenge is None and idea.focus_area == area and idea.status == "submitted"
    page = client_for("contributor").get(idea.get_absolute_url()).content.decode()
    assert "Less waste in operations" in page and "outside any challenge" in page
    # Partners take part only in challenges: the focus area does not exist for them.
    assert client_for("partner").get(url).status_code == 404
    assert client_for("partner").get(idea.get_absolute_url()).status_code == 404

    made = api(client_for("contributor"), "post", f"/api/v1/focus-areas/{area.pk}/ideas",
               {"title": "Peel compost", "description": "On site.", "idea_type_id": product.pk})
    assert made.status_code == 201, made.content
    assert made.json()["focus_area_id"] == area.pk and made.json()["challenge_id"] is None
    area.status = FocusArea.Status.RETIRED
    area.save(update_fields=["status"])
    refused = api(client_for("contributor"), "post", f"/api/v1/focus-areas/{area.pk}/ideas",
                  {"title": "Late", "description": "x", "idea_type_id": product.pk})
    assert refused.status_code == 422 and "focus_area" in refused.json()["error"]["fields"]


# --- Edit with versions -----------------------------------------------------------------------


def test_edit_creates_a_version_with_an_audited_diff_and_history_shows_it(client_for, idea):
    client = client_for("contributor")
    response = client.post(reverse("ideas:idea_edit", args=[idea.pk]), {
        "title": "Reusable crates <script>alert(1)</script>",
        "description": "Swap cardboard for returnable crates.\n\nPilot with one retailer.",
        "tags": "crates"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.version == 2
    assert list(idea.versions.values_list("number", flat=True)) == [2, 1]
    event = AuditEvent.objects.filter(verb="idea.updated").get()
    assert set(event.changes) == {"title", "description", "tags", "version"}
    assert event.changes["version"] == {"before": 1, "after": 2}
    history = client_for("auditor").get(reverse("ideas:idea_history", args=[idea.pk]))
    html = history.content.decode()
    assert history.status_code == 200
    assert "Pilot with one retailer." in html and 'class="diff-added"' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    # Saving without a change is no new version.
    client.post(reverse("ideas:idea_edit", args=[idea.pk]), {
        "title": idea.title, "description": idea.description, "tags": "crates"})
    idea.refresh_from_db()
    assert idea.version == 2
    diff = client_for("auditor").get(f"/api/v1/ideas/{idea.pk}/versions/diff").json()
    assert diff["from_version"] == 1 and diff["to_version"] == 2
    assert any(line["kind"] == "added" for line in diff["lines"])


@pytest.mark.parametrize("role", ["leader", "evaluator", "auditor"])
def test_only_authors_and_managers_edit(role, client_for, idea):
    status = 403 if role != "auditor" else 403
    assert client_for(role).get(reverse("ideas:idea_edit", args=[idea.pk])).status_code \
        == status
    assert client_for(role).patch(f"/api/v1/ideas/{idea.pk}", '{"title": "Mine"}',
                                  content_type="application/json").status_code == 403
    idea.refresh_from_db()
    assert idea.title == "Reusable crates" and idea.version == 1


def test_manager_edits_through_the_api(client_for, idea):
    response = api(client_for("manager"), "patch", f"/api/v1/ideas/{idea.pk}",
                   {"description": "Clarified by the innovation team."})
    assert response.status_code == 200 and response.json()["version"] == 2
    assert IdeaVersion.objects.get(idea=idea, number=2).edited_by.role == "manager"


# --- Co-authors -------------------------------------------------------------------------------


def test_coauthors_are_invited_by_e_mail_address_and_the_action_decides_who_may(
        client_for, users, idea):
    author = client_for("contributor")
    url = reverse("ideas:coauthor_invite", args=[idea.pk])
    # The page asks for an address: no list of every colleague on the idea page.
    page = author.get(idea.get_absolute_url()).content.decode()
    assert 'name="user"' in page and "<select" not in page.split('name="user"')[0][-200:]
    response = author.post(url, {"user": "  LEADER@example.test "}, follow=True)
    assert CoAuthor.objects.filter(idea=idea, user=users["leader"], status="invited").exists()
    assert "is invited to co-author" in response.content.decode()
    # An address nobody has, and a person who may not co-author (an auditor): nothing stored.
    response = author.post(url, {"user": "nobody@example.test"}, follow=True)
    assert "Nobody with that e-mail address uses Seedbed." in response.content.decode()
    response = author.post(url, {"user": users["auditor"].email}, follow=True)
    assert "cannot co-author this idea" in response.content.decode()
    assert set(CoAuthor.objects.filter(idea=idea).values_list("user__role", flat=True)) == {
        "leader"}


def test_invited_coauthor_accepts_and_becomes_an_author(client_for, users, idea, emitted):
    author = client_for("contributor")
    response = author.post(reverse("ideas:coauthor_invite", args=[idea.pk]),
                           {"user": users["leader"].pk})
    assert response.status_code == 302
    invitation = CoAuthor.objects.get(idea=idea, user=users["leader"])
    assert invitation.status == "invited"
    assert emitted == [(events.COAUTHOR_INVITED, [users["leader"].pk])]
    leader = client_for("leader")
    assert "Food" not in leader.get(reverse("ideas:invitations")).content.decode()
    assert idea.title in leader.get(reverse("ideas:invitations")).content.decode()
    assert leader.get(reverse("ideas:idea_edit", args=[idea.pk])).status_code == 403
    # Only the invitee may answer.
    assert client_for("evaluator").post(
        reverse("ideas:coauthor_accept", args=[invitation.pk])).status_code == 404
    assert leader.post(reverse("ideas:coauthor_accept", args=[invitation.pk])).status_code \
        == 302
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.responded_at is not None
    assert leader.get(reverse("ideas:idea_edit", args=[idea.pk])).status_code == 200
    page = client_for("auditor").get(idea.get_absolute_url()).content.decode()
    assert "Leader Person" in page
    # Answering twice is a conflict through the API.
    again = leader.post(f"/api/v1/coauthor-invitations/{invitation.pk}/decline")
    assert again.status_code == 409


def test_coauthor_of_a_confidential_idea_sees_it_once_invited(client_for, users, challenge):
    idea = actions.submit_idea(users["contributor"], challenge, title="Secret recipe",
                               description="x", confidential=True)
    assert client_for("evaluator").get(idea.get_absolute_url()).status_code == 404
    response = api(client_for("contributor"), "post", f"/api/v1/ideas/{idea.pk}/coauthors",
                   {"user_id": users["evaluator"].pk})
    assert response.status_code == 201
    invitation_id = response.json()["id"]
    pending = client_for("evaluator").get("/api/v1/coauthor-invitations").json()
    assert [i["idea_id"] for i in pending["items"]] == [idea.pk]
    assert client_for("evaluator").post(
        f"/api/v1/coauthor-invitations/{invitation_id}/accept").status_code == 200
    assert client_for("evaluator").get(idea.get_absolute_url()).status_code == 200
    edit = api(client_for("evaluator"), "patch", f"/api/v1/ideas/{idea.pk}", {"tags": ["ip"]})
    assert edit.status_code == 200 and edit.json()["tags"] == ["ip"]


def test_partners_cannot_be_invited_to_an_internal_idea(client_for, users, idea):
    response = api(client_for("contributor"), "post", f"/api/v1/ideas/{idea.pk}/coauthors",
                   {"user_id": users["partner"].pk})
    assert response.status_code == 422 and not CoAuthor.objects.exists()
    self_invite = api(client_for("contributor"), "post", f"/api/v1/ideas/{idea.pk}/coauthors",
                      {"user_id": users["contributor"].pk})
    assert self_invite.status_code == 422


def test_partner_invites_a_colleague_of_the_same_organisation(users, challenge):
    from seedbed.accounts.models import User

    challenge.partner_orgs.add(users["partner"].partner_org)
    colleague = User.objects.create_user("colleague@campus.test", "x" * 12, full_name="Col",
                                         role=policy.PARTNER,
                                         partner_org=users["partner"].partner_org)
    idea = actions.submit_idea(users["partner"], challenge, title="Lab test", description="x")
    invitation = actions.invite_coauthor(users["partner"], idea, colleague)
    assert invitation.status == "invited"


# --- Tags -------------------------------------------------------------------------------------


def test_tags_are_normalised_reused_and_limited(client_for, users, challenge):
    client = client_for("contributor")
    url = f"/api/v1/challenges/{challenge.pk}/ideas"
    first = api(client, "post", url, {"title": "A", "description": "x",
                                      "tags": ["  Packaging ", "packaging", "Zero  Waste"]})
    assert first.status_code == 201 and first.json()["tags"] == ["packaging", "zero waste"]
    second = api(client, "post", url, {"title": "B", "description": "x", "tags": ["PACKAGING"]})
    assert second.json()["tags"] == ["packaging"]
    assert Tag.objects.filter(name="packaging").count() == 1
    for bad in (["x" * 41], [f"t{n}" for n in range(11)], ["<b>"]):
        response = api(client, "post", url, {"title": "C", "description": "x", "tags": bad})
        assert response.status_code == 422 and "tags" in response.json()["error"]["fields"]
    assert not Idea.objects.filter(title="C").exists()


# --- Confidentiality and counters -------------------------------------------------------------


def test_confidential_flag_keeps_counters_exact(client_for, users, challenge):
    client = client_for("contributor")
    made = api(client, "post", f"/api/v1/challenges/{challenge.pk}/ideas",
               {"title": "Formula", "description": "x", "confidential": True})
    assert made.status_code == 201
    idea_id = made.json()["id"]
    assert counters(challenge) == (1, 0)
    page = client.get(reverse("ideas:idea_detail", args=[idea_id])).content.decode()
    assert "Confidential: visible to its authors, innovation managers, leaders and assigned " \
           "evaluators" in page
    for role, sees in (("manager", 200), ("leader", 200), ("evaluator", 404), ("auditor", 404),
                       ("partner", 404)):
        assert client_for(role).get(f"/api/v1/ideas/{idea_id}").status_code == sees, role
    api(client, "patch", f"/api/v1/ideas/{idea_id}", {"confidential": False})
    assert counters(challenge) == (1, 1)
    api(client, "patch", f"/api/v1/ideas/{idea_id}", {"confidential": True})
    assert counters(challenge) == (1, 0)
    # Status changes leave the counters alone.
    manager = client_for("manager")
    for status in ("under_review", "parked", "under_review", "selected"):
        response = api(manager, "post", f"/api/v1/ideas/{idea_id}/status",
                       {"status": status, "reason": "Review meeting."})
        assert response.status_code == 200, response.content
    assert counters(challenge) == (1, 0)
    # A confidential draft is counted nowhere, and counted right when submitted.
    draft = actions.create_idea(users["contributor"], challenge=challenge, title="D",
                                description="x", confidential=True, draft=True)
    assert counters(challenge) == (1, 0)
    actions.submit_draft(users["contributor"], draft)
    assert counters(challenge) == (2, 0)


def test_assigned_evaluator_sees_a_confidential_idea(client_for, users, challenge):
    idea = actions.submit_idea(users["contributor"], challenge, title="Formula",
                               description="x", confidential=True)
    evaluator = client_for("evaluator")
    assert evaluator.get(idea.get_absolute_url()).status_code == 404
    response = api(client_for("manager"), "put", f"/api/v1/ideas/{idea.pk}/evaluators",
                   {"user_ids": [users["evaluator"].pk]})
    assert response.status_code == 200
    assert evaluator.get(idea.get_absolute_url()).status_code == 200
    wrong = api(client_for("manager"), "put", f"/api/v1/ideas/{idea.pk}/evaluators",
                {"user_ids": [users["contributor"].pk]})
    assert wrong.status_code == 422
    assert list(idea.evaluators.all()) == [users["evaluator"]]


def test_setting_evaluators_keeps_scorecard_evaluators_of_other_roles(client_for, users, idea):
    """The evaluator list owns the people with the evaluator role; someone of another role whom
    a manager assigned to score the idea on its scorecard stays assigned when it is saved."""
    idea.evaluators.add(users["leader"])
    response = api(client_for("manager"), "put", f"/api/v1/ideas/{idea.pk}/evaluators",
                   {"user_ids": [users["evaluator"].pk]})
    assert response.status_code == 200
    assert set(idea.evaluators.all()) == {users["evaluator"], users["leader"]}
    api(client_for("manager"), "put", f"/api/v1/ideas/{idea.pk}/evaluators", {"user_ids": []})
    assert list(idea.evaluators.all()) == [users["leader"]]


# --- Status -----------------------------------------------------------------------------------


def test_manager_changes_status_with_a_reason(client_for, idea, emitted):
    manager = client_for("manager")
    url = reverse("ideas:idea_status", args=[idea.pk])
    assert manager.post(url, {"status": "under_review", "reason": ""}).status_code == 400
    assert manager.post(url, {"status": "selected", "reason": "Skip review"}).status_code == 400
    idea.refresh_from_db()
    assert idea.status == "submitted" and emitted == []
    assert manager.post(url, {"status": "under_review", "reason": "Next panel."}).status_code \
        == 302
    idea.refresh_from_db()
    assert idea.status == "under_review"
    event = AuditEvent.objects.get(verb="idea.status_changed")
    assert event.changes["status"] == {"before": "submitted", "after": "under_review"}
    assert event.changes["reason"]["after"] == "Next panel."
    assert [e for e, _ in emitted] == [events.IDEA_STATUS_CHANGED]
    assert client_for("contributor").post(url, {"status": "selected",
                                                "reason": "I like it"}).status_code == 403
    assert client_for("leader").post(url, {"status": "selected",
                                           "reason": "I like it"}).status_code == 403


def test_challenge_counters_are_exact_after_many_submissions(users, challenge):
    for n in range(3):
        actions.submit_idea(users["contributor"], challenge, title=f"I{n}", description="x",
                            confidential=n == 0)
    assert counters(challenge) == (3, 2)
    assert Challenge.objects.get(pk=challenge.pk).idea_count == Idea.objects.filter(
        challenge=challenge).exclude(status__in=["draft", "merged"]).count()


def test_home_page_shows_pending_coauthor_invitations(client_for, users, idea):
    actions.invite_coauthor(users["contributor"], idea, users["evaluator"])
    html = client_for("evaluator").get(reverse("core:home")).content.decode()
    assert "Invitations to co-author" in html and idea.title in html
    assert "Invitations to co-author" not in client_for("leader").get(
        reverse("core:home")).content.decode()
