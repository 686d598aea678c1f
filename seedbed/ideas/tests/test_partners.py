"""External partners (issue #4, point 8), end to end.

A partner account sees only the challenges its organisation is invited to and the ideas in
them that are neither drafts nor confidential; it can submit, comment and vote there. Nothing
internal reaches it: not challenges, ideas, ideas sent against focus areas, counts, search
results, similar-idea suggestions, profiles of uninvolved people, exports or notifications.
A partner account without an organisation sees nothing at all.
"""

from __future__ import annotations

import pytest
from django.db.models import F
from django.test import Client

from seedbed.ideas import actions
from seedbed.ideas.models import Challenge, Comment, Idea, Vote
from seedbed.ideas.tests.helpers import api, idea_rows
from seedbed.strategy.models import PartnerOrganisation
from tests.support import assert_error_body, new_challenge

SECRET = "Cryogenic crumb"  # words that occur only in internal records


def _confidential(idea: Idea) -> Idea:
    # Setup only: what the ideas area's confidentiality switch leaves behind.
    Idea.objects.filter(pk=idea.pk).update(confidential=True)
    Challenge.objects.filter(pk=idea.challenge_id).update(
        public_idea_count=F("public_idea_count") - 1)
    idea.refresh_from_db()
    return idea


@pytest.fixture
def world(users, challenge, idea):
    """The partner (Campus Lab) is invited to ``open`` (with the whole organisation) and to
    ``lab_only`` (invited partners only); ``other`` invites another organisation, and the
    fixture's ``challenge`` is internal. Ideas everywhere, a confidential one and a draft in
    the invited challenge, and one sent against a focus area."""
    manager, contributor = users["manager"], users["contributor"]
    campus = users["partner"].partner_org
    other_org = PartnerOrganisation.objects.create(
        name="Other Co", kind=PartnerOrganisation.Kind.SUPPLIER, created_by=users["admin"])

    def opened(**fields):
        return actions.open_challenge(manager, new_challenge(manager, **fields))

    open_ch = opened(title="Open innovation: fresher soups", description="Shelf life.",
                     partner_orgs=[campus])
    lab_only = opened(title="Lab questions on texture", description="For our partners.",
                      audience="partners", partner_orgs=[campus])
    other = opened(title=f"{SECRET} with Other Co", description="Theirs.",
                   partner_orgs=[other_org])
    shared = actions.submit_idea(contributor, open_ch, title="Pressure-pasteurised pots",
                                 description="Pasteurise sealed pots with pressure.")
    secret = _confidential(actions.submit_idea(
        contributor, open_ch, title=f"{SECRET} recipe", description=f"{SECRET} formulation."))
    draft = Idea.objects.create(challenge=open_ch, author=contributor, status="draft",
                                title=f"{SECRET} draft", description="Not yet.")
    loose = Idea.objects.create(focus_area=challenge.focus_areas.get(), author=contributor,
                                title=f"{SECRET} solar roof", description="Internal.")
    other_idea = actions.submit_idea(users["evaluator"], other, title=f"{SECRET} pallets",
                                     description="Other Co's.")
    Idea.objects.filter(pk=idea.pk).update(title=f"{SECRET} crates")
    actions.add_comment(users["leader"], idea, body=f"{SECRET} internal remark")
    return {"open": open_ch, "lab_only": lab_only, "other": other, "internal": challenge,
            "shared": shared, "secret": secret, "draft": draft, "loose": loose,
            "other_idea": other_idea, "internal_idea": idea}


@pytest.fixture
def partner(client_for):
    return client_for("partner")


def hidden(w) -> list[Idea]:
    return [w["secret"], w["draft"], w["loose"], w["other_idea"], w["internal_idea"]]


# --- What partners see ----------------------------------------------------------------------


def test_partner_lists_only_invited_challenges(partner, world):
    html = partner.get("/challenges/").content.decode()
    assert world["open"].title in html and world["lab_only"].title in html
    assert SECRET not in html and world["internal"].title not in html
    ids = {c["id"] for c in partner.get("/api/v1/challenges").json()["items"]}
    assert ids == {world["open"].pk, world["lab_only"].pk}
    assert partner.get("/api/v1/challenges").json()["count"] == 2


def test_partner_opens_invited_challenges_and_nothing_else(partner, world):
    for key in ("open", "lab_only"):
        assert partner.get(f"/challenges/{world[key].pk}/").status_code == 200
        assert partner.get(f"/api/v1/challenges/{world[key].pk}").status_code == 200
    for key in ("internal", "other"):
        assert partner.get(f"/challenges/{world[key].pk}/").status_code == 404
        assert_error_body(partner.get(f"/api/v1/challenges/{world[key].pk}"), 404, "not_found")
        assert_error_body(partner.get(f"/api/v1/ideas?challenge={world[key].pk}"), 404)
        assert partner.get(f"/challenges/{world[key].pk}/ideas/new/").status_code == 404


