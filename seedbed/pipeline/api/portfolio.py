# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: the portfolio (clause 6.4) — board, value / uncertainty matrix, balance, criteria,
export. Every read takes the same filters as the pages."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas import tabular
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import portfolio as actions
from seedbed.pipeline.models import Initiative, PortfolioCriterion, Stage
from seedbed.pipeline.selectors import portfolio as reads
from seedbed.pipeline.views.portfolio import download

router = Router(tags=["pipeline portfolio"])

# Inline values, not the models' enums: their class names ("Status", "Phase") are taken.
PortfolioStatus = Literal[tuple(Initiative.Status.values)]
PortfolioHorizon = Literal[tuple(Initiative.Horizon.values)]
PortfolioPhase = Literal[tuple(Stage.Phase.values)]
PortfolioDimension = Literal[tuple(PortfolioCriterion.Dimension.values)]
ColumnKind = Literal["stage", "other", "status"]
_ID = {"ge": 1, "le": 2**63 - 1}


class PortfolioQuery(Schema):
    template: str = Field("", max_length=40, description="A workflow template's code")
    stage: str = Field("", max_length=40, description="A stage key, across versions")
    phase: PortfolioPhase | Literal[""] = ""
    status: PortfolioStatus | Literal[""] = ""
    horizon: PortfolioHorizon | Literal[""] = ""
    idea_type: str = Field("", max_length=40, description="An idea type's code")
    focus_area: int | None = Field(None, **_ID)
    org_unit: int | None = Field(None, description="This unit and below", **_ID)
    lead: int | None = Field(None, **_ID)
    min_uncertainty: int | None = Field(None, ge=0, le=100)
    max_uncertainty: int | None = Field(None, ge=0, le=100)

    def filters(self) -> reads.Filters:
        """Checked as a whole (every problem at once, as a 422)."""
        return reads.Filters.of(self.dict()).check()


class PortfolioTemplateRef(Schema):
    id: int
    code: str
    name: str
    version: int | None

    @staticmethod
    def resolve_version(obj) -> int | None:
        return obj.current.number if obj.current_id else None


class PortfolioCard(Schema):
    id: int
    title: str
    status: PortfolioStatus
    confidential: bool
    lead_id: int
    lead_name: str
    stage_id: int
    stage_key: str
    stage_name: str
    version: int
    gate_round: int
    uncertainty: int
    risk_appetite: int
    above_appetite: bool
    projected_value: Decimal
    investment: Decimal
    updated_at: datetime
    may_move: bool = Field(..., description="You decide this card's gate: move it with "
                                            "POST /pipeline/initiatives/{id}/board-move")


class PortfolioColumn(Schema):
    key: str = Field(..., description="A stage key, \"other\", or a status")
    label: str
    kind: ColumnKind
    stage_id: int | None
    phase: PortfolioPhase | None
    risk_appetite: int | None
    count: int
    more: int = Field(..., description="Initiatives in the column beyond the cards listed")
    cards: list[PortfolioCard]


class PortfolioBoardOut(Schema):
    templates: list[PortfolioTemplateRef]
    template: PortfolioTemplateRef | None
    total: int
    columns: list[PortfolioColumn]


class PortfolioPoint(Schema):
    id: int
    title: str
    status: PortfolioStatus
    horizon: PortfolioHorizon
    confidential: bool
    stage: str
    template: str
    lead: str
    uncertainty: int
    value: Decimal
    value_is_actual: bool
    investment: Decimal
    quadrant: str


class PortfolioMatrixOut(Schema):
    count: int = Field(..., description="Initiatives matching the filters")
    limit: int
    truncated: bool = Field(..., description="Only the largest investments are listed")
    value_axis_top: float
    points: list[PortfolioPoint]


class PortfolioBalanceRow(Schema):
    bucket: str
    label: str
    count: int
    investment: Decimal
    projected_value: Decimal
    share: Decimal
    target: Decimal | None
    gap: Decimal | None
    on_target: bool | None


