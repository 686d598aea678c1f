"""Full-text search: the database's own index (FTS5 / PostgreSQL GIN), visibility, snippets
rendered safely, and queries that can never fail. Runs on SQLite and PostgreSQL, with
migrations (the index is created by migration 0004) and without (post_migrate creates it)."""

from __future__ import annotations

import pytest
from django.db import connection

from seedbed import policy
from seedbed.ideas import actions, search
from seedbed.ideas.models import Idea
from tests.support import new_challenge

FEED = "/ideas/"
API = "/api/v1/ideas"


@pytest.fixture
def corpus(users, challenge):
    contributor, evaluator = users[policy.CONTRIBUTOR], users[policy.EVALUATOR]
    made = {
        "crates": Idea.objects.get(title="Reusable crates") if Idea.objects.filter(
            title="Reusable crates").exists() else actions.submit_idea(
            contributor, challenge, title="Reusable crates",
            description="Swap cardboard for returnable crates with retailers."),
        "film": actions.submit_idea(evaluator, challenge, title="Thinner shrink film",
                                    description="Use less plastic on the pallets."),
        "labels": actions.submit_idea(evaluator, challenge, title="Paper labels",
                                      description="Print labels on recycled paper."),
    }
    actions.add_comment(users[policy.MANAGER], made["labels"],
                        body="Retailers would take returnable pallets too.")
    return made


def api_search(client, q: str, extra: str = "") -> dict:
    response = client.get(f"{API}/search", {"q": q, **dict(
        pair.split("=") for pair in extra.split("&") if pair)})
    assert response.status_code == 200, response.content
    return response.json()


def test_search_finds_titles_descriptions_and_comments_best_first(client_for, corpus):
    client = client_for(policy.CONTRIBUTOR)
    found = api_search(client, "returnable")
    # Title+description hit first; the idea whose comment mentions it comes after.
    assert [item["title"] for item in found["items"]] == ["Reusable crates", "Paper labels"]
    assert found["count"] == 2
    assert found["items"][0]["score"] >= found["items"][1]["score"]
    assert "<mark>returnable</mark>" in found["items"][0]["snippet_html"]
    assert "<mark>returnable</mark>" in found["items"][1]["snippet_html"]  # from the comment
    # Every word must match on the search page: "plastic pallets" is the film only.
    assert [i["title"] for i in api_search(client, "plastic pallets")["items"]] == [
        "Thinner shrink film"]
    # Stemming: "labelling" finds "labels".
    assert [i["title"] for i in api_search(client, "label")["items"]] == ["Paper labels"]


def test_search_on_the_feed_page_and_q_on_the_list(client_for, corpus):
    client = client_for(policy.CONTRIBUTOR)
    html = client.get(FEED, {"q": "crates"}).content.decode()
    assert "<mark>crates</mark>" in html and "Reusable" in html
    assert "Paper labels" not in html
    assert '<option value="relevance"' in html  # "best match" is offered (and the default)
    listed = client.get(API, {"q": "crates"}).json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "Reusable crates"
    # Search composes with the filters and the sorts.
    assert client.get(API, {"q": "retailers", "sort": "new"}).json()["count"] == 2
    assert client.get(API, {"q": "retailers", "status": "under_review"}).json()["items"] == []


def test_index_follows_edits_new_comments_and_bulk_inserts(users, challenge, corpus):
    idea = corpus["film"]
    # Any write path, not only the actions, keeps the index right (triggers / expression index).
    idea.title = "Thinner stretch wrap"
    idea.save(update_fields=["title"])
    assert dict(search.match_ids("stretch", 5)).keys() == {idea.pk}
    assert search.match_ids("shrink", 5) == []
    actions.add_comment(users[policy.MANAGER], idea, body="Ask the haulier about straps.")
    hits = search.ranked(Idea.objects.all(), "haulier")
    assert [i.pk for i in hits] == [idea.pk]
    bulk = Idea.objects.bulk_create([Idea(challenge=challenge, author=users[policy.MANAGER],
                                          title="Bulk marzipan idea", description="x")])
    assert [pk for pk, _ in search.match_ids("marzipan", 5)] == [bulk[0].pk]


def test_match_ids_counts_partial_matches_best_first(corpus):
    ranked = search.match_ids("returnable plastic crates for retailers", 10)
    ids = [pk for pk, _ in ranked]
    assert ids[0] == corpus["crates"].pk  # shares the most words
    assert corpus["film"].pk in ids  # only "plastic": a partial match still counts
    assert corpus["labels"].pk not in ids  # comments are not part of duplicate matching
    assert all(a[1] >= b[1] for a, b in zip(ranked, ranked[1:], strict=False))
    assert search.match_ids("", 5) == [] and search.match_ids("!!! ???", 5) == []
    assert len(search.match_ids("crates plastic paper", 1)) == 1


@pytest.mark.parametrize("q", [
    '"', "'", '"crates', "crates\"", "AND", "OR crates", "NOT", "NEAR(crates retailers)",
    "crates*", "*", "title:crates", "{title}: crates", "-crates", "^crates", "crates +",
    "(", ")", "\\", "%", "_", "crates' OR 1=1 --", "ünïcödé crätes", "日本語", "a" * 200,
    " ".join(["crates"] * 25), "\u202e", "crates\tretailers\n", "&lt;mark&gt;",
])
def test_no_query_can_fail(client_for, corpus, q):
    client = client_for(policy.CONTRIBUTOR)
    assert client.get(FEED, {"q": q}).status_code == 200
    assert client.get(API, {"q": q}).status_code == 200
    assert client.get(f"{API}/search", {"q": q}).status_code == 200
    search.match_ids(q, 5)


