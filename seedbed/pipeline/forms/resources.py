"""Forms for resource requests, their decision and spending. They check types; the actions in
seedbed.pipeline.actions.resources check the rules (and say which field is wrong)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from seedbed.pipeline.models import ResourceRequest, Stage


class ResourceRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=ResourceRequest.Kind.choices, label="What is needed",
                             widget=forms.Select(attrs={"data-request-kind": ""}))
    stage = forms.TypedChoiceField(coerce=int, label="For the stage",
                                   help_text="The current stage, or a later one to plan ahead.")
    amount = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, min_value=Decimal("0.01"),
        label="Amount",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "data-for-kind": "budget"}))
    hours = forms.DecimalField(
        max_digits=8, decimal_places=1, required=False, min_value=Decimal("0.1"),
        label="People-hours",
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "data-for-kind": "hours"}))
    partner_org = forms.ModelChoiceField(
        queryset=None, required=False, label="Partner organisation",
        help_text="Partners with an agreement in force today (an NDA or IP terms).",
        widget=forms.Select(attrs={"data-for-kind": "partner"}))
    justification = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                                    help_text="What it is for and what the stage learns or "
                                              "delivers with it.")

    def __init__(self, *args, stages: list[Stage], partners, currency: str | None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s.pk, s.name) for s in stages]
        if currency:
            self.fields["amount"].label = f"Amount ({currency})"
            self.fields["amount"].help_text = ("Drawn on the budget envelope below, in its "
                                               "currency.")
        if partners is None:
            # Partner accounts do not see the (internal) partner register.
            del self.fields["partner_org"]
            self.fields["kind"].choices = [c for c in ResourceRequest.Kind.choices
                                           if c[0] != ResourceRequest.Kind.PARTNER]
        else:
            self.fields["partner_org"].queryset = partners


class DecisionForm(forms.Form):
    """One form, two buttons (``decision`` = approve or reject): the note is optional to
    approve and required to reject."""

    decision = forms.ChoiceField(choices=(("approve", "Approve"), ("reject", "Reject")),
                                 widget=forms.HiddenInput)
    note = forms.CharField(max_length=1000, required=False, label="Decision note",
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Required to reject: the team reads why.")
    override = forms.BooleanField(required=False,
                                  label="Approve beyond what the budget envelope has left")
    override_reason = forms.CharField(max_length=1000, required=False,
                                      label="Reason for the override",
                                      widget=forms.Textarea(attrs={"rows": 2}))


class SpendForm(forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"),
                                label="Amount",
                                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}))
    spent_on = forms.DateField(label="Spent on", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=300, required=False,
                           help_text="What it paid for (invoice, supplier). Required beyond the "
                                     "approved amount.")
