"""Forms: the initiative list's filters, promote, edit and the team."""

from __future__ import annotations

from django import forms

from seedbed import policy
from seedbed.pipeline.models import Initiative, Stage, TeamMember, WorkflowTemplate
from seedbed.pipeline.selectors.initiatives import FilterOptions, InitiativeFilters

_ANY = [("", "Any")]
MAX_ID = 2**63 - 1


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200,
                        widget=forms.TextInput(attrs={
                            "type": "search",
                            "placeholder": "Words in the title, summary or learnings"}))
    template = forms.ChoiceField(label="Template", required=False)
    stage = forms.ChoiceField(label="Stage", required=False)
    phase = forms.ChoiceField(label="Phase", required=False, choices=_ANY + Stage.Phase.choices)
    status = forms.ChoiceField(label="Status", required=False,
                               choices=_ANY + Initiative.Status.choices)
    horizon = forms.ChoiceField(label="Horizon", required=False,
                                choices=_ANY + Initiative.Horizon.choices)
    idea_type = forms.ChoiceField(label="Idea type", required=False)
    focus_area = forms.TypedChoiceField(label="Focus area", required=False, coerce=int,
                                        empty_value=None)
    org_unit = forms.TypedChoiceField(label="Org unit (and below)", required=False, coerce=int,
                                      empty_value=None)
    lead = forms.TypedChoiceField(label="Lead", required=False, coerce=int, empty_value=None)
    mine = forms.BooleanField(label="Only mine (I lead it or I am on the team)", required=False)

    def __init__(self, *args, options: FilterOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = _ANY + options.templates
        self.fields["stage"].choices = _ANY + options.stages
        self.fields["idea_type"].choices = _ANY + options.idea_types
        self.fields["focus_area"].choices = _ANY + options.focus_areas
        self.fields["lead"].choices = _ANY + options.leads
        if options.org_units:
            self.fields["org_unit"].choices = _ANY + options.org_units
        else:
            del self.fields["org_unit"]

    def filters(self) -> InitiativeFilters:
        """The filters as cleaned (call after is_valid())."""
        data = self.cleaned_data
        return InitiativeFilters(
            template=data["template"], stage=data["stage"], phase=data["phase"],
            status=data["status"], horizon=data["horizon"], idea_type=data["idea_type"],
            focus_area=data["focus_area"], org_unit=data.get("org_unit"), lead=data["lead"],
            mine=data["mine"], q=(data["q"] or "").strip())


def _employees():
    from seedbed.accounts.models import User

    return User.objects.filter(role__in=sorted(policy.EMPLOYEES), is_active=True).order_by(
        "full_name", "pk")


def _org_units():
    from seedbed.accounts.models import OrgUnit

    return OrgUnit.objects.order_by("path")


def _objectives():
    from seedbed.strategy.models import Objective

    return Objective.objects.order_by("due_on", "title")


def _focus_areas(current=()):
    from django.db.models import Q

    from seedbed.strategy.models import FocusArea

    return FocusArea.objects.filter(Q(status=FocusArea.Status.ACTIVE)
                                    | Q(pk__in=[a.pk for a in current])).order_by("title")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.email})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class InitiativeForm(forms.Form):
    """Edit an initiative. The lead (when not an innovation manager) gets only the fields they
    may change: title, summary and projected value."""

    title = forms.CharField(max_length=200)
    summary = forms.CharField(max_length=20000, required=False,
                              widget=forms.Textarea(attrs={"rows": 8}),
                              help_text="Markdown. What the initiative is for and for whom.")
    lead = PersonChoiceField(queryset=None, help_text="An employee who runs the initiative.")
    org_unit = UnitChoiceField(queryset=None, required=False, label="Org unit",
                               help_text="Whose budget envelope and balance view it counts in.")
    horizon = forms.ChoiceField(choices=Initiative.Horizon.choices)
    confidential = forms.BooleanField(
        required=False, label="IP-confidential: only its team, innovation managers, leaders and "
                              "assigned evaluators see it")
    objectives = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple,
                                                label="Objectives it serves")
    focus_areas = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                                 widget=forms.CheckboxSelectMultiple,
                                                 label="Focus areas")
    projected_value = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2,
        label="Projected value", help_text="Yearly benefit expected once deployed.")

    def __init__(self, *args, fields: frozenset[str] | None = None, current_areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]
        querysets = {"lead": _employees, "org_unit": _org_units, "objectives": _objectives,
                     "focus_areas": lambda: _focus_areas(current_areas)}
        for name, queryset in querysets.items():
            if name in self.fields:
                self.fields[name].queryset = queryset()

    @staticmethod
    def initial_for(initiative: Initiative) -> dict:
        return {"title": initiative.title, "summary": initiative.summary,
                "lead": initiative.lead_id, "org_unit": initiative.org_unit_id,
                "horizon": initiative.horizon, "confidential": initiative.confidential,
                "objectives": [o.pk for o in initiative.objectives.all()],
                "focus_areas": [a.pk for a in initiative.focus_areas.all()],
                "projected_value": initiative.projected_value}

    def changes(self) -> dict:
        """The cleaned values as the action's keyword arguments."""
        return {name: self.cleaned_data[name] for name in self.fields}


class PromoteForm(InitiativeForm):
    """Promote the chosen idea(s): the ideas travel as a hidden list of ids; the page lists them
    and offers a search for more."""

    ideas = forms.CharField(widget=forms.HiddenInput, max_length=500)
    template = forms.ModelChoiceField(
        queryset=None, label="Workflow template",
        help_text="Defaults to the template of the idea's type.")
    field_order = ["ideas", "title", "summary", "template", "lead", "org_unit", "horizon",
                   "confidential", "objectives", "focus_areas", "projected_value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].help_text = "Left empty, the lead's own unit."
        self.fields["template"].queryset = WorkflowTemplate.objects.filter(
            active=True, current__isnull=False).order_by("position", "name")

    def clean_ideas(self) -> list[int]:
        return parse_ids(self.cleaned_data["ideas"], error=True)

    def promotion(self) -> dict:
        """The cleaned values as ``promote_ideas`` keyword arguments (the ideas apart)."""
        data = {name: self.cleaned_data[name] for name in self.fields if name != "ideas"}
        data["org_unit"] = data["org_unit"] or None
        return data


def parse_ids(raw: str, *, error: bool = False) -> list[int]:
    """"3,7,12" → [3, 7, 12] (once each, in order). Nonsense is dropped, or refused when
    ``error`` (a posted form, where it means the page was tampered with)."""
    ids: list[int] = []
    for part in (raw or "").replace(" ", "").split(","):
        if not part:
            continue
        if part.isdigit() and len(part) <= 18 and 0 < int(part) <= MAX_ID:
            if int(part) not in ids:
                ids.append(int(part))
        elif error:
            raise forms.ValidationError("Choose the ideas from the list.")
    if error and not ids:
        raise forms.ValidationError("Choose at least one idea to promote.")
    return ids


class TeamMemberForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254,
                             help_text="An employee's, or a partner account's.")
    role = forms.ChoiceField(choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER,
                             help_text="Partner accounts join as partners.")