def test_operators_are_plain_words(client_for, corpus):
    client = client_for(policy.CONTRIBUTOR)
    # "OR" is a word, not an operator: nothing contains both "or" and "xylophone".
    assert api_search(client, "crates OR xylophone")["count"] == 0
    assert api_search(client, '"reusable crates"')["count"] == 1


def test_snippets_escape_stored_text(client_for, users, challenge):
    payload = '<script>alert("x")</script> <img src=x onerror=alert(1)>'
    idea = actions.submit_idea(users[policy.CONTRIBUTOR], challenge,
                               title=f"Crates {payload}", description=f"Crates {payload}")
    actions.add_comment(users[policy.MANAGER], idea, body=f"Pallets {payload}")
    client = client_for(policy.CONTRIBUTOR)
    for q in ("crates", "pallets", "script alert", "img onerror"):
        html = client.get(FEED, {"q": q}).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, q
        # PostgreSQL's parser drops HTML-looking tags from the index, so "script" may not
        # match there: check whatever is found.
        for item, field in [(item, field) for item in api_search(client, q)["items"]
                            for field in ("title_html", "snippet_html")]:
            text = item[field] or ""
            assert "<script" not in text and "<img" not in text, (q, field, text)
            assert text.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "&lt;img" in api_search(client, "crates")["items"][0]["title_html"]
    comment_hit = api_search(client, "pallets")["items"][0]["snippet_html"]
    assert "<mark>Pallets</mark>" in comment_hit and "&lt;" in comment_hit
    # Marker characters typed by someone cannot forge tags either.
    assert search.render_marked("a\x02b<i>\x02c\x03\x03d\x02") == \
        "a<mark>b&lt;i&gt;c</mark>d<mark></mark>"


def test_search_respects_confidentiality_and_partners(client_for, users, org, challenge):
    from seedbed.strategy.models import PartnerOrganisation

    evaluator, manager = users[policy.EVALUATOR], users[policy.MANAGER]
    secret = actions.create_idea(evaluator, challenge=challenge, title="Secret marinade",
                                 description="Marinade recipe.", confidential=True)
    actions.create_idea(evaluator, challenge=challenge, title="Draft marinade",
                        description="Marinade draft.", draft=True)
    actions.submit_idea(users[policy.CONTRIBUTOR], challenge, title="Public marinade",
                        description="Marinade for all.")
    campus = users[policy.PARTNER].partner_org
    other_org = PartnerOrganisation.objects.exclude(pk=campus.pk).first() or \
        PartnerOrganisation.objects.create(name="Other Lab", created_by=manager)
    theirs = new_challenge(manager, title="Other lab's challenge", description="x",
                           audience="partners", partner_orgs=[other_org])
    theirs = actions.open_challenge(manager, theirs)
    actions.submit_idea(manager, theirs, title="Partner marinade", description="Marinade.")

    def seen(role: str) -> tuple[list[str], int]:
        found = api_search(client_for(role), "marinade")
        listed = client_for(role).get(API, {"q": "marinade"}).json()
        assert listed["count"] == found["count"]
        html = client_for(role).get(FEED, {"q": "marinade"}).content.decode()
        titles = sorted(i["title"] for i in found["items"])
        for title in ("Secret marinade", "Draft marinade", "Partner marinade",
                      "Public marinade"):
            shown = f"{title.split()[0]} <mark>marinade</mark>" in html
            assert shown == (title in titles), (role, title)
        return titles, found["count"]

    assert seen(policy.CONTRIBUTOR) == (["Public marinade"], 1)
    assert seen(policy.AUDITOR) == (["Partner marinade", "Public marinade"], 2)
    assert seen(policy.PARTNER) == ([], 0)
    assert seen(policy.MANAGER) == (["Partner marinade", "Public marinade", "Secret marinade"],
                                    3)
    secret.evaluators.add(users[policy.LEADER])
    assert "Secret marinade" in seen(policy.LEADER)[0]


@pytest.mark.parametrize("size", [3, 30])
def test_search_page_costs_a_fixed_number_of_queries(size, users, challenge, client_for,
                                                     django_assert_num_queries):
    for k in range(size):
        idea = actions.submit_idea(users[policy.CONTRIBUTOR], challenge, title=f"Crate idea {k}",
                                   description="Returnable crates.")
        actions.add_comment(users[policy.MANAGER], idea, body="Crates again.")
    client = client_for(policy.CONTRIBUTOR)
    # session, user, org unit, 4 option lists, count of matches, ranked ids, their rows,
    # highlights, my support, the bell
    with django_assert_num_queries(13):
        response = client.get(FEED, {"q": "crates returnable"})
    assert response.content.decode().count('class="idea-title"') == min(size, 20)
    with django_assert_num_queries(7):  # session, user, org unit, ids, rows, count, highlights
        found = client.get(f"{API}/search", {"q": "crates returnable"}).json()
    assert found["count"] == size


@pytest.mark.django_db
def test_search_uses_the_full_text_index():
    """The plan reads the FTS5 table / GIN index, not a scan of every idea's text."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN SELECT id FROM ideas_idea WHERE {search.PG_IDEA_VECTOR} "
                           "@@ to_tsquery('english', 'crates')")
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
            assert "idea_search_gin" in plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN SELECT rowid FROM ideas_search "
                           "WHERE ideas_search MATCH 'crates'")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan
