"""Support (issue #4, point 6): simple support and token budgets, through the pages and the
API, with the rules on what can be supported and exact counters."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions
from seedbed.ideas.models import CoAuthor, Idea, SupportBudget, Vote
from seedbed.ideas.tests.helpers import api, idea_rows, parse, text_by_id
from tests.support import assert_error_body, new_challenge

BUDGET = 5


def assert_counters_exact(*ideas: Idea) -> None:
    for idea in ideas:
        idea.refresh_from_db()
        votes = Vote.objects.filter(idea=idea)
        assert idea.vote_count == votes.count()
        assert idea.token_count == sum(v.tokens for v in votes)


def assert_budgets_exact() -> None:
    for budget in SupportBudget.objects.all():
        placed = Vote.objects.filter(voter=budget.voter, idea__challenge=budget.challenge)
        assert budget.spent == sum(v.tokens for v in placed) <= budget.budget


@pytest.fixture
def tokens_challenge(users):
    ch = new_challenge(users["manager"], title="Fresher soups",
                       description="Five more days of shelf life.", voting_mode="tokens",
                       token_budget=BUDGET)
    return actions.open_challenge(users["manager"], ch)


@pytest.fixture
def soups(users, tokens_challenge):
    return [actions.submit_idea(users["contributor"], tokens_challenge, title=title,
                                description="Details to follow.")
            for title in ("High-pressure pots", "Nitrogen flush", "Smaller batches")]


def put_tokens(client, idea, tokens):
    return api(client, "put", f"/api/v1/ideas/{idea.pk}/tokens", {"tokens": tokens})


# --- Tokens through the API --------------------------------------------------------------------


def test_tokens_are_spread_within_the_budget(client_for, users, tokens_challenge, soups):
    a, b, c = soups
    evaluator = client_for("evaluator")
    r = put_tokens(evaluator, a, 3)
    assert r.status_code == 200
    assert r.json() == {"idea_id": a.pk, "voting_mode": "tokens", "tokens": 3, "vote_count": 1,
                        "token_count": 3, "budget": BUDGET, "remaining": 2}
    assert put_tokens(evaluator, b, 2).json()["remaining"] == 0
    # Nothing left: a third idea is refused, and nothing changes.
    before = AuditEvent.objects.count()
    error = assert_error_body(put_tokens(evaluator, c, 1), 409, "not_enough_tokens")
    assert "0 of 5 left" in error["message"]
    assert AuditEvent.objects.count() == before
    assert not Vote.objects.filter(idea=c).exists()

    budget = evaluator.get(f"/api/v1/challenges/{tokens_challenge.pk}/my-budget").json()
    assert budget == {"challenge_id": tokens_challenge.pk, "voting_mode": "tokens",
                      "budget": BUDGET, "spent": 5, "remaining": 0, "ideas_supported": 2}

    # Moving tokens: take two back from the first idea, place them on the third.
    assert put_tokens(evaluator, a, 1).json()["remaining"] == 2
    assert put_tokens(evaluator, c, 2).json()["tokens"] == 2
    # 0 takes the vote back entirely.
    r = put_tokens(evaluator, b, 0).json()
    assert (r["tokens"], r["vote_count"], r["token_count"], r["remaining"]) == (0, 0, 0, 2)

    assert dict(Vote.objects.filter(voter=users["evaluator"]).values_list("idea_id", "tokens")) \
        == {a.pk: 1, c.pk: 2}
    assert SupportBudget.objects.get(voter=users["evaluator"]).spent == 3
    assert_counters_exact(a, b, c)
    assert_budgets_exact()
    verbs = list(AuditEvent.objects.filter(verb__startswith="vote.").order_by("seq")
                 .values_list("verb", "changes"))
    assert verbs == [
        ("vote.cast", {"tokens": {"before": 0, "after": 3}}),
        ("vote.cast", {"tokens": {"before": 0, "after": 2}}),
        ("vote.changed", {"tokens": {"before": 3, "after": 1}}),
        ("vote.cast", {"tokens": {"before": 0, "after": 2}}),
        ("vote.withdrawn", {"tokens": {"before": 2, "after": 0}}),
    ]


def test_each_person_has_their_own_budget(client_for, users, soups):
    a = soups[0]
    for role in ("evaluator", "leader", "manager", "partner"):
        if role == "partner":
            continue  # the partner's organisation is not invited to this challenge
        assert put_tokens(client_for(role), a, BUDGET).status_code == 200
    a.refresh_from_db()
    assert (a.vote_count, a.token_count) == (3, 3 * BUDGET)
    assert_error_body(put_tokens(client_for("partner"), a, 1), 404, "not_found")


def test_setting_the_same_number_again_changes_nothing(client_for, soups):
    evaluator = client_for("evaluator")
    put_tokens(evaluator, soups[0], 2)
    before = AuditEvent.objects.count()
    assert put_tokens(evaluator, soups[0], 2).json()["tokens"] == 2
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("body, field", [
    ({"tokens": BUDGET + 1}, "tokens"),
    ({"tokens": -1}, "tokens"),
    ({"tokens": "three"}, "tokens"),
    ({"tokens": 1.5}, "tokens"),
    ({"tokens": 99999999999999999999}, "tokens"),
    ({}, "tokens"),
])
def test_bad_token_numbers_are_422(client_for, soups, body, field):
    r = api(client_for("evaluator"), "put", f"/api/v1/ideas/{soups[0].pk}/tokens", body)
    error = assert_error_body(r, 422, "invalid")
    assert set(error["fields"]) == {field}
    assert not Vote.objects.exists() and not SupportBudget.objects.exists()


def test_toggle_in_tokens_mode_places_one_token_or_takes_all_back(client_for, soups):
    evaluator = client_for("evaluator")
    assert api(evaluator, "post", f"/api/v1/ideas/{soups[0].pk}/vote").json() == {
        "supported": True, "vote_count": 1}
    put_tokens(evaluator, soups[0], 4)
    assert api(evaluator, "post", f"/api/v1/ideas/{soups[0].pk}/vote").json() == {
        "supported": False, "vote_count": 0}
    assert_counters_exact(*soups)
    assert_budgets_exact()


def test_a_lowered_budget_keeps_placed_tokens_but_allows_no_more(client_for, users, soups,
                                                                 tokens_challenge):
    evaluator = client_for("evaluator")
    put_tokens(evaluator, soups[0], 4)
    tokens_challenge.token_budget = 3
    tokens_challenge.save(update_fields=["token_budget"])
    assert_error_body(put_tokens(evaluator, soups[1], 1), 409, "not_enough_tokens")
    assert put_tokens(evaluator, soups[0], 2).json()["remaining"] == 1
    assert_budgets_exact()


# --- What can be supported -------------------------------------------------------------------


def test_nobody_supports_their_own_idea(client_for, users, soups, idea):
    contributor = client_for("contributor")
    assert_error_body(put_tokens(contributor, soups[0], 1), 409, "own_idea")
    assert_error_body(api(contributor, "post", f"/api/v1/ideas/{idea.pk}/vote"), 409, "own_idea")
    r = contributor.post(f"/ideas/{idea.pk}/vote/")
    assert r.status_code == 409
    assert "You cannot support your own idea." in r.content.decode()
    # An accepted co-author is an author too; one only invited is not (yet).
    CoAuthor.objects.create(idea=idea, user=users["leader"], invited_by=users["contributor"],
                            status=CoAuthor.Status.ACCEPTED)
    CoAuthor.objects.create(idea=idea, user=users["evaluator"], invited_by=users["contributor"])
    assert_error_body(api(client_for("leader"), "post", f"/api/v1/ideas/{idea.pk}/vote"), 409,
                      "own_idea")
    assert api(client_for("evaluator"), "post", f"/api/v1/ideas/{idea.pk}/vote").status_code \
        == 200
    assert list(Vote.objects.values_list("voter__role", flat=True)) == ["evaluator"]


def test_closed_challenge_takes_no_tokens(client_for, users, soups, tokens_challenge):
    evaluator = client_for("evaluator")
    put_tokens(evaluator, soups[0], 2)
    actions.close_challenge(users["manager"], tokens_challenge)
    before = AuditEvent.objects.count()
    assert_error_body(put_tokens(evaluator, soups[0], 3), 409, "challenge_not_open")
    assert_error_body(put_tokens(evaluator, soups[0], 0), 409, "challenge_not_open")
    r = evaluator.post(f"/ideas/{soups[0].pk}/tokens/", {"tokens": "3"})
    assert r.status_code == 409
    assert "Voting has closed for this challenge." in r.content.decode()
    assert AuditEvent.objects.count() == before
    assert Vote.objects.get().tokens == 2


@pytest.mark.parametrize("status, code", [("merged", "idea_merged"), ("declined",
                                                                       "idea_declined")])
def test_merged_or_declined_ideas_take_no_new_support(client_for, users, idea, soups, status,
                                                      code):
    evaluator = client_for("evaluator")
    api(evaluator, "post", f"/api/v1/ideas/{idea.pk}/vote")
    put_tokens(evaluator, soups[0], 3)
    target = soups[1]
    Idea.objects.filter(pk__in=[idea.pk, soups[0].pk]).update(
        status=status, merged_into=target if status == "merged" else None)
    assert_error_body(put_tokens(client_for("leader"), soups[0], 1), 409, code)
    assert_error_body(api(client_for("leader"), "post", f"/api/v1/ideas/{idea.pk}/vote"), 409,
                      code)
    if status == "declined":
        # Tokens are never stuck on a declined idea: they can be taken back.
        assert put_tokens(evaluator, soups[0], 0).json()["remaining"] == BUDGET
        assert api(evaluator, "post", f"/api/v1/ideas/{idea.pk}/vote").json()["supported"] \
            is False
    assert_counters_exact(idea, *soups)


def test_drafts_take_no_support(client_for, users, challenge):
    draft = Idea.objects.create(challenge=challenge, author=users["contributor"],
                                title="Half-baked", description="Later.", status="draft")
    # Nobody else can even see it; its author may not support it either.
    assert_error_body(api(client_for("leader"), "post", f"/api/v1/ideas/{draft.pk}/vote"), 404)
    assert_error_body(api(client_for("contributor"), "post", f"/api/v1/ideas/{draft.pk}/vote"),
                      409, "idea_draft")


def test_ideas_outside_challenges_take_simple_support(client_for, users, challenge):
    area = challenge.focus_areas.get()
    loose = Idea.objects.create(focus_area=area, author=users["contributor"],
                                title="Solar on the cold store", description="Roof space.")
    evaluator = client_for("evaluator")
    r = put_tokens(evaluator, loose, 1)
    assert r.status_code == 200
    assert r.json() == {"idea_id": loose.pk, "voting_mode": "support", "tokens": 1,
                        "vote_count": 1, "token_count": 1, "budget": None, "remaining": None}
    assert_error_body(put_tokens(evaluator, loose, 2), 422, "invalid")
    assert api(evaluator, "post", f"/api/v1/ideas/{loose.pk}/vote").json()["supported"] is False
    assert_counters_exact(loose)


def test_support_mode_put_is_idempotent(client_for, idea):
    evaluator = client_for("evaluator")
    assert put_tokens(evaluator, idea, 1).json()["tokens"] == 1
    assert put_tokens(evaluator, idea, 1).json()["tokens"] == 1
    assert Vote.objects.filter(idea=idea).count() == 1
    assert AuditEvent.objects.filter(verb="vote.cast").count() == 1
    budget = evaluator.get(f"/api/v1/challenges/{idea.challenge_id}/my-budget").json()
    assert budget == {"challenge_id": idea.challenge_id, "voting_mode": "support",
                      "budget": None, "spent": 1, "remaining": None, "ideas_supported": 1}


def test_auditors_only_read(client_for, soups, tokens_challenge):
    auditor = client_for("auditor")
    assert_error_body(put_tokens(auditor, soups[0], 1), 403, "forbidden")
    assert_error_body(auditor.get(f"/api/v1/challenges/{tokens_challenge.pk}/my-budget"),
                      403, "forbidden")
    assert auditor.post(f"/ideas/{soups[0].pk}/tokens/", {"tokens": "1"}).status_code == 403


def test_support_is_activity_for_the_feed(client_for, idea, time_machine):
    time_machine.move_to(timezone.now() + timezone.timedelta(days=2))
    before = Idea.objects.get(pk=idea.pk)
    api(client_for("evaluator"), "post", f"/api/v1/ideas/{idea.pk}/vote")
    after = Idea.objects.get(pk=idea.pk)
    assert after.last_activity_at > before.last_activity_at
    assert after.trend_score > before.trend_score


# --- Pages ---------------------------------------------------------------------------------


def test_idea_page_shows_the_token_stepper_and_what_is_left(client_for, soups):
    evaluator = client_for("evaluator")
    put_tokens(evaluator, soups[1], 2)
    html = evaluator.get(f"/ideas/{soups[0].pk}/").content.decode()
    widget = text_by_id(html, "vote")
    assert "3 of 5 tokens left in this challenge" in widget
    forms = [attrs for tag, attrs in parse(html).tags
             if tag == "form" and attrs.get("action") == f"/ideas/{soups[0].pk}/tokens/"]
    assert len(forms) == 1 and forms[0]["hx-post"] == f"/ideas/{soups[0].pk}/tokens/"
    buttons = [attrs for tag, attrs in parse(html).tags
               if tag == "button" and attrs.get("name") == "tokens"]
    assert [(b["value"], "disabled" in b) for b in buttons] == [("-1", True), ("1", False)]


def test_token_stepper_without_javascript(client_for, users, soups, tokens_challenge):
    evaluator = client_for("evaluator")
    r = evaluator.post(f"/ideas/{soups[0].pk}/tokens/", {"tokens": "2"})
    assert (r.status_code, r["Location"]) == (302, f"/ideas/{soups[0].pk}/")
    # From a list, back to that list; never to another site.
    back = f"/challenges/{tokens_challenge.pk}/?page=1"
    r = evaluator.post(f"/ideas/{soups[1].pk}/tokens/", {"tokens": "1", "next": back})
    assert r["Location"] == back
    r = evaluator.post(f"/ideas/{soups[1].pk}/tokens/",
                       {"tokens": "2", "next": "https://evil.example/"})
    assert r["Location"] == f"/ideas/{soups[1].pk}/"
    r = evaluator.post(f"/ideas/{soups[2].pk}/tokens/", {"tokens": "2"})
    assert r.status_code == 409
    assert "Not enough tokens: you have 1 of 5 left" in r.content.decode()
    r = evaluator.post(f"/ideas/{soups[2].pk}/tokens/", {"tokens": "many"})
    assert r.status_code == 400
    assert dict(Vote.objects.values_list("idea_id", "tokens")) == {soups[0].pk: 2,
                                                                  soups[1].pk: 2}


def test_token_stepper_through_htmx_returns_the_widget(client_for, soups):
    evaluator = client_for("evaluator")
    r = evaluator.post(f"/ideas/{soups[0].pk}/tokens/", {"tokens": "3"},
                       headers={"HX-Request": "true"})
    html = r.content.decode()
    assert r.status_code == 200 and html.lstrip().startswith('<div id="vote"')
    assert "<html" not in html and "2 of 5 tokens left" in html
    # From a row, the row's widget comes back (its own id).
    r = evaluator.post(f"/ideas/{soups[1].pk}/tokens/", {"tokens": "2", "widget": "row"},
                       headers={"HX-Request": "true"})
    assert r.content.decode().lstrip().startswith(f'<div id="vote-{soups[1].pk}"')
    r = evaluator.post(f"/ideas/{soups[2].pk}/tokens/", {"tokens": "1"},
                       headers={"HX-Request": "true"})
    assert r.status_code == 409 and "Not enough tokens" in r.content.decode()


def test_rows_carry_the_vote_widget(client_for, users, tokens_challenge, soups, challenge,
                                    idea):
    evaluator = client_for("evaluator")
    put_tokens(evaluator, soups[0], 4)
    html = evaluator.get(f"/challenges/{tokens_challenge.pk}/").content.decode()
    rows = idea_rows(html)
    assert len(rows) == 3
    assert "1 of 5 tokens left" in text_by_id(html, f"vote-{soups[0].pk}")
    assert "▲ 4 tokens from 1" in text_by_id(html, f"vote-{soups[0].pk}")
    ids = {attrs.get("id") for _, attrs in parse(html).tags}
    assert {f"vote-{s.pk}" for s in soups} <= ids

    # Support mode: a button for others' ideas, none on one's own.
    api(evaluator, "post", f"/api/v1/ideas/{idea.pk}/vote")
    html = evaluator.get(f"/challenges/{challenge.pk}/").content.decode()
    assert 'aria-pressed="true"' in html and "▲ 1" in idea_rows(html)[0]
    own = client_for("contributor").get(f"/challenges/{challenge.pk}/").content.decode()
    assert f"/ideas/{idea.pk}/vote/" not in own and "▲ 1" in idea_rows(own)[0]


def test_auditor_sees_counts_without_controls(client_for, soups, tokens_challenge):
    html = client_for("auditor").get(f"/challenges/{tokens_challenge.pk}/").content.decode()
    assert "/tokens/" not in html and len(idea_rows(html)) == 3


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_cost_the_same_queries_with_more_ideas_and_votes(client_for, users,
                                                               tokens_challenge, soups,
                                                               django_assert_num_queries):
    evaluator = client_for("evaluator")
    put_tokens(evaluator, soups[0], 1)
    challenge_url = f"/challenges/{tokens_challenge.pk}/"
    idea_url = f"/ideas/{soups[0].pk}/"
    small = {url: _queries(evaluator, url) for url in (challenge_url, idea_url, "/ideas/")}
    for n in range(15):
        more = actions.submit_idea(users["leader"], tokens_challenge, title=f"More {n}",
                                   description="x")
        if n < 4:
            put_tokens(evaluator, more, 1)
        CoAuthor.objects.create(idea=more, user=users["evaluator"],
                                invited_by=users["leader"], status=CoAuthor.Status.ACCEPTED)
    for url, count in small.items():
        with django_assert_num_queries(count):
            assert evaluator.get(url).status_code == 200


def test_demo_spreads_tokens_and_the_partner_supports(users, tokens_challenge, soups):
    from seedbed.core.demo.ideation import support as demo

    packaging = actions.open_challenge(users["manager"], new_challenge(
        users["manager"], title="Less plastic", description="Trays.",
        partner_orgs=[users["partner"].partner_org]))
    trays = actions.submit_idea(users["contributor"], packaging, title="Clear trays",
                                description="Sortable.")
    actions.toggle_vote(users["leader"], soups[0])  # a quick "support" first
    result = demo.build({"users": users, "challenges": {"healthy": tokens_challenge,
                                                        "packaging": packaging}})
    assert result["token_votes"] > 0 and result["partner_votes"] == 1
    assert Vote.objects.filter(voter=users["partner"], idea=trays).exists()
    assert not Vote.objects.filter(voter=users["contributor"]).exists()  # own ideas only
    assert_counters_exact(*soups, trays)
    assert_budgets_exact()
