"""Evaluation pages: an initiative's evaluation tab, an idea's evaluation page, "my
evaluations", the side-by-side comparison, and the challenge scorecard editor."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors
from seedbed.ideas.models import Idea
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import evaluation as actions
from seedbed.pipeline.forms.evaluation import (
    AssignForm,
    CompetencyPickForm,
    ConflictForm,
    CriterionForm,
    NewScorecardForm,
    ScorecardForm,
    ScoreForm,
)
from seedbed.pipeline.models import Initiative
from seedbed.pipeline.selectors import evaluation as reads
from seedbed.pipeline.views import frame

MY_EVALUATIONS_PER_PAGE = 25


def subject_url(subject: Initiative | Idea) -> str:
    if isinstance(subject, Initiative):
        return reverse("pipeline:initiative_evaluation", args=[subject.pk])
    return reverse("pipeline:idea_evaluation", args=[subject.pk])


def _is_open(subject: Initiative | Idea) -> bool:
    if isinstance(subject, Initiative):
        return subject.is_open
    return subject.status in actions.EVALUABLE_IDEAS


def _manager_part(request: HttpRequest, board: reads.Board, forms: dict) -> dict:
    """The assign form and, when competencies are picked, the ranked suggestions."""
    pick = CompetencyPickForm(request.GET if "competency" in request.GET else None)
    chosen = list(pick.cleaned_data["competency"]) if pick.is_bound and pick.is_valid() else []
    taken = [e.evaluator_id for e in board.evaluations]
    return {
        "assign_form": forms.get("assign_form") or AssignForm(),
        "pick_form": pick,
        "chosen": chosen,
        "suggestions": reads.suggest_evaluators(board.subject, chosen, exclude=taken)
        if chosen else None,
    }


def _render_subject(request: HttpRequest, subject: Initiative | Idea, *, status: int = 200,
                    **forms) -> HttpResponse:
    """The evaluation page of an initiative (a tab of its frame) or of an idea, for this
    viewer; ``forms`` carries a bound form that failed, to show its errors."""
    if isinstance(subject, Initiative):
        context = frame(request, subject, "pipeline:initiative_evaluation")
        board = reads.board_for(request.user, subject, request.GET.get("stage"),
                                context["stages"])
        template = "pipeline/evaluation/initiative_evaluation.html"
    else:
        context = {"idea": subject}
        board = reads.board_for(request.user, subject)
        template = "pipeline/evaluation/idea_evaluation.html"
    context.update({"board": board, "subject": subject, "page_url": subject_url(subject)})
    scoring = board.pending is not None and board.is_current and _is_open(subject)
    if scoring:
        context["score_form"] = forms.get("score_form") or ScoreForm(criteria=board.criteria)
        context["conflict_form"] = forms.get("conflict_form") or ConflictForm()
    context["can_manage"] = (policy.can(request.user, "pipeline.manage") and board.is_current
                             and _is_open(subject) and board.scorecard is not None)
    if context["can_manage"]:
        context.update(_manager_part(request, board, forms))
        if request.htmx and "competency" in request.GET:
            template = "pipeline/evaluation/_board.html#suggestions"
    return render(request, template, context, status=status)


@policy.rule("pipeline.browse")
def initiative_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_subject(request, selectors.get_initiative_for_user(request.user, pk))


@policy.rule("pipeline.browse")
def idea_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_subject(request, reads.get_idea_for_user(request.user, pk))


def _assign(request: HttpRequest, subject: Initiative | Idea) -> HttpResponse:
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            made = actions.assign_evaluators(request.user, subject, form.cleaned_data["people"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            messages.error(request, exc.message)
            return _render_subject(request, subject, status=409)
        else:
            names = ", ".join(e.evaluator.full_name for e in made)
            messages.success(request, f"Assigned: {names}.")
            return redirect(subject_url(subject))
    return _render_subject(request, subject, status=400, assign_form=form)


@policy.rule("pipeline.manage")
@require_POST
def initiative_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _assign(request, selectors.get_initiative_for_user(request.user, pk))


@policy.rule("pipeline.manage")
@require_POST
def idea_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _assign(request, reads.get_idea_for_user(request.user, pk))


def _apply_sheet_errors(form: ScoreForm, exc: ValidationError) -> None:
    for key, errors in exc.message_dict.items():
        field = ScoreForm.field_for(key) or key
        form.add_error(field if field in form.fields else None, errors)


@policy.rule("pipeline.evaluate")
@require_POST
def evaluation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation, subject = reads.get_own_evaluation(request.user, pk)
    criteria = list(evaluation.scorecard.criteria.all())
    form = ScoreForm(request.POST, criteria=criteria)
    if form.is_valid():
        try:
            actions.submit_evaluation(request.user, evaluation, **form.sheet())
        except ValidationError as exc:
            _apply_sheet_errors(form, exc)
        except StateConflict as exc:
            messages.error(request, exc.message)
            return _render_subject(request, subject, status=409)
        else:
            messages.success(request, "Your evaluation is submitted. Thank you.")
            return redirect(subject_url(subject))
    return _render_subject(request, subject, status=400, score_form=form)


@policy.rule("pipeline.evaluate")
@require_POST
def evaluation_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation, subject = reads.get_own_evaluation(request.user, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            actions.declare_conflict(request.user, evaluation, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            messages.error(request, exc.message)
            return _render_subject(request, subject, status=409)
        else:
            messages.success(request, "Your conflict of interest is recorded; you will not "
                                      "score this.")
            return redirect(subject_url(subject))
    return _render_subject(request, subject, status=400, conflict_form=form)


@policy.rule("pipeline.manage")
@require_POST
def evaluation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation, subject = reads.get_evaluation_to_manage(request.user, pk)
    try:
        actions.withdraw_evaluator(request.user, evaluation)
    except StateConflict as exc:
        messages.error(request, exc.message)
        return _render_subject(request, subject, status=409)
    messages.success(request, f"{evaluation.evaluator.full_name} no longer evaluates this.")
    return redirect(subject_url(subject))


@policy.rule("pipeline.evaluate")
def my_evaluations(request: HttpRequest) -> HttpResponse:
    page = Paginator(reads.my_evaluations(request.user), MY_EVALUATIONS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "pipeline/evaluation/my_evaluations.html", {"page": page})


@policy.rule("pipeline.browse")
def compare(request: HttpRequest) -> HttpResponse:
    """Pick initiatives (or ideas of one challenge) and see them side by side."""
    initiative_ids = request.GET.getlist("initiatives")
    idea_ids = request.GET.getlist("ideas")
    challenge = None
    if request.GET.get("challenge"):
        challenge = reads.get_challenge_for_user(request.user, _id_or_404(
            request.GET["challenge"]))
    result, error = None, ""
    # One subject alone is a pre-selection (the link from its evaluation page), not an error.
    if len(initiative_ids) + len(idea_ids) > 1:
        try:
            result = reads.comparison(request.user, initiative_ids=initiative_ids,
                                      idea_ids=idea_ids)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            challenge = result.challenge or challenge
    kind = "ideas" if challenge is not None or idea_ids else "initiatives"
    choices = (reads.ideas_to_compare(request.user, challenge.pk) if challenge is not None
               else [] if kind == "ideas" else list(reads.initiatives_to_compare(request.user)))
    chosen = {int(i) for i in (idea_ids if kind == "ideas" else initiative_ids)
              if str(i).isdigit()}
    return render(request, "pipeline/evaluation/compare.html", {
        "result": result, "error": error, "kind": kind, "challenge": challenge,
        "choices": choices, "chosen": chosen, "limits": (reads.COMPARE_MIN, reads.COMPARE_MAX),
    }, status=400 if error else 200)


def _id_or_404(value: str) -> int:
    if not value.isdigit():
        raise Http404("No such challenge")
    return int(value)


# --- Challenge scorecards ---------------------------------------------------------------------


def _scorecard_url(challenge) -> str:
    return reverse("pipeline:challenge_scorecard", args=[challenge.pk])


@policy.rule("pipeline.manage")
def challenge_scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the challenge's scorecard, or rename it and switch blind review."""
    challenge = reads.get_challenge_for_scorecard(request.user, pk)
    scorecard = reads.challenge_scorecard(challenge)
    if scorecard is None:
        form = NewScorecardForm(request.POST or None,
                                initial={"name": f"{challenge.title} scorecard"[:120]})
    else:
        form = ScorecardForm(request.POST or None,
                             initial={"name": scorecard.name, "blind": scorecard.blind})
    if request.method == "POST" and form.is_valid():
        try:
            if scorecard is None:
                actions.create_challenge_scorecard(request.user, challenge, **form.cleaned_data)
            else:
                actions.update_scorecard(request.user, scorecard, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Scorecard saved.")
            return redirect(_scorecard_url(challenge))
    return render(request, "pipeline/evaluation/scorecard.html", {
        "challenge": challenge, "scorecard": scorecard, "form": form,
        "criteria": list(scorecard.criteria.all()) if scorecard else [],
        "in_use": scorecard is not None and reads.has_scores(scorecard),
    }, status=400 if form.errors else 200)


def _criterion_page(request, form, *, challenge, criterion=None, status=200) -> HttpResponse:
    return render(request, "pipeline/evaluation/criterion_form.html", {
        "form": form, "challenge": challenge, "criterion": criterion,
        "back": _scorecard_url(challenge)}, status=status)


@policy.rule("pipeline.manage")
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = reads.get_challenge_for_scorecard(request.user, pk)
    scorecard = reads.challenge_scorecard(challenge)
    if scorecard is None:
        raise Http404("This challenge has no scorecard yet")
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_criterion(request.user, scorecard, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Criterion added.")
            return redirect(_scorecard_url(challenge))
    return _criterion_page(request, form, challenge=challenge,
                           status=400 if form.errors else 200)


@policy.rule("pipeline.manage")
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = reads.get_criterion_to_manage(request.user, pk)
    challenge = criterion.scorecard.challenge
    form = CriterionForm(request.POST or None, initial=CriterionForm.initial_for(criterion))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_criterion(request.user, criterion, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Criterion saved.")
            return redirect(_scorecard_url(challenge))
    return _criterion_page(request, form, challenge=challenge, criterion=criterion,
                           status=400 if form.errors else 200)


@policy.rule("pipeline.manage")
@require_POST
def criterion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = reads.get_criterion_to_manage(request.user, pk)
    challenge = criterion.scorecard.challenge
    try:
        actions.remove_criterion(request.user, criterion)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Criterion “{criterion.name}” removed.")
    return redirect(_scorecard_url(challenge))
