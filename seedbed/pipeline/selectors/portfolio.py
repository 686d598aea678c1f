"""Portfolio reads (clause 6.4): the filters every portfolio view shares, the board, the value /
uncertainty matrix, the balance views against the portfolio criteria, and the export rows.

Everything starts from ``filtered(user, params)``, which stands on ``visible_initiatives``: a
confidential initiative reaches the board, the matrix, the balance figures and the export only
of those who may see it. Each read runs a fixed number of queries whatever the portfolio's size
(grouped aggregates, one window query for the board's cards).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Greatest, RowNumber
from django.http import Http404

from seedbed.accounts.models import OrgUnit, User
from seedbed.ideas.models import IdeaType
from seedbed.lib.validation import is_valid_id
from seedbed.pipeline.models import (
    Initiative,
    InitiativeIdea,
    PortfolioCriterion,
    Stage,
    WorkflowTemplate,
)
from seedbed.pipeline.selectors import visible_initiatives
from seedbed.strategy.models import FocusArea

S = Initiative.Status
MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal(0)
CENT = Decimal("0.01")


def _money(value: Decimal | None) -> Decimal:
    """Sums as PostgreSQL gives them, to the cent (SQLite drops trailing zeros)."""
    return (value or ZERO).quantize(CENT)

# --- Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What narrows a portfolio view; empty values do not narrow. The querystring names are the
    field names (``?template=product&horizon=h2&max_uncertainty=50``), the same as the
    initiative list's where they overlap."""

    template: str = ""  # workflow template code
    stage: str = ""  # stage key (any version of the template)
    phase: str = ""  # Stage.Phase
    status: str = ""  # Initiative.Status
    horizon: str = ""  # Initiative.Horizon
    idea_type: str = ""  # IdeaType.code
    focus_area: int | None = None
    org_unit: int | None = None  # the unit and its sub-units
    lead: int | None = None
    min_uncertainty: int | None = None
    max_uncertainty: int | None = None

    @classmethod
    def of(cls, params: Filters | Mapping[str, Any] | None) -> Filters:
        """Filters from typed values (a form's cleaned data, an API query schema)."""
        if params is None:
            return cls()
        if isinstance(params, Filters):
            return params
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in params.items() if k in names and v not in (None, "")})

    def errors(self) -> dict[str, str]:
        """Problems no single field can see (each field's own type is checked where it is
        parsed: the form or the API schema)."""
        errors: dict[str, str] = {}
        for name in ("min_uncertainty", "max_uncertainty"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 100:
                errors[name] = "Give a number from 0 to 100."
        for name in ("focus_area", "org_unit", "lead"):
            value = getattr(self, name)
            if value is not None and not is_valid_id(value):
                errors[name] = "No such record."
        if (self.min_uncertainty is not None and self.max_uncertainty is not None
                and self.min_uncertainty > self.max_uncertainty and not errors):
            errors["max_uncertainty"] = "The maximum cannot be below the minimum."
        return errors

    def check(self) -> Filters:
        errors = self.errors()
        if errors:
            raise ValidationError(errors)
        return self

    def query(self, **overrides) -> dict[str, Any]:
        """The filters as querystring values (for links that keep them)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)} | overrides
        return {k: v for k, v in values.items() if v not in (None, "")}

    @property
    def narrowed(self) -> bool:
        return bool(self.query())


def filtered(user, params: Filters | Mapping[str, Any] | None = None) -> QuerySet[Initiative]:
    """The initiatives this person may see, narrowed by the portfolio filters. Raises
    ValidationError (every field at once) for filters that cannot hold."""
    f = Filters.of(params).check()
    qs = visible_initiatives(user)
    if f.template:
        qs = qs.filter(version__template__code=f.template)
    if f.stage:
        qs = qs.filter(stage__key=f.stage)
    if f.phase:
        qs = qs.filter(stage__phase=f.phase)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.horizon:
        qs = qs.filter(horizon=f.horizon)
    if f.idea_type:
        qs = qs.filter(idea_type__code=f.idea_type)
    if f.focus_area is not None:
        tagged = Initiative.focus_areas.through.objects.filter(focusarea_id=f.focus_area)
        qs = qs.filter(pk__in=tagged.values("initiative_id"))
    if f.org_unit is not None:
        # The unit and every unit below it (materialised path), in the same query.
        path = OrgUnit.objects.filter(pk=f.org_unit).values("path")[:1]
        qs = qs.filter(org_unit__path__startswith=Subquery(path))
    if f.lead is not None:
        qs = qs.filter(lead_id=f.lead)
    if f.min_uncertainty is not None:
        qs = qs.filter(uncertainty__gte=f.min_uncertainty)
    if f.max_uncertainty is not None:
        qs = qs.filter(uncertainty__lte=f.max_uncertainty)
    return qs


def in_portfolio(qs: QuerySet[Initiative], f: Filters) -> QuerySet[Initiative]:
    """The matrix and the balance weigh the live portfolio: stopped initiatives are left out
    unless the status filter asks for them."""
    return qs if f.status else qs.exclude(status=S.STOPPED)


@dataclass
class FilterOptions:
    templates: list[tuple[str, str]]
    idea_types: list[tuple[str, str]]
    focus_areas: list[tuple[int, str]]
    org_units: list[tuple[int, str]]
    leads: list[tuple[int, str]]


def filter_options(user) -> FilterOptions:
    """What the filter form lists: five small queries whatever the portfolio's size. Leads are
    the people who lead an initiative this person may see."""
    templates = list(WorkflowTemplate.objects.order_by("position", "name")
                     .values_list("code", "name"))
    types = list(IdeaType.objects.order_by("position", "name").values_list("code", "name"))
    tagged = Initiative.focus_areas.through.objects.values("focusarea_id")
    areas = list(FocusArea.objects.filter(Q(status=FocusArea.Status.ACTIVE) | Q(pk__in=tagged))
                 .order_by("title", "pk").values_list("pk", "title"))
    units = [(pk, f"{'— ' * max(0, path.count('/') - 2)}{name}")
             for pk, name, path in OrgUnit.objects.order_by("path")
             .values_list("pk", "name", "path")]
    leads = list(User.objects.filter(pk__in=visible_initiatives(user).values("lead_id"))
                 .order_by("full_name", "pk").values_list("pk", "full_name"))
    return FilterOptions(templates, types, areas, units, leads)


# --- Board -----------------------------------------------------------------------------------

CARDS_PER_COLUMN = 12  # the most recently updated cards a stage column shows
CARDS_COLLAPSED = 3  # … and a collapsed column (on hold, stopped, deployed)
OTHER = "other"
STATUS_COLUMNS = ((S.ON_HOLD, "On hold"), (S.STOPPED, "Stopped"), (S.DEPLOYED, "Deployed"))


@dataclass
class Column:
    key: str  # a stage key, "other", or a status (on_hold, stopped, deployed)
    label: str
    kind: str  # "stage" | "other" | "status"
    stage: Stage | None = None
    count: int = 0
    cards: list[Initiative] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)

    @property
    def collapsed(self) -> bool:
        return self.kind == "status"

    def list_query(self, template: str) -> dict[str, Any]:
        """The initiative list's filters that show this column's initiatives in full."""
        if self.kind == "status":
            return {"template": template, "status": self.key}
        if self.kind == "stage":
            return {"template": template, "status": S.ACTIVE, "stage": self.key}
        return {"template": template, "status": S.ACTIVE}


@dataclass
class Board:
    templates: list[WorkflowTemplate]
    template: WorkflowTemplate | None
    columns: list[Column]
    filters: Filters

    @property
    def total(self) -> int:
        return sum(c.count for c in self.columns)


def board_templates() -> list[WorkflowTemplate]:
    """The board's tabs: templates with a published version, in their order."""
    return list(WorkflowTemplate.objects.filter(current__isnull=False).select_related("current")
                .order_by("position", "name", "pk"))


def board(user, params: Filters | Mapping[str, Any] | None = None) -> Board:
    """The board of one template (``params.template``, a code; default the first): a column per
    stage of its current version, a trailing column for stages only older versions have, and the
    collapsed status columns. Four queries whatever the number of initiatives: templates, the
    stages of all its versions, counts per column (one grouped query) and the cards (one query,
    ranking ids within their column by a window function, then reading only the chosen ones)."""
    f = Filters.of(params)
    templates = board_templates()
    template = next((t for t in templates if t.code == f.template), None)
    if not f.template and templates:
        template = templates[0]
    if template is None:
        if f.template:
            raise Http404("No such workflow template")
        return Board(templates, None, [], f)
    f = Filters.of({**f.query(), "template": template.code})
    stages = list(Stage.objects.filter(version__template=template).order_by("position", "pk"))
    keys = {s.pk: s.key for s in stages}
    columns = {s.key: Column(s.key, s.name, "stage", stage=s)
               for s in stages if s.version_id == template.current_id}
    other = Column(OTHER, "Other stages (older versions)", OTHER)
    by_status = {status: Column(status, label, "status") for status, label in STATUS_COLUMNS}

    def column_of(status: str, stage_id: int) -> Column:
        if status != S.ACTIVE:
            return by_status[status]
        return columns.get(keys.get(stage_id, ""), other)

    # By the template's stages rather than a join to its versions: the (status, stage) index
    # answers the counts, and the ranking reads no other table.
    qs = filtered(user, Filters.of(f.query(template=""))).filter(stage_id__in=list(keys))
    for row in qs.values("status", "stage_id").annotate(n=Count("pk")).order_by():
        column_of(row["status"], row["stage_id"]).count += row["n"]
    # Ranked per stage (a column may gather several versions' stages of one key: each brings
    # its newest, and the column keeps the newest of those).
    place = Case(When(status=S.ACTIVE, then=F("stage_id")), default=Value(0),
                 output_field=IntegerField())
    ranked = (qs.annotate(board_rank=Window(
        RowNumber(), partition_by=[F("status"), place],
        order_by=[F("updated_at").desc(), F("pk").desc()]))
        .filter(board_rank__lte=CARDS_PER_COLUMN).values("pk"))
    for card in (Initiative.objects.filter(pk__in=ranked)
                 .select_related("stage", "lead", "version").order_by("-updated_at", "-pk")):
        column = column_of(card.status, card.stage_id)
        limit = CARDS_COLLAPSED if column.collapsed else CARDS_PER_COLUMN
        if len(column.cards) < limit:
            column.cards.append(card)
    shown = [*columns.values(), *([other] if other.count else []), *by_status.values()]
    return Board(templates, template, shown, f)


# --- Matrix ----------------------------------------------------------------------------------

# Bubbles plotted: the largest investments. More than a hundred overlap into a blur, and a fixed
# number keeps the chart costing the same at a hundred initiatives and at ten thousand.
MATRIX_LIMIT = 100


def _investment():
    return Greatest("committed", "spent", output_field=MONEY)


def _value():
    """Deployed initiatives are placed by what they delivered, the others by what they
    promise."""
    return Case(When(status=S.DEPLOYED, then=F("actual_value")), default=F("projected_value"),
                output_field=MONEY)


@dataclass
class Point:
    id: int
    title: str
    status: str
    horizon: str
    confidential: bool
    uncertainty: int
    value: Decimal
    investment: Decimal
    stage: str
    template: str
    lead: str

    @property
    def value_is_actual(self) -> bool:
        return self.status == S.DEPLOYED

    @property
    def status_label(self) -> str:
        return S(self.status).label

    @property
    def horizon_label(self) -> str:
        return Initiative.Horizon(self.horizon).label


@dataclass
class Matrix:
    points: list[Point]
    count: int  # initiatives matching the filters (plotted or not)
    limit: int

    @property
    def truncated(self) -> bool:
        return self.count > len(self.points)


# Quadrants by (high value, high uncertainty): our own names for what to do with them. The
# split is at uncertainty 50 and at half the value axis.
QUADRANTS = {
    (True, False): "Core: deliver and scale",
    (True, True): "Bets: test fast",
    (False, False): "Small wins: keep lean",
    (False, True): "Question marks: rethink or stop",
}


def value_axis_top(points: list[Point]) -> float:
    """The top of the value axis: the smallest of 1, 2, 2.5, 5 × 10^k at or above the largest
    value (an axis that reads well); 1,000 when nothing has a value yet."""
    largest = max((float(p.value) for p in points), default=0.0)
    if largest <= 0:
        return 1000.0
    power = 10 ** math.floor(math.log10(largest))
    return next((step * power for step in (1, 2, 2.5, 5) if largest <= step * power),
                10.0 * power)


def quadrant(point: Point, top: float) -> str:
    return QUADRANTS[(float(point.value) >= top / 2, point.uncertainty >= 50)]


def matrix_points(user, params: Filters | Mapping[str, Any] | None = None, *,
                  limit: int = MATRIX_LIMIT) -> list[Point]:
    """The initiatives to plot, largest investment first, at most ``limit``: one query. The
    largest are chosen by id alone (a top-N over one table) before the names are joined in
    for those few."""
    f = Filters.of(params)
    order = ("-investment", "-value", "-pk")
    chosen = (in_portfolio(filtered(user, f), f)
              .annotate(investment=_investment(), value=_value())
              .order_by(*order).values("pk")[:limit])
    rows = (Initiative.objects.filter(pk__in=chosen)
            .annotate(investment=_investment(), value=_value()).order_by(*order)
            .values_list("pk", "title", "status", "horizon", "confidential", "uncertainty",
                         "value", "investment", "stage__name", "version__template__name",
                         "lead__full_name"))
    return [Point(*row[:6], _money(row[6]), _money(row[7]), *row[8:]) for row in rows]


def matrix(user, params: Filters | Mapping[str, Any] | None = None, *,
           limit: int = MATRIX_LIMIT) -> Matrix:
    """The plotted points and how many initiatives match: two queries."""
    f = Filters.of(params)
    count = in_portfolio(filtered(user, f), f).count()
    return Matrix(matrix_points(user, f, limit=limit), count, limit)


# --- Balance ---------------------------------------------------------------------------------

TOLERANCE = Decimal(5)  # percentage points a share may sit off its target and still be on it
D = PortfolioCriterion.Dimension


@dataclass
class BalanceRow:
    bucket: str
    label: str
    count: int = 0
    investment: Decimal = ZERO
    projected_value: Decimal = ZERO
    share: Decimal = ZERO  # percent of the basis (investment, or count when nothing is spent)
    target: Decimal | None = None

    @property
    def gap(self) -> Decimal | None:
        return None if self.target is None else self.share - self.target

    @property
    def on_target(self) -> bool | None:
        return None if self.gap is None else abs(self.gap) <= TOLERANCE


@dataclass
class BalanceTable:
    dimension: str
    label: str
    rows: list[BalanceRow]
    # Initiatives may serve several focus areas, and each counts in full in every one of them:
    # those shares can add up to more than 100.
    overlapping: bool = False

    @property
    def target_total(self) -> Decimal | None:
        targets = [r.target for r in self.rows if r.target is not None]
        return sum(targets, ZERO) if targets else None

    @property
    def targets_complete(self) -> bool:
        """Whether the targets of this dimension add up to 100 (the pages warn when not). Focus
        areas overlap, so their targets stand alone and need not add up."""
        return self.overlapping or self.target_total in (None, 100)


@dataclass
class Balance:
    total_count: int
    total_investment: Decimal
    total_value: Decimal
    tables: list[BalanceTable]

    @property
    def basis(self) -> str:
        return "investment" if self.total_investment > 0 else "count"


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else ZERO


def _sums(prefix: str = "") -> dict[str, Any]:
    return {"n": Count(f"{prefix}pk"),
            "investment": Sum(Greatest(f"{prefix}committed", f"{prefix}spent")),
            "value": Sum(f"{prefix}projected_value")}


@dataclass
class _Tally:
    label: str
    n: int = 0
    investment: Decimal = ZERO
    value: Decimal = ZERO

    def add(self, row: dict) -> None:
        self.n += row["n"]
        self.investment += row["investment"] or ZERO
        self.value += row["value"] or ZERO


def balance(user, params: Filters | Mapping[str, Any] | None = None) -> Balance:
    """Count, investment and projected value by horizon, idea type, focus area and org unit,
    each bucket's share compared with its target from the portfolio criteria. Six queries
    whatever the portfolio's size: one aggregate grouped by horizon, idea type and org unit
    (folded into each of those dimensions here), one grouped by focus area (initiatives without
    one form their own group), the criteria, and the names of the types, units and areas."""
    f = Filters.of(params)
    qs = in_portfolio(filtered(user, f), f).order_by()
    horizons = dict(Initiative.Horizon.choices)
    types = {pk: (code, name) for pk, code, name in IdeaType.objects.values_list(
        "pk", "code", "name")}
    totals = _Tally("")
    tallies: dict[str, dict[str, _Tally]] = {d: {} for d in D.values}

    def tally(dimension: str, bucket: str, label: str) -> _Tally:
        return tallies[dimension].setdefault(bucket, _Tally(label))

    # Names are read apart: joining them into the aggregates costs more than the lookups.
    for r in qs.values("horizon", "idea_type_id", "org_unit_id").annotate(**_sums()):
        totals.add(r)
        tally(D.HORIZON, r["horizon"], horizons.get(r["horizon"], r["horizon"])).add(r)
        tally(D.IDEA_TYPE, *types.get(r["idea_type_id"], ("", "No idea type"))).add(r)
        tally(D.ORG_UNIT, str(r["org_unit_id"] or ""), "No org unit").add(r)
    for r in qs.values("focus_areas").annotate(**_sums()):
        area = r["focus_areas"]
        tally(D.FOCUS_AREA, str(area or ""), "No focus area").add(r)
    _name(tallies[D.ORG_UNIT], OrgUnit.objects.values_list("pk", "name"))
    _name(tallies[D.FOCUS_AREA], FocusArea.objects.values_list("pk", "title"))
    targets: dict[str, dict[str, PortfolioCriterion]] = defaultdict(dict)
    for c in PortfolioCriterion.objects.all():
        targets[c.dimension][c.bucket] = c
    by_money = totals.investment > 0
    basis_total = totals.investment if by_money else Decimal(totals.n)
    tables = []
    for dimension, label in D.choices:
        rows: dict[str, BalanceRow] = {}
        for bucket, t in tallies[dimension].items():
            rows[bucket] = BalanceRow(bucket, t.label, t.n, _money(t.investment),
                                      _money(t.value), _percent(
                                          t.investment if by_money else Decimal(t.n),
                                          basis_total))
        for bucket, criterion in targets[dimension].items():
            rows.setdefault(bucket, BalanceRow(bucket, criterion.label)).target = (
                criterion.target_share)
        if dimension == D.HORIZON:
            ordered = sorted(rows.values(), key=lambda r: r.bucket)
        else:
            ordered = sorted(rows.values(), key=lambda r: (r.bucket == "", -r.share, r.label))
        tables.append(BalanceTable(dimension, label, ordered,
                                   overlapping=dimension == D.FOCUS_AREA))
    return Balance(totals.n, _money(totals.investment), _money(totals.value), tables)


def _name(tallies: dict[str, _Tally], names) -> None:
    for pk, name in names:
        if str(pk) in tallies:
            tallies[str(pk)].label = name


# --- Portfolio criteria ----------------------------------------------------------------------


def criteria() -> QuerySet[PortfolioCriterion]:
    return PortfolioCriterion.objects.select_related("updated_by").order_by(
        "dimension", "bucket", "pk")


def get_criterion(pk: int) -> PortfolioCriterion:
    """Criteria are not confidential: whoever may read the portfolio reads them all."""
    criterion = criteria().filter(pk=pk).first() if is_valid_id(pk) else None
    if criterion is None:
        raise Http404("No such portfolio criterion")
    return criterion


def target_totals(rows: list[PortfolioCriterion]) -> dict[str, Decimal]:
    """The sum of the target shares of each dimension that has targets."""
    totals: dict[str, Decimal] = {}
    for c in rows:
        totals[c.dimension] = totals.get(c.dimension, ZERO) + c.target_share
    return totals


def total_warnings(rows: list[PortfolioCriterion]) -> list[str]:
    """A sentence for every dimension whose targets do not add up to 100 % (focus areas
    overlap: their targets stand alone)."""
    labels = dict(D.choices)
    return [f"{labels[d]} targets add up to {total.normalize():f} %, not 100 %."
            for d, total in target_totals(rows).items()
            if total != 100 and d != D.FOCUS_AREA]


def bucket_choices() -> dict[str, list[tuple[str, str]]]:
    """The buckets each dimension offers: horizons, idea type codes, focus area and org unit
    ids (as text, like ``PortfolioCriterion.bucket``). Three queries."""
    return {
        D.HORIZON: list(Initiative.Horizon.choices),
        D.IDEA_TYPE: [(code, name) for code, name in IdeaType.objects.order_by(
            "position", "name").values_list("code", "name")],
        D.FOCUS_AREA: [(str(pk), title) for pk, title in FocusArea.objects.exclude(
            status__in=(FocusArea.Status.PROPOSED, FocusArea.Status.DECLINED)).order_by(
            "title", "pk").values_list("pk", "title")],
        D.ORG_UNIT: [(str(pk), name) for pk, name in OrgUnit.objects.order_by(
            "path").values_list("pk", "name")],
    }


# --- Export ----------------------------------------------------------------------------------

EXPORT_CHUNK = 10_000
EXPORT_COLUMNS = (
    "ID", "Title", "Template", "Version", "Stage", "Phase", "Status", "Horizon", "Idea type",
    "Org unit", "Lead", "Lead e-mail", "Confidential", "Uncertainty (0-100)",
    "Risk appetite (0-100)", "Projected value", "Actual value", "Committed", "Spent",
    "Investment", "Score (0-100)", "Focus areas", "Objectives", "Ideas", "Created at (UTC)",
    "Stage entered at (UTC)", "Updated at (UTC)", "Stopped at (UTC)", "Deployed at (UTC)",
    "Learnings", "Link",
)


def export_queryset(user, params: Filters | Mapping[str, Any] | None = None
                    ) -> QuerySet[Initiative]:
    """What an export holds: every filtered initiative this person may see, stopped ones too
    (what was learned is part of the record)."""
    return filtered(user, params).order_by("pk")


def export_rows(qs: QuerySet[Initiative], *, base_url: str,
                chunk: int = EXPORT_CHUNK) -> Iterator[list[Any]]:
    """The rows, read ``chunk`` initiatives at a time (by id, so no chunk is skipped or read
    twice): four queries per chunk (initiatives, focus areas, objectives, ideas)."""
    base_url = base_url.rstrip("/")
    last = 0
    phases = dict(Stage.Phase.choices)
    while True:
        rows = list(qs.filter(pk__gt=last).select_related(
            "version__template", "stage", "lead", "idea_type", "org_unit")[:chunk])
        if not rows:
            return
        ids = [i.pk for i in rows]
        areas = _names(Initiative.focus_areas.through.objects.filter(initiative_id__in=ids)
                       .order_by("focusarea__title").values_list("initiative_id",
                                                                 "focusarea__title"))
        objectives = _names(Initiative.objectives.through.objects.filter(initiative_id__in=ids)
                            .order_by("objective__title").values_list("initiative_id",
                                                                      "objective__title"))
        ideas = _names((i, f"#{pk} {title}") for i, pk, title in InitiativeIdea.objects.filter(
            initiative_id__in=ids).order_by("idea_id").values_list(
            "initiative_id", "idea_id", "idea__title"))
        for i in rows:
            yield [
                i.pk, i.title, i.version.template.name, i.version.number, i.stage.name,
                phases.get(i.stage.phase, i.stage.phase), i.get_status_display(),
                i.get_horizon_display(), i.idea_type.name if i.idea_type_id else "",
                i.org_unit.name if i.org_unit_id else "", i.lead.full_name, i.lead.email,
                i.confidential, i.uncertainty, i.stage.risk_appetite, i.projected_value,
                i.actual_value, i.committed, i.spent, i.investment, i.score,
                "; ".join(areas.get(i.pk, ())), "; ".join(objectives.get(i.pk, ())),
                "; ".join(ideas.get(i.pk, ())), i.created_at, i.stage_entered_at, i.updated_at,
                i.stopped_at, i.deployed_at, i.learnings, base_url + i.get_absolute_url(),
            ]
        last = ids[-1]
        if len(rows) < chunk:
            return


def _names(pairs) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for initiative_id, name in pairs:
        found[initiative_id].append(name)
    return found
