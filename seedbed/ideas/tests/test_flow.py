"""The first flow, end to end: a manager runs a challenge, people submit, discuss and support
ideas, and the manager closes it. Once through the pages, once through the API."""

from __future__ import annotations

from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain
from seedbed.ideas.models import Challenge, Comment, Idea, IdeaType, Vote
from seedbed.ideas.tests.helpers import api, idea_rows, text_by_id
from tests.support import challenge_form_data, new_challenge


def assert_counters_exact(idea: Idea) -> None:
    idea.refresh_from_db()
    assert idea.vote_count == Vote.objects.filter(idea=idea).count()
    assert idea.comment_count == Comment.objects.filter(idea=idea).count()
    challenge = Challenge.objects.get(pk=idea.challenge_id)
    assert challenge.idea_count == Idea.objects.filter(challenge=challenge).count()


def _focus_area_and_type(manager):
    """What a challenge asks about ("why we ask") and the one idea type it accepts."""
    from seedbed.strategy.actions import focus as focus_actions

    IdeaType.ensure_defaults()
    area = focus_actions.create_focus_area(
        manager, title="Less waste in operations", kind="opportunity", horizon="h1",
        priority=1, rationale="Waste costs us margin.")
    return area, IdeaType.objects.get(code="product")


def test_first_flow_through_the_pages(client_for, users):
    manager, contributor = client_for("manager"), client_for("contributor")
    evaluator, leader = client_for("evaluator"), client_for("leader")
    area, product = _focus_area_and_type(users["manager"])

    assert manager.get("/challenges/new/").status_code == 200
    r = manager.post("/challenges/new/", {
        "title": "Cut packaging waste", "description": "Halve **plastic** by 2028.",
        "focus_areas": [area.pk], "idea_types": [product.pk], "voting_mode": "support",
        "token_budget": 10, "audience": "organisation", "closes_on": "2099-12-31"})
    challenge = Challenge.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/challenges/{challenge.pk}/"
    assert (challenge.status, challenge.created_by) == ("draft", users["manager"])

    # A draft is the manager's alone.
    assert contributor.get(f"/challenges/{challenge.pk}/").status_code == 404
    assert manager.post(f"/challenges/{challenge.pk}/open/").status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == "open"
    page = contributor.get(f"/challenges/{challenge.pk}/").content.decode()
    assert "<strong>plastic</strong>" in page
    assert "Share an idea" in page

    assert contributor.get(f"/challenges/{challenge.pk}/ideas/new/").status_code == 200
    r = contributor.post(f"/challenges/{challenge.pk}/ideas/new/", {
        "title": "Reusable crates", "description": "Returnable crates with retailers."})
    idea = Idea.objects.get()
    assert r["Location"] == f"/ideas/{idea.pk}/"
    assert (idea.author, idea.challenge, idea.status) == (users["contributor"], challenge,
                                                          "submitted")

    assert evaluator.post(f"/ideas/{idea.pk}/comments/",
                          {"body": "Which retailers first?"}).status_code == 302
    assert leader.post(f"/ideas/{idea.pk}/comments/",
                       {"body": "Start with two."}).status_code == 302
    assert evaluator.post(f"/ideas/{idea.pk}/vote/").status_code == 302
    assert leader.post(f"/ideas/{idea.pk}/vote/").status_code == 302
    # Nobody supports their own idea (docs: "Support and voting").
    assert contributor.post(f"/ideas/{idea.pk}/vote/").status_code == 409
    assert manager.post(f"/ideas/{idea.pk}/vote/").status_code == 302
    # A second vote withdraws the first.
    assert leader.post(f"/ideas/{idea.pk}/vote/").status_code == 302

    assert_counters_exact(idea)
    assert (idea.vote_count, idea.comment_count) == (2, 2)
    assert set(Vote.objects.values_list("voter__role", flat=True)) == {"evaluator",
                                                                       "manager"}
    detail = evaluator.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Which retailers first?" in detail and "Start with two." in detail
    assert "2 supporters" in text_by_id(detail, "vote")
    assert 'aria-pressed="true"' in detail  # the evaluator sees their own support

    listing = contributor.get(f"/challenges/{challenge.pk}/").content.decode()
    assert "Reusable crates" in listing
    [row] = idea_rows(listing)
    assert "Reusable crates" in row
    assert "▲ 2" in row and "2 comments" in row
    assert "Ideas (1)" in listing

    assert manager.post(f"/challenges/{challenge.pk}/close/").status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == "closed"
    closed_page = contributor.get(f"/challenges/{challenge.pk}/").content.decode()
    assert "Share an idea" not in closed_page

    assert [e.verb for e in AuditEvent.objects.exclude(verb="user.logged_in").order_by("seq")] == [
        "focus_area.created",
        "challenge.created", "challenge.opened", "idea.submitted", "comment.added",
        "comment.added", "vote.cast", "vote.cast", "vote.cast", "vote.withdrawn",
        "challenge.closed"]
    assert verify_chain().ok


