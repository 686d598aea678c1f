"""Portfolio pages (clause 6.4): the board of initiatives by stage, the value / uncertainty
matrix, the balance views, the portfolio criteria and the export. Every page reads through
``seedbed.pipeline.selectors.portfolio`` and takes the same filters in its querystring."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.forms import apply_errors
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import portfolio as actions
from seedbed.pipeline.forms.portfolio import CriterionForm, PortfolioFilterForm
from seedbed.pipeline.models import Initiative
from seedbed.pipeline.selectors import portfolio as reads


def _filter_form(request: HttpRequest, *, with_template: bool = True
                 ) -> tuple[PortfolioFilterForm, reads.Filters | None]:
    """The shared filter form, bound to the querystring; the filters, or None when they do
    not hold (the page answers 400 and shows why beside each field)."""
    form = PortfolioFilterForm(request.GET, options=reads.filter_options(request.user),
                               with_template=with_template)
    return form, (form.filters() if form.is_valid() else None)


def _context(form: PortfolioFilterForm, filters: reads.Filters | None, **extra) -> dict:
    query = urlencode(filters.query()) if filters else ""
    return {"form": form, "filters": filters, "query": query,
            "filtered": bool(filters and filters.narrowed), **extra}


# --- Board -----------------------------------------------------------------------------------


def _dress_cards(request: HttpRequest, board: reads.Board) -> None:
    """What each card shows beyond its fields: above appetite, and whether this person may
    move it (a decider of its stage): then the gate's board-move endpoint takes the move."""
    deciding: dict[int, bool] = {}
    current = board.template.current_id if board.template else None
    for column in board.columns:
        for card in column.cards:
            stage = card.stage
            if stage.pk not in deciding:
                deciding[stage.pk] = selectors.can_decide(request.user, stage)
            card.above_appetite = card.uncertainty > stage.risk_appetite
            movable = column.kind != "status" and deciding[stage.pk]
            card.move_url = (reverse("pipeline:initiative_board_move", args=[card.pk])
                             if movable else None)
            # Dragging compares columns, which are the current version's stages: cards on an
            # older version move with the buttons only.
            card.draggable = bool(card.move_url) and card.version_id == current


@policy.rule("pipeline.portfolio")
def board(request: HttpRequest) -> HttpResponse:
    form, filters = _filter_form(request, with_template=False)
    data = reads.board(request.user, filters) if filters else None
    tabs, list_url = [], reverse("pipeline:initiative_list")
    if data is not None:
        _dress_cards(request, data)
        tabs = [{"template": t, "current": data.template and t.pk == data.template.pk,
                 "url": "?" + urlencode(data.filters.query(template=t.code))}
                for t in data.templates]
        for column in data.columns:
            query = {**data.filters.query(), **column.list_query(data.template.code)}
            column.list_url = f"{list_url}?{urlencode(query)}"
    context = _context(form, filters, board=data, tabs=tabs, next_url=request.get_full_path(),
                       cards_per_column=reads.CARDS_PER_COLUMN)
    # The template is the board's tab, not a filter to show as "on" (or to clear).
    context["filtered"] = bool(filters and filters.query(template=""))
    if data is not None and data.template is not None:
        context["clear_url"] = "?" + urlencode({"template": data.template.code})
    return render(request, "pipeline/portfolio/board.html", context,
                  status=200 if data is not None else 400)


# --- Matrix ----------------------------------------------------------------------------------

WIDTH, HEIGHT = 760, 480
LEFT, RIGHT, TOP, BOTTOM = 84, 24, 36, 56
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_RADIUS, MIN_RADIUS = 28, 4
PAD = MAX_RADIUS + 4  # between the frame and the scales' ends
HORIZON_COLOURS = {"h1": "#2d5b3a", "h2": "#2f6f9f", "h3": "#b35c12"}


def _money_label(value: float) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def _n(value: float) -> str:
    """A coordinate for the SVG: plain digits whatever the locale."""
    return f"{value:.1f}"


