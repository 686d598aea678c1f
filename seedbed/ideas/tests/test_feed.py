"""The ideas feed: filters, sorts, paging, trending, and a fixed query count."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from seedbed import policy
from seedbed.ideas import actions
from seedbed.ideas.models import Idea, IdeaType
from seedbed.ideas.selectors import feed
from tests.support import assert_error_body, new_challenge

FEED = "/ideas/"
API = "/api/v1/ideas"


def titles(response) -> list[str]:
    """Idea titles on a feed page (HTML) in order."""
    html = response.content.decode()
    out = []
    for chunk in html.split('class="idea-title"')[1:]:
        out.append(chunk.split(">", 1)[1].split("</a>", 1)[0])
    return out


def api_titles(client, query: str = "") -> list[str]:
    response = client.get(f"{API}?{query}")
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def world(users, org, challenge):
    """Ideas spread over two challenges, a focus area, types, units, tags and statuses."""
    from seedbed.strategy.actions import focus as focus_actions

    manager, contributor, evaluator = (users[policy.MANAGER], users[policy.CONTRIBUTOR],
                                       users[policy.EVALUATOR])
    IdeaType.ensure_defaults()
    process = IdeaType.objects.get(code="process")
    energy = focus_actions.create_focus_area(
        manager, title="Energy costs", kind="threat", horizon="h1", priority=1,
        rationale="Power prices doubled.")
    other = actions.open_challenge(manager, new_challenge(
        manager, title="Cheaper chilling", description="Ideas on refrigeration.",
        focus_areas=[energy], idea_types=[process]))
    evaluator.org_unit = org["sales"]
    evaluator.save(update_fields=["org_unit"])
    made = {
        "crates": actions.submit_idea(contributor, challenge, title="Reusable crates",
                                      description="Returnable crates.", tags=["packaging"]),
        "film": actions.submit_idea(evaluator, challenge, title="Thinner film",
                                    description="Use less plastic film."),
        "doors": actions.submit_idea(contributor, other, title="Fast-closing doors",
                                     description="Keep the cold in.", tags=["energy"],
                                     idea_type=process),
        "solar": actions.create_idea(evaluator, focus_area=energy, title="Solar roof",
                                     description="Panels on the warehouse.",
                                     idea_type=IdeaType.objects.get(code="product")),
    }
    # Set directly: the status workflow is another area's (and its own tests cover it).
    Idea.objects.filter(pk=made["film"].pk).update(status=Idea.Status.UNDER_REVIEW)
    return {"energy": energy, "other": other, **made}


def test_feed_lists_what_you_may_see_newest_first(client_for, world):
    response = client_for(policy.CONTRIBUTOR).get(FEED)
    assert response.status_code == 200
    assert titles(response) == ["Solar roof", "Fast-closing doors", "Thinner film",
                                "Reusable crates"]


@pytest.mark.parametrize(("query", "expected"), [
    ("challenge={challenge}", ["Thinner film", "Reusable crates"]),
    # The area's own ideas and those in challenges asking about it.
    ("focus_area={energy}", ["Solar roof", "Fast-closing doors"]),
    ("idea_type=process", ["Fast-closing doors"]),
    ("status=under_review", ["Thinner film"]),
    ("tag=packaging", ["Reusable crates"]),
    ("tag=PACKAGING", ["Reusable crates"]),
    # Operations includes its sub-unit Plant Leeds (the contributor's unit).
    ("org_unit={ops}", ["Fast-closing doors", "Reusable crates"]),
    ("org_unit={sales}", ["Solar roof", "Thinner film"]),
    ("author={evaluator}", ["Solar roof", "Thinner film"]),
    ("challenge={challenge}&status=submitted", ["Reusable crates"]),
])
def test_each_filter_narrows_the_feed_in_html_and_api(client_for, world, org, users, challenge,
                                                      query, expected):
    query = query.format(challenge=challenge.pk, energy=world["energy"].pk, ops=org["ops"].pk,
                         sales=org["sales"].pk, evaluator=users[policy.EVALUATOR].pk)
    client = client_for(policy.MANAGER)
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 200
    assert titles(response) == expected
    assert api_titles(client, query) == expected


def test_filter_form_keeps_its_values(client_for, world, challenge):
    html = client_for(policy.MANAGER).get(
        f"{FEED}?challenge={challenge.pk}&status=under_review&tag=packaging&sort=discussed"
    ).content.decode()
    assert f'<option value="{challenge.pk}" selected>' in html
    assert '<option value="under_review" selected>' in html
    assert 'value="packaging"' in html
    assert '<option value="discussed" selected>' in html


def test_sorts_by_support_discussion_and_trend(client_for, users, world):
    manager, leader = users[policy.MANAGER], users[policy.LEADER]
    actions.add_comment(manager, world["film"], body="Worth a trial.")
    actions.add_comment(leader, world["film"], body="Agreed.")
    actions.add_comment(manager, world["crates"], body="Talk to retailers.")
    Idea.objects.filter(pk=world["doors"].pk).update(vote_count=5)
    Idea.objects.filter(pk=world["crates"].pk).update(vote_count=2)
    client = client_for(policy.MANAGER)
    assert api_titles(client, "sort=supported")[:2] == ["Fast-closing doors", "Reusable crates"]
    assert api_titles(client, "sort=discussed")[:2] == ["Thinner film", "Reusable crates"]
    assert titles(client.get(f"{FEED}?sort=discussed"))[:2] == ["Thinner film",
                                                                 "Reusable crates"]
    # Trending follows recorded activity: the film's two comments lead.
    for name in ("crates", "film", "doors", "solar"):
        feed.refresh_trend(world[name])
    assert api_titles(client, "sort=trending")[0] == "Thinner film"


def test_trend_score_decays_so_fresh_activity_beats_old_activity(users, world):
    crates, film = world["crates"], world["film"]
    old = datetime(2025, 1, 1, tzinfo=UTC)
    Idea.objects.filter(pk__in=[crates.pk, film.pk]).update(trend_score=0.0)
    for _ in range(5):  # five events a month ago …
        feed.bump_trend(crates.pk, feed.WEIGHT_VOTE, at=old)
    feed.bump_trend(film.pk, feed.WEIGHT_VOTE, at=old + timedelta(days=30))  # … one today
    crates.refresh_from_db()
    film.refresh_from_db()
    assert film.trend_score > crates.trend_score
    # Five same-time events weigh five times one: ln 5 apart in log space.
    single = feed.trend_term(feed.WEIGHT_VOTE, old)
    assert crates.trend_score == pytest.approx(feed.add_log(0.0, single + math.log(5)),
                                               rel=1e-9)


def test_comment_and_support_actions_move_the_trend(users, world):
    film = world["film"]
    before = Idea.objects.get(pk=film.pk).trend_score
    with time_machine.travel(datetime.now(UTC) + timedelta(days=1)):
        actions.add_comment(users[policy.MANAGER], film, body="Good.")
    assert Idea.objects.get(pk=film.pk).trend_score > before


def test_feed_pages_without_counting(client_for, users, challenge, django_assert_num_queries):
    contributor = users[policy.CONTRIBUTOR]
    for n in range(25):
        actions.submit_idea(contributor, challenge, title=f"Idea {n:02d}", description="x")
    client = client_for(policy.MANAGER)
    first = client.get(f"{FEED}?status=submitted")
    assert len(titles(first)) == 20
    html = first.content.decode()
    assert "status=submitted&amp;page=2" in html and "Page 1" in html
    second = client.get(f"{FEED}?status=submitted&page=2")
    assert titles(second) == [f"Idea {n:02d}" for n in range(4, -1, -1)]
    assert 'rel="next"' not in second.content.decode()
    page = client.get(f"{API}?status=submitted&limit=20&offset=20").json()
    assert (page["count"], page["has_more"], len(page["items"])) == (None, False, 5)
    page = client.get(f"{API}?limit=10").json()
    assert (page["count"], page["has_more"]) == (25, True)  # from the challenges' counters


def test_htmx_request_gets_only_the_results(client_for, world):
    response = client_for(policy.MANAGER).get(f"{FEED}?tag=energy", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="feed-results"')
    assert "filter-form" not in html and "Fast-closing doors" in html


def test_feed_never_shows_drafts_merged_or_confidential_ideas_to_others(client_for, users,
                                                                        challenge):
    actions.create_idea(users[policy.EVALUATOR], challenge=challenge, title="Secret recipe",
                        description="x", confidential=True)
    actions.create_idea(users[policy.EVALUATOR], challenge=challenge, title="Draft thought",
                        description="x", draft=True)
    shown = api_titles(client_for(policy.CONTRIBUTOR))
    assert "Secret recipe" not in shown and "Draft thought" not in shown
    assert "Secret recipe" not in titles(client_for(policy.CONTRIBUTOR).get(FEED))
    assert client_for(policy.CONTRIBUTOR).get(API).json()["count"] == 0
    assert "Secret recipe" in api_titles(client_for(policy.MANAGER))
    assert "Draft thought" not in api_titles(client_for(policy.MANAGER))
    # Its author sees the draft on its own page, never in the feed.
    assert "Draft thought" not in api_titles(client_for(policy.EVALUATOR))


def test_partner_sees_no_internal_filters_or_ideas(client_for, world):
    client = client_for(policy.PARTNER)
    html = client.get(FEED).content.decode()
    assert "Org unit" not in html and "Energy costs" not in html
    assert titles(client.get(FEED)) == []
    assert client.get(f"{API}?focus_area={world['energy'].pk}").json()["items"] == []
    assert_error_body(client.get(f"{API}?org_unit=1"), 422)
    assert_error_body(client.get(f"{API}?challenge={world['other'].pk}"), 404)


@pytest.mark.parametrize("query", [
    "status=nonsense", "sort=sideways", "org_unit=999999", "author=99999999999999999999999",
    "focus_area=-1", "limit=0", "offset=-5", "challenge=abc", "tag=" + "x" * 50,
])
def test_bad_api_filters_are_clear_errors(client_for, world, query):
    response = client_for(policy.MANAGER).get(f"{API}?{query}")
    assert 400 <= response.status_code < 500
    assert_error_body(response, response.status_code)


@pytest.mark.parametrize("query", ["challenge=abc", "status=nonsense", "author=x",
                                   "org_unit=99999999", "page=abc", "sort=%00"])
def test_bad_html_filters_never_fail(client_for, world, query):
    response = client_for(policy.MANAGER).get(f"{FEED}?{query}")
    assert response.status_code in (200, 400)


def _grow(users, challenge, n: int) -> None:
    contributor = users[policy.CONTRIBUTOR]
    for k in range(n):
        idea = actions.submit_idea(contributor, challenge, title=f"Idea {k}",
                                   description="Grow the feed.", tags=["growth"])
        actions.add_comment(users[policy.MANAGER], idea, body=f"Comment {k}")


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(("role", "query", "budget"), [
    # session, user, then: challenges, focus areas, types, org units (form), count (summed
    # counters), page, my support, the bell's unread count
    (policy.MANAGER, "", 10),
    # a filter no counter knows: no count at all
    (policy.MANAGER, "sort=trending&tag=growth", 9),
    # the challenge row instead of the summed counters
    (policy.MANAGER, "challenge={challenge}&sort=supported", 10),
    # a contributor's visibility costs one more query (their org unit)
    (policy.CONTRIBUTOR, "sort=discussed", 11),
])
def test_feed_costs_a_fixed_number_of_queries(size, role, query, budget, users, challenge,
                                              client_for, django_assert_num_queries):
    _grow(users, challenge, size)
    client = client_for(role)
    url = f"{reverse('ideas:idea_list')}?{query.format(challenge=challenge.pk)}"
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert len(titles(response)) == min(size, 20)


@pytest.mark.parametrize("size", [3, 30])
def test_api_feed_costs_a_fixed_number_of_queries(size, users, challenge, client_for,
                                                  django_assert_num_queries):
    _grow(users, challenge, size)
    client = client_for(policy.CONTRIBUTOR)
    with django_assert_num_queries(5):  # session, user, org unit, count (counters), page
        response = client.get(f"{API}?sort=trending")
    assert len(response.json()["items"]) == min(size, 20)
    with django_assert_num_queries(4):  # no counter applies to a tag: no count at all
        client.get(f"{API}?tag=growth")
