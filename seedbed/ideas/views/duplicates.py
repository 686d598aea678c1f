"""Similar ideas while typing; marking duplicates and merging; undoing a merge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors
from seedbed.ideas import selectors
from seedbed.ideas.actions import duplicates as actions
from seedbed.ideas.forms.duplicates import MergeForm
from seedbed.ideas.models import Idea
from seedbed.ideas.selectors import duplicates as dup_selectors
from seedbed.lib.validation import is_valid_id


def detail_context(request, idea: Idea) -> dict:
    """The idea page's part: what was merged into this idea (one query), and for a merged
    idea, where it went and the merge record (one more query, merged ideas only)."""
    context = {
        "merged_here": list(dup_selectors.merges_into(idea)),
        "can_merge": policy.can(request.user, "challenge.manage"),
        "merge_out": None,
    }
    if idea.status == Idea.Status.MERGED:
        context["merge_out"] = dup_selectors.active_merge_of(idea)
    return context


def redirect_if_merged(request, idea: Idea) -> HttpResponse | None:
    """A merged idea's page sends people on to the survivor, saying so; ``?merged=1`` shows
    the merged idea itself (its record, attachments and the undo button)."""
    if idea.status != Idea.Status.MERGED or not idea.merged_into_id or request.GET.get("merged"):
        return None
    messages.info(request, f"“{idea.title}” was merged into this idea; its votes, comments "
                           "and followers are here now.")
    return redirect("ideas:idea_detail", pk=idea.merged_into_id)


def _challenge_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and is_valid_id(int(raw)) else None


@policy.rule("idea.browse")
def idea_suggest(request) -> HttpResponse:
    """Similar ideas for the submission form (htmx, debounced): the five most similar ideas
    this person may see. Short or empty input gives an empty list."""
    title = request.GET.get("title", "")
    description = request.GET.get("description", "")
    suggestions = dup_selectors.similar_ideas(
        request.user, title, description,
        challenge_id=_challenge_id(request.GET.get("challenge", "")))
    return render(request, "ideas/_suggestions.html", {"suggestions": suggestions})


@policy.rule("challenge.manage")
def idea_merge(request, pk: int) -> HttpResponse:
    """Mark an idea as a duplicate of another and merge it there."""
    idea = selectors.get_idea_for_user(request.user, pk)
    query = request.GET.get("q", "")[:200]
    form = MergeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            target = selectors.get_idea_for_user(request.user, form.cleaned_data["target"])
            try:
                actions.merge_ideas(request.user, idea, target,
                                    reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_errors(form, exc)
            except StateConflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, f"“{idea.title}” is merged into this idea. The "
                                          "merge can be undone from either idea's page.")
                return redirect(target)
        status = 400 if status == 200 else status
    targets = dup_selectors.merge_targets(request.user, idea, query)
    return render(request, "ideas/idea_merge.html", {
        "idea": idea, "form": form, "targets": targets, "query": query}, status=status)


@policy.rule("challenge.manage")
@require_POST
def merge_undo(request, pk: int) -> HttpResponse:
    """Undo a merge: from the merged idea's page, the survivor's page or the audit trail."""
    merge = dup_selectors.get_merge_for_user(request.user, pk)
    try:
        actions.undo_merge(request.user, merge)
    except StateConflict as exc:
        return render(request, "ideas/merge_refused.html", {"merge": merge,
                                                            "message": exc.message},
                      status=409)
    messages.success(request, f"The merge is undone: “{merge.source.title}” has its votes, "
                              "comments and followers back.")
    return redirect(merge.source)