def matrix_chart(points: list[reads.Point]) -> dict:
    """Where each bubble goes: x = uncertainty (0-100), y = value (a linear axis up to a round
    number above the largest), area proportional to investment; colour by horizon. Larger
    bubbles first, so the smaller ones are drawn on top of them. The scales stop a bubble's
    width short of the frame, so bubbles at 0 or 100 stay inside it."""
    top = reads.value_axis_top(points)
    largest = max((float(p.investment) for p in points), default=0)
    right, bottom = LEFT + PLOT_W, TOP + PLOT_H

    def x(uncertainty: float) -> float:
        return LEFT + PAD + (PLOT_W - 2 * PAD) * uncertainty / 100

    def y(value: float) -> float:
        return bottom - PAD - (PLOT_H - 2 * PAD) * value / top

    bubbles = []
    for p in points:
        share = float(p.investment) / largest if largest else 0
        bubbles.append({
            "point": p,
            "x": _n(x(p.uncertainty)),
            "y": _n(y(min(max(float(p.value), 0.0), top))),
            "radius": MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(share),
            "colour": HORIZON_COLOURS.get(p.horizon, "#666666"),
            "url": reverse("pipeline:initiative_detail", args=[p.id]),
            "quadrant": reads.quadrant(p, top),
        })
    bubbles.sort(key=lambda b: -b["radius"])
    for b in bubbles:
        b["r"] = _n(b["radius"])
    return {
        "width": WIDTH, "height": HEIGHT, "left": _n(LEFT), "top": _n(TOP),
        "right": _n(right), "bottom": _n(bottom), "mid_x": _n(x(50)), "mid_y": _n(y(top / 2)),
        "plot_width": _n(PLOT_W), "plot_height": _n(PLOT_H),
        "bubbles": bubbles,
        "x_ticks": [{"x": _n(x(u)), "label": u, "y": _n(bottom + 18)}
                    for u in (0, 25, 50, 75, 100)],
        "y_ticks": [{"y": _n(y(top * k / 4)), "label": _money_label(top * k / 4),
                     "x": _n(LEFT - 8)} for k in range(5)],
        "x_title": {"x": _n(x(50)), "y": _n(HEIGHT - 10)},
        "y_title": {"x": "18", "y": _n(y(top / 2))},
        "quadrants": [
            {"x": _n(LEFT + 8), "y": _n(TOP + 18), "anchor": "start",
             "label": reads.QUADRANTS[(True, False)]},
            {"x": _n(right - 8), "y": _n(TOP + 18), "anchor": "end",
             "label": reads.QUADRANTS[(True, True)]},
            {"x": _n(LEFT + 8), "y": _n(bottom - 8), "anchor": "start",
             "label": reads.QUADRANTS[(False, False)]},
            {"x": _n(right - 8), "y": _n(bottom - 8), "anchor": "end",
             "label": reads.QUADRANTS[(False, True)]},
        ],
        # Across the top margin: the horizons' colours, then what the area means.
        "legend": [{"colour": HORIZON_COLOURS[code], "label": label, "x": _n(LEFT + 6 + 150 * n),
                    "text_x": _n(LEFT + 16 + 150 * n), "y": _n(TOP / 2)}
                   for n, (code, label) in enumerate(Initiative.Horizon.choices)],
        "legend_note": {"x": _n(LEFT + 6 + 150 * 3), "y": _n(TOP / 2)},
    }


@policy.rule("pipeline.portfolio")
def portfolio_matrix(request: HttpRequest) -> HttpResponse:
    form, filters = _filter_form(request)
    data = reads.matrix(request.user, filters, limit=reads.MATRIX_LIMIT) if filters else None
    chart = matrix_chart(data.points) if data else None
    return render(request, "pipeline/portfolio/matrix.html",
                  _context(form, filters, matrix=data, chart=chart),
                  status=200 if data is not None else 400)