def test_counts_never_include_what_the_partner_cannot_see(partner, world):
    # Two ideas were submitted to the open challenge; one is confidential.
    world["open"].refresh_from_db()
    assert world["open"].idea_count == 2
    page = partner.get(f"/challenges/{world['open'].pk}/").content.decode()
    assert "Ideas (1)" in page and len(idea_rows(page)) == 1
    assert SECRET not in page
    detail = partner.get(f"/api/v1/challenges/{world['open'].pk}").json()
    assert detail["idea_count"] == 1
    listed = {c["id"]: c["idea_count"] for c in partner.get("/api/v1/challenges").json()["items"]}
    assert listed[world["open"].pk] == 1
    assert "2 ideas" not in partner.get("/challenges/").content.decode()
    home = partner.get("/").content.decode()
    assert "1 idea" in home and "2 ideas" not in home and SECRET not in home
    feed = partner.get("/api/v1/ideas").json()
    assert feed["count"] == 1 and [i["id"] for i in feed["items"]] == [world["shared"].pk]
    in_challenge = partner.get(f"/api/v1/ideas?challenge={world['open'].pk}").json()
    assert in_challenge["count"] == 1


def test_partner_opens_shared_ideas_only(partner, world):
    shared = world["shared"]
    assert partner.get(f"/ideas/{shared.pk}/").status_code == 200
    assert partner.get(f"/api/v1/ideas/{shared.pk}").status_code == 200
    assert partner.get(f"/api/v1/ideas/{shared.pk}/comments").status_code == 200
    for idea in hidden(world):
        assert partner.get(f"/ideas/{idea.pk}/").status_code == 404, idea.title
        assert_error_body(partner.get(f"/api/v1/ideas/{idea.pk}"), 404, "not_found")
        assert_error_body(partner.get(f"/api/v1/ideas/{idea.pk}/comments"), 404, "not_found")
        assert partner.post(f"/ideas/{idea.pk}/comments/", {"body": "Hi"}).status_code == 404
        assert partner.post(f"/ideas/{idea.pk}/vote/").status_code == 404
        assert_error_body(api(partner, "put", f"/api/v1/ideas/{idea.pk}/tokens",
                              {"tokens": 1}), 404)
    assert not Vote.objects.exists()
    assert not Comment.objects.filter(author__role="partner").exists()


def test_feed_and_search_show_nothing_internal(partner, world):
    html = partner.get("/ideas/").content.decode()
    assert [row.split(" ")[0] for row in idea_rows(html)] == ["Pressure-pasteurised"]
    assert SECRET not in html
    for query in ("cryogenic", "crumb", "crates", "pallets", "solar", "remark"):
        assert partner.get(f"/api/v1/ideas?q={query}").json()["count"] == 0, query
        found = partner.get(f"/api/v1/ideas/search?q={query}")
        assert found.status_code == 200 and found.json()["items"] == [], query
        page = partner.get(f"/ideas/?q={query}").content.decode()
        assert SECRET not in page and idea_rows(page) == [], query
    assert partner.get("/api/v1/ideas?q=pasteurise").json()["count"] == 1


def test_similar_idea_suggestions_show_nothing_internal(partner, world, client_for):
    for title in (f"{SECRET} recipe", f"{SECRET} pallets", f"{SECRET} crates",
                  f"{SECRET} solar roof"):
        r = partner.get("/api/v1/ideas/similar", {"title": title,
                                                  "description": f"{SECRET} formulation"})
        assert r.status_code == 200 and r.json()["items"] == [], title
        page = partner.get("/ideas/similar/", {"title": title})
        assert page.status_code == 200 and SECRET not in page.content.decode(), title
    # The same text finds the internal ideas for an employee: the filter is real.
    found = client_for("manager").get("/api/v1/ideas/similar",
                                      {"title": f"{SECRET} recipe"}).json()["items"]
    assert found


