"""Forms for the assumptions ledger, experiments and the risk register. They parse; the actions
in ``seedbed.pipeline.actions.validation`` decide what is valid."""

from __future__ import annotations

from django import forms

from seedbed.accounts.models import User
from seedbed.pipeline.actions.validation import HYPOTHESIS_REQUIRED, LEARNING_REQUIRED, NOT_RUN
from seedbed.pipeline.models import Assumption, Experiment, Initiative, Risk
from seedbed.pipeline.selectors.validation import risk_owner_choices

IMPORTANCE = [(5, "5 — critical: the initiative fails if it is wrong"), (4, "4 — critical"),
              (3, "3 — important"), (2, "2"), (1, "1 — minor")]
LIKELIHOOD = [(5, "5 — almost certain"), (4, "4 — likely"), (3, "3 — possible"),
              (2, "2 — unlikely"), (1, "1 — rare")]
IMPACT = [(5, "5 — severe"), (4, "4 — major"), (3, "3 — moderate"), (2, "2 — minor"),
          (1, "1 — negligible")]


def _text(max_length: int, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(max_length=max_length, required=kwargs.pop("required", False),
                           widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class AssumptionForm(forms.Form):
    statement = _text(500, 2, required=True,
                      help_text="What must be true for the initiative to succeed.")
    kind = forms.ChoiceField(choices=Assumption.Kind.choices)
    importance = forms.TypedChoiceField(choices=IMPORTANCE, coerce=int, initial=3)
    evidence = forms.TypedChoiceField(
        choices=Assumption.Evidence.choices, coerce=int, initial=0, label="Evidence strength",
        help_text="Concluding an experiment raises it to at least moderate.")
    status = forms.ChoiceField(
        choices=Assumption.Status.choices, initial=Assumption.Status.UNTESTED,
        help_text="Set by concluding an experiment; change it here to override.")

    @staticmethod
    def initial_for(assumption: Assumption) -> dict:
        return {name: getattr(assumption, name)
                for name in ("statement", "kind", "importance", "evidence", "status")}


class ExperimentForm(forms.Form):
    hypothesis = _text(500, 2, required=True, error_messages={"required": HYPOTHESIS_REQUIRED},
                       help_text="If the assumption holds, we will observe …")
    method = forms.CharField(max_length=300, required=False,
                             help_text="e.g. a fake-door test, a line trial, interviews.")
    metric = forms.CharField(max_length=200, required=False)
    success_threshold = forms.CharField(max_length=200, required=False,
                                        help_text="The result that counts as success.")
    starts_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in NOT_RUN])
    assumptions = forms.ModelMultipleChoiceField(
        queryset=Assumption.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, label="Assumptions it tests")

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assumptions"].queryset = Assumption.objects.filter(
            initiative_id=initiative.pk).order_by("-importance", "id")
        self.fields["assumptions"].label_from_instance = lambda a: (
            f"{a.statement} ({a.get_kind_display().lower()}, importance {a.importance})")

    @staticmethod
    def initial_for(experiment: Experiment) -> dict:
        fields = ("hypothesis", "method", "metric", "success_threshold", "starts_on", "ends_on",
                  "status")
        return {name: getattr(experiment, name) for name in fields} | {
            "assumptions": [a.pk for a in experiment.assumptions.all()]}


class ResultForm(forms.Form):
    """A concluded experiment's plan is the record of what was tested: only its result and
    learning are corrected; on a stopped or deployed initiative, only its learning."""

    result = _text(5000, 3)
    learning = _text(5000, 3, required=True, error_messages={"required": LEARNING_REQUIRED})

    def __init__(self, *args, learning_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if learning_only:
            del self.fields["result"]

    @staticmethod
    def initial_for(experiment: Experiment) -> dict:
        return {"result": experiment.result, "learning": experiment.learning}


class ConcludeForm(forms.Form):
    status = forms.ChoiceField(
        label="Outcome", widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in (Experiment.Status.SUCCEEDED,
                                              Experiment.Status.FAILED,
                                              Experiment.Status.INCONCLUSIVE)],
        help_text="Succeeded: the tested assumptions become supported; failed: refuted (both "
                  "with at least moderate evidence); inconclusive changes nothing.")
    result = _text(5000, 3, help_text="What was measured, against the success threshold.")
    learning = _text(5000, 3, required=True, error_messages={"required": LEARNING_REQUIRED})


class RiskForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = _text(5000, 2)
    likelihood = forms.TypedChoiceField(choices=LIKELIHOOD, coerce=int)
    impact = forms.TypedChoiceField(choices=IMPACT, coerce=int)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                   empty_label="— nobody yet —",
                                   help_text="An employee on the team or an innovation "
                                             "manager.")
    treatment = forms.ChoiceField(choices=[("", "— not decided —"), *Risk.Treatment.choices],
                                  required=False)
    treatment_plan = _text(5000, 3, help_text="Needed to avoid, reduce or transfer the risk.")
    status = forms.ChoiceField(choices=Risk.Status.choices, initial=Risk.Status.OPEN)

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = risk_owner_choices(initiative)
        self.fields["owner"].label_from_instance = lambda user: user.full_name

    @staticmethod
    def initial_for(risk: Risk) -> dict:
        return {"title": risk.title, "description": risk.description,
                "likelihood": risk.likelihood, "impact": risk.impact, "owner": risk.owner_id,
                "treatment": risk.treatment, "treatment_plan": risk.treatment_plan,
                "status": risk.status}