class PortfolioBalanceTable(Schema):
    dimension: PortfolioDimension
    label: str
    overlapping: bool
    target_total: Decimal | None
    targets_complete: bool
    rows: list[PortfolioBalanceRow]


class PortfolioBalanceOut(Schema):
    basis: Literal["investment", "count"]
    tolerance: Decimal
    total_count: int
    total_investment: Decimal
    total_value: Decimal
    tables: list[PortfolioBalanceTable]


class PortfolioCriterionOut(Schema):
    id: int
    dimension: PortfolioDimension
    bucket: str
    label: str
    target_share: Decimal
    note: str
    updated_by_id: int | None
    updated_at: datetime


class PortfolioCriterionIn(Schema):
    dimension: PortfolioDimension
    bucket: str = Field(..., min_length=1, max_length=40,
                        description="h1/h2/h3, an idea type's code, or a focus area's or org "
                                    "unit's id")
    target_share: Decimal = Field(..., ge=0, le=100, max_digits=5, decimal_places=2)
    label: str = Field("", max_length=120, description="Default: the bucket's name")
    note: str = Field("", max_length=300)


class PortfolioCriterionPatch(Schema):
    dimension: PortfolioDimension | None = None
    bucket: str | None = Field(None, min_length=1, max_length=40)
    target_share: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    label: str | None = Field(None, max_length=120)
    note: str | None = Field(None, max_length=300)


_FILE_RESPONSE = {"200": {
    "description": "The file, as an attachment.",
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        tabular.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}},
    },
}}


def _card(card: Initiative, user, decides: dict[int, bool], column: reads.Column) -> dict:
    stage = card.stage
    if stage.pk not in decides:
        decides[stage.pk] = selectors.can_decide(user, stage)
    return {
        "id": card.pk, "title": card.title, "status": card.status,
        "confidential": card.confidential, "lead_id": card.lead_id,
        "lead_name": card.lead.full_name, "stage_id": stage.pk, "stage_key": stage.key,
        "stage_name": stage.name, "version": card.version.number, "gate_round": card.gate_round,
        "uncertainty": card.uncertainty, "risk_appetite": stage.risk_appetite,
        "above_appetite": card.uncertainty > stage.risk_appetite,
        "projected_value": card.projected_value, "investment": card.investment,
        "updated_at": card.updated_at,
        "may_move": column.kind != "status" and decides[stage.pk],
    }


@router.get("/portfolio/board", response={200: PortfolioBoardOut, **ERRORS},
            summary="The board of one workflow template",
            description="A column per stage of the template's current version (default: the "
                        "first template), one for stages only older versions have, and the "
                        "on-hold, stopped and deployed columns. Each column has its count and "
                        "its most recently updated cards (12; 3 in the status columns).")
@policy.api_rule("pipeline.portfolio")
def portfolio_board(request, params: Query[PortfolioQuery]):
    data = reads.board(request.user, params.filters())
    decides: dict[int, bool] = {}
    return {
        "templates": data.templates, "template": data.template, "total": data.total,
        "columns": [{
            "key": c.key, "label": c.label, "kind": c.kind,
            "stage_id": c.stage.pk if c.stage else None,
            "phase": c.stage.phase if c.stage else None,
            "risk_appetite": c.stage.risk_appetite if c.stage else None,
            "count": c.count, "more": c.more,
            "cards": [_card(card, request.user, decides, c) for card in c.cards],
        } for c in data.columns],
    }


@router.get("/portfolio/matrix", response={200: PortfolioMatrixOut, **ERRORS},
            summary="Value against uncertainty, with investment",
            description="The largest investments (at most `limit`) among the filtered "
                        "initiatives, stopped ones left out unless `status` asks for them. "
                        "Value is the actual value once deployed, the projected value before.")
