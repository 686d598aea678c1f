"""The portfolio board (issue #5 point 9): columns by stage of the template's current version,
collapsed status columns, the newest cards with "and K more", moves by buttons and by drag
(both gate decisions through the gate's board-move endpoint), filters, confidentiality and a
fixed query count."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.pipeline import selectors
from seedbed.pipeline.models import (
    Assumption,
    GateDecision,
    Initiative,
    Risk,
    Stage,
    TemplateVersion,
)
from seedbed.pipeline.selectors import portfolio as reads
from seedbed.pipeline.tests.portfolio_helpers import (
    focus_area,
    make_initiative,
    read_board,
    spread,
)

BOARD = "/pipeline/board/"


def board_html(client: Client, **params) -> str:
    response = client.get(BOARD, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_columns_are_the_current_versions_stages_then_the_statuses(users, templates,
                                                                 client_for):
    made = spread(users, templates, 18)
    spread(users, templates, 4, template="process")
    board = read_board(board_html(client_for("manager")))
    assert list(board.columns) == ["concept", "validate", "develop", "launch", "scale",
                                   "on_hold", "stopped", "deployed"]
    for key in ("concept", "validate", "develop", "launch", "scale"):
        expected = {i.title for i in made if i.status == "active" and i.stage.key == key}
        assert set(board.columns[key]) == expected, key
    for status in ("on_hold", "stopped", "deployed"):
        assert set(board.columns[status]) == {i.title for i in made if i.status == status}
    # The process template's initiatives are on its own tab.
    process = read_board(board_html(client_for("manager"), template="process"))
    assert list(process.columns)[:4] == ["diagnose", "pilot", "rollout", "standardise"]
    assert sum(len(v) for v in process.columns.values()) == 4


def new_version(template, *, rename: dict[str, str]) -> TemplateVersion:
    """Version 2 of ``template``, published, with some stage keys renamed."""
    old = template.current
    version = TemplateVersion.objects.create(template=template, number=old.number + 1,
                                             status="published", published_at=timezone.now())
    for stage in Stage.objects.filter(version=old).order_by("position"):
        Stage.objects.create(version=version, position=stage.position,
                             key=rename.get(stage.key, stage.key), name=stage.name,
                             phase=stage.phase, decider_roles=stage.decider_roles,
                             risk_appetite=stage.risk_appetite)
    old.status = "superseded"
    old.save(update_fields=["status"])
    template.current = version
    template.save(update_fields=["current"])
    return version


def test_older_versions_sit_in_their_stage_keys_column_or_under_other(users, templates,
                                                                     client_for):
    product = templates["product"]
    v1 = product.current
    on_validate = make_initiative(users, product, stage_key="validate", title="Old validate")
    on_develop = make_initiative(users, product, stage_key="develop", title="Old develop")
    new_version(product, rename={"develop": "build"})
    fresh = make_initiative(users, product, stage_key="build", title="New build")
    html = board_html(client_for("leader"))
    board = read_board(html)
    assert board.columns["validate"] == ["Old validate"]
    assert board.columns["build"] == ["New build"]
    assert board.columns["other"] == ["Old develop"]
    assert "Develop (version 1)" in html
    # Buttons still move older cards (through their own version's gate), dragging does not.
    assert on_develop.version_id == v1.pk and board.cards[on_develop.pk]["buttons"]
    assert "data-move-url" not in board.cards[on_validate.pk]["data"]
    assert board.cards[fresh.pk]["data"]["data-move-url"]


def test_a_column_shows_the_newest_cards_and_links_to_the_rest(users, templates, client_for):
    product = templates["product"]
    now = timezone.now()
    for k in range(15):
        made = make_initiative(users, product, title=f"Concept {k}")
        Initiative.objects.filter(pk=made.pk).update(updated_at=now - timedelta(hours=k))
    html = board_html(client_for("manager"))
    board = read_board(html)
    assert board.columns["concept"] == [f"Concept {k}" for k in range(12)]
    assert "and 3 more" in html
    link = next(line for line in html.splitlines() if "and 3 more" in line)
    href = link.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert urlsplit(href).path == reverse("pipeline:initiative_list")
    assert parse_qs(urlsplit(href).query) == {"template": ["product"], "status": ["active"],
                                              "stage": ["concept"]}


def test_status_columns_show_counts_and_the_latest_three(users, templates, client_for):
    product = templates["product"]
    for k in range(5):
        make_initiative(users, product, title=f"Stopped {k}", status="stopped")
    data = reads.board(users["manager"], {"template": "product"})
    stopped = next(c for c in data.columns if c.key == "stopped")
    assert (stopped.count, len(stopped.cards), stopped.more) == (5, 3, 2)
    assert stopped.collapsed
    html = board_html(client_for("manager"))
    assert "and 2 more" in html


@pytest.mark.parametrize(("role", "movable"), [
    ("manager", {"concept"}), ("admin", {"concept"}), ("leader", {"validate", "develop"}),
    ("auditor", set())])
def test_move_buttons_only_for_the_deciders_of_the_cards_stage(role, movable, users,
                                                              templates, client_for):
    product = templates["product"]
    cards = {key: make_initiative(users, product, stage_key=key, title=key)
             for key in ("concept", "validate", "develop")}
    board = read_board(board_html(client_for(role)))
    for key, card in cards.items():
        buttons = board.cards[card.pk]["buttons"]
        assert bool(buttons) == (key in movable), (role, key)
    if "concept" in movable:
        # The first stage has nowhere to go back to.
        assert board.cards[cards["concept"].pk]["buttons"] == ["forward"]
    if "validate" in movable:
        assert board.cards[cards["validate"].pk]["buttons"] == ["back", "forward"]


def test_the_back_button_pivots_through_the_gate_and_is_audited(users, templates,
                                                                client_for):
    card = make_initiative(users, templates["product"], stage_key="validate", title="Soups")
    leader = client_for("leader")
    board = read_board(board_html(leader))
    payload = {**board.cards[card.pk]["inputs"], "rationale": "Customers want a new concept.",
               "direction": "back"}
    assert set(payload) == {"csrfmiddlewaretoken", "stage_id", "round", "next", "rationale",
                            "direction"}
    response = leader.post(reverse("pipeline:initiative_board_move", args=[card.pk]), payload)
    assert response.status_code == 302
    assert response["Location"] == BOARD
    card.refresh_from_db()
    assert card.stage.key == "concept"
    decision = GateDecision.objects.get(initiative=card)
    assert (decision.outcome, decision.via_board, decision.decided_by) == (
        "pivot", True, users["leader"])
    assert AuditEvent.objects.filter(verb="gate.decided", object_id=str(card.pk)).count() == 1


def ready_for_pilot_gate(users, templates) -> Initiative:
    """A process initiative at "pilot" (manager-decided) whose evidence is all there."""
    card = make_initiative(users, templates["process"], stage_key="pilot", title="Heat recovery")
    Assumption.objects.create(initiative=card, statement="Operators accept it", kind="other",
                              importance=3, created_by=users["manager"])
    Risk.objects.create(initiative=card, title="Valve supply", likelihood=2, impact=2,
                        created_by=users["manager"])
    return card


def test_a_drop_posts_the_drag_form_and_moves_forward(users, templates):
    card = ready_for_pilot_gate(users, templates)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["manager"])
    board = read_board(board_html(browser, template="process"))
    data = board.cards[card.pk]["data"]
    assert data["data-position"] == "1"
    # What board.js does on a drop onto the next column: fill the hidden form and submit it.
    form = dict(board.drag_form)
    assert set(form) == {"csrfmiddlewaretoken", "direction", "rationale", "stage_id", "round",
                         "next"}
    form.update(direction="forward", rationale="Pilot cut heating gas by 12 %.",
                stage_id=data["data-stage-id"], round=data["data-round"])
    response = browser.post(data["data-move-url"], form)
    assert response.status_code == 302
    assert response["Location"] == f"{BOARD}?template=process"
    card.refresh_from_db()
    assert card.stage.key == "rollout"
    decision = GateDecision.objects.get(initiative=card)
    assert (decision.outcome, decision.via_board) == ("go", True)
    assert AuditEvent.objects.filter(verb="gate.decided").count() == 1


def test_a_forward_move_with_unmet_items_is_refused_and_nothing_moves(users, templates,
                                                                     client_for):
    card = make_initiative(users, templates["process"], stage_key="pilot", title="Bare")
    manager = client_for("manager")
    board = read_board(board_html(manager, template="process"))
    payload = {**board.cards[card.pk]["inputs"], "rationale": "Looks fine.",
               "direction": "forward"}
    response = manager.post(reverse("pipeline:initiative_board_move", args=[card.pk]), payload)
    assert response.status_code == 400
    card.refresh_from_db()
    assert card.stage.key == "pilot"
    assert not GateDecision.objects.exists()
    assert not AuditEvent.objects.filter(verb="gate.decided").exists()


def test_a_stale_card_cannot_be_moved_twice(users, templates, client_for):
    card = make_initiative(users, templates["product"], stage_key="validate", title="Twice")
    leader = client_for("leader")
    payload = {**read_board(board_html(leader)).cards[card.pk]["inputs"],
               "rationale": "Back to the drawing board.", "direction": "back"}
    url = reverse("pipeline:initiative_board_move", args=[card.pk])
    assert leader.post(url, payload).status_code == 302
    assert leader.post(url, payload).status_code == 409
    assert GateDecision.objects.filter(initiative=card).count() == 1


def test_filters_narrow_the_board(users, templates, client_for, org):
    from seedbed.accounts.models import User

    product = templates["product"]
    area = focus_area(users["manager"])
    sales_lead = User.objects.create_user("sales@example.test", "x" * 12, full_name="Sal Es",
                                          role="contributor", org_unit=org["sales"])
    make_initiative(users, product, title="Core", horizon="h1", uncertainty=20)
    make_initiative(users, product, title="Bold", horizon="h3", uncertainty=90,
                    focus_areas=[area])
    make_initiative(users, product, title="Sales", horizon="h2", uncertainty=60,
                    lead=sales_lead)
    manager = client_for("manager")

    def titles(**params) -> set[str]:
        board = read_board(board_html(manager, **params))
        return {t for column in board.columns.values() for t in column}

    assert titles() == {"Core", "Bold", "Sales"}
    assert titles(horizon="h3") == {"Bold"}
    assert titles(min_uncertainty=50) == {"Bold", "Sales"}
    assert titles(min_uncertainty=50, max_uncertainty=70) == {"Sales"}
    assert titles(focus_area=area.pk) == {"Bold"}
    assert titles(lead=sales_lead.pk) == {"Sales"}
    # An org unit takes the units below it: Operations holds Plant Leeds, the manager's.
    assert titles(org_unit=org["ops"].pk) == {"Core", "Bold"}
    assert titles(org_unit=org["sales"].pk) == {"Sales"}
    assert titles(phase="validate") == set()
    assert titles(status="active", idea_type="product") == {"Core", "Bold", "Sales"}


@pytest.mark.parametrize("params", [
    {"min_uncertainty": "70", "max_uncertainty": "20"}, {"max_uncertainty": "101"},
    {"horizon": "h9"}, {"template": "no-such-template"}, {"lead": "abc"}])
def test_bad_filters_are_named_with_a_400(params, users, templates, client_for):
    make_initiative(users, templates["product"], title="Kept")
    response = client_for("manager").get(BOARD, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "field-error" in html
    assert "Kept" not in html


def test_confidential_initiatives_are_absent_for_the_auditor(users, templates, client_for):
    product = templates["product"]
    make_initiative(users, product, title="Open recipe")
    make_initiative(users, product, title="Secret gravy", confidential=True)
    auditor = board_html(client_for("auditor"))
    assert "Open recipe" in auditor and "Secret gravy" not in auditor
    assert reads.board(users["auditor"], {}).total == 1
    manager = board_html(client_for("manager"))
    assert "Secret gravy" in manager and "Confidential" in manager


def test_the_shared_filter_keeps_confidential_initiatives_from_a_contributor(users,
                                                                           templates):
    product = templates["product"]
    make_initiative(users, product, title="Open recipe")
    secret = make_initiative(users, product, title="Secret gravy", confidential=True)
    titles = set(reads.filtered(users["contributor"], {}).values_list("title", flat=True))
    assert titles == {"Open recipe"}
    assert set(reads.filtered(users["leader"], {}).values_list("title", flat=True)) == {
        "Open recipe", "Secret gravy"}
    # On the team, the contributor sees it, like a confidential idea.
    secret.team.create(user=users["contributor"], added_by=users["manager"])
    assert reads.filtered(users["contributor"], {}).count() == 2
    assert selectors.visible_initiatives(users["partner"]).count() == 0


def test_contributors_and_partners_have_no_board(client_for):
    for role in ("contributor", "partner", "evaluator"):
        assert client_for(role).get(BOARD).status_code == 403


def test_board_costs_the_same_queries_at_5_and_40_initiatives(users, templates, client_for):
    area = focus_area(users["manager"])
    manager = client_for("manager")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert manager.get(BOARD).status_code == 200
        return len(ctx)

    spread(users, templates, 5, areas=[area])
    small = count()
    spread(users, templates, 35, areas=[area])
    spread(users, templates, 10, template="process", areas=[area])
    assert count() == small
    # session, user, the bell; filter options (templates, idea types, focus areas, org units,
    # leads); the board (templates, stages, counts per column, cards).
    assert small == 12
