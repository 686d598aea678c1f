"""Strategy at a glance: approved and current only, for every employee, at a fixed query count."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from seedbed import policy
from seedbed.strategy.models import ControlledDocument, DocumentVersion, FocusArea, Objective
from seedbed.strategy.selectors.glance import current_versions, glance_for
from tests.support import new_challenge

URL = "/strategy/"
API = "/api/v1/strategy/glance"
Status = DocumentVersion.Status


def make_document(owner, kind: str, title: str, *versions: tuple[str, str, int]):
    """A controlled document with versions given as (status, body, effective days from today).
    Built with the ORM: the glance only reads what the documents area writes."""
    today = timezone.localdate()
    document = ControlledDocument.objects.create(kind=kind, title=title, owner=owner)
    made = []
    for number, (status, body, offset) in enumerate(versions, start=1):
        approved = status in (Status.APPROVED, Status.SUPERSEDED)
        made.append(DocumentVersion.objects.create(
            document=document, number=number, status=status, body=body,
            change_summary=f"Version {number}", author=owner,
            effective_on=today + timedelta(days=offset) if approved else None,
            approver=None, approved_at=timezone.now() if approved else None))
    return document, made


def make_focus_area(proposer, title: str, *, status=FocusArea.Status.ACTIVE, horizon="h1",
                    kind="opportunity", priority=2, owner=None) -> FocusArea:
    return FocusArea.objects.create(title=title, kind=kind, rationale=f"Why {title} matters.",
                                    horizon=horizon, priority=priority, status=status,
                                    proposed_by=proposer, owner=owner)


def make_objective(owner, title: str, *areas: FocusArea, days_left: int = 200) -> Objective:
    today = timezone.localdate()
    objective = Objective.objects.create(
        title=title, indicator="Share of sales", unit="%", baseline=Decimal("5"),
        target=Decimal("20"), start_on=today - timedelta(days=100),
        due_on=today + timedelta(days=days_left), owner=owner, created_by=owner,
        current_value=Decimal("10"), current_as_of=today)
    objective.focus_areas.set(areas)
    return objective


@pytest.fixture
def strategy(users):
    leader, manager = users["leader"], users["manager"]
    intent, intent_versions = make_document(
        manager, "intent", "Innovation intent",
        (Status.SUPERSEDED, "Old intent: grow in *ready meals*.", -400),
        (Status.APPROVED, "Grow **plant-based** chilled food to a third of sales by 2030.", -30),
        (Status.DRAFT, "DRAFT INTENT not yet approved", 0))
    for version in intent_versions[:2]:
        version.approver = leader
        version.save(update_fields=["approver"])
    scope, _ = make_document(manager, "scope", "Scope of the IMS",
                             (Status.APPROVED, "All sites and product lines.", -30))
    strategy_doc, _ = make_document(
        manager, "strategy", "Innovation strategy 2026-2028",
        (Status.APPROVED, "Strategy body.", -20),
        (Status.IN_REVIEW, "STRATEGY IN REVIEW", 0))
    policy_doc, _ = make_document(manager, "policy", "Innovation policy",
                                  (Status.DRAFT, "POLICY DRAFT", 0))
    plant = make_focus_area(manager, "Plant-based ready meals", horizon="h2", priority=1,
                            owner=manager)
    waste = make_focus_area(manager, "Food waste rules", kind="threat", horizon="h1", priority=1)
    make_focus_area(users["contributor"], "PROPOSED vending robots",
                    status=FocusArea.Status.PROPOSED, horizon="h3")
    make_focus_area(manager, "DECLINED space food", status=FocusArea.Status.DECLINED)
    share = make_objective(manager, "Plant-based share of sales", plant)
    shelf = make_objective(manager, "Shelf life extension", plant, waste, days_left=50)
    return {"intent": intent, "intent_versions": intent_versions, "scope": scope,
            "strategy": strategy_doc, "policy": policy_doc, "plant": plant, "waste": waste,
            "share": share, "shelf": shelf}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["admin", "manager", "leader", "evaluator", "contributor",
                                  "auditor"])
def test_every_employee_reads_the_approved_and_current_strategy(role, users, strategy):
    response = signed_in(users[role]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>plant-based</strong>" in html  # the approved intent, as Markdown
    assert "Old intent" not in html  # superseded
    assert "All sites and product lines." in html
    assert "Innovation strategy 2026-2028" in html and "version 1" in html
    assert "Plant-based ready meals" in html and "Food waste rules" in html
    assert "Plant-based share of sales" in html and "Shelf life extension" in html
    assert "approved by Leader Person" in html


@pytest.mark.parametrize("role", ["admin", "manager", "leader", "contributor"])
def test_drafts_and_proposals_never_appear_even_for_managers(role, users, strategy):
    html = signed_in(users[role]).get(URL).content.decode()
    for hidden in ("DRAFT INTENT", "STRATEGY IN REVIEW", "POLICY DRAFT", "PROPOSED vending",
                   "DECLINED space food"):
        assert hidden not in html, hidden
    assert "No innovation policy has been approved yet." in html
    data = signed_in(users[role]).get(API).json()
    assert data["policy"] is None
    assert data["intent"]["version"] == 2
    assert data["strategy"]["version"] == 1
    assert {a["title"] for a in data["focus_areas"]} == {"Plant-based ready meals",
                                                         "Food waste rules"}


def test_only_those_who_work_on_drafts_are_pointed_to_them(users, strategy):
    manager_html = signed_in(users["manager"]).get(URL).content.decode()
    contributor_html = signed_in(users["contributor"]).get(URL).content.decode()
    assert "Drafts and versions in review never appear" in manager_html
    assert "Drafts and versions in review never appear" not in contributor_html


def test_focus_areas_are_grouped_by_horizon_with_their_objectives(users, strategy):
    glance = glance_for(users["contributor"])
    by_horizon = {g.code: [a.title for a in g.focus_areas] for g in glance.horizons}
    assert by_horizon == {"h1": ["Food waste rules"], "h2": ["Plant-based ready meals"],
                          "h3": []}
    plant = glance.horizons[1].focus_areas[0]
    assert [o.title for o in plant.linked_objectives] == ["Shelf life extension",
                                                          "Plant-based share of sales"]
    html = signed_in(users["contributor"]).get(URL).content.decode()
    assert html.index("H1 core") < html.index("Food waste rules") < html.index("H2 adjacent")
    assert html.index("H2 adjacent") < html.index("Plant-based ready meals") \
        < html.index("H3 transformational")
    assert "No active focus area in this horizon." in html
    assert "Threat" in html and "Opportunity" in html and "High priority" in html


def test_the_api_returns_the_same_structure(users, strategy):
    data = signed_in(users["evaluator"]).get(API).json()
    intent = data["intent"]
    assert intent == {"document_id": strategy["intent"].pk,
                      "version_id": strategy["intent_versions"][1].pk,
                      "title": "Innovation intent", "version": 2,
                      "effective_on": str(timezone.localdate() - timedelta(days=30)),
                      "body": "Grow **plant-based** chilled food to a third of sales by 2030."}
    assert data["scope"]["title"] == "Scope of the IMS"
    assert set(data["strategy"]) == {"document_id", "version_id", "title", "version",
                                     "effective_on"}
    waste, plant = data["focus_areas"]  # by priority, then title
    assert (waste["title"], waste["kind"], waste["horizon"], waste["priority"]) == (
        "Food waste rules", "threat", "h1", 1)
    assert [o["title"] for o in waste["objectives"]] == ["Shelf life extension"]
    assert [o["id"] for o in plant["objectives"]] == [strategy["shelf"].pk, strategy["share"].pk]
    assert set(plant["objectives"][0]) == {"id", "title", "due_on", "health"}


def test_objective_health_is_derived_from_progress_against_time(users, strategy):
    # Both went from 5 to 10 of 20 (a third of the way) after 100 days: the share objective
    # has 300 days in all (a third gone: on track), shelf life 150 (two thirds gone: off track).
    data = signed_in(users["contributor"]).get(API).json()
    health = {o["title"]: o["health"] for area in data["focus_areas"] for o in area["objectives"]}
    assert health == {"Shelf life extension": "off_track", "Plant-based share of sales":
                      "on_track"}
    html = signed_in(users["contributor"]).get(URL).content.decode()
    assert '<span class="status health-on_track">On track</span>' in html
    assert '<span class="status health-off_track">Off track</span>' in html
    assert data["open_challenge_count"] == 0


def test_empty_strategy_reads_well(users):
    html = signed_in(users["contributor"]).get(URL).content.decode()
    for text in ("No innovation intent has been approved yet.", "No scope has been approved yet.",
                 "No innovation strategy has been approved yet.",
                 "No innovation policy has been approved yet.", "No focus area is active yet",
                 "No challenge is open for you right now."):
        assert text in html, text
    data = signed_in(users["contributor"]).get(API).json()
    assert data == {"intent": None, "scope": None, "strategy": None, "policy": None,
                    "focus_areas": [], "open_challenge_count": 0}


def test_partners_see_none_of_the_strategy(users, strategy):
    partner = signed_in(users["partner"])
    response = partner.get(URL)
    assert response.status_code == 403
    assert "plant-based" not in response.content.decode()
    api = partner.get(API)
    assert api.status_code == 403 and api.json()["error"]["code"] == "forbidden"
    # The selector itself shows them nothing either.
    glance = glance_for(users["partner"])
    assert glance.intent is None and glance.focus_areas == []


def test_anonymous_is_sent_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Client().get(API).status_code == 401


def test_strategy_is_in_the_main_menu_for_those_who_may_read_it(users):
    html = signed_in(users["contributor"]).get(reverse("core:home")).content.decode()
    assert f'<a href="{URL}">Strategy</a>' in html
    on_page = signed_in(users["contributor"]).get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">Strategy</a>' in on_page
    partner_html = signed_in(users["partner"]).get(reverse("core:home")).content.decode()
    assert f'href="{URL}"' not in partner_html


def test_open_challenges_are_counted_as_the_person_sees_them(users, challenge,
                                                             draft_challenge_for_glance):
    html = signed_in(users["contributor"]).get(URL).content.decode()
    assert '?status=open">1 challenge</a> open for ideas right now.' in html
    assert signed_in(users["manager"]).get(API).json()["open_challenge_count"] == 1


def test_open_challenges_are_listed_under_the_focus_areas_they_ask_about(
        users, challenge, draft_challenge_for_glance):
    from seedbed.strategy.models import FocusArea

    area = challenge.focus_areas.get()
    # A second active focus area nobody has asked about yet.
    other = FocusArea.objects.create(title="Other", kind="threat", rationale="R",
                                     status="active", proposed_by=users["manager"])
    areas = {a["id"]: a for a in signed_in(users["contributor"]).get(API).json()["focus_areas"]}
    assert [c["title"] for c in areas[area.pk]["open_challenges"]] == ["Cut packaging waste"]
    assert areas[other.pk]["open_challenges"] == []
    html = signed_in(users["contributor"]).get(URL).content.decode()
    assert f'href="/challenges/{challenge.pk}/">Cut packaging waste</a>' in html
    assert "Draft" not in [c["title"] for a in areas.values() for c in a["open_challenges"]]
    # A partner sees no strategy, so no challenge under it either.
    assert signed_in(users["partner"]).get(API).status_code == 403


@pytest.fixture
def draft_challenge_for_glance(users):

    return new_challenge(users["manager"], title="Draft", description="Not open.")


def test_user_text_is_escaped_or_sanitised(users):
    manager = users["manager"]
    make_document(manager, "intent", "Intent <b>bold</b>",
                  (Status.APPROVED, "Hi <script>alert(1)</script> [x](javascript:alert(1))", -1))
    make_focus_area(manager, "<img src=x onerror=alert(1)>")
    html = signed_in(users["contributor"]).get(URL).content.decode()
    assert "<script>alert(1)" not in html and 'href="javascript' not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Intent &lt;b&gt;bold&lt;/b&gt;" in html


def test_an_approved_version_not_yet_in_force_waits_for_its_date(users):
    manager = users["manager"]
    make_document(manager, "policy", "Policy", (Status.APPROVED, "Current policy", -10))
    make_document(manager, "policy", "Policy 2027", (Status.APPROVED, "Next year's policy", 30))
    make_document(manager, "policy", "Old policy", (Status.APPROVED, "Older policy", -90))
    assert current_versions()["policy"].body == "Current policy"
    # With nothing in force yet, the approved version is shown with the date it takes effect.
    make_document(manager, "strategy", "Strategy", (Status.APPROVED, "From next month", 30))
    upcoming = current_versions()["strategy"]
    assert upcoming.body == "From next month" and upcoming.in_force is False
    html = signed_in(users["contributor"]).get(URL).content.decode()
    assert "takes effect on" in html and "in force since" in html


def populate(users, n: int) -> None:
    """n active focus areas (spread over the horizons), each with two objectives, plus
    documents with several versions each."""
    manager = users["manager"]
    for kind in ("intent", "scope", "strategy", "policy"):
        make_document(manager, kind, f"{kind} doc",
                      *[(Status.SUPERSEDED, f"v{k}", -100 + k) for k in range(n // 5)],
                      (Status.APPROVED, "current", -1), (Status.DRAFT, "draft", 0))
    for k in range(n):
        area = make_focus_area(manager, f"Focus area {k}", horizon=("h1", "h2", "h3")[k % 3],
                               kind=("opportunity", "threat")[k % 2], priority=1 + k % 3,
                               owner=manager if k % 2 else None)
        make_objective(manager, f"Objective {k}a", area)
        make_objective(users["leader"], f"Objective {k}b", area)
        make_focus_area(manager, f"Proposal {k}", status=FocusArea.Status.PROPOSED)


# Every signed-in request costs 2 (session, user); then approved versions, active focus areas,
# their objectives, open challenges (a contributor's visibility costs 1 more: their org unit).
BUDGETS = {
    # One query more than before for the open challenges under each focus area.
    "page": (URL, 9),
    "api": (API, 8),
}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_glance_costs_a_fixed_number_of_queries(page, size, users, challenge,
                                                django_assert_num_queries):
    populate(users, size)
    url, budget = BUDGETS[page]
    client = signed_in(users[policy.CONTRIBUTOR])
    with django_assert_num_queries(budget, info=f"{page} with {size} focus areas"):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.content) > 0
    if page == "api":
        # The populated ones and the one the challenge fixture asks about.
        assert len(response.json()["focus_areas"]) == size + 1


def test_the_api_answer_matches_its_documented_schema(users, strategy, challenge):
    from tests.test_api_schema import Contract

    contract = Contract(Client().get("/api/v1/openapi.json").json())
    for role in ("contributor", "manager", "auditor"):
        response = signed_in(users[role]).get(API)
        assert response.status_code == 200
        contract.check("GET", API, response)  # status documented, body valid, nothing extra
    contract.check("GET", API, signed_in(users["partner"]).get(API))
    operation = contract.document["paths"][API]["get"]
    assert operation["tags"] == ["strategy"]


SECTION_PAGES = ("glance", "context_issue_list", "context_party_list", "focus_list",
                 "documents_list", "planning_objective_list", "planning_raci",
                 "planning_action_item_list", "documents_awareness", "resources_budget_list",
                 "resources_time_list", "resources_competence_matrix", "resources_training_list",
                 "partners_list")


def section_links(html: str) -> list[str]:
    import re

    nav = re.search(r'<nav class="filters strategy-nav" aria-label="Strategy">(.*?)</nav>', html,
                    re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


@pytest.mark.parametrize("role", ["admin", "manager", "leader", "evaluator", "contributor",
                                  "auditor"])
def test_section_menu_offers_each_page_the_role_may_open(role, users):
    from django.urls import resolve

    user = users[role]
    links = section_links(signed_in(user).get(URL).content.decode())
    expected = []
    for name in SECTION_PAGES:
        url = reverse(f"strategy:{name}")
        if policy.can(user, resolve(url).func.access_rule):
            expected.append(url)
    assert links == expected
    assert links[0] == URL and len(links) >= 8


def test_page_links_lead_to_readable_records(users, strategy):
    contributor = signed_in(users["contributor"])
    html = contributor.get(URL).content.decode()
    version = strategy["strategy"].versions.get(status=Status.APPROVED)
    for url in (reverse("strategy:focus_detail", args=[strategy["plant"].pk]),
                reverse("strategy:planning_objective_detail", args=[strategy["share"].pk]),
                reverse("strategy:documents_version", args=[version.pk])):
        assert f'href="{url}"' in html, url
        assert contributor.get(url).status_code == 200, url
    assert f'href="{reverse("strategy:focus_propose")}"' in html
    auditor_html = signed_in(users["auditor"]).get(URL).content.decode()
    assert reverse("strategy:focus_propose") not in auditor_html  # auditors only read
