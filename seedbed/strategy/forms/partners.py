from __future__ import annotations

from django import forms

from seedbed.strategy.models import PartnerAgreement, PartnerOrganisation
from seedbed.strategy.selectors.partners import assignable_accounts


class PartnerForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=PartnerOrganisation.Kind.choices)
    description = forms.CharField(max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="What they bring and how we work together. "
                                            "Markdown is supported.")
    website = forms.URLField(required=False, assume_scheme="https")
    contact_name = forms.CharField(max_length=150, required=False, label="Contact name")
    contact_email = forms.EmailField(required=False, label="Contact e-mail")


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(choices=PartnerAgreement.Kind.choices)
    title = forms.CharField(max_length=200)
    starts_on = forms.DateField(label="Starts on",
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Ends on", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}),
                              help_text="Leave empty for an open-ended agreement.")
    ip_terms = forms.CharField(max_length=10000, required=False, label="IP terms",
                               widget=forms.Textarea(attrs={"rows": 5}),
                               help_text="Who owns what is created together; Markdown.")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The agreement must end on or after the day it starts.")
        return data


class AccountAssignForm(forms.Form):
    user = forms.ModelChoiceField(queryset=assignable_accounts(), label="Partner account",
                                  help_text="Only accounts with the partner role are listed.")
