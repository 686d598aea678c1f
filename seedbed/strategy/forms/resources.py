from __future__ import annotations

from django import forms
from django.utils import timezone

from seedbed.accounts.models import Competency, OrgUnit, User

DATE = forms.DateInput(attrs={"type": "date"})


class _PeriodForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after the day it starts.")
        return data


class BudgetEnvelopeForm(_PeriodForm):
    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.all(), label="Org unit")
    period_start = forms.DateField(label="Period starts", widget=DATE)
    period_end = forms.DateField(label="Period ends", widget=DATE)
    allocated = forms.DecimalField(
        min_value=0.01, max_digits=14, decimal_places=2, label="Allocated",
        help_text="Committed and spent are filled in from the initiatives' resource requests.")
    currency = forms.CharField(min_length=3, max_length=3, initial="EUR",
                               help_text="ISO 4217 code, such as EUR or GBP.")
    note = forms.CharField(max_length=300, required=False)


class TimeAllowanceForm(_PeriodForm):
    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.all(), label="Org unit")
    percent_of_time = forms.DecimalField(
        min_value=0.01, max_value=100, max_digits=5, decimal_places=2,
        label="Share of working time (%)",
        help_text="How much of their working time the unit's people may give to innovation.")
    period_start = forms.DateField(label="Period starts", widget=DATE)
    period_end = forms.DateField(label="Period ends", widget=DATE)
    description = forms.CharField(max_length=300, required=False,
                                  help_text="E.g. how the time is taken: a day a month, "
                                            "hack days, experiment sprints.")


class RequiredCompetencyForm(forms.Form):
    competency = forms.ModelChoiceField(
        queryset=Competency.objects.filter(requirement__isnull=True),
        help_text="Competencies are kept by the administrator.")
    people_needed = forms.IntegerField(min_value=1, max_value=100000, initial=1,
                                       label="People needed")
    rationale = forms.CharField(max_length=500, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="Why the strategy needs it.")


class RequiredCompetencyEditForm(forms.Form):
    people_needed = forms.IntegerField(min_value=1, max_value=100000, label="People needed")
    rationale = forms.CharField(max_length=500, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))


class TrainingRecordForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True))
    title = forms.CharField(max_length=200)
    provider = forms.CharField(max_length=200, required=False)
    competency = forms.ModelChoiceField(queryset=Competency.objects.all(), required=False,
                                        help_text="The competency it builds, if any.")
    completed_on = forms.DateField(label="Completed on", widget=DATE)
    hours = forms.DecimalField(min_value=0.1, max_value=99999.9, max_digits=6,
                               decimal_places=1, required=False)

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on > timezone.localdate():
            raise forms.ValidationError(
                "Record training once it is completed: this date is ahead.")
        return completed_on


class TrainingFilterForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.all(), required=False,
                                    empty_label="Everyone")
    competency = forms.ModelChoiceField(queryset=Competency.objects.all(), required=False,
                                        empty_label="Any competency")
