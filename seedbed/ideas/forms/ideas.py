from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from seedbed.ideas.models import CustomField, Idea
from seedbed.lib.validation import is_valid_id

# Form fields answering custom questions are named "cf_<key>"; the actions report their errors
# as "custom_values.<key>" (the API's name), which ``form_errors`` maps back.
PREFIX = "cf_"


def _custom_field(field: CustomField) -> forms.Field:
    """A form field for one question. Always optional here: whether an answer is required
    (not for a draft) and what it may be is decided by the action, in one place."""
    label = field.label + (" (required to submit)" if field.required else "")
    common = {"label": label, "required": False, "help_text": field.help_text}
    kind = field.kind
    if kind == CustomField.Kind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                               **common)
    if kind == CustomField.Kind.NUMBER:
        return forms.CharField(widget=forms.NumberInput(attrs={"step": "any"}), **common)
    if kind == CustomField.Kind.CHOICE:
        return forms.CharField(widget=forms.Select(
            choices=[("", "—")] + [(c, c) for c in field.choices]), **common)
    if kind == CustomField.Kind.MULTI_CHOICE:
        return forms.MultipleChoiceField(choices=[(c, c) for c in field.choices],
                                         widget=forms.CheckboxSelectMultiple, **common)
    if kind == CustomField.Kind.YES_NO:
        return forms.CharField(widget=forms.Select(
            choices=[("", "—"), ("yes", "Yes"), ("no", "No")]), **common)
    if kind == CustomField.Kind.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == CustomField.Kind.FILE:
        return forms.FileField(**common)
    return forms.CharField(max_length=200, **common)


def _initial_answer(field: CustomField, value):
    if field.kind == CustomField.Kind.YES_NO and isinstance(value, bool):
        return "yes" if value else "no"
    if field.kind == CustomField.Kind.FILE:
        return None
    return value


class IdeaForm(forms.Form):
    title = forms.CharField(
        max_length=200, help_text="One line a colleague understands.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}))
    description = forms.CharField(
        max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text="The problem, your idea, and who benefits. Markdown is supported.")
    idea_type = forms.ModelChoiceField(queryset=None, label="Type of idea", required=False,
                                       empty_label="Choose…")
    tags = forms.CharField(required=False, max_length=500,
                           help_text="Up to 10, separated by commas (e.g. packaging, energy).")
    confidential = forms.BooleanField(
        required=False, label="IP-confidential",
        help_text="Only its authors, innovation managers, leaders and assigned evaluators "
                  "will see it.")

    def __init__(self, *args, types=(), definitions=(), idea: Idea | None = None, **kwargs):
        """``types``: the idea types to offer (hidden when there is only one, or when editing);
        ``definitions``: the custom questions to ask; ``idea``: the idea being edited."""
        if idea is not None:
            initial = kwargs.setdefault("initial", {})
            initial.update({"title": idea.title, "description": idea.description,
                            "tags": ", ".join(t.name for t in idea.tags.all()),
                            "confidential": idea.confidential})
            for field in definitions:
                initial[PREFIX + field.key] = _initial_answer(
                    field, idea.custom_values.get(field.key))
        super().__init__(*args, **kwargs)
        types = list(types)
        if idea is not None or len(types) <= 1:
            del self.fields["idea_type"]
        else:
            self.fields["idea_type"].queryset = type(types[0]).objects.filter(
                pk__in=[t.pk for t in types])
            self.fields["idea_type"].required = True
        self.definitions = list(definitions)
        for field in self.definitions:
            self.fields[PREFIX + field.key] = _custom_field(field)

    def answers(self) -> tuple[dict, dict]:
        """(answers by key, uploads by key) from the cleaned data."""
        values, files = {}, {}
        for field in self.definitions:
            value = self.cleaned_data.get(PREFIX + field.key)
            if field.kind == CustomField.Kind.FILE:
                if value:
                    files[field.key] = value
            elif value not in (None, "", []):
                values[field.key] = value
        return values, files

    def action_arguments(self) -> dict:
        values, files = self.answers()
        data = {"title": self.cleaned_data["title"],
                "description": self.cleaned_data["description"],
                "tags": self.cleaned_data.get("tags", ""),
                "confidential": self.cleaned_data.get("confidential", False),
                "custom_values": values, "files": files}
        if "idea_type" in self.fields:
            data["idea_type"] = self.cleaned_data.get("idea_type")
        return data


def form_errors(exc):
    """An action's ValidationError with the custom answers' names as the form names them."""
    from django.core.exceptions import ValidationError

    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({
        (PREFIX + key.split(".", 1)[1] if key.startswith("custom_values.") else key): value
        for key, value in exc.message_dict.items()})


class InviteCoauthorForm(forms.Form):
    """Who to invite, by e-mail address: a drop-down of every colleague would put thousands of
    options on each idea page (and made the page slower as the organisation grew). Whether that
    person may co-author this idea is the action's rule (``invite_coauthor``), not the form's."""

    user = forms.CharField(label="Invite a co-author", max_length=254,
                           help_text="Their e-mail address, e.g. anna.berg@example.com.")

    def clean_user(self):
        value = self.cleaned_data["user"].strip()
        people = get_user_model().objects.filter(is_active=True)
        # An id is accepted too (what the page sent before, and what scripts may send).
        found = (people.filter(pk=int(value)) if value.isdigit() and is_valid_id(int(value))
                 else people.filter(email__iexact=value)).first()
        if found is None:
            raise forms.ValidationError("Nobody with that e-mail address uses Seedbed.")
        return found


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Add a file")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[
        (s, label) for s, label in Idea.Status.choices
        if s not in (Idea.Status.DRAFT, Idea.Status.MERGED)], label="New status")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             help_text="Tell the authors why.")
