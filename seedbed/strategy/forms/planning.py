from __future__ import annotations

from django import forms

from seedbed import policy
from seedbed.accounts.models import Role
from seedbed.strategy.models import ActionItem, Objective, RaciAssignment
from seedbed.strategy.selectors import planning as selectors

DATE = {"type": "date"}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.job_title})" if obj.job_title else obj.full_name


class ObjectiveForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why this objective matters and how it will be achieved. Markdown is "
                  "supported.")
    indicator = forms.CharField(max_length=200,
                                help_text="What is measured, e.g. “share of revenue from "
                                          "products launched in the last 3 years”.")
    unit = forms.CharField(max_length=40, help_text="e.g. %, €, days, ideas.")
    baseline = forms.DecimalField(max_digits=18, decimal_places=4,
                                  help_text="The value when the objective starts.")
    target = forms.DecimalField(max_digits=18, decimal_places=4,
                                help_text="The value to reach by the due date; it may be lower "
                                          "than the baseline.")
    start_on = forms.DateField(label="Starts on", widget=forms.DateInput(attrs=DATE))
    due_on = forms.DateField(label="Due on", widget=forms.DateInput(attrs=DATE))
    owner = PersonChoiceField(queryset=selectors.owner_choices())
    focus_areas = forms.ModelMultipleChoiceField(
        queryset=selectors.linkable_focus_areas(), required=False, label="Focus areas",
        widget=forms.CheckboxSelectMultiple, help_text="Active focus areas this objective serves.")

    def __init__(self, *args, objective: Objective | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].queryset = selectors.linkable_focus_areas(objective)

    def clean(self):
        data = super().clean()
        baseline, target = data.get("baseline"), data.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error("target", "The target must differ from the baseline, or there is "
                                     "nothing to achieve.")
        if data.get("start_on") and data.get("due_on") and data["due_on"] <= data["start_on"]:
            self.add_error("due_on", "The due date must be after the start date.")
        return data


class ProgressForm(forms.Form):
    value = forms.DecimalField(max_digits=18, decimal_places=4)
    as_of = forms.DateField(label="As of", widget=forms.DateInput(attrs=DATE),
                            help_text="The date the value was measured.")
    note = forms.CharField(max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="What moved it, or what is in the way.")


ROLE_CHOICES = [("", "—")] + [(value, label) for value, label in Role.choices
                              if value in policy.ROLES]


class RaciForm(forms.Form):
    process = forms.CharField(max_length=120, help_text="An IMS process, e.g. “Run challenges”.")
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False,
                             help_text="A role, or a named person below.")
    person = PersonChoiceField(queryset=selectors.owner_choices(), required=False)
    letter = forms.ChoiceField(choices=RaciAssignment.Letter.choices)

    def clean(self):
        data = super().clean()
        if data.get("role") and data.get("person"):
            self.add_error("person", "Choose a role or a person, not both.")
        elif "role" in data and "person" in data and not data["role"] and not data["person"]:
            self.add_error("role", "Choose a role or a person.")
        return data


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(max_length=10000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="Markdown is supported.")
    kind = forms.ChoiceField(choices=ActionItem.Kind.choices)
    owner = PersonChoiceField(queryset=selectors.owner_choices())
    due_on = forms.DateField(label="Due on", widget=forms.DateInput(attrs=DATE))
    focus_area = forms.ModelChoiceField(queryset=selectors.linkable_focus_areas(),
                                        required=False, label="Focus area")
    context_issue = forms.ModelChoiceField(queryset=selectors.linkable_context_issues(),
                                           required=False, label="Context issue")
    objective = forms.ModelChoiceField(queryset=selectors.linkable_objectives(), required=False,
                                       help_text="Link at least one of focus area, context "
                                                 "issue or objective.")

    def __init__(self, *args, item: ActionItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None and item.focus_area_id:
            self.fields["focus_area"].queryset = selectors.linkable_focus_areas(
                keep_ids=(item.focus_area_id,))

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("focus_area", "context_issue", "objective")):
            self.add_error("focus_area", "Say what this action addresses: a focus area, a "
                                         "context issue or an objective.")
        return data


class ActionItemFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any kind"), *ActionItem.Kind.choices],
                             required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *ActionItem.Status.choices],
                               required=False)
    overdue = forms.BooleanField(required=False, label="Overdue only")
