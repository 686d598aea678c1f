"""Validation (clause 8.3.4): the assumptions ledger, experiments and the risk register.

Who: the initiative's lead and team (partners invited onto it included) and those who run the
IMS (``selectors.require_work``). When: while the initiative is active or on hold. A stopped or
deployed initiative keeps its records as evidence of how it was decided; the one thing still
written afterwards is an experiment's *learning*, because what was learned is often only clear
after the stop (knowledge, clause 7.1.6).

Every action that changes an assumption's importance or status refreshes the initiative's
uncertainty (``_derived.refresh_uncertainty``) in the same transaction, and the audit event
says how the uncertainty moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.lib.validation import clean_text, is_valid_id
from seedbed.pipeline import selectors
from seedbed.pipeline.actions._derived import refresh_uncertainty
from seedbed.pipeline.models import Assumption, Experiment, Initiative, Risk
from seedbed.pipeline.selectors.validation import risk_owner_choices

ASSUMPTION_FIELDS = ("statement", "kind", "importance", "evidence", "status")
EXPERIMENT_FIELDS = ("hypothesis", "method", "metric", "success_threshold", "starts_on",
                     "ends_on", "status", "result", "learning", "assumptions")
# What an experiment set out to test: fixed once it has concluded (it is the record of the test).
PLAN_FIELDS = frozenset({"hypothesis", "method", "metric", "success_threshold", "starts_on",
                         "ends_on", "assumptions", "status"})
RISK_FIELDS = ("title", "description", "likelihood", "impact", "owner", "treatment",
               "treatment_plan", "status")

S = Experiment.Status
NOT_RUN = (S.PLANNED, S.RUNNING)
OUTCOMES = (S.SUCCEEDED, S.FAILED, S.INCONCLUSIVE)
# What concluding does to the assumptions an experiment tests; "inconclusive" changes nothing.
SETTLES = {S.SUCCEEDED: Assumption.Status.SUPPORTED, S.FAILED: Assumption.Status.REFUTED}
CLOSED = (Initiative.Status.STOPPED, Initiative.Status.DEPLOYED)
# Treatments that are something to do, so they need a plan ("accept" may stand alone).
NEEDS_PLAN = {Risk.Treatment.AVOID: "avoided", Risk.Treatment.REDUCE: "reduced",
              Risk.Treatment.TRANSFER: "transferred"}
MAX_LINKED = 50

HYPOTHESIS_REQUIRED = ("Every experiment needs a hypothesis: what you expect to observe if the "
                       "assumption holds.")
LEARNING_REQUIRED = ("Say what the team learned: it is kept as knowledge whatever the "
                     "outcome.")


# --- shared -----------------------------------------------------------------------------------

def _locked_initiative(actor, pk: int) -> Initiative:
    """The initiative, locked so that concurrent changes refresh its uncertainty one after the
    other, once the actor is known to work on it."""
    initiative = Initiative.objects.select_for_update().get(pk=pk)
    selectors.require_work(actor, initiative)
    return initiative


def _closed_conflict(initiative: Initiative) -> StateConflict:
    return StateConflict(
        f"This initiative is {initiative.get_status_display().lower()}: its validation records "
        "are kept as they were (only an experiment's learning can still be written).",
        "initiative_closed")


def _require_open(initiative: Initiative) -> None:
    if initiative.status in CLOSED:
        raise _closed_conflict(initiative)


def _int_in(value: Any, low: int, high: int, field: str, message: str,
            errors: dict[str, str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = message
        return None
    return value


def _uncertainty_moved(initiative: Initiative) -> dict[str, dict[str, int]]:
    before = initiative.uncertainty
    after = refresh_uncertainty(initiative)
    return {"uncertainty": {"before": before, "after": after}} if before != after else {}


def _delete_recorded(actor, verb: str, obj: Model, fields: Iterable[str],
                     then: Callable[[], dict] | None = None) -> None:
    """Delete ``obj`` and record what it was (the event keeps the id it had); ``then`` runs
    after the delete and adds its own changes (e.g. how the uncertainty moved)."""
    pk, label, text = obj.pk, obj._meta.label_lower, str(obj)
    changes = audit.diff(audit.snapshot(obj, fields), {})
    obj.delete()
    if then is not None:
        changes.update(then())
    audit.record(actor, verb, None, changes, object_type=label, object_id=pk, object_repr=text)


# --- assumptions ------------------------------------------------------------------------------

def _clean_assumption(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    statement = clean_text(data.get("statement"), "statement", max_length=500, errors=errors,
                           required=True)
    kind = data.get("kind")
    if kind not in Assumption.Kind.values:
        errors["kind"] = "Choose desirability, feasibility, viability or other."
    importance = _int_in(data.get("importance"), 1, 5, "importance",
                         "Give an importance from 1 (minor) to 5 (the initiative fails if it "
                         "is wrong).", errors)
    evidence = _int_in(data.get("evidence"), 0, 3, "evidence",
                       "Give an evidence strength from 0 (none) to 3 (strong).", errors)
    status = data.get("status")
    if status not in Assumption.Status.values:
        errors["status"] = "Choose untested, supported or refuted."
    elif status != Assumption.Status.UNTESTED and evidence == Assumption.Evidence.NONE:
        errors["evidence"] = ("A supported or refuted assumption rests on some evidence: give "
                              "at least “weak”.")
    if errors:
        raise ValidationError(errors)
    return {"statement": statement, "kind": kind, "importance": importance,
            "evidence": evidence, "status": status}


@transaction.atomic
def create_assumption(actor, initiative: Initiative, *, statement: str, kind: str,
                      importance: int = 3, evidence: int = Assumption.Evidence.NONE,
                      status: str = Assumption.Status.UNTESTED) -> Assumption:
    """Record what must be true for the initiative to succeed (importance 4-5: critical)."""
    initiative = _locked_initiative(actor, initiative.pk)
    _require_open(initiative)
    clean = _clean_assumption({"statement": statement, "kind": kind, "importance": importance,
                               "evidence": evidence, "status": status})
    now = timezone.now()
    assumption = Assumption.objects.create(initiative=initiative, created_by=actor,
                                           created_at=now, updated_at=now, **clean)
    changes = audit.created(assumption, ("initiative", *ASSUMPTION_FIELDS))
    changes.update(_uncertainty_moved(initiative))
    audit.record(actor, "assumption.created", assumption, changes)
    return assumption


@transaction.atomic
def update_assumption(actor, assumption: Assumption, **changes: Any) -> Assumption:
    """Edit an assumption; its status and evidence may be set by hand (overriding what
    concluding an experiment set), e.g. after desk research."""
    unknown = set(changes) - set(ASSUMPTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown assumption fields: {sorted(unknown)}")
    initiative = _locked_initiative(actor, assumption.initiative_id)
    _require_open(initiative)
    assumption = Assumption.objects.select_for_update().get(pk=assumption.pk)
    current = {name: getattr(assumption, name) for name in ASSUMPTION_FIELDS}
    clean = _clean_assumption({**current, **changes})
    before = audit.snapshot(assumption, ASSUMPTION_FIELDS)
    for name, value in clean.items():
        setattr(assumption, name, value)
    change_set = audit.diff(before, audit.snapshot(assumption, ASSUMPTION_FIELDS))
    if not change_set:
        return assumption
    assumption.updated_at = timezone.now()
    assumption.save(update_fields=[*clean, "updated_at"])
    change_set.update(_uncertainty_moved(initiative))
    audit.record(actor, "assumption.updated", assumption, change_set)
    return assumption


@transaction.atomic
def delete_assumption(actor, assumption: Assumption) -> None:
    """Remove an assumption recorded by mistake. One that an experiment tests is part of the
    evidence and stays (its importance or status can change instead)."""
    initiative = _locked_initiative(actor, assumption.initiative_id)
    _require_open(initiative)
    assumption = Assumption.objects.select_for_update().get(pk=assumption.pk)
    if assumption.experiments.exists():
        raise StateConflict("An experiment tests this assumption, so it is part of the "
                            "initiative's evidence and stays in the ledger: change its "
                            "importance or status instead.", "assumption_tested")
    _delete_recorded(actor, "assumption.deleted", assumption, ("initiative", *ASSUMPTION_FIELDS),
                     then=lambda: _uncertainty_moved(initiative))


# --- experiments ------------------------------------------------------------------------------

def _assumption_ids(initiative: Initiative, values: Iterable[Any] | None,
                    errors: dict[str, str]) -> list[int]:
    """The ids of the assumptions to link (given as records or ids): all of this initiative."""
    ids: set[int] = set()
    for value in values or ():
        pk = getattr(value, "pk", value)
        if isinstance(pk, bool) or not isinstance(pk, int) or not is_valid_id(pk):
            errors["assumptions"] = "Name the assumptions to link by their ids."
            return []
        ids.add(pk)
    if len(ids) > MAX_LINKED:
        errors["assumptions"] = f"Link at most {MAX_LINKED} assumptions to one experiment."
        return []
    found = set(Assumption.objects.filter(pk__in=ids, initiative_id=initiative.pk)
                .values_list("pk", flat=True)) if ids else set()
    if found != ids:
        errors["assumptions"] = ("An experiment tests assumptions of its own initiative only: "
                                 "one of these is not in this initiative's ledger.")
        return []
    return sorted(ids)


def _clean_date(value: Any, field: str, errors: dict[str, str]) -> date | None:
    if value is not None and not isinstance(value, date):
        errors[field] = "Enter a valid date."
        return None
    return value


def _clean_experiment(initiative: Initiative, data: dict[str, Any], *,
                      statuses: Iterable[str], status_message: str) -> dict[str, Any]:
    errors: dict[str, str] = {}
    hypothesis = clean_text(data.get("hypothesis"), "hypothesis", max_length=500,
                            errors=errors)
    if not hypothesis and "hypothesis" not in errors:
        errors["hypothesis"] = HYPOTHESIS_REQUIRED
    clean = {"hypothesis": hypothesis}
    for name, limit in (("method", 300), ("metric", 200), ("success_threshold", 200),
                        ("result", 5000), ("learning", 5000)):
        clean[name] = clean_text(data.get(name), name, max_length=limit, errors=errors)
    starts_on = _clean_date(data.get("starts_on"), "starts_on", errors)
    ends_on = _clean_date(data.get("ends_on"), "ends_on", errors)
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The experiment cannot end before it starts."
    clean.update(starts_on=starts_on, ends_on=ends_on, status=data.get("status"),
                 assumptions=_assumption_ids(initiative, data.get("assumptions"), errors))
    if clean["status"] not in statuses:
        errors["status"] = status_message
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def create_experiment(actor, initiative: Initiative, *, hypothesis: str, method: str = "",
                      metric: str = "", success_threshold: str = "",
                      starts_on: date | None = None, ends_on: date | None = None,
                      status: str = S.PLANNED, assumptions: Iterable[Any] = ()) -> Experiment:
    """Plan (or start) an experiment on some of the initiative's assumptions. A hypothesis is
    required: without one the result could not show anything."""
    initiative = _locked_initiative(actor, initiative.pk)
    _require_open(initiative)
    clean = _clean_experiment(initiative, {
        "hypothesis": hypothesis, "method": method, "metric": metric,
        "success_threshold": success_threshold, "starts_on": starts_on, "ends_on": ends_on,
        "status": status, "assumptions": assumptions}, statuses=NOT_RUN,
        status_message="A new experiment is planned or running: record its result once it "
                       "has run.")
    linked = clean.pop("assumptions")
    now = timezone.now()
    experiment = Experiment.objects.create(initiative=initiative, created_by=actor,
                                           created_at=now, updated_at=now, **clean)
    experiment.assumptions.set(linked)
    audit.record(actor, "experiment.created", experiment,
                 audit.created(experiment, ("initiative", *EXPERIMENT_FIELDS)))
    return experiment


def _current_experiment(experiment: Experiment) -> dict[str, Any]:
    values = {name: getattr(experiment, name) for name in EXPERIMENT_FIELDS
              if name != "assumptions"}
    values["assumptions"] = sorted(experiment.assumptions.values_list("pk", flat=True))
    return values


@transaction.atomic
def update_experiment(actor, experiment: Experiment, **changes: Any) -> Experiment:
    """Edit an experiment: its plan and linked assumptions while it has not concluded; its
    result and learning at any time (on a stopped or deployed initiative, the learning only).
    Concluding goes through ``conclude_experiment``."""
    unknown = set(changes) - set(EXPERIMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown experiment fields: {sorted(unknown)}")
    initiative = _locked_initiative(actor, experiment.initiative_id)
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    current = _current_experiment(experiment)
    concluded = experiment.status in OUTCOMES
    clean = _clean_experiment(
        initiative, {**current, **changes}, statuses=S.values if concluded else NOT_RUN,
        status_message="Record the result to conclude an experiment.")
    changed = {name for name, value in clean.items() if value != current[name]}
    if initiative.status in CLOSED and changed - {"learning"}:
        raise _closed_conflict(initiative)
    if concluded and changed & PLAN_FIELDS:
        raise StateConflict("This experiment has concluded: what it tested stays as it was. "
                            "Correct its result or learning, or plan a new experiment.",
                            "experiment_concluded")
    if concluded and not clean["learning"]:
        raise ValidationError({"learning": LEARNING_REQUIRED})
    if not changed:
        return experiment
    before = audit.snapshot(experiment, EXPERIMENT_FIELDS)
    fields = [name for name in changed if name != "assumptions"]
    for name in fields:
        setattr(experiment, name, clean[name])
    experiment.updated_at = timezone.now()
    experiment.save(update_fields=[*fields, "updated_at"])
    if "assumptions" in changed:
        experiment.assumptions.set(clean["assumptions"])
    audit.record(actor, "experiment.updated", experiment,
                 audit.diff(before, audit.snapshot(experiment, EXPERIMENT_FIELDS)))
    return experiment


def _settle(experiment: Experiment, outcome: str) -> dict[str, dict[str, Any]]:
    """Succeeded → the tested assumptions are supported, failed → refuted; either way their
    evidence is at least moderate (a real test beats desk research). Returns the audit
    changes."""
    status = SETTLES.get(outcome)
    if status is None:
        return {}
    through = Experiment.assumptions.through.objects.filter(experiment_id=experiment.pk)
    rows = list(Assumption.objects.select_for_update()
                .filter(pk__in=through.values("assumption_id")).order_by("pk"))
    now = timezone.now()
    before, after = {}, {}
    for row in rows:
        before[row.pk] = {"status": row.status, "evidence": row.evidence}
        row.status = status
        row.evidence = max(row.evidence, Assumption.Evidence.MODERATE)
        row.updated_at = now
        after[row.pk] = {"status": row.status, "evidence": row.evidence}
    Assumption.objects.bulk_update(rows, ["status", "evidence", "updated_at"])
    return {"assumptions_tested": {"before": before, "after": after}} if rows else {}


@transaction.atomic
def conclude_experiment(actor, experiment: Experiment, *, status: str, learning: str,
                        result: str = "") -> Experiment:
    """Record how the experiment ended and what was learned; the assumptions it tests follow
    (see ``_settle``) and the initiative's uncertainty is refreshed."""
    initiative = _locked_initiative(actor, experiment.initiative_id)
    _require_open(initiative)
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if experiment.status in OUTCOMES:
        raise StateConflict(f"This experiment has already concluded "
                            f"({experiment.get_status_display().lower()}): plan a new one to "
                            "test again.", "experiment_concluded")
    errors: dict[str, str] = {}
    if status not in OUTCOMES:
        errors["status"] = "Say how it ended: succeeded, failed or inconclusive."
    result = clean_text(result, "result", max_length=5000, errors=errors)
    learning = clean_text(learning, "learning", max_length=5000, errors=errors)
    if not learning and "learning" not in errors:
        errors["learning"] = LEARNING_REQUIRED
    if errors:
        raise ValidationError(errors)
    fields = ("status", "result", "learning")
    before = audit.snapshot(experiment, fields)
    experiment.status, experiment.result, experiment.learning = status, result, learning
    experiment.updated_at = timezone.now()
    experiment.save(update_fields=[*fields, "updated_at"])
    changes = audit.diff(before, audit.snapshot(experiment, fields))
    changes.update(_settle(experiment, status))
    changes.update(_uncertainty_moved(initiative))
    audit.record(actor, "experiment.concluded", experiment, changes)
    return experiment


