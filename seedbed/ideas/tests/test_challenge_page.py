"""The challenge page lists its ideas with their counts, twenty to a page, and answers htmx
with just the list."""

from __future__ import annotations

import pytest

from seedbed.ideas import actions
from seedbed.ideas.tests.helpers import idea_rows, text_by_id
from seedbed.ideas.views.challenges import IDEAS_PER_PAGE
from tests.support import new_challenge


@pytest.fixture
def many_ideas(users, challenge):
    ideas = [actions.submit_idea(users["contributor"], challenge, title=f"Idea {n:02d}",
                                 description=f"Number {n}.") for n in range(IDEAS_PER_PAGE + 1)]
    actions.toggle_vote(users["leader"], ideas[-1])
    actions.toggle_vote(users["evaluator"], ideas[-1])
    actions.add_comment(users["leader"], ideas[-1], body="First!")
    return ideas


def test_first_page_lists_the_newest_twenty_with_their_counts(client_for, challenge, many_ideas):
    r = client_for("contributor").get(f"/challenges/{challenge.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    rows = idea_rows(html)
    assert len(rows) == IDEAS_PER_PAGE == 20
    assert rows[0].startswith("Idea 20")
    assert "▲ 2" in rows[0] and "1 comment" in rows[0]
    assert "▲ 0" in rows[1] and "0 comments" in rows[1]
    assert "Page 1 of 2" in html
    assert 'href="?page=2"' in html
    assert "Ideas (21)" in html


def test_second_page_holds_the_oldest(client_for, challenge, many_ideas):
    r = client_for("contributor").get(f"/challenges/{challenge.pk}/", {"page": 2})
    rows = idea_rows(r.content.decode())
    assert len(rows) == 1
    assert rows[0].startswith("Idea 00")
    assert "Page 2 of 2" in r.content.decode()


@pytest.mark.parametrize("page", ["99", "0", "abc", "-1"])
def test_odd_page_numbers_fall_back_to_a_real_page(client_for, challenge, many_ideas, page):
    r = client_for("contributor").get(f"/challenges/{challenge.pk}/", {"page": page})
    assert r.status_code == 200
    assert len(idea_rows(r.content.decode())) in (1, 20)


def test_htmx_request_for_the_list_gets_only_the_list(client_for, challenge, many_ideas):
    r = client_for("contributor").get(
        f"/challenges/{challenge.pk}/", {"page": 2},
        headers={"HX-Request": "true", "HX-Target": "idea-list"})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="idea-list"')
    assert "<html" not in html and "<h1" not in html and "Cut packaging waste" not in html
    assert [row[:7] for row in idea_rows(html)] == ["Idea 00"]
    assert text_by_id(html, "idea-list").count("Page 2 of 2") == 1


def test_htmx_request_for_another_target_gets_the_whole_page(client_for, challenge, many_ideas):
    r = client_for("contributor").get(f"/challenges/{challenge.pk}/",
                                      headers={"HX-Request": "true", "HX-Target": "main"})
    assert "<html" in r.content.decode()


def test_pagination_links_work_without_javascript(client_for, challenge, many_ideas):
    html = client_for("contributor").get(f"/challenges/{challenge.pk}/").content.decode()
    assert 'href="?page=2" hx-get="?page=2" hx-target="#idea-list"' in html


def test_challenge_without_ideas_says_so(client_for, challenge):
    html = client_for("contributor").get(f"/challenges/{challenge.pk}/").content.decode()
    assert idea_rows(html) == []
    assert "No ideas yet." in html


def test_challenge_list_shows_counts_and_filters_by_status(client_for, users, challenge,
                                                           many_ideas):
    closed = new_challenge(users["manager"], title="Old campaign", description="Done.")
    actions.open_challenge(users["manager"], closed)
    actions.close_challenge(users["manager"], closed)
    c = client_for("contributor")
    html = c.get("/challenges/").content.decode()
    assert "Cut packaging waste" in html and "Old campaign" in html
    assert "21 ideas" in html
    html = c.get("/challenges/", {"status": "closed"}).content.decode()
    assert "Old campaign" in html and "Cut packaging waste" not in html


def test_all_ideas_page_pages_by_twenty(client_for, many_ideas):
    c = client_for("contributor")
    first = idea_rows(c.get("/ideas/").content.decode())
    second = idea_rows(c.get("/ideas/", {"page": 2}).content.decode())
    assert (len(first), len(second)) == (20, 1)


def test_api_lists_ideas_with_limit_and_offset(client_for, challenge, many_ideas):
    c = client_for("contributor")
    r = c.get("/api/v1/ideas", {"challenge": challenge.pk, "limit": 5, "offset": 20})
    body = r.json()
    assert (body["count"], body["limit"], body["offset"]) == (21, 5, 20)
    assert [i["title"] for i in body["items"]] == ["Idea 00"]
    # Full-text search matches whole words: "Idea 2" would also find "Idea 02" ("Number 2.").
    r = c.get("/api/v1/ideas", {"q": "Idea 20"})
    assert [i["title"] for i in r.json()["items"]] == ["Idea 20"]
    assert r.json()["count"] == 1
