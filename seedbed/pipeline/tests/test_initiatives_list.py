"""The initiative list (page and API): filters, search over title, summary and learnings,
pagination, who sees what (partners, confidential initiatives) and its fixed query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from seedbed.ideas import actions as idea_actions
from seedbed.pipeline.actions.initiatives import add_team_member, promote_ideas
from seedbed.pipeline.models import Initiative
from tests.support import assert_error_body

API = "/api/v1/pipeline/initiatives"
LIST = "/pipeline/initiatives/"  # pipeline:initiative_list


def agreement_in_force(users, partner_org) -> None:
    from seedbed.strategy.actions.partners import add_agreement

    add_agreement(users["manager"], partner_org, kind="nda", title="Mutual NDA",
                  starts_on=timezone.localdate() - timedelta(days=30))


@pytest.fixture
def world(users, org, challenge, templates):
    """Five initiatives that differ in every way the list filters by."""
    from seedbed.strategy.actions.focus import create_focus_area

    manager = users["manager"]
    meals = create_focus_area(manager, title="Plant-based meals", kind="opportunity",
                              horizon="h2", rationale="Flexitarian shoppers.")

    def idea(title: str, author: str = "contributor"):
        return idea_actions.submit_idea(users[author], challenge, title=title,
                                        description=f"{title}, described.")

    made = {
        "crates": promote_ideas(manager, [idea("Reusable crates")], org_unit=org["plant"],
                                summary="Swap cardboard for returnable crates."),
        "oat": promote_ideas(manager, [idea("Oat soup base", "evaluator")],
                             template=templates["process"], lead=users["evaluator"],
                             org_unit=org["sales"], horizon="h2", focus_areas=[meals],
                             summary="A creamy base without dairy."),
        "deposit": promote_ideas(manager, [idea("Crate deposit")],
                                 template=templates["continuous_improvement"],
                                 lead=users["contributor"], summary="Charge a deposit."),
        "salt": promote_ideas(manager, [idea("Salt blend")], template=templates["business_model"],
                              lead=users["leader"], confidential=True,
                              summary="Seaweed and mushroom."),
        "trays": promote_ideas(manager, [idea("Tray trial")], horizon="h3",
                               summary="Mono-material trays with Campus Lab."),
    }
    # Stopped, with what was learned: found again by it.
    Initiative.objects.filter(pk=made["deposit"].pk).update(
        status=Initiative.Status.STOPPED, stopped_at=timezone.now(),
        learnings="Retailers' till software cannot refund a deposit.")
    agreement_in_force(users, users["partner"].partner_org)
    add_team_member(manager, made["trays"], email=users["partner"].email, role="partner")
    add_team_member(manager, made["oat"], email=users["contributor"].email)
    return made


def page_titles(client, query: str = "") -> set[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200, response.content[:300]
    return {i.title for i in response.context["page"].object_list}


def api_titles(client, query: str = "") -> set[str]:
    response = client.get(f"{API}?limit=100&{query}")
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["count"] == len(body["items"])
    return {i["title"] for i in body["items"]}


def titles_both_ways(client, query: str = "") -> set[str]:
    """The page and the API answer the same filters with the same initiatives."""
    found = page_titles(client, query)
    assert api_titles(client, query) == found, query
    return found


ALL = {"Reusable crates", "Oat soup base", "Crate deposit", "Salt blend", "Tray trial"}


@pytest.mark.parametrize(("query", "expected"), [
    ("", ALL),
    ("template=process", {"Oat soup base"}),
    ("stage=concept", {"Reusable crates", "Tray trial"}),
    ("phase=concept", ALL),
    ("status=stopped", {"Crate deposit"}),
    ("status=active", ALL - {"Crate deposit"}),
    ("horizon=h2", {"Oat soup base"}),
    ("horizon=h3", {"Tray trial"}),
    ("idea_type=product", ALL),
    ("q=crates", {"Reusable crates"}),  # the title
    ("q=dairy", {"Oat soup base"}),  # the summary
    ("q=till+software", {"Crate deposit"}),  # what a stopped initiative taught
    ("q=TILL+refund", {"Crate deposit"}),  # any case, every word
    ("q=till+seaweed", set()),
    ("status=active&horizon=h1&q=crates", {"Reusable crates"}),
])
def test_filters_and_search(query, expected, client_for, world):
    assert titles_both_ways(client_for("manager"), query) == expected


def test_filters_by_focus_area_unit_lead_and_mine(client_for, users, org, world):
    manager = client_for("manager")
    meals = world["oat"].focus_areas.get()
    assert titles_both_ways(manager, f"focus_area={meals.pk}") == {"Oat soup base"}
    # A unit and everything below it: Operations holds Plant Leeds, where the leads work.
    assert titles_both_ways(manager, f"org_unit={org['ops'].pk}") == ALL - {"Oat soup base"}
    assert titles_both_ways(manager, f"org_unit={org['sales'].pk}") == {"Oat soup base"}
    assert titles_both_ways(manager, f"lead={users['evaluator'].pk}") == {"Oat soup base"}
    # Mine: the one the contributor leads and the one they are on the team of.
    assert titles_both_ways(client_for("contributor"), "mine=true") == {
        "Crate deposit", "Oat soup base"}


def test_the_list_shows_what_each_row_needs(client_for, world):
    html = client_for("manager").get(f"{LIST}?q=till").content.decode()
    assert "Learned: Retailers&#x27; till software cannot refund a deposit." in html
    html = client_for("manager").get(LIST).content.decode()
    assert "Continuous improvement · Assess" in html
    assert 'class="tag">Confidential' in html


def test_htmx_asks_for_the_results_only(client_for, world):
    response = client_for("manager").get(f"{LIST}?q=crates", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="initiative-')
    assert "Reusable crates" in html and "<html" not in html


def test_partner_sees_only_the_initiatives_they_are_on(client_for, world):
    partner = client_for("partner")
    assert titles_both_ways(partner) == {"Tray trial"}
    assert titles_both_ways(partner, "q=crates") == set()
    for key, status in (("trays", 200), ("crates", 404), ("oat", 404), ("salt", 404)):
        pk = world[key].pk
        assert partner.get(reverse("pipeline:initiative_detail", args=[pk])).status_code == \
            status, key
        assert partner.get(f"{API}/{pk}").status_code == status, key
    # Nothing of the internal structure in the filter form: no org units, only their leads.
    form = partner.get(LIST).context["form"]
    assert "org_unit" not in form.fields
    assert [label for _, label in form.fields["lead"].choices] == ["Any", "Manager Person"]


@pytest.mark.parametrize(("role", "sees"), [
    ("admin", True), ("manager", True), ("leader", True), ("evaluator", False),
    ("contributor", False), ("auditor", False), ("partner", False)])
def test_a_confidential_initiative_is_hidden_like_a_confidential_idea(role, sees, client_for,
                                                                      world):
    client = client_for(role)
    salt = world["salt"]
    assert ("Salt blend" in page_titles(client)) is sees
    assert ("Salt blend" in api_titles(client, "q=seaweed")) is sees
    assert client.get(reverse("pipeline:initiative_detail", args=[salt.pk])).status_code == (
        200 if sees else 404)
    assert client.get(f"{API}/{salt.pk}").status_code == (200 if sees else 404)


def test_the_team_of_a_confidential_initiative_sees_it(client_for, users, world):
    add_team_member(users["manager"], world["salt"], email=users["evaluator"].email)
    evaluator = client_for("evaluator")
    assert "Salt blend" in titles_both_ways(evaluator, "q=seaweed")
    assert evaluator.get(f"{API}/{world['salt'].pk}").status_code == 200


@pytest.mark.parametrize("query", ["status=nope", "horizon=h9", "phase=done", "focus_area=abc",
                                   "lead=-1", "org_unit=99999999999999999999", "q=" + "x" * 201])
def test_bad_filters_are_refused(query, client_for, world):
    manager = client_for("manager")
    assert manager.get(f"{LIST}?{query}").status_code == 400
    assert_error_body(manager.get(f"{API}?{query}"), 422, "invalid")


def test_unknown_but_well_formed_filters_find_nothing(client_for, world):
    manager = client_for("manager")
    for query in ("lead=987654", "org_unit=987654", "focus_area=987654"):
        assert api_titles(manager, query) == set(), query
    assert api_titles(manager, "template=nope&stage=nope&idea_type=nope") == set()
    assert manager.get(f"{API}?q=%00").status_code == 422


def test_the_list_pages(client_for, users, challenge, templates):
    manager = users["manager"]
    for n in range(27):
        promote_ideas(manager, [idea_actions.submit_idea(
            users["contributor"], challenge, title=f"Idea {n}", description="d")])
    client = client_for("contributor")
    first = client.get(LIST).context["page"]
    assert (len(first.object_list), first.paginator.count, first.has_next()) == (25, 27, True)
    second = client.get(f"{LIST}?page=2").context["page"]
    assert [i.title for i in second.object_list] == ["Idea 1", "Idea 0"]
    assert client.get(f"{LIST}?page=999").context["page"].number == 2
    body = client.get(f"{API}?limit=5&offset=25").json()
    assert (body["count"], [i["title"] for i in body["items"]]) == (27, ["Idea 1", "Idea 0"])


def test_the_list_costs_a_fixed_number_of_queries(client_for, users, org, challenge, templates,
                                                  django_assert_num_queries):
    from seedbed.strategy.actions.focus import create_focus_area

    client = client_for("contributor")

    def grow(n: int, start: int) -> None:
        for k in range(start, start + n):
            area = create_focus_area(users["manager"], title=f"Area {k}", kind="opportunity",
                                     rationale="r")
            made = promote_ideas(users["manager"], [idea_actions.submit_idea(
                users["evaluator"], challenge, title=f"Idea {k}", description="d")],
                lead=users["contributor"] if k % 2 else users["evaluator"],
                org_unit=org["sales"] if k % 3 else org["plant"], focus_areas=[area],
                confidential=k % 4 == 0)
            if k % 10 == 0:  # on the team of one the evaluator leads
                add_team_member(users["manager"], made, email=users["contributor"].email)

    grow(3, 0)
    # session, user, the bell; the form's templates, stages, idea types, focus areas, org units
    # and leads; the count and the page of rows (stage, lead, template, type, unit joined)
    with django_assert_num_queries(11):
        assert client.get(LIST).status_code == 200
    # session, user; count, page
    with django_assert_num_queries(4):
        assert client.get(f"{API}?q=idea&mine=true").status_code == 200
    grow(30, 3)
    with django_assert_num_queries(11):
        page = client.get(f"{LIST}?q=idea").context["page"]
    assert len(page.object_list) == 25
    with django_assert_num_queries(4):
        assert client.get(f"{API}?q=idea&mine=true").status_code == 200

