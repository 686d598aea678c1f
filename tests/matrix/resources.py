"""Probes for resources and competence (seedbed/strategy/{views,api}/resources.py)."""

from __future__ import annotations

from datetime import date

from tests.matrix._base import Probe

# Budgets, time, the competence matrix and training records are records of the IMS: read by
# those who run, lead and audit it (strategy.records), kept by those who run it
# (strategy.manage). Everyone may read their own training records (account.self).



def _budget(w) -> dict:
    return {"pk": w.extra["resources"]["budget"].pk}


HTML_SAMPLES = {
    "strategy:resources_budget_list": Probe("strategy.records"),
    "strategy:resources_budget_create": Probe("strategy.manage"),
    "strategy:resources_budget_edit": Probe("strategy.manage", kwargs=_budget),
    "strategy:resources_time_list": Probe("strategy.records"),
    "strategy:resources_time_create": Probe("strategy.manage"),
    "strategy:resources_time_edit": Probe(
        "strategy.manage", kwargs=lambda w: {"pk": w.extra["resources"]["allowance"].pk}),
    "strategy:resources_competence_matrix": Probe("strategy.records"),
    "strategy:resources_required_create": Probe("strategy.manage"),
    "strategy:resources_required_edit": Probe(
        "strategy.manage", kwargs=lambda w: {"pk": w.extra["resources"]["requirement"].pk}),
    "strategy:resources_training_list": Probe("strategy.records"),
    "strategy:resources_training_create": Probe("strategy.manage"),
    "strategy:resources_training_mine": Probe("account.self"),
}

API_SAMPLES = {
    "GET /api/v1/strategy/budgets": Probe("strategy.records"),
    "POST /api/v1/strategy/budgets": Probe(
        "strategy.manage", "post", allowed=201,
        data=lambda w: {"org_unit_id": w.extra["resources"]["free_unit"].pk,
                        "period_start": "2031-01-01", "period_end": "2031-12-31",
                        "allocated": "1000.00"}),
    "GET /api/v1/strategy/budgets/{budget_id}": Probe(
        "strategy.records", kwargs=lambda w: {"budget_id": _budget(w)["pk"]}),
    "PATCH /api/v1/strategy/budgets/{budget_id}": Probe(
        "strategy.manage", "patch", kwargs=lambda w: {"budget_id": _budget(w)["pk"]},
        data={"allocated": "65000.00", "note": "Raised after the spring review"}),
    "GET /api/v1/strategy/time-allowances": Probe("strategy.records"),
    "POST /api/v1/strategy/time-allowances": Probe(
        "strategy.manage", "post", allowed=201,
        data=lambda w: {"org_unit_id": w.extra["resources"]["free_unit"].pk,
                        "percent_of_time": "10", "period_start": "2031-01-01",
                        "period_end": "2031-12-31"}),
    "GET /api/v1/strategy/competence-matrix": Probe("strategy.records"),
    "POST /api/v1/strategy/required-competencies": Probe(
        "strategy.manage", "post", allowed=201,
        data=lambda w: {"competency_id": w.extra["resources"]["free_competency"].pk,
                        "people_needed": 2}),
    "GET /api/v1/strategy/training-records": Probe("strategy.records"),
    "POST /api/v1/strategy/training-records": Probe(
        "strategy.manage", "post", allowed=201,
        data=lambda w: {"person_id": w.extra["resources"]["trainee"].pk,
                        "title": "Design sprint facilitation", "completed_on": "2024-05-02"}),
}


def build(users, org) -> dict:
    from seedbed.accounts.models import Competency
    from seedbed.strategy.actions import resources as actions

    manager = users["manager"]
    this_year = date.today().year
    budget = actions.create_budget_envelope(
        manager, org_unit=org["ops"], period_start=date(this_year, 1, 1),
        period_end=date(this_year, 12, 31), allocated="60000.00", currency="EUR")
    allowance = actions.create_time_allowance(
        manager, org_unit=org["plant"], percent_of_time="5", period_start=date(this_year, 1, 1),
        period_end=date(this_year, 12, 31), description="Half a day a fortnight")
    competency = Competency.objects.create(name="Matrix probe: design thinking")
    requirement = actions.require_competency(manager, competency=competency, people_needed=2)
    training = actions.record_training(
        manager, person=users["contributor"], title="Lean basics", provider="In-house",
        competency=competency, completed_on=date(2024, 3, 1), hours="7.5")
    # Free for a successful create in tests/test_api_schema.py: a unit with no budget or time
    # allowance, a competency not yet required, and a person to record training for.
    free_competency = Competency.objects.create(name="Matrix probe: sensory science")
    return {"budget": budget, "allowance": allowance, "requirement": requirement,
            "training": training, "free_unit": org["sales"], "free_competency": free_competency,
            "trainee": users["evaluator"]}