@policy.rule("pipeline.portfolio")
def portfolio_matrix_svg(request: HttpRequest) -> HttpResponse:
    """The chart alone, as an SVG document: the page shows it as an image; opened on its own
    each bubble names its initiative on hover and links to it."""
    _, filters = _filter_form(request)
    if filters is None:
        return HttpResponse("Invalid filters.", status=400, content_type="text/plain")
    data = reads.matrix(request.user, filters, limit=reads.MATRIX_LIMIT)
    response = render(request, "pipeline/portfolio/matrix.svg",
                      {"matrix": data, "chart": matrix_chart(data.points)},
                      content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"  # confidential titles must not linger
    return response


# --- Balance ---------------------------------------------------------------------------------


@policy.rule("pipeline.portfolio")
def portfolio_balance(request: HttpRequest) -> HttpResponse:
    form, filters = _filter_form(request)
    data = reads.balance(request.user, filters) if filters else None
    return render(request, "pipeline/portfolio/balance.html",
                  _context(form, filters, balance=data, tolerance=reads.TOLERANCE),
                  status=200 if data is not None else 400)


# --- Criteria --------------------------------------------------------------------------------


def _criteria_page(request: HttpRequest, form: CriterionForm | None, *,
                   status: int = 200) -> HttpResponse:
    """The criteria by dimension with their totals; ``form`` adds a target (managers)."""
    rows = list(reads.criteria())
    groups = []
    totals = reads.target_totals(rows)
    for dimension, label in reads.D.choices:
        members = [c for c in rows if c.dimension == dimension]
        if members:
            groups.append({"dimension": dimension, "label": label, "rows": members,
                           "total": totals[dimension]})
    return render(request, "pipeline/portfolio/criteria.html", {
        "groups": groups, "warnings": reads.total_warnings(rows), "form": form,
        "can_manage": policy.can(request.user, "pipeline.manage"),
    }, status=status)


def _criterion_errors(form: CriterionForm, exc: ValidationError) -> None:
    # The form chooses dimension and bucket with one select: their errors go beside it.
    if hasattr(exc, "error_dict"):
        fields = {("target" if k in ("dimension", "bucket") else k): v
                  for k, v in exc.message_dict.items()}
        exc = ValidationError(fields)
    apply_errors(form, exc)


@policy.rule("pipeline.portfolio")
def portfolio_criteria(request: HttpRequest) -> HttpResponse:
    form = None
    if policy.can(request.user, "pipeline.manage"):
        form = CriterionForm(buckets=reads.bucket_choices())
    return _criteria_page(request, form)


@policy.rule("pipeline.manage")
def portfolio_criterion_create(request: HttpRequest) -> HttpResponse:
    form = CriterionForm(request.POST or None, buckets=reads.bucket_choices())
    if request.method == "POST" and form.is_valid():
        try:
            criterion = actions.add_criterion(request.user, **form.values())
        except ValidationError as exc:
            _criterion_errors(form, exc)
        else:
            messages.success(request, f"Target “{criterion.label}” added.")
            return redirect("pipeline:portfolio_criteria")
    return _criteria_page(request, form, status=400 if form.errors else 200)


@policy.rule("pipeline.manage")
def portfolio_criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = reads.get_criterion(pk)
    form = CriterionForm(request.POST or None, buckets=reads.bucket_choices(),
                         initial=CriterionForm.initial_for(criterion))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_criterion(request.user, criterion, **form.values())
        except ValidationError as exc:
            _criterion_errors(form, exc)
        else:
            messages.success(request, "Target updated.")
            return redirect("pipeline:portfolio_criteria")
    return render(request, "pipeline/portfolio/criterion_form.html",
                  {"form": form, "criterion": criterion},
                  status=400 if form.errors else 200)


@policy.rule("pipeline.manage")
@require_POST
def portfolio_criterion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = actions.remove_criterion(request.user, reads.get_criterion(pk))
    messages.success(request, f"Target “{criterion.label}” removed.")
    return redirect("pipeline:portfolio_criteria")


# --- Export ----------------------------------------------------------------------------------


def download(export: actions.ExportStream) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"  # confidential initiatives must not linger in caches
    return response


@policy.rule("pipeline.portfolio")
def portfolio_export(request: HttpRequest) -> HttpResponse:
    """Without ``format`` the page says what the file will hold; with it, the file."""
    form, filters = _filter_form(request)
    fmt = request.GET.get("format")
    if filters is not None and fmt in actions.FORMATS:
        return download(actions.export_portfolio(
            request.user, filters, fmt=fmt, base_url=request.build_absolute_uri("/")))
    count = reads.export_queryset(request.user, filters).count() if filters else None
    return render(request, "pipeline/portfolio/export.html",
                  _context(form, filters, count=count),
                  status=400 if filters is None or fmt else 200)
