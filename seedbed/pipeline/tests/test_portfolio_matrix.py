"""The portfolio matrix (issue #5 point 9): value against uncertainty, bubble area by
investment, colour by horizon; served as its own SVG document, shown in the page as an image
with the same points in a table; the largest investments only; a fixed query count."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seedbed.pipeline.selectors import portfolio as reads
from seedbed.pipeline.tests.portfolio_helpers import focus_area, make_initiative, spread
from seedbed.pipeline.views.portfolio import HORIZON_COLOURS

PAGE = "/pipeline/portfolio/matrix/"
SVG = "/pipeline/portfolio/matrix.svg"
NS = {"svg": "http://www.w3.org/2000/svg"}


@pytest.fixture
def mix(users, templates):
    product = templates["product"]
    return {
        "bet": make_initiative(users, product, title="Soup subscription", horizon="h3",
                               projected=400_000, committed=50_000, spent=10_000,
                               uncertainty=80),
        "core": make_initiative(users, product, title="Paper lids", stage_key="launch",
                                projected=300_000, committed=20_000, uncertainty=10),
        "live": make_initiative(users, product, title="LED lighting", status="deployed",
                                stage_key="scale", projected=50_000, actual=90_000,
                                committed=5_000, spent=5_000, uncertainty=0, horizon="h2"),
        "stopped": make_initiative(users, product, title="Smoothie cubes", status="stopped",
                                   projected=80_000, committed=30_000, uncertainty=95),
    }


def test_points_place_value_uncertainty_and_investment(users, mix):
    data = reads.matrix(users["manager"])
    by_title = {p.title: p for p in data.points}
    # Stopped initiatives are no longer part of the portfolio being steered.
    assert set(by_title) == {"Soup subscription", "Paper lids", "LED lighting"}
    assert data.count == 3 and not data.truncated
    bet, live = by_title["Soup subscription"], by_title["LED lighting"]
    assert (bet.value, bet.investment, bet.uncertainty) == (Decimal(400_000),
                                                           Decimal(50_000), 80)
    # Deployed: placed by what it delivered, not what it promised.
    assert (live.value, live.value_is_actual) == (Decimal(90_000), True)
    # Largest investment first.
    assert [p.title for p in data.points] == ["Soup subscription", "Paper lids", "LED lighting"]
    assert {p.title for p in reads.matrix(users["manager"], {"status": "stopped"}).points} == {
        "Smoothie cubes"}


def test_quadrants_read_value_against_uncertainty(users, mix):
    points = {p.title: p for p in reads.matrix(users["manager"]).points}
    top = reads.value_axis_top(list(points.values()))
    assert top == 500_000
    assert reads.quadrant(points["Soup subscription"], top) == "Bets: test fast"
    assert reads.quadrant(points["Paper lids"], top) == "Core: deliver and scale"
    assert reads.quadrant(points["LED lighting"], top) == "Small wins: keep lean"


def test_only_the_largest_investments_are_plotted_and_the_page_says_so(users, mix, client_for,
                                                                       monkeypatch):
    data = reads.matrix(users["manager"], limit=2)
    assert [p.title for p in data.points] == ["Soup subscription", "Paper lids"]
    assert (data.count, data.truncated) == (3, True)
    monkeypatch.setattr(reads, "MATRIX_LIMIT", 2)
    html = client_for("manager").get(PAGE).content.decode()
    assert "Showing the 2 largest investments of 3 initiatives" in html
    assert "LED lighting" not in html


def test_the_svg_is_an_image_with_a_named_linked_bubble_each(users, mix, client_for):
    response = client_for("manager").get(SVG)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    links = root.findall(".//svg:a", NS)
    assert len(links) == 3
    by_title = {}
    for link in links:
        circle = link.find("svg:circle", NS)
        title = circle.find("svg:title", NS).text
        by_title[title.split(" (")[0]] = (link.get("href"), circle)
    href, circle = by_title["Soup subscription"]
    assert href == reverse("pipeline:initiative_detail", args=[mix["bet"].pk])
    assert circle.get("fill") == HORIZON_COLOURS["h3"]
    # Area follows investment: the largest investment has the largest bubble.
    radii = {t: float(c.get("r")) for t, (_, c) in by_title.items()}
    assert radii["Soup subscription"] > radii["Paper lids"] > radii["LED lighting"]
    # Further right is more uncertain.
    assert float(by_title["Soup subscription"][1].get("cx")) > float(
        by_title["Paper lids"][1].get("cx"))


def test_titles_in_the_svg_are_escaped(users, templates, client_for):
    make_initiative(users, templates["product"], title='<script>alert(1)</script> & "q"',
                    projected=10)
    body = client_for("manager").get(SVG).content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;" in body
    ET.fromstring(body)  # still well-formed XML


def test_the_page_shows_the_chart_as_an_image_and_the_points_as_a_table(users, mix,
                                                                         client_for):
    area = focus_area(users["manager"])
    mix["bet"].focus_areas.add(area)
    html = client_for("manager").get(PAGE, {"focus_area": area.pk}).content.decode()
    assert f'src="{SVG}?focus_area={area.pk}"' in html
    assert "<svg" not in html and "<script>" not in html and "style=" not in html
    assert "Soup subscription" in html and "Paper lids" not in html
    assert "Bets: test fast" in html


def test_confidential_initiatives_are_absent_for_the_auditor(users, mix, templates,
                                                             client_for):
    make_initiative(users, templates["product"], title="Secret gravy", confidential=True,
                    projected=1_000_000, committed=100_000)
    auditor = client_for("auditor")
    for url in (PAGE, SVG):
        assert "Secret gravy" not in auditor.get(url).content.decode()
        assert "Secret gravy" in client_for("leader").get(url).content.decode()


def test_bad_filters_are_refused(users, mix, client_for):
    manager = client_for("manager")
    assert manager.get(PAGE, {"min_uncertainty": "-1"}).status_code == 400
    assert manager.get(SVG, {"min_uncertainty": "90", "max_uncertainty": "10"}).status_code \
        == 400


@pytest.mark.parametrize(("url", "pinned"), [
    # session, user, the bell, five filter options, the count and the points
    (PAGE, 10),
    # the same without the page's bell
    (SVG, 9),
])
def test_matrix_costs_the_same_queries_at_5_and_40_initiatives(url, pinned, users, templates,
                                                               client_for):
    area = focus_area(users["manager"])
    manager = client_for("manager")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert manager.get(url).status_code == 200
        return len(ctx)

    spread(users, templates, 5, areas=[area])
    small = count()
    spread(users, templates, 35, template="business_model", areas=[area])
    assert count() == small == pinned
