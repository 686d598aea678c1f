from __future__ import annotations

from django import forms

from seedbed.accounts.models import OrgUnit
from seedbed.ideas.models import Challenge


class ChallengeForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        max_length=20000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you are asking for and why. Markdown is supported.")
    opens_on = forms.DateField(required=False, label="Opens on",
                               widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(required=False, label="Closes on",
                                widget=forms.DateInput(attrs={"type": "date"}))
    audience = forms.ChoiceField(choices=Challenge.Audience.choices, widget=forms.RadioSelect,
                                 initial=Challenge.Audience.ORGANISATION)
    units = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.all(), required=False, label="Org units",
        help_text="Used when the audience is selected org units; sub-units are included.",
        widget=forms.CheckboxSelectMultiple)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "The closing date must be on or after the opening date.")
        if data.get("audience") == Challenge.Audience.UNITS and not data.get("units"):
            self.add_error("units", "Choose at least one org unit.")
        return data


