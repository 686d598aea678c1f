"""Helpers for the portfolio tests: a spread of initiatives over stages, statuses, horizons and
money, made as rows (the portfolio reads them; how they got there is other areas' business),
and a few through the real promotion."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

from seedbed.pipeline.models import Initiative, Stage, TeamMember

STATUSES = ("active", "active", "active", "on_hold", "stopped", "deployed")
HORIZONS = ("h1", "h1", "h2", "h3")


def focus_area(manager, title: str = "Less packaging waste", horizon: str = "h1"):
    from seedbed.strategy.actions import focus as focus_actions
    from seedbed.strategy.models import FocusArea

    found = FocusArea.objects.filter(title=title).first()
    return found or focus_actions.create_focus_area(
        manager, title=title, kind="opportunity", horizon=horizon, priority=1,
        rationale="It matters to our customers.")


def make_initiative(users, template, *, stage_key: str = "", title: str = "An initiative",
                    status: str = "active", horizon: str = "h1", projected=0, actual=0,
                    committed=0, spent=0, uncertainty: int = 100, confidential: bool = False,
                    lead=None, org_unit=None, idea_type=None, focus_areas=(),
                    version=None) -> Initiative:
    version = version or template.current
    stages = list(Stage.objects.filter(version=version).order_by("position"))
    stage = next(s for s in stages if s.key == stage_key) if stage_key else stages[0]
    lead = lead or users["manager"]
    made = Initiative.objects.create(
        title=title, version=version, stage=stage, status=status, horizon=horizon,
        projected_value=Decimal(projected), actual_value=Decimal(actual),
        committed=Decimal(committed), spent=Decimal(spent), uncertainty=uncertainty,
        confidential=confidential, lead=lead, org_unit=org_unit or lead.org_unit,
        idea_type=idea_type if idea_type is not None else template.idea_type,
        created_by=users["manager"])
    if focus_areas:
        made.focus_areas.set(focus_areas)
    return made


def spread(users, templates, n: int, *, template: str = "product", areas=()) -> list:
    """``n`` initiatives of one template, every stage, status and horizon in turn, with money,
    uncertainty, focus areas and a team member each, some confidential."""
    tpl = templates[template]
    keys = list(Stage.objects.filter(version=tpl.current).order_by("position")
                .values_list("key", flat=True))
    made = []
    for k in range(n):
        initiative = make_initiative(
            users, tpl, stage_key=keys[k % len(keys)], title=f"Initiative {k}",
            status=STATUSES[k % len(STATUSES)], horizon=HORIZONS[k % len(HORIZONS)],
            projected=10_000 * (k + 1), actual=5_000 * k, committed=1_000 * (k % 7),
            spent=500 * (k % 3), uncertainty=(k * 37) % 101, confidential=k % 5 == 4,
            focus_areas=[areas[k % len(areas)]] if areas else ())
        TeamMember.objects.create(initiative=initiative, user=users["contributor"],
                                  added_by=users["manager"])
        made.append(initiative)
    return made


# --- Reading the board as a browser would --------------------------------------------------


class _Board(HTMLParser):
    """Per column (its ``id="column-<key>"`` heading's section): the card titles in order; per
    card: its data attributes and the inputs of its move form; the hidden drag form."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.columns: dict[str, list[str]] = {}
        self.cards: dict[int, dict] = {}
        self.drag_form: dict[str, str] = {}
        self._column: str | None = None
        self._card: int | None = None
        self._in_title = False
        self._in_drag = False
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "section" and a.get("aria-labelledby", "").startswith("column-"):
            self._column = a["aria-labelledby"].removeprefix("column-")
            self.columns[self._column] = []
        if tag == "li" and a.get("id", "").startswith("card-"):
            self._card = int(a["id"].removeprefix("card-"))
            self.cards[self._card] = {"data": {k: v for k, v in a.items()
                                               if k.startswith("data-")},
                                      "inputs": {}, "buttons": [], "column": self._column}
        if tag == "a" and "board-card-title" in a.get("class", ""):
            self._in_title = True
        if tag == "form" and a.get("id") == "board-move":
            self._in_drag = True
        if tag == "input" and self._in_drag:
            self.drag_form[a["name"]] = a.get("value", "")
        elif tag == "input" and self._card is not None:
            self.cards[self._card]["inputs"][a["name"]] = a.get("value", "")
        if tag == "button" and self._card is not None and a.get("name") == "direction":
            self.cards[self._card]["buttons"].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_title = False
        if tag == "li":
            self._card = None
        if tag == "section":
            self._column = None
        if tag == "form":
            self._in_drag = False

    def handle_data(self, data):
        if self._in_title and self._column is not None:
            self.columns[self._column].append(data.strip())


def read_board(html: str) -> _Board:
    parser = _Board()
    parser.feed(html)
    parser.close()
    return parser