def test_first_flow_through_the_api(client_for, users):
    manager, contributor = client_for("manager"), client_for("contributor")
    evaluator, leader = client_for("evaluator"), client_for("leader")
    area, product = _focus_area_and_type(users["manager"])

    r = api(manager, "post", "/api/v1/challenges", {
        "title": "Cut packaging waste", "description": "Halve **plastic**.",
        "focus_area_ids": [area.pk], "idea_type_ids": [product.pk]})
    assert r.status_code == 201
    body = r.json()
    cid = body["id"]
    assert (body["status"], body["accepts_ideas"], body["idea_count"]) == ("draft", False, 0)
    assert body["description_html"] == "<p>Halve <strong>plastic</strong>.</p>\n"
    assert body["created_by"]["id"] == users["manager"].pk

    assert api(contributor, "post", f"/api/v1/challenges/{cid}/ideas",
               {"title": "Early", "description": "Too soon."}).status_code == 404
    r = api(manager, "post", f"/api/v1/challenges/{cid}/open")
    assert (r.status_code, r.json()["status"], r.json()["accepts_ideas"]) == (200, "open", True)

    r = api(contributor, "post", f"/api/v1/challenges/{cid}/ideas",
            {"title": "Reusable crates", "description": "Returnable crates."})
    assert r.status_code == 201
    iid = r.json()["id"]
    assert r.json()["author"]["id"] == users["contributor"].pk
    assert r.json()["vote_count"] == 0

    r = api(evaluator, "post", f"/api/v1/ideas/{iid}/comments", {"body": "Which retailers?"})
    assert r.status_code == 201
    assert r.json()["author"]["id"] == users["evaluator"].pk
    assert api(leader, "post", f"/api/v1/ideas/{iid}/comments",
               {"body": "Two."}).status_code == 201

    assert api(evaluator, "post", f"/api/v1/ideas/{iid}/vote").json() == {
        "supported": True, "vote_count": 1}
    assert api(leader, "post", f"/api/v1/ideas/{iid}/vote").json() == {
        "supported": True, "vote_count": 2}
    assert api(leader, "post", f"/api/v1/ideas/{iid}/vote").json() == {
        "supported": False, "vote_count": 1}

    r = evaluator.get(f"/api/v1/ideas/{iid}")
    assert (r.json()["vote_count"], r.json()["comment_count"]) == (1, 2)
    assert r.json()["supported_by_me"] is True
    assert leader.get(f"/api/v1/ideas/{iid}").json()["supported_by_me"] is False
    r = contributor.get(f"/api/v1/ideas/{iid}/comments")
    assert [c["body"] for c in r.json()["items"]] == ["Which retailers?", "Two."]
    assert r.json()["count"] == 2
    r = contributor.get("/api/v1/ideas", {"challenge": cid})
    assert r.json()["count"] == 1
    assert r.json()["items"][0]["id"] == iid
    assert contributor.get(f"/api/v1/challenges/{cid}").json()["idea_count"] == 1

    r = api(manager, "post", f"/api/v1/challenges/{cid}/close")
    assert (r.json()["status"], r.json()["accepts_ideas"]) == ("closed", False)

    assert_counters_exact(Idea.objects.get(pk=iid))
    assert verify_chain().ok


def test_manager_submitting_to_a_draft_gets_a_form_error_or_409(client_for, users):

    draft = new_challenge(users["manager"], title="Draft", description="Later.")
    c = client_for("manager")
    before = AuditEvent.objects.count()
    r = c.post(f"/challenges/{draft.pk}/ideas/new/", {"title": "T", "description": "D"})
    assert r.status_code == 400
    assert "This challenge is not accepting ideas." in r.content.decode()
    r = api(c, "post", f"/api/v1/challenges/{draft.pk}/ideas", {"title": "T", "description": "D"})
    assert r.status_code == 409
    assert r.json()["error"] == {"code": "challenge_not_open",
                                 "message": "This challenge is not accepting ideas.",
                                 "fields": {}}
    assert not Idea.objects.exists()
    assert AuditEvent.objects.count() == before


def test_submitting_to_a_closed_challenge_is_refused(client_for, users, challenge):
    from seedbed.ideas import actions

    actions.close_challenge(users["manager"], challenge)
    c = client_for("contributor")
    before = (Idea.objects.count(), AuditEvent.objects.count())
    r = c.post(f"/challenges/{challenge.pk}/ideas/new/", {"title": "Late", "description": "D"})
    assert r.status_code == 400
    assert "This challenge is not accepting ideas." in r.content.decode()
    r = api(c, "post", f"/api/v1/challenges/{challenge.pk}/ideas",
            {"title": "Late", "description": "D"})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "challenge_not_open"
    assert (Idea.objects.count(), AuditEvent.objects.count()) == before
    challenge.refresh_from_db()
    assert challenge.idea_count == 0


