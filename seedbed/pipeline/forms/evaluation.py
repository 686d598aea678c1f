"""Forms: scorecards, criteria, assigning evaluators, scoring and declaring a conflict."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from seedbed.accounts.models import Competency
from seedbed.pipeline.models import Criterion

BLIND_HELP = ("Evaluators see no one else's scores, nor the aggregate, until they have "
              "submitted their own.")


class ScorecardForm(forms.Form):
    name = forms.CharField(max_length=120)
    blind = forms.BooleanField(required=False, initial=True, label="Blind review",
                               help_text=BLIND_HELP)


class NewScorecardForm(ScorecardForm):
    standard = forms.BooleanField(
        required=False, initial=True, label="Start from the standard criteria",
        help_text="Strategic fit, value potential, feasibility, risk and effort, each scored "
                  "1 to 5; edit or remove them afterwards.")


class CriterionForm(forms.Form):
    name = forms.CharField(max_length=120)
    key = forms.CharField(max_length=40, required=False,
                          help_text="How the API names it. Left empty, it is made from the name.")
    description = forms.CharField(max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="What evaluators should weigh.")
    weight = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0.01, initial=1,
                                help_text="Its share of the weighted score, relative to the "
                                          "other criteria.")
    min_score = forms.IntegerField(min_value=-100, max_value=100, initial=1,
                                   label="Lowest score")
    max_score = forms.IntegerField(min_value=-100, max_value=100, initial=5,
                                   label="Highest score")
    higher_is_better = forms.BooleanField(
        required=False, initial=True, label="A higher score is better",
        help_text="Untick for criteria such as risk or effort, where a high score is bad.")
    position = forms.IntegerField(min_value=0, max_value=1000, required=False, label="Order",
                                  help_text="Criteria are listed by this number.")

    @staticmethod
    def initial_for(criterion: Criterion) -> dict:
        return {name: getattr(criterion, name) for name in (
            "name", "key", "description", "weight", "min_score", "max_score",
            "higher_is_better", "position")}


class CompetencyPickForm(forms.Form):
    competency = forms.ModelMultipleChoiceField(
        Competency.objects.order_by("name"), required=False, label="Competencies needed",
        widget=forms.CheckboxSelectMultiple)


class AssignForm(forms.Form):
    """People picked from the suggestions (ids) and/or named by e-mail address: no list of
    every colleague on the page."""

    evaluator_ids = forms.CharField(required=False, widget=forms.MultipleHiddenInput)
    emails = forms.CharField(
        required=False, max_length=2000, label="E-mail addresses",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Colleagues to assign, one address a line or separated by commas.")

    def clean_evaluator_ids(self) -> list[int]:
        raw = self.data.getlist("evaluator_ids") if hasattr(self.data, "getlist") else []
        ids = []
        for value in raw:
            if not str(value).isdigit() or not 0 < int(value) < 2**63:
                raise forms.ValidationError("Choose people from the list.")
            ids.append(int(value))
        return ids

    def clean_emails(self) -> list[str]:
        return [part.strip().lower() for part in re.split(r"[\s,;]+", self.cleaned_data["emails"])
                if part.strip()]

    def clean(self):
        data = super().clean()
        ids, emails = data.get("evaluator_ids") or [], data.get("emails") or []
        if "evaluator_ids" in self.errors or "emails" in self.errors:
            return data
        if not ids and not emails:
            raise forms.ValidationError("Tick someone in the suggestions or give an address.")
        people = list(get_user_model().objects.filter(is_active=True).filter(
            Q(pk__in=ids) | Q(email__in=emails)).order_by("full_name", "id"))
        found = {p.email.lower() for p in people}
        unknown = [e for e in emails if e not in found]
        if unknown:
            self.add_error("emails", f"No colleague has the address {', '.join(unknown)}.")
        if len({p.pk for p in people if p.pk in ids}) != len(set(ids)):
            self.add_error("evaluator_ids", "Choose people from the list.")
        data["people"] = people
        return data


class ScoreForm(forms.Form):
    """One score per criterion of the scorecard, an optional note each, and a comment."""

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            direction = "higher is better" if criterion.higher_is_better else "lower is better"
            help_text = (f"{criterion.description} " if criterion.description else "") + (
                f"From {criterion.min_score} to {criterion.max_score}; {direction}.")
            self.fields[f"score_{criterion.key}"] = forms.IntegerField(
                label=criterion.name, min_value=criterion.min_score,
                max_value=criterion.max_score, help_text=help_text)
            self.fields[f"note_{criterion.key}"] = forms.CharField(
                label=f"Note on {criterion.name.lower()}", required=False, max_length=500)
        self.fields["comment"] = forms.CharField(
            required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
            label="Comment", help_text="Your overall view, for the deciders.")

    def rows(self) -> list[tuple]:
        """(criterion, score field, note field) for the template."""
        return [(c, self[f"score_{c.key}"], self[f"note_{c.key}"]) for c in self.criteria]

    def sheet(self) -> dict:
        data = self.cleaned_data
        return {"scores": {c.key: data.get(f"score_{c.key}") for c in self.criteria},
                "notes": {c.key: data.get(f"note_{c.key}", "") for c in self.criteria},
                "comment": data.get("comment", "")}

    @staticmethod
    def field_for(error_key: str) -> str | None:
        """The form field an action's error key ("scores.<key>", "notes.<key>") belongs to."""
        kind, _, key = error_key.partition(".")
        return {"scores": f"score_{key}", "notes": f"note_{key}"}.get(kind) if key else None


class ConflictForm(forms.Form):
    note = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                           label="Why you should not evaluate this",
                           help_text="Kept on the record with your declaration.")