@transaction.atomic
def delete_experiment(actor, experiment: Experiment) -> None:
    """Remove an experiment that has not concluded (planned by mistake, or dropped). A
    concluded one is evidence and stays."""
    initiative = _locked_initiative(actor, experiment.initiative_id)
    _require_open(initiative)
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if experiment.status in OUTCOMES:
        raise StateConflict("A concluded experiment is evidence and stays on record.",
                            "experiment_concluded")
    _delete_recorded(actor, "experiment.deleted", experiment,
                     ("initiative", *EXPERIMENT_FIELDS))


# --- risks ------------------------------------------------------------------------------------

def _clean_risk(initiative: Initiative, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = clean_text(data.get("title"), "title", max_length=200, errors=errors,
                       required=True)
    description = clean_text(data.get("description"), "description", max_length=5000,
                             errors=errors)
    likelihood = _int_in(data.get("likelihood"), 1, 5, "likelihood",
                         "Give a likelihood from 1 (rare) to 5 (almost certain).", errors)
    impact = _int_in(data.get("impact"), 1, 5, "impact",
                     "Give an impact from 1 (minor) to 5 (severe).", errors)
    owner = data.get("owner")
    if owner is not None and not risk_owner_choices(initiative).filter(
            pk=getattr(owner, "pk", None)).exists():
        errors["owner"] = ("The owner is an employee on the initiative's team or an innovation "
                           "manager.")
    treatment = data.get("treatment") or ""
    if treatment and treatment not in Risk.Treatment.values:
        errors["treatment"] = "Choose avoid, reduce, transfer or accept."
    plan = clean_text(data.get("treatment_plan"), "treatment_plan", max_length=5000,
                      errors=errors)
    if plan and not treatment and "treatment" not in errors:
        errors["treatment"] = "Choose the treatment this plan carries out."
    if treatment in NEEDS_PLAN and not plan and "treatment_plan" not in errors:
        errors["treatment_plan"] = f"Say how the risk will be {NEEDS_PLAN[treatment]}."
    status = data.get("status")
    if status not in Risk.Status.values:
        errors["status"] = "Choose open or closed."
    if errors:
        raise ValidationError(errors)
    return {"title": title, "description": description, "likelihood": likelihood,
            "impact": impact, "owner": owner, "treatment": treatment, "treatment_plan": plan,
            "status": status}


@transaction.atomic
def create_risk(actor, initiative: Initiative, *, title: str, likelihood: int, impact: int,
                description: str = "", owner=None, treatment: str = "",
                treatment_plan: str = "", status: str = Risk.Status.OPEN) -> Risk:
    """Add a risk to the register: likelihood × impact (1-5 each) gives its score."""
    initiative = _locked_initiative(actor, initiative.pk)
    _require_open(initiative)
    clean = _clean_risk(initiative, {
        "title": title, "description": description, "likelihood": likelihood,
        "impact": impact, "owner": owner, "treatment": treatment,
        "treatment_plan": treatment_plan, "status": status})
    now = timezone.now()
    risk = Risk.objects.create(initiative=initiative, created_by=actor, created_at=now,
                               updated_at=now, **clean)
    audit.record(actor, "risk.created", risk, audit.created(risk, ("initiative", *RISK_FIELDS)))
    return risk


@transaction.atomic
def update_risk(actor, risk: Risk, **changes: Any) -> Risk:
    """Re-assess, re-assign, treat, close or reopen a risk."""
    unknown = set(changes) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"Unknown risk fields: {sorted(unknown)}")
    initiative = _locked_initiative(actor, risk.initiative_id)
    _require_open(initiative)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    current = {name: getattr(risk, name) for name in RISK_FIELDS}
    clean = _clean_risk(initiative, {**current, **changes})
    before = audit.snapshot(risk, RISK_FIELDS)
    for name, value in clean.items():
        setattr(risk, name, value)
    change_set = audit.diff(before, audit.snapshot(risk, RISK_FIELDS))
    if not change_set:
        return risk
    risk.updated_at = timezone.now()
    risk.save(update_fields=[*clean, "updated_at"])
    audit.record(actor, "risk.updated", risk, change_set)
    return risk


@transaction.atomic
def delete_risk(actor, risk: Risk) -> None:
    """Remove a risk entered by mistake (a risk that went away is closed instead)."""
    initiative = _locked_initiative(actor, risk.initiative_id)
    _require_open(initiative)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    _delete_recorded(actor, "risk.deleted", risk, ("initiative", *RISK_FIELDS))
