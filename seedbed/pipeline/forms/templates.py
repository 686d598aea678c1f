"""Forms for workflow templates and their draft versions. They parse; the actions in
``seedbed.pipeline.actions.templates`` validate the rules and change things."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

from seedbed.ideas.models import IdeaType
from seedbed.pipeline.actions._criteria import MAX_WEIGHT, SCALE_LIMIT
from seedbed.pipeline.actions.templates import KEY_PATTERN
from seedbed.pipeline.models import GateItem, Stage, TemplateVersion, WorkflowTemplate
from seedbed.pipeline.selectors.templates import DECIDER_LABELS

KEY_HELP = ("A short stable name for exports and the API: lower-case letters, digits, hyphens "
            "and underscores, starting with a letter.")
# The action checks keys too; checking here as well shows the error with the form's others.
KEY_VALIDATORS = [RegexValidator(KEY_PATTERN, "Use lower-case letters, digits, hyphens and "
                                              "underscores, starting with a letter.")]


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=120)
    code = forms.CharField(
        max_length=40, required=False,
        help_text="A short stable name for exports and the API (lower-case letters, digits, "
                  "underscores). Left empty, it is made from the name; it never changes.")
    description = forms.CharField(max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    idea_type = forms.ModelChoiceField(
        queryset=IdeaType.objects.order_by("position", "name"), required=False,
        empty_label="(none)",
        help_text="Ideas of this type are promoted onto this template. One template per type.")

    @classmethod
    def for_edit(cls, template: WorkflowTemplate, data=None) -> TemplateForm:
        form = cls(data, initial={"name": template.name, "description": template.description,
                                  "idea_type": template.idea_type_id})
        del form.fields["code"]
        form.fields["active"] = forms.BooleanField(
            required=False, initial=template.active, label="Active",
            help_text="Inactive templates are not offered to new promotions; initiatives "
                      "already on them go on.")
        return form


class VersionStartForm(forms.Form):
    note = forms.CharField(max_length=300, required=False, label="What will change",
                           help_text="Shown in the version history.")


class DraftForm(forms.Form):
    note = forms.CharField(max_length=300, required=False, label="What changes",
                           help_text="Shown in the version history.")
    scorecard_name = forms.CharField(max_length=120, label="Scorecard name")
    blind = forms.BooleanField(
        required=False, label="Blind review",
        help_text="Evaluators see no one else's scores until they have submitted theirs.")

    @staticmethod
    def initial_for(version: TemplateVersion) -> dict:
        scorecard = getattr(version, "scorecard", None)
        return {"note": version.note, "scorecard_name": scorecard.name if scorecard else "",
                "blind": scorecard.blind if scorecard else True}


class PublishForm(forms.Form):
    note = forms.CharField(max_length=300, required=False, label="What changed")


class StageForm(forms.Form):
    key = forms.CharField(max_length=40, help_text=KEY_HELP, validators=KEY_VALIDATORS)
    name = forms.CharField(max_length=80)
    description = forms.CharField(max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    phase = forms.ChoiceField(choices=Stage.Phase.choices,
                              help_text="Where the stage sits in the innovation process.")
    gate_name = forms.CharField(max_length=120, required=False,
                                help_text="Left empty, the gate is named after the stage.")
    gate_criteria = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the deciders weigh at this gate, in words.")
    decider_roles = forms.MultipleChoiceField(
        choices=list(DECIDER_LABELS.items()), required=False, label="Who decides the gate",
        widget=forms.CheckboxSelectMultiple)
    risk_appetite = forms.IntegerField(
        min_value=0, max_value=100, initial=50,
        help_text="The highest uncertainty (0-100) an initiative may carry through this gate "
                  "before the deciders are warned.")

    @staticmethod
    def initial_for(stage: Stage) -> dict:
        return {name: getattr(stage, name) for name in (
            "key", "name", "description", "phase", "gate_name", "gate_criteria",
            "decider_roles", "risk_appetite")}


class GateItemForm(forms.Form):
    kind = forms.ChoiceField(choices=GateItem.Kind.choices)
    label = forms.CharField(max_length=200)
    rule = forms.ChoiceField(
        choices=[("", "(none: a checklist item)"), *GateItem.Rule.choices], required=False,
        label="Evidence rule",
        help_text="For required evidence: what the system checks in the initiative's records.")

    @staticmethod
    def initial_for(item: GateItem) -> dict:
        return {"kind": item.kind, "label": item.label, "rule": item.rule}


class CriterionForm(forms.Form):
    key = forms.CharField(max_length=40, help_text=KEY_HELP, validators=KEY_VALIDATORS)
    name = forms.CharField(max_length=120)
    description = forms.CharField(max_length=500, required=False)
    weight = forms.DecimalField(max_digits=5, decimal_places=2, initial=1,
                                max_value=MAX_WEIGHT,
                                help_text="Relative weight in the weighted mean; above 0.")
    min_score = forms.IntegerField(min_value=-SCALE_LIMIT, max_value=SCALE_LIMIT, initial=1,
                                   label="Lowest score")
    max_score = forms.IntegerField(min_value=-SCALE_LIMIT, max_value=SCALE_LIMIT, initial=5,
                                   label="Highest score")
    higher_is_better = forms.BooleanField(
        required=False, initial=True, label="A higher score is better",
        help_text="Untick for criteria such as risk or effort: aggregation inverts them.")

    @staticmethod
    def initial_for(criterion) -> dict:
        return {name: getattr(criterion, name) for name in (
            "key", "name", "description", "weight", "min_score", "max_score",
            "higher_is_better")}