def test_partner_submits_comments_and_votes_where_invited(partner, users, world):
    r = partner.post(f"/challenges/{world['open'].pk}/ideas/new/", {
        "title": "Sensory panel for HPP soups", "description": "Our lab can run it.",
        "idea_type": str(world["open"].idea_types.get().pk)})
    assert r.status_code == 302, r.content.decode()[:500]
    mine = Idea.objects.get(author=users["partner"])
    assert mine.challenge == world["open"] and mine.status == "submitted"
    r = api(partner, "post", f"/api/v1/challenges/{world['lab_only'].pk}/ideas",
            {"title": "Texture analyser loan", "description": "We lend ours."})
    assert r.status_code == 201
    assert partner.post(f"/ideas/{world['shared'].pk}/comments/",
                        {"body": "We tested this in 2023."}).status_code == 302
    assert api(partner, "post", f"/api/v1/ideas/{world['shared'].pk}/comments",
               {"body": "Happy to share data."}).status_code == 201
    assert api(partner, "post", f"/api/v1/ideas/{world['shared'].pk}/vote").json() == {
        "supported": True, "vote_count": 1}
    assert Comment.objects.filter(author=users["partner"], idea=world["shared"]).count() == 2
    assert Vote.objects.get().voter == users["partner"]
    # The partner's idea is theirs to see, and employees see it too.
    assert partner.get(f"/ideas/{mine.pk}/").status_code == 200
    assert mine.title in partner.get("/ideas/").content.decode()


def test_partners_cannot_submit_outside_challenges_or_to_internal_ones(partner, world):
    area = world["internal"].focus_areas.get()
    r = api(partner, "post", f"/api/v1/focus-areas/{area.pk}/ideas",
            {"title": "Loose idea", "description": "No challenge."})
    assert r.status_code in (403, 404)
    assert partner.get("/ideas/new/").status_code in (403, 404)
    assert api(partner, "post", f"/api/v1/challenges/{world['internal'].pk}/ideas",
               {"title": "Sneaky", "description": "x"}).status_code == 404
    assert not Idea.objects.filter(author__role="partner").exists()


def test_profiles_only_of_people_involved(partner, users, world):
    # The author of a shared idea is involved; the leader (who only commented internally) is
    # not, and the partner's view of a profile never lists internal work.
    contributor = users["contributor"]
    page = partner.get(f"/people/{contributor.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert world["shared"].title in html and SECRET not in html
    assert partner.get(f"/people/{users['leader'].pk}/").status_code == 404
    assert_error_body(partner.get(f"/api/v1/people/{users['leader'].pk}"), 404)
    body = partner.get(f"/api/v1/people/{contributor.pk}").content.decode()
    assert SECRET not in body


def test_exports_and_management_are_refused(partner, world):
    assert partner.get(f"/challenges/{world['open'].pk}/export/").status_code == 403
    assert_error_body(partner.get(f"/api/v1/challenges/{world['open'].pk}/export"), 403)
    assert partner.get(f"/challenges/{world['open'].pk}/edit/").status_code == 403


def test_notifications_never_carry_internal_records(partner, users, world,
                                                   django_capture_on_commit_callbacks):
    # Internal activity that mentions or concerns the partner cannot reach them.
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_comment(users["leader"], world["internal_idea"],
                            body=f"@{users['partner'].email.split('@')[0]} {SECRET} look")
        actions.add_comment(users["leader"], world["secret"], body=f"{SECRET} too")
        actions.submit_idea(users["contributor"], world["internal"], title=f"{SECRET} more",
                            description="x")
    r = partner.get("/api/v1/notifications")
    assert r.status_code == 200
    assert SECRET not in r.content.decode()
    assert SECRET not in partner.get("/").content.decode()


def test_nav_and_home_show_partners_nothing_internal(partner, world):
    html = partner.get("/").content.decode()
    for internal in ("/strategy/", "/audit/", "/idea-types/", "/admin/"):
        assert f'href="{internal}' not in html, internal
    assert world["open"].title in html and world["internal"].title not in html
    assert "Pressure-pasteurised pots" in html and SECRET not in html


def test_partner_without_an_organisation_sees_nothing(users, world):
    loner = users["partner"]
    loner.partner_org = None
    loner.save(update_fields=["partner_org"])
    client = Client()
    client.force_login(loner)
    assert client.get("/api/v1/challenges").json()["count"] == 0
    assert client.get("/api/v1/ideas").json()["count"] == 0
    assert client.get(f"/challenges/{world['open'].pk}/").status_code == 404
    assert client.get(f"/ideas/{world['shared'].pk}/").status_code == 404
    assert_error_body(api(client, "put", f"/api/v1/ideas/{world['shared'].pk}/tokens",
                          {"tokens": 1}), 404)
    home = client.get("/").content.decode()
    assert world["open"].title not in home and "Pressure-pasteurised" not in home
    assert idea_rows(client.get("/ideas/").content.decode()) == []


def test_employees_do_not_see_the_partners_only_challenge_but_managers_do(client_for, world):
    assert client_for("contributor").get(f"/challenges/{world['lab_only'].pk}/").status_code \
        == 404
    assert client_for("manager").get(f"/challenges/{world['lab_only'].pk}/").status_code == 200