def test_submitting_after_the_closing_date_is_refused(client_for, users, challenge):
    import datetime

    from django.utils import timezone

    challenge.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    challenge.save(update_fields=["closes_on"])
    r = api(client_for("contributor"), "post", f"/api/v1/challenges/{challenge.pk}/ideas",
            {"title": "Late", "description": "D"})
    assert r.status_code == 409
    assert not Idea.objects.exists()


def test_voting_on_a_closed_challenge_is_refused(client_for, users, challenge, idea):
    from seedbed.ideas import actions

    actions.toggle_vote(users["leader"], idea)
    actions.close_challenge(users["manager"], challenge)
    c = client_for("leader")
    before = AuditEvent.objects.count()

    r = c.post(f"/ideas/{idea.pk}/vote/", follow=True)
    assert "Voting has closed for this challenge." in r.content.decode()
    r = c.post(f"/ideas/{idea.pk}/vote/", headers={"HX-Request": "true"})
    assert r.status_code == 409
    assert "Voting has closed for this challenge." in r.content.decode()
    r = api(c, "post", f"/api/v1/ideas/{idea.pk}/vote")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "challenge_not_open"

    idea.refresh_from_db()
    assert idea.vote_count == 1 == Vote.objects.count()
    assert AuditEvent.objects.count() == before
    # The closed idea page no longer offers the button.
    assert f"ideas/{idea.pk}/vote/" not in c.get(f"/ideas/{idea.pk}/").content.decode()


def test_one_vote_per_person(users, idea):
    from seedbed.ideas import actions

    assert actions.toggle_vote(users["leader"], idea) == (True, 1)
    assert actions.toggle_vote(users["evaluator"], idea) == (True, 2)
    assert actions.toggle_vote(users["leader"], idea) == (False, 1)
    assert actions.toggle_vote(users["leader"], idea) == (True, 2)
    assert Vote.objects.filter(idea=idea, voter=users["leader"]).count() == 1
    assert Vote.objects.count() == 2


def test_vote_through_htmx_returns_only_the_vote_widget(client_for, idea):
    r = client_for("leader").post(f"/ideas/{idea.pk}/vote/", headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="vote"')
    assert "<html" not in html
    assert "1 supporter" in text_by_id(html, "vote")
    assert 'aria-pressed="true"' in html


def test_comment_through_htmx_returns_only_the_discussion(client_for, idea):
    r = client_for("leader").post(f"/ideas/{idea.pk}/comments/", {"body": "Nice."},
                                  headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.lstrip().startswith('<section id="discussion"')
    assert "Discussion (1)" in html and "Nice." in html


def test_manager_edits_a_challenge_and_only_changed_fields_are_audited(client_for, users,
                                                                       challenge, org):
    c = client_for("manager")
    r = c.post(f"/challenges/{challenge.pk}/edit/", challenge_form_data(
        challenge, audience="units", units=[org["ops"].pk]))
    assert r.status_code == 302
    challenge.refresh_from_db()
    assert challenge.audience == "units"
    assert list(challenge.units.all()) == [org["ops"]]
    event = AuditEvent.objects.get(verb="challenge.updated")
    assert event.changes == {"audience": {"before": "organisation", "after": "units"},
                             "units": {"before": [], "after": [org["ops"].pk]}}


def test_a_closed_challenge_cannot_be_edited(client_for, users, challenge):
    from seedbed.ideas import actions

    actions.close_challenge(users["manager"], challenge)
    c = client_for("manager")
    r = c.post(f"/challenges/{challenge.pk}/edit/", challenge_form_data(
        challenge, title="New", description="New"))
    assert r.status_code == 400
    assert "A closed challenge can no longer be edited." in r.content.decode()
    r = api(c, "patch", f"/api/v1/challenges/{challenge.pk}", {"title": "New"})
    assert r.status_code == 409
    challenge.refresh_from_db()
    assert challenge.title == "Cut packaging waste"


def test_opening_twice_or_closing_a_draft_is_a_conflict(client_for, users, challenge):
    c = client_for("manager")
    r = api(c, "post", f"/api/v1/challenges/{challenge.pk}/open")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invalid_transition"
    r = c.post(f"/challenges/{challenge.pk}/open/", follow=True)
    assert ("Only a draft or scheduled challenge can be opened; this one is open."
            in r.content.decode())
    challenge.refresh_from_db()
    assert challenge.status == "open"
