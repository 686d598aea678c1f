"""Idea types and custom submission fields (managers); everyone who browses sees the types."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.ideas import selectors
from seedbed.ideas.actions import types as type_actions
from seedbed.ideas.forms import CustomFieldForm, IdeaTypeForm
from seedbed.ideas.models import CustomField, IdeaType
from seedbed.lib.validation import is_valid_id


def _type_or_404(pk: int) -> IdeaType:
    idea_type = IdeaType.objects.filter(pk=pk).first() if is_valid_id(pk) else None
    if idea_type is None:
        raise Http404("No such idea type")
    return idea_type


def _field_for_manager(user, pk: int) -> CustomField:
    field = (CustomField.objects.select_related("challenge", "idea_type").filter(pk=pk).first()
             if is_valid_id(pk) else None)
    if field is None:
        raise Http404("No such field")
    if field.challenge_id:
        selectors.get_challenge_for_user(user, field.challenge_id, manage=True)
    return field


def _owner_url(field: CustomField) -> str:
    owner = field.challenge or field.idea_type
    name = "ideas:challenge_edit" if field.challenge_id else "ideas:type_edit"
    return reverse(name, args=[owner.pk]) + "#fields"


@policy.rule("challenge.browse")
def type_list(request: HttpRequest) -> HttpResponse:
    can_manage = policy.can(request.user, "challenge.manage")
    types = IdeaType.objects.all() if can_manage else IdeaType.objects.filter(active=True)
    return render(request, "ideas/types/type_list.html", {
        "types": list(types), "can_manage": can_manage})


@policy.rule("challenge.manage")
def type_create(request: HttpRequest) -> HttpResponse:
    form = IdeaTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea_type = type_actions.create_idea_type(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Idea type “{idea_type.name}” added.")
            return redirect("ideas:type_edit", idea_type.pk)
    return render(request, "ideas/types/type_form.html", {"form": form, "idea_type": None},
                  status=400 if form.errors else 200)


@policy.rule("challenge.manage")
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea_type = _type_or_404(pk)
    form = IdeaTypeForm(request.POST or None, initial={
        "name": idea_type.name, "code": idea_type.code, "description": idea_type.description})
    if request.method == "POST" and form.is_valid():
        try:
            type_actions.update_idea_type(request.user, idea_type, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Idea type updated.")
            return redirect("ideas:type_list")
    return render(request, "ideas/types/type_form.html", {
        "form": form, "idea_type": idea_type, "fields": list(idea_type.custom_fields.all()),
        "field_form": CustomFieldForm()}, status=400 if form.errors else 200)


@policy.rule("challenge.manage")
@require_POST
def type_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    idea_type = _type_or_404(pk)
    try:
        type_actions.update_idea_type(request.user, idea_type, active=not idea_type.active)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{idea_type.name}” is now "
                                  f"{'inactive' if idea_type.active else 'active'}.")
    return redirect("ideas:type_list")


def _add_field(request: HttpRequest, *, challenge=None, idea_type=None,
               back: str) -> HttpResponse:
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            type_actions.add_custom_field(request.user, challenge=challenge,
                                          idea_type=idea_type, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Field added.")
            return redirect(back + "#fields")
    return render(request, "ideas/types/field_form.html", {
        "form": form, "field": None, "owner": challenge or idea_type, "back": back},
        status=400 if form.errors else 200)


@policy.rule("challenge.manage")
def challenge_field_create(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.get_challenge_for_user(request.user, pk, manage=True)
    return _add_field(request, challenge=challenge,
                      back=reverse("ideas:challenge_edit", args=[challenge.pk]))


@policy.rule("challenge.manage")
def type_field_create(request: HttpRequest, pk: int) -> HttpResponse:
    idea_type = _type_or_404(pk)
    return _add_field(request, idea_type=idea_type,
                      back=reverse("ideas:type_edit", args=[idea_type.pk]))


@policy.rule("challenge.manage")
def custom_field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    field = _field_for_manager(request.user, pk)
    form = CustomFieldForm(request.POST or None, initial=CustomFieldForm.initial_for(field))
    back = _owner_url(field)
    if request.method == "POST" and form.is_valid():
        try:
            type_actions.update_custom_field(request.user, field, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Field updated.")
            return redirect(back)
    return render(request, "ideas/types/field_form.html", {
        "form": form, "field": field, "owner": field.challenge or field.idea_type,
        "back": back.split("#")[0]}, status=400 if form.errors else 200)


@policy.rule("challenge.manage")
@require_POST
def custom_field_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    field = _field_for_manager(request.user, pk)
    try:
        type_actions.move_custom_field(request.user, field, direction)
    except StateConflict as exc:
        messages.error(request, exc.message)
    return redirect(_owner_url(field))


@policy.rule("challenge.manage")
@require_POST
def custom_field_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    field = _field_for_manager(request.user, pk)
    try:
        type_actions.update_custom_field(request.user, field, active=not field.active)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Field “{field.label}” is now "
                                  f"{'inactive' if field.active else 'active'}.")
    return redirect(_owner_url(field))
