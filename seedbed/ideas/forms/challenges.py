from __future__ import annotations

from django import forms

from seedbed.accounts.models import OrgUnit, User
from seedbed.ideas.actions.challenges import MAX_TOKEN_BUDGET, SPONSOR_ROLES
from seedbed.ideas.models import Challenge, IdeaType
from seedbed.strategy.models import FocusArea, PartnerOrganisation


def _sponsors():
    return (User.objects.filter(is_active=True, role__in=SPONSOR_ROLES)
            .order_by("full_name", "pk"))


class SponsorField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.job_title})" if obj.job_title else obj.full_name


class ChallengeForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        max_length=20000, label="Brief", widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you are asking for and why. Markdown is supported.")
    focus_areas = forms.ModelMultipleChoiceField(
        queryset=FocusArea.objects.none(), label="Why we ask: focus areas",
        help_text="The opportunities and threats this challenge seeks ideas on (at least one).",
        widget=forms.CheckboxSelectMultiple)
    sponsor = SponsorField(
        queryset=User.objects.none(), required=False,
        help_text="The person who speaks for the challenge, typically a leader.")
    opens_on = forms.DateField(required=False, label="Opens on",
                               widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(required=False, label="Closes on",
                                widget=forms.DateInput(attrs={"type": "date"}))
    audience = forms.ChoiceField(choices=Challenge.Audience.choices, widget=forms.RadioSelect,
                                 initial=Challenge.Audience.ORGANISATION)
    units = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.none(), required=False, label="Org units",
        help_text="Used when the audience is selected org units; sub-units are included.",
        widget=forms.CheckboxSelectMultiple)
    partner_orgs = forms.ModelMultipleChoiceField(
        queryset=PartnerOrganisation.objects.none(), required=False,
        label="Invited partner organisations",
        help_text="Open innovation: their partner accounts may see and answer this challenge, "
                  "in addition to the audience above.",
        widget=forms.CheckboxSelectMultiple)
    idea_types = forms.ModelMultipleChoiceField(
        queryset=IdeaType.objects.none(), label="Idea types accepted",
        widget=forms.CheckboxSelectMultiple)
    voting_mode = forms.ChoiceField(choices=Challenge.VotingMode.choices,
                                    widget=forms.RadioSelect,
                                    initial=Challenge.VotingMode.SUPPORT)
    token_budget = forms.IntegerField(
        min_value=1, max_value=MAX_TOKEN_BUDGET, initial=10, label="Tokens per person",
        help_text="Used when the voting mode is a budget of tokens.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(
            status=FocusArea.Status.ACTIVE).order_by("priority", "title")
        self.fields["sponsor"].queryset = _sponsors()
        self.fields["units"].queryset = OrgUnit.objects.all()
        self.fields["partner_orgs"].queryset = PartnerOrganisation.objects.order_by("name")
        self.fields["idea_types"].queryset = IdeaType.objects.filter(active=True)
        if not self.is_bound and "idea_types" not in self.initial:
            self.initial["idea_types"] = list(self.fields["idea_types"].queryset)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "The closing date must be on or after the opening date.")
        if data.get("audience") == Challenge.Audience.UNITS and not data.get("units"):
            self.add_error("units", "Choose at least one org unit.")
        if data.get("audience") == Challenge.Audience.PARTNERS and not data.get("partner_orgs"):
            self.add_error("partner_orgs", "Invite at least one partner organisation.")
        for name in ("units", "partner_orgs", "focus_areas", "idea_types"):
            if name in data:
                data[name] = list(data[name])
        if data.get("token_budget") is None:
            data["token_budget"] = 10
        return data

    @staticmethod
    def initial_for(challenge: Challenge) -> dict:
        return {"title": challenge.title, "description": challenge.description,
                "focus_areas": list(challenge.focus_areas.all()), "sponsor": challenge.sponsor,
                "opens_on": challenge.opens_on, "closes_on": challenge.closes_on,
                "audience": challenge.audience, "units": list(challenge.units.all()),
                "partner_orgs": list(challenge.partner_orgs.all()),
                "idea_types": list(challenge.idea_types.all()),
                "voting_mode": challenge.voting_mode, "token_budget": challenge.token_budget}