@policy.api_rule("pipeline.portfolio")
def portfolio_matrix(request, params: Query[PortfolioQuery],
                     limit: int = Query(reads.MATRIX_LIMIT, ge=1, le=reads.MATRIX_LIMIT)):
    data = reads.matrix(request.user, params.filters(), limit=limit)
    top = reads.value_axis_top(data.points)
    return {
        "count": data.count, "limit": limit, "truncated": data.truncated,
        "value_axis_top": top,
        "points": [{**p.__dict__, "value_is_actual": p.value_is_actual,
                    "quadrant": reads.quadrant(p, top)} for p in data.points],
    }


@router.get("/portfolio/balance", response={200: PortfolioBalanceOut, **ERRORS},
            summary="Balance by horizon, idea type, focus area and org unit",
            description="Count, investment and projected value per bucket, its share of the "
                        "investment (of the count while nothing is invested) and the gap to its "
                        "target from the portfolio criteria, in percentage points.")
@policy.api_rule("pipeline.portfolio")
def portfolio_balance(request, params: Query[PortfolioQuery]):
    data = reads.balance(request.user, params.filters())
    return {
        "basis": data.basis, "tolerance": reads.TOLERANCE, "total_count": data.total_count,
        "total_investment": data.total_investment, "total_value": data.total_value,
        "tables": [{
            "dimension": t.dimension, "label": t.label, "overlapping": t.overlapping,
            "target_total": t.target_total, "targets_complete": t.targets_complete,
            "rows": [{**r.__dict__, "gap": r.gap, "on_target": r.on_target} for r in t.rows],
        } for t in data.tables],
    }


@router.get("/portfolio/criteria", response={200: Page[PortfolioCriterionOut], **ERRORS},
            summary="Portfolio criteria: target shares per dimension and bucket")
@policy.api_rule("pipeline.portfolio")
def list_criteria(request, limit: int = Query(50, ge=1, le=100),
                  offset: int = Query(0, ge=0)):
    return page_of(reads.criteria(), limit=limit, offset=offset)


@router.post("/portfolio/criteria", response={201: PortfolioCriterionOut, **ERRORS},
             summary="Add a target share",
             description="One target per dimension and bucket. Targets of a dimension are meant "
                         "to add up to 100; the balance view says when they do not.")
@policy.api_rule("pipeline.manage")
def add_criterion(request, payload: PortfolioCriterionIn):
    return 201, actions.add_criterion(request.user, **payload.dict())


@router.get("/portfolio/criteria/{criterion_id}",
            response={200: PortfolioCriterionOut, **ERRORS})
@policy.api_rule("pipeline.portfolio")
def get_criterion(request, criterion_id: int):
    return reads.get_criterion(criterion_id)


@router.patch("/portfolio/criteria/{criterion_id}",
              response={200: PortfolioCriterionOut, **ERRORS}, summary="Change a target")
@policy.api_rule("pipeline.manage")
def update_criterion(request, criterion_id: int, payload: PortfolioCriterionPatch):
    criterion = reads.get_criterion(criterion_id)
    return actions.update_criterion(request.user, criterion, **payload.dict(exclude_unset=True))


@router.delete("/portfolio/criteria/{criterion_id}",
               response={200: PortfolioCriterionOut, **ERRORS},
               summary="Remove a target (answers with what was removed)")
@policy.api_rule("pipeline.manage")
def remove_criterion(request, criterion_id: int):
    return actions.remove_criterion(request.user, reads.get_criterion(criterion_id))


@router.get("/portfolio/export", response={**ERRORS},
            summary="Export the filtered initiatives as CSV or XLSX",
            description="One row per initiative you may see (stopped ones too), with template, "
                        "stage, status, horizon, type, unit, lead, uncertainty, values, "
                        "committed, spent, score, focus areas, objectives and ideas. Each "
                        "export is recorded in the audit trail.",
            openapi_extra={"responses": _FILE_RESPONSE})
@policy.api_rule("pipeline.portfolio")
def export_portfolio(request, params: Query[PortfolioQuery],
                     format: Literal["csv", "xlsx"] = "csv"):
    return download(actions.export_portfolio(
        request.user, params.filters(), fmt=format, base_url=request.build_absolute_uri("/")))
