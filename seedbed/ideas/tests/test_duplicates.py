"""Duplicates: suggestions while typing, merging a duplicate, undoing the merge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions
from seedbed.ideas.actions import duplicates as dup_actions
from seedbed.ideas.models import (
    Challenge,
    CoAuthor,
    Comment,
    Follow,
    Idea,
    IdeaMerge,
    SupportBudget,
    Tag,
    Vote,
)
from tests.support import api_call, assert_error_body, new_challenge

pytestmark = pytest.mark.django_db


def _people(org, n: int, role: str = "contributor"):
    from seedbed.accounts.models import User

    return [User.objects.create_user(f"person{i}-{role}@example.test", "x" * 12,
                                     full_name=f"Person {i}", role=role, org_unit=org["plant"])
            for i in range(n)]


@pytest.fixture
def pair(users, org, challenge):
    """A duplicate (source) and the idea that survives (target), in one open challenge, with
    votes (one person supports both), a comment thread, followers, a co-author and tags."""
    target = actions.submit_idea(users["evaluator"], challenge, title="Returnable crates",
                                 description="Swap cardboard outers for returnable crates.")
    source = actions.submit_idea(users["contributor"], challenge, title="Reusable trays",
                                 description="Retailers give back trays on the next delivery.")
    a, b, c = _people(org, 3)
    for person in (a, b):
        actions.toggle_vote(person, source)
    for person in (b, c):
        actions.toggle_vote(person, target)
    first = Comment.objects.create(idea=source, author=a, body="We tried this in 2019.")
    reply = Comment.objects.create(idea=source, author=b, body="What stopped it?", parent=first)
    Idea.objects.filter(pk=source.pk).update(comment_count=2)
    Follow.objects.create(idea=source, user=a)
    Follow.objects.create(idea=source, user=c)
    Follow.objects.get_or_create(idea=target, user=c)
    for one in (source, target):
        Idea.objects.filter(pk=one.pk).update(
            follower_count=Follow.objects.filter(idea=one).count())
    CoAuthor.objects.create(idea=source, user=users["leader"], status="accepted",
                            invited_by=users["contributor"])
    crates, retail = Tag.objects.create(name="crates"), Tag.objects.create(name="retail")
    source.tags.add(crates, retail)
    target.tags.add(crates)
    source.refresh_from_db()
    target.refresh_from_db()
    return {"source": source, "target": target, "a": a, "b": b, "c": c, "first": first,
            "reply": reply, "crates": crates, "retail": retail}


def _merge_via_page(client, source, target, reason="Same idea."):
    return client.post(reverse("ideas:idea_merge", args=[source.pk]),
                       {"target": target.pk, "reason": reason})


def test_manager_merges_a_duplicate_from_the_idea_page(client_for, pair, users, challenge):
    source, target = pair["source"], pair["target"]
    counts_before = Challenge.objects.values("idea_count", "public_idea_count").get(
        pk=challenge.pk)
    followers = set(Follow.objects.filter(idea__in=[source, target])
                    .values_list("user_id", flat=True))
    manager = client_for("manager")
    page = manager.get(reverse("ideas:idea_merge", args=[source.pk]))
    assert page.status_code == 200
    assert f'value="{target.pk}"' in page.content.decode()  # offered as a similar idea

    response = _merge_via_page(manager, source, target)
    assert response.status_code == 302
    assert response["Location"] == target.get_absolute_url()

    source.refresh_from_db()
    target.refresh_from_db()
    assert source.status == Idea.Status.MERGED and source.merged_into_id == target.pk
    # Person b supported both: one vote on the survivor, no double counting.
    assert sorted(Vote.objects.filter(idea=target).values_list("voter_id", flat=True)) == \
        sorted([pair["a"].pk, pair["b"].pk, pair["c"].pk])
    assert not Vote.objects.filter(idea=source).exists()
    assert (target.vote_count, target.token_count) == (3, 3)
    assert (source.vote_count, source.comment_count, source.follower_count) == (0, 0, 0)
    # The thread moved whole.
    assert set(Comment.objects.filter(idea=target).values_list("pk", flat=True)) == \
        {pair["first"].pk, pair["reply"].pk}
    assert Comment.objects.get(pk=pair["reply"].pk).parent_id == pair["first"].pk
    assert target.comment_count == 2
    assert sorted(Follow.objects.filter(idea=target).values_list("user_id", flat=True)) == \
        sorted(followers)
    assert target.follower_count == len(followers)
    assert CoAuthor.objects.get(idea=target, user=users["contributor"]).status == "accepted"
    assert CoAuthor.objects.get(idea=target, user=users["leader"]).status == "accepted"
    assert set(target.tags.values_list("name", flat=True)) == {"crates", "retail"}
    counts = Challenge.objects.values("idea_count", "public_idea_count").get(pk=challenge.pk)
    assert counts == {"idea_count": counts_before["idea_count"] - 1,
                      "public_idea_count": counts_before["public_idea_count"] - 1}

    merge = IdeaMerge.objects.get(source=source)
    dropped = Vote.objects.filter(voter=pair["b"]).values_list("pk", flat=True)
    assert merge.target_id == target.pk and merge.reason == "Same idea."
    assert len(merge.moved["votes"]) == 1 and len(merge.moved["votes_dropped"]) == 1
    assert merge.moved["votes_dropped"][0]["voter"] == pair["b"].pk
    assert merge.moved["votes_dropped"][0]["id"] not in dropped
    assert sorted(merge.moved["comments"]) == sorted([pair["first"].pk, pair["reply"].pk])
    assert merge.moved["follows_dropped"][0]["user"] == pair["c"].pk
    assert merge.moved["tags"] == [pair["retail"].pk]
    event = AuditEvent.objects.get(seq=merge.audit_seq)
    assert event.verb == "idea.merged" and event.object_id == str(source.pk)
    assert event.changes["merge"]["after"]["moved"] == merge.moved
    assert event.changes["status"] == {"before": "submitted", "after": "merged"}


def test_merged_idea_page_redirects_to_the_survivor_with_a_message(client_for, pair, users):
    source, target = pair["source"], pair["target"]
    dup_actions.merge_ideas(users["manager"], source, target)
    contributor = client_for("contributor")
    response = contributor.get(reverse("ideas:idea_detail", args=[source.pk]), follow=True)
    assert response.redirect_chain[-1][0] == target.get_absolute_url()
    html = response.content.decode()
    assert "was merged into this idea" in html
    assert "Merged into this idea" in html and "Undo merge" not in html
    # The merged record itself stays readable, with the undo button for managers.
    page = client_for("manager").get(reverse("ideas:idea_detail", args=[source.pk]) + "?merged=1")
    assert page.status_code == 200
    merge = IdeaMerge.objects.get(source=source)
    assert reverse("ideas:merge_undo", args=[merge.pk]) in page.content.decode()


def test_undo_restores_exactly_what_moved(client_for, pair, users, challenge):
    source, target = pair["source"], pair["target"]
    snapshot = {
        "votes": sorted(Vote.objects.values_list("pk", "idea_id", "voter_id", "tokens")),
        "comments": sorted(Comment.objects.values_list("pk", "idea_id", "parent_id")),
        "follows": sorted(Follow.objects.values_list("pk", "idea_id", "user_id")),
        "coauthors": sorted(CoAuthor.objects.values_list("pk", "idea_id", "user_id", "status")),
        "counters": sorted(Idea.objects.values_list("pk", "status", "vote_count", "token_count",
                                                    "comment_count", "follower_count")),
        "tags": sorted(target.tags.values_list("pk", flat=True)),
        "challenge": Challenge.objects.values("idea_count", "public_idea_count").get(
            pk=challenge.pk),
    }
    merge = dup_actions.merge_ideas(users["manager"], source, target)
    response = client_for("manager").post(reverse("ideas:merge_undo", args=[merge.pk]))
    assert response.status_code == 302
    assert response["Location"] == source.get_absolute_url()
    assert snapshot == {
        "votes": sorted(Vote.objects.values_list("pk", "idea_id", "voter_id", "tokens")),
        "comments": sorted(Comment.objects.values_list("pk", "idea_id", "parent_id")),
        "follows": sorted(Follow.objects.values_list("pk", "idea_id", "user_id")),
        "coauthors": sorted(CoAuthor.objects.values_list("pk", "idea_id", "user_id", "status")),
        "counters": sorted(Idea.objects.values_list("pk", "status", "vote_count", "token_count",
                                                    "comment_count", "follower_count")),
        "tags": sorted(target.tags.values_list("pk", flat=True)),
        "challenge": Challenge.objects.values("idea_count", "public_idea_count").get(
            pk=challenge.pk),
    }
    merge.refresh_from_db()
    assert merge.undone_by == users["manager"] and merge.undone_at is not None
    assert AuditEvent.objects.filter(verb="idea.merge_undone", object_id=str(source.pk)).exists()
    # Twice is refused, clearly.
    again = client_for("manager").post(reverse("ideas:merge_undo", args=[merge.pk]))
    assert again.status_code == 409
    assert "already been undone" in again.content.decode()


def test_undo_is_refused_when_the_survivor_was_merged_further(client_for, pair, users,
                                                              challenge):
    source, target = pair["source"], pair["target"]
    third = actions.submit_idea(users["admin"], challenge, title="Crate pool with retailers",
                                description="Share a pool of crates with two retailers.")
    first = dup_actions.merge_ideas(users["manager"], source, target)
    dup_actions.merge_ideas(users["manager"], target, third)
    manager = client_for("manager")
    before = AuditEvent.objects.count()
    response = api_call(manager, "post", f"/api/v1/merges/{first.pk}/undo")
    assert_error_body(response, 409, "target_merged")
    assert AuditEvent.objects.count() == before
    assert Idea.objects.get(pk=source.pk).status == Idea.Status.MERGED
    page = client_for("admin").post(reverse("ideas:merge_undo", args=[first.pk]))
    assert page.status_code == 409


@pytest.mark.parametrize("case", ["itself", "into_merged", "twice", "into_draft",
                                  "confidential"])
def test_bad_merges_are_refused_and_nothing_is_stored(case, client_for, pair, users,
                                                       challenge):
    source, target = pair["source"], pair["target"]
    manager = client_for("manager")
    expected = (409, None)
    if case == "itself":
        target, expected = source, (422, "invalid")
    elif case == "into_merged":
        other = actions.submit_idea(users["admin"], challenge, title="Tray pool",
                                    description="A pool of trays.")
        dup_actions.merge_ideas(users["manager"], target, other)
        expected = (409, "target_merged")
    elif case == "twice":
        dup_actions.merge_ideas(users["manager"], source, target)
        expected = (409, "already_merged")
    elif case == "into_draft":
        Idea.objects.filter(pk=target.pk).update(status=Idea.Status.DRAFT)
        expected = (409, "draft")
    elif case == "confidential":
        Idea.objects.filter(pk=source.pk).update(confidential=True)
        expected = (409, "confidential_boundary")
    before = (AuditEvent.objects.count(), IdeaMerge.objects.count(),
              sorted(Vote.objects.values_list("pk", "idea_id")))
    if case == "into_draft":
        # A draft is visible only to its authors: for the manager it does not exist.
        expected = (404, "not_found")
    response = api_call(manager, "post", f"/api/v1/ideas/{source.pk}/merge",
                        {"target_id": target.pk, "reason": "dup"})
    assert_error_body(response, *expected)
    assert before == (AuditEvent.objects.count(), IdeaMerge.objects.count(),
                      sorted(Vote.objects.values_list("pk", "idea_id")))
    if case != "into_draft":
        page = _merge_via_page(manager, source, target)
        assert page.status_code in (400, 409)
        assert before[0] == AuditEvent.objects.count()


def test_merge_refuses_a_draft_even_through_the_action(pair, users):
    Idea.objects.filter(pk=pair["target"].pk).update(status=Idea.Status.DRAFT)
    from seedbed.core.errors import StateConflict

    with pytest.raises(StateConflict) as refused:
        dup_actions.merge_ideas(users["manager"], pair["source"], Idea.objects.get(
            pk=pair["target"].pk))
    assert refused.value.code == "draft"


def test_contributors_cannot_merge_or_undo(client_for, pair, users):
    source, target = pair["source"], pair["target"]
    assert _merge_via_page(client_for("contributor"), source, target).status_code == 403
    assert_error_body(api_call(client_for("leader"), "post",
                               f"/api/v1/ideas/{source.pk}/merge", {"target_id": target.pk}),
                      403, "forbidden")
    merge = dup_actions.merge_ideas(users["manager"], source, target)
    assert client_for("evaluator").post(
        reverse("ideas:merge_undo", args=[merge.pk])).status_code == 403
    assert Idea.objects.get(pk=source.pk).status == Idea.Status.MERGED


def test_tokens_mode_keeps_the_larger_placement_and_the_budget_right(users, org):
    challenge = new_challenge(users["manager"], title="Spend tokens on packaging",
                              description="Ten tokens each.")
    challenge = actions.open_challenge(users["manager"], challenge)
    Challenge.objects.filter(pk=challenge.pk).update(voting_mode="tokens", token_budget=10)
    target = actions.submit_idea(users["evaluator"], challenge, title="Crates",
                                 description="Returnable crates.")
    source = actions.submit_idea(users["contributor"], challenge, title="Trays",
                                 description="Returnable trays.")
    voter, other = _people(org, 2)
    actions.set_tokens(voter, source, 5)
    actions.set_tokens(voter, target, 2)
    actions.set_tokens(other, source, 3)
    budget = SupportBudget.objects.get(challenge=challenge, voter=voter)
    assert budget.spent == 7

    merge = dup_actions.merge_ideas(users["manager"], source, target)
    target.refresh_from_db()
    assert Vote.objects.get(idea=target, voter=voter).tokens == 5
    assert Vote.objects.get(idea=target, voter=other).tokens == 3
    assert (target.vote_count, target.token_count) == (2, 8)
    budget.refresh_from_db()
    assert budget.spent == 5  # the 2 tokens that were folded away went back
    assert SupportBudget.objects.get(challenge=challenge, voter=other).spent == 3

    dup_actions.undo_merge(users["manager"], merge)
    budget.refresh_from_db()
    assert budget.spent == 7
    assert Vote.objects.get(idea=source, voter=voter).tokens == 5
    assert Vote.objects.get(idea=target, voter=voter).tokens == 2
    source.refresh_from_db()
    assert (source.vote_count, source.token_count) == (2, 8)


def test_tokens_cannot_be_merged_across_challenges(users, challenge, idea):
    other = new_challenge(users["manager"], title="Token challenge", description="Tokens.")
    other = actions.open_challenge(users["manager"], other)
    Challenge.objects.filter(pk=other.pk).update(voting_mode="tokens")
    target = actions.submit_idea(users["evaluator"], other, title="Crates", description="C.")
    from seedbed.core.errors import StateConflict

    with pytest.raises(StateConflict) as refused:
        dup_actions.merge_ideas(users["manager"], idea, target)
    assert refused.value.code == "token_budgets_differ"


# --- Suggestions ----------------------------------------------------------------------------


def _suggest(client, **params):
    return client.get(reverse("ideas:idea_suggest"), params, HTTP_HX_REQUEST="true")


def test_suggestions_show_similar_ideas_the_person_may_see(client_for, users, challenge, idea):
    secret = actions.submit_idea(users["evaluator"], challenge, title="Returnable crate pool",
                                 description="Crates returned by retailers, pooled.")
    Idea.objects.filter(pk=secret.pk).update(confidential=True)
    response = _suggest(client_for("contributor"), title="Reusable crates for retailers",
                        description="cardboard swapped for crates", challenge=challenge.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert idea.title in html and idea.get_absolute_url() in html
    assert challenge.title in html and "supporter" in html
    assert "Returnable crate pool" not in html  # confidential: not theirs to see
    manager_html = _suggest(client_for("manager"), title="Reusable crates for retailers"
                            ).content.decode()
    assert "Returnable crate pool" in manager_html
    # Partners see nothing of a challenge their organisation is not invited to.
    partner = _suggest(client_for("partner"), title="Reusable crates for retailers")
    assert partner.status_code == 200 and idea.title not in partner.content.decode()


def test_short_or_empty_input_suggests_nothing(client_for, idea):
    client = client_for("contributor")
    for params in ({}, {"title": "re"}, {"title": "the and of"}, {"description": "  "}):
        response = _suggest(client, **params)
        assert response.status_code == 200
        assert idea.title not in response.content.decode(), params
    assert _suggest(client, title="\x00crates").status_code == 200


def test_merged_and_draft_ideas_are_never_suggested(client_for, pair, users):
    dup_actions.merge_ideas(users["manager"], pair["source"], pair["target"])
    html = _suggest(client_for("manager"), title="Reusable trays given back by retailers"
                    ).content.decode()
    assert pair["target"].title in html and "Reusable trays" not in html


def test_similar_api_returns_ids_titles_and_scores(client_for, idea, users, challenge):
    response = client_for("contributor").get(
        "/api/v1/ideas/similar", {"title": "Returnable crates instead of cardboard"})
    assert response.status_code == 200
    body = response.json()
    assert body["items"][0]["id"] == idea.pk
    assert body["items"][0]["title"] == idea.title
    assert 0 < body["items"][0]["score"] <= 1
    assert client_for("partner").get(
        "/api/v1/ideas/similar", {"title": "Returnable crates"}).json()["items"] == []
    assert_error_body(client_for("contributor").get(
        "/api/v1/ideas/similar", {"title": "x" * 201}), 422)
    assert_error_body(client_for("contributor").get(
        "/api/v1/ideas/similar", {"title": "crates", "challenge": "abc"}), 422)


def test_suggestions_cost_the_same_queries_at_two_sizes(client_for, users, challenge,
                                                        django_assert_num_queries):
    client = client_for("contributor")
    _suggest(client, title="warm up")

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert _suggest(client, title="Returnable crates for retailers").status_code == 200
        return len(captured)

    actions.submit_idea(users["evaluator"], challenge, title="Returnable crates",
                        description="Crates.")
    small = count()
    for n in range(15):
        actions.submit_idea(users["evaluator"], challenge, title=f"Returnable crates {n}",
                            description="Crates returned by retailers.")
    with django_assert_num_queries(small):
        _suggest(client, title="Returnable crates for retailers")


def test_idea_page_with_merges_costs_a_fixed_number_of_queries(client_for, pair, users,
                                                               challenge):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = client_for("manager")
    target = pair["target"]
    dup_actions.merge_ideas(users["manager"], pair["source"], target)
    url = reverse("ideas:idea_detail", args=[target.pk])
    manager.get(url)
    with CaptureQueriesContext(connection) as one:
        assert manager.get(url).status_code == 200
    for n in range(3):
        extra = actions.submit_idea(users["admin"], challenge, title=f"Crate idea {n}",
                                    description="Crates.")
        dup_actions.merge_ideas(users["manager"], extra, target)
    with CaptureQueriesContext(connection) as four:
        assert manager.get(url).status_code == 200
    assert len(one) == len(four)


def test_demo_merges_a_paraphrased_duplicate(users, challenge):
    from seedbed.core.demo.ideation import duplicates as demo

    original = actions.submit_idea(users["evaluator"], challenge, title=demo.ORIGINAL_TITLE,
                                   description="Black CPET trays are not sorted; go clear.")
    built = demo.build({"users": users})
    assert built["target"] == original
    assert built["merge"].source == built["source"]
    source = Idea.objects.get(pk=built["source"].pk)
    assert source.status == Idea.Status.MERGED and source.merged_into_id == original.pk
    original.refresh_from_db()
    assert original.comment_count >= 1 and original.vote_count >= 1
    # The suggestion finder sees the two as alike, as a person typing the duplicate would.
    from seedbed.ideas.selectors.duplicates import similar_ideas

    found = similar_ideas(users["contributor"], demo.DUPLICATE_TITLE, demo.DUPLICATE_TEXT)
    assert original.pk in [s.idea.pk for s in found]


def test_audit_trail_offers_undo_on_merge_events(client_for, pair, users):
    merge = dup_actions.merge_ideas(users["manager"], pair["source"], pair["target"])
    undo_url = reverse("ideas:merge_undo", args=[merge.pk])
    assert undo_url in client_for("manager").get(reverse("audit:event_list")).content.decode()
    # Auditors read the trail but may not undo anything.
    assert undo_url not in client_for("auditor").get(reverse("audit:event_list")).content.decode()
    response = client_for("admin").post(undo_url)
    assert response.status_code == 302
    assert Idea.objects.get(pk=pair["source"].pk).status == Idea.Status.SUBMITTED
