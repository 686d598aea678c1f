from __future__ import annotations

from django import forms

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.strategy.models import ContextIssue, FocusArea, InterestedParty


def _owners():
    return User.objects.filter(is_active=True, role__in=policy.EMPLOYEES).order_by("full_name")


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.job_title})" if obj.job_title else obj.full_name


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="The opportunity or threat, in one line.")
    kind = forms.ChoiceField(choices=FocusArea.Kind.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        max_length=10000, label="Why it matters", widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you have seen, and what it could mean for us. Markdown is supported.")
    context_issues = forms.ModelMultipleChoiceField(
        queryset=ContextIssue.objects.all(), required=False, label="Related context issues",
        widget=forms.CheckboxSelectMultiple)
    interested_parties = forms.ModelMultipleChoiceField(
        queryset=InterestedParty.objects.all(), required=False,
        label="Interested parties it matters to", widget=forms.CheckboxSelectMultiple)


class FocusAreaForm(ProposalForm):
    horizon = forms.TypedChoiceField(choices=FocusArea.Horizon.choices,
                                     initial=FocusArea.Horizon.H1)
    priority = forms.TypedChoiceField(choices=FocusArea.Priority.choices, coerce=int,
                                      initial=FocusArea.Priority.MEDIUM)
    owner = OwnerField(queryset=_owners(), required=False)
    field_order = ["title", "kind", "rationale", "horizon", "priority", "owner"]

    def __init__(self, *args, status_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()
        if status_choices:
            self.fields["status"] = forms.ChoiceField(
                choices=status_choices, help_text="Retire a focus area the organisation no "
                "longer pursues; it stays readable for what points at it.")


class AcceptForm(forms.Form):
    owner = OwnerField(queryset=_owners(), required=False,
                       help_text="Leave empty to own it yourself.")
    horizon = forms.TypedChoiceField(choices=FocusArea.Horizon.choices,
                                     initial=FocusArea.Horizon.H1)
    priority = forms.TypedChoiceField(choices=FocusArea.Priority.choices, coerce=int,
                                      initial=FocusArea.Priority.MEDIUM)
    reason = forms.CharField(max_length=5000, required=False, label="Note to the proposer",
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=FocusArea.objects.none(),
                                  label="Merge into (an active focus area)")
    reason = forms.CharField(max_length=5000, required=False, label="Note to the proposer",
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["into"].queryset = targets


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="The proposer sees this: say why, and what would "
                                       "change the answer.")
