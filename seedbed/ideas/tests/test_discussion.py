"""Co-creation: threaded comments, @mentions, following, expert invitations (issue #4 point 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions
from seedbed.ideas.models import Comment, Follow, Idea
from seedbed.ideas.tests.helpers import api
from tests.support import assert_error_body, new_challenge


@pytest.fixture
def told(monkeypatch):
    """Every event dispatched after commit, as payload dicts."""
    from seedbed.notifications import dispatch

    seen: list[dict] = []
    monkeypatch.setattr(dispatch, "handle", seen.append)
    return seen


def comment_url(idea) -> str:
    return reverse("ideas:idea_comment", args=[idea.pk])


def make_confidential(idea) -> None:
    Idea.objects.filter(pk=idea.pk).update(confidential=True)
    idea.refresh_from_db()


# --- Threads ------------------------------------------------------------------------------------


def test_reply_through_the_page_joins_the_thread(client_for, users, idea):
    first = actions.add_comment(users["leader"], idea, body="Which retailers first?")
    c = client_for("contributor")
    r = c.post(comment_url(idea), {"body": "Both big ones.", "parent_id": first.pk})
    assert r.status_code == 302
    reply = Comment.objects.get(body="Both big ones.")
    assert reply.parent_id == first.pk and reply.idea_id == idea.pk
    # A reply to a reply answers the thread: threads are one level deep.
    r = c.post(comment_url(idea), {"body": "And the discounters.", "parent_id": reply.pk})
    assert r.status_code == 302
    assert Comment.objects.get(body="And the discounters.").parent_id == first.pk
    idea.refresh_from_db()
    assert idea.comment_count == 3 == idea.comments.count()
    html = c.get(idea.get_absolute_url()).content.decode()
    thread = html.split(f'id="comment-{first.pk}"', 1)[1].split('<li class="comment" id=', 1)[0]
    assert "Both big ones." in thread and "And the discounters." in thread
    assert 'class="comments replies"' in thread


def test_reply_through_htmx_returns_the_discussion_with_the_thread(client_for, users, idea):
    first = actions.add_comment(users["leader"], idea, body="Cost per trip?")
    r = client_for("evaluator").post(comment_url(idea), {"body": "About 40p.",
                                                         "parent_id": first.pk},
                                     headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.lstrip().startswith('<section id="discussion"') and "<html" not in html
    assert "Discussion (2)" in html and "About 40p." in html


@pytest.mark.parametrize("htmx", [False, True])
def test_replying_to_a_comment_of_another_idea_is_refused(client_for, users, idea, challenge,
                                                          htmx):
    other = actions.submit_idea(users["manager"], challenge, title="Other", description="x")
    elsewhere = actions.add_comment(users["leader"], other, body="Elsewhere.")
    c = client_for("contributor")
    before = (Comment.objects.count(), AuditEvent.objects.count())
    headers = {"HX-Request": "true"} if htmx else {}
    r = c.post(comment_url(idea), {"body": "Sneaky reply",
                                                           "parent_id": elsewhere.pk},
                                       headers=headers)
    assert r.status_code == 400
    assert "You can only reply to a comment on this idea." in r.content.decode()
    assert (Comment.objects.count(), AuditEvent.objects.count()) == before


def test_api_threads_replies_and_lists_parent_ids(client_for, users, idea, challenge):
    c = client_for("contributor")
    url = f"/api/v1/ideas/{idea.pk}/comments"
    top = api(c, "post", url, {"body": "Start"})
    assert top.status_code == 201 and top.json()["parent_id"] is None
    reply = api(c, "post", url, {"body": "Reply", "parent_id": top.json()["id"]})
    assert reply.status_code == 201 and reply.json()["parent_id"] == top.json()["id"]
    page = c.get(url + "?limit=1&offset=1").json()
    assert page["count"] == 2 and page["items"][0]["parent_id"] == top.json()["id"]

    other = actions.submit_idea(users["manager"], challenge, title="Other", description="x")
    elsewhere = actions.add_comment(users["leader"], other, body="Elsewhere.")
    for parent in (elsewhere.pk, 987654):
        bad = api(c, "post", url, {"body": "Nope", "parent_id": parent})
        assert assert_error_body(bad, 422, "invalid")["fields"] == {
            "parent_id": ["You can only reply to a comment on this idea."]}
    for parent in (0, -1, 2**64, "x"):
        assert_error_body(api(c, "post", url, {"body": "Nope", "parent_id": parent}), 422)
    assert idea.comments.count() == 2


def test_comment_on_a_merged_idea_is_a_conflict(client_for, idea):
    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.MERGED)
    r = api(client_for("manager"), "post", f"/api/v1/ideas/{idea.pk}/comments", {"body": "Hi"})
    assert_error_body(r, 409, "idea_merged")
    assert not idea.comments.exists()


def test_comment_counter_activity_and_events(users, idea, told, django_capture_on_commit_callbacks):
    idea.refresh_from_db()
    old_activity = idea.last_activity_at
    with django_capture_on_commit_callbacks(execute=True):
        comment = actions.add_comment(users["leader"], idea, body="Good one")
    old_trend = idea.trend_score
    idea.refresh_from_db()
    assert idea.comment_count == 1 and idea.last_activity_at > old_activity
    assert idea.trend_score > old_trend  # the feed's "trending" sort hears of it
    assert [e["event"] for e in told] == ["comment.added"]
    assert told[0]["comment_id"] == comment.pk and told[0]["idea_id"] == idea.pk


# --- Mentions -----------------------------------------------------------------------------------


def test_mentions_are_stored_linked_and_announced(client_for, users, idea, told,
                                                  django_capture_on_commit_callbacks):
    c = client_for("contributor")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(comment_url(idea), {"body": "<b>Hi</b> @Evaluator and @leader. @nobody"})
    assert r.status_code == 302
    comment = Comment.objects.get()
    assert set(comment.mentions.all()) == {users["evaluator"], users["leader"]}
    mention = [e for e in told if e["event"] == "comment.mention"]
    assert len(mention) == 1
    assert set(mention[0]["recipient_ids"]) == {users["evaluator"].pk, users["leader"].pk}
    assert [e["event"] for e in told].count("comment.added") == 1
    html = c.get(idea.get_absolute_url()).content.decode()
    profile = reverse("ideas:person_detail", args=[users["evaluator"].pk])
    assert f'<a class="mention" href="{profile}">@Evaluator</a>' in html
    assert "&lt;b&gt;Hi&lt;/b&gt;" in html and "<b>Hi</b>" not in html
    assert "@nobody" in html and 'href="/people/' + "@nobody" not in html


def test_a_mention_of_someone_who_cannot_see_a_confidential_idea_is_ignored(
        users, idea, told, django_capture_on_commit_callbacks):
    make_confidential(idea)
    with django_capture_on_commit_callbacks(execute=True):
        comment = actions.add_comment(users["contributor"], idea,
                                      body="@evaluator @manager @auditor @partner please look")
    # Managers see confidential ideas; the evaluator (not assigned), auditor and partner do not.
    assert list(comment.mentions.all()) == [users["manager"]]
    mention = [e for e in told if e["event"] == "comment.mention"]
    assert mention[0]["recipient_ids"] == [users["manager"].pk]


def test_full_address_mentions_and_text_inside_addresses(users, idea):
    comment = actions.add_comment(users["manager"], idea,
                                  body="Ask @leader@example.test, not mail@evaluator.test")
    assert list(comment.mentions.all()) == [users["leader"]]


def test_a_partner_mentions_only_people_they_have_met(users, told):
    manager, partner = users["manager"], users["partner"]
    ch = new_challenge(manager, title="Open lab", description="With partners.",
                       partner_orgs=[partner.partner_org])
    ch = actions.open_challenge(manager, ch)
    idea = actions.submit_idea(users["leader"], ch, title="Shared", description="x")
    comment = actions.add_comment(partner, idea, body="@leader @contributor @manager")
    # The leader wrote the idea; the partner has never met the contributor or the manager.
    assert list(comment.mentions.all()) == [users["leader"]]


def test_the_mention_hint_is_on_the_form(client_for, idea):
    html = client_for("contributor").get(idea.get_absolute_url()).content.decode()
    assert "Only people who may see this idea are linked and told" in html


# --- Following ----------------------------------------------------------------------------------


def test_first_comment_follows_and_unfollowing_sticks(users, idea):
    leader = users["leader"]
    actions.add_comment(leader, idea, body="One")
    assert Follow.objects.filter(idea=idea, user=leader).exists()
    event = AuditEvent.objects.filter(verb="comment.added").last()
    assert event.changes["followed"] == {"before": False, "after": True}
    actions.unfollow_idea(leader, idea)
    actions.add_comment(leader, idea, body="Two")
    idea.refresh_from_db()
    assert not Follow.objects.filter(idea=idea, user=leader).exists()
    assert idea.follower_count == Follow.objects.filter(idea=idea).count()


@pytest.mark.parametrize("htmx", [False, True])
def test_follow_and_unfollow_through_the_page(client_for, users, idea, htmx):
    # The author follows their own idea from the start.
    idea.refresh_from_db()
    assert idea.follower_count == 1
    c = client_for("evaluator")
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("ideas:idea_follow", args=[idea.pk])
    r = c.post(url, {"follow": "1"}, headers=headers)
    assert r.status_code == (200 if htmx else 302)
    if htmx:
        html = r.content.decode()
        assert html.lstrip().startswith('<div id="follow"') and "<html" not in html
        assert "2 followers" in html and 'aria-pressed="true"' in html
    idea.refresh_from_db()
    assert idea.follower_count == 2
    assert c.post(url, {"follow": "1"}, headers=headers).status_code == (200 if htmx else 302)
    idea.refresh_from_db()
    assert idea.follower_count == 2  # following twice changes nothing
    c.post(url, {"follow": "0"}, headers=headers)
    idea.refresh_from_db()
    assert idea.follower_count == 1
    assert not Follow.objects.filter(user=users["evaluator"]).exists()
    verbs = AuditEvent.objects.filter(verb__in=("idea.followed", "idea.unfollowed"))
    assert list(verbs.order_by("seq").values_list("verb", flat=True)) == [
        "idea.followed", "idea.unfollowed"]
    assert c.post(url, {"follow": "maybe"}).status_code == 400


def test_follow_through_the_api(client_for, idea):
    c = client_for("leader")
    url = f"/api/v1/ideas/{idea.pk}/follow"
    assert api(c, "post", url).json() == {"following": True, "follower_count": 2}
    assert api(c, "post", url).json() == {"following": True, "follower_count": 2}
    assert api(client_for("manager"), "post", url).json()["follower_count"] == 3
    assert c.delete(url).json() == {"following": False, "follower_count": 2}
    assert c.delete(url).json() == {"following": False, "follower_count": 2}
    assert_error_body(client_for("auditor").post(url), 403, "forbidden")
    assert_error_body(client_for("partner").post(url), 404, "not_found")
    idea.refresh_from_db()
    assert idea.follower_count == 2 == Follow.objects.filter(idea=idea).count()


def test_the_idea_page_shows_the_follow_button(client_for, idea):
    html = client_for("evaluator").get(idea.get_absolute_url()).content.decode()
    assert 'id="follow"' in html and 'name="follow" value="1"' in html
    assert f'action="/ideas/{idea.pk}/follow/"' in html
    author = client_for("contributor").get(idea.get_absolute_url()).content.decode()
    assert 'name="follow" value="0"' in author
    auditor = client_for("auditor").get(idea.get_absolute_url()).content.decode()
    assert 'name="follow"' not in auditor and "1 follower" in auditor




def test_hostile_comment_text_is_inert_everywhere(client_for, users, idea):
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)> @leader" onmouseover="x'
    c = client_for("contributor")
    assert c.post(comment_url(idea), {"body": payload}).status_code == 302
    first = Comment.objects.get()
    c.post(comment_url(idea), {"body": payload, "parent_id": first.pk})
    for url in (idea.get_absolute_url(),
                reverse("ideas:person_detail", args=[users["contributor"].pk])):
        html = c.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    html = c.get(idea.get_absolute_url()).content.decode()
    assert 'onmouseover="x' not in html and '@leader</a>&quot; onmouseover=&quot;x' in html
    assert c.get(f"/api/v1/ideas/{idea.pk}/comments").json()["items"][0]["body"] == payload
