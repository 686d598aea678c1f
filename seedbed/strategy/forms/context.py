from __future__ import annotations

from django import forms

from seedbed.strategy.models import ContextIssue
from seedbed.strategy.models.context import Level

DATE = forms.DateInput(attrs={"type": "date"})


class ContextIssueForm(forms.Form):
    title = forms.CharField(max_length=200)
    category = forms.ChoiceField(choices=ContextIssue.Category.choices)
    description = forms.CharField(
        max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What is happening and how it affects what innovation must achieve. "
                  "Markdown is supported.")
    impact = forms.ChoiceField(choices=Level.choices, initial=Level.MEDIUM)
    trend = forms.ChoiceField(choices=ContextIssue.Trend.choices,
                              initial=ContextIssue.Trend.STABLE)
    source = forms.CharField(max_length=300, required=False,
                             help_text="Where this comes from: a report, a regulation, a "
                                       "customer, a workshop.")
    review_on = forms.DateField(required=False, label="Review on", widget=DATE)


class InterestedPartyForm(forms.Form):
    name = forms.CharField(max_length=200)
    needs = forms.CharField(max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="What they need from us. Markdown is supported.")
    expectations = forms.CharField(max_length=5000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text="What they expect of our innovation. Markdown is "
                                             "supported.")
    importance = forms.ChoiceField(choices=Level.choices, initial=Level.MEDIUM,
                                   help_text="How much their needs weigh in our choices.")
    review_on = forms.DateField(required=False, label="Review on", widget=DATE)
