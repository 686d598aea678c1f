"""Probes for the portfolio: board, matrix (page and SVG), balance, criteria, export. The probed
criterion is the H1 target; adding one takes the free H2 bucket. Exports are reads that record
an audit event."""

from __future__ import annotations

from seedbed import policy
from tests.matrix._base import Probe

A, M, L, AU = policy.ADMIN, policy.MANAGER, policy.LEADER, policy.AUDITOR


def build(users, org) -> dict:
    from seedbed.pipeline.actions.portfolio import add_criterion
    from tests.support import pipeline_templates

    pipeline_templates()
    criterion = add_criterion(users[M], dimension="horizon", bucket="h1", target_share=70,
                              note="Protect the core business.")
    return {"criterion": criterion}


def _criterion(w) -> dict:
    return {"pk": w.extra["pipeline_portfolio"]["criterion"].pk}


def _criterion_id(w) -> dict:
    return {"criterion_id": w.extra["pipeline_portfolio"]["criterion"].pk}


HTML_SAMPLES = {
    "pipeline:board": Probe("pipeline.portfolio"),
    "pipeline:portfolio_matrix": Probe("pipeline.portfolio"),
    "pipeline:portfolio_matrix_svg": Probe("pipeline.portfolio"),
    "pipeline:portfolio_balance": Probe("pipeline.portfolio"),
    "pipeline:portfolio_criteria": Probe("pipeline.portfolio"),
    "pipeline:portfolio_criterion_create": Probe("pipeline.manage"),
    "pipeline:portfolio_criterion_edit": Probe("pipeline.manage", kwargs=_criterion),
    "pipeline:portfolio_criterion_delete": Probe("pipeline.manage", "post", kwargs=_criterion,
                                                 allowed=302),
    # Without ?format= the page that offers the downloads; with it, the file, recorded in the
    # audit trail (seedbed/pipeline/tests/test_portfolio_export.py; the API probe below).
    "pipeline:portfolio_export": Probe("pipeline.portfolio"),
}

API_SAMPLES = {
    "GET /api/v1/pipeline/portfolio/board": Probe("pipeline.portfolio"),
    "GET /api/v1/pipeline/portfolio/matrix": Probe("pipeline.portfolio"),
    "GET /api/v1/pipeline/portfolio/balance": Probe("pipeline.portfolio"),
    "GET /api/v1/pipeline/portfolio/criteria": Probe("pipeline.portfolio"),
    "POST /api/v1/pipeline/portfolio/criteria": Probe(
        "pipeline.manage", "post", allowed=201,
        data={"dimension": "horizon", "bucket": "h2", "target_share": 20}),
    "GET /api/v1/pipeline/portfolio/criteria/{criterion_id}": Probe(
        "pipeline.portfolio", kwargs=_criterion_id),
    "PATCH /api/v1/pipeline/portfolio/criteria/{criterion_id}": Probe(
        "pipeline.manage", "patch", kwargs=_criterion_id, data={"target_share": 65}),
    "DELETE /api/v1/pipeline/portfolio/criteria/{criterion_id}": Probe(
        "pipeline.manage", "delete", kwargs=_criterion_id),
    "GET /api/v1/pipeline/portfolio/export": Probe("pipeline.portfolio", audited=True),
}

API_SUCCESSES = {
    "GET /api/v1/pipeline/portfolio/board": (L, None, 200),
    "GET /api/v1/pipeline/portfolio/matrix": (AU, None, 200),
    "GET /api/v1/pipeline/portfolio/balance": (M, None, 200),
    "GET /api/v1/pipeline/portfolio/criteria": (AU, None, 200),
    "POST /api/v1/pipeline/portfolio/criteria": (
        M, {"dimension": "horizon", "bucket": "h3", "target_share": "10.5",
            "note": "A few bold bets."}, 201),
    "GET /api/v1/pipeline/portfolio/criteria/{criterion_id}": (L, None, 200),
    "PATCH /api/v1/pipeline/portfolio/criteria/{criterion_id}": (
        A, {"target_share": 72, "label": "Core business"}, 200),
    "DELETE /api/v1/pipeline/portfolio/criteria/{criterion_id}": (M, None, 200),
    "GET /api/v1/pipeline/portfolio/export": (AU, None, 200),
}

# "criterion_id" names a scorecard criterion elsewhere: these paths name a portfolio criterion.
_ONE = "/api/v1/pipeline/portfolio/criteria/{criterion_id}"
PATH_OBJECTS = {f"criterion_id in {_ONE}": "criterion"}
