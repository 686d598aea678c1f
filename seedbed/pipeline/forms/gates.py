"""The gate decision form and the board move form. They parse; ``actions.gates`` validates the
decision itself (every field error at once) and takes it."""

from __future__ import annotations

from django import forms

from seedbed.pipeline.models import GateDecision
from seedbed.pipeline.selectors.gates import GateView, ItemStatus

OUTCOME_HELP = {
    "go": "Move on to the next stage (after the last one: deployed).",
    "iterate": "Another round in this stage.",
    "pivot": "Change course: back to this stage or an earlier one.",
    "hold": "Pause; a later decision resumes it.",
    "stop": "End it and record what was learned.",
}


class GateDecisionForm(forms.Form):
    """One gate decision. Per required item it adds ``confirm_<id>`` (checklist items) or
    ``waive_<id>`` + ``reason_<id>`` (anything not met). Fields the action checks are optional
    here, so a refused decision shows every problem at once."""

    stage_id = forms.IntegerField(widget=forms.HiddenInput)
    round = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        choices=[(value, f"{label} — {OUTCOME_HELP[value]}")
                 for value, label in GateDecision.Outcome.choices],
        widget=forms.RadioSelect, label="Outcome", required=False)
    to_stage = forms.TypedChoiceField(coerce=int, empty_value=None, required=False,
                                      label="Pivot to",
                                      help_text="For a pivot: this stage or an earlier one.")
    rationale = forms.CharField(max_length=10000, required=False,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="Why: what the deciders weighed. Required.")
    learnings = forms.CharField(
        max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        label="What was learned",
        help_text="Required when you stop the initiative; kept and searchable afterwards.")
    co_deciders = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        label="Decided together with")
    projected_value = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2,
        help_text="The value the deciders expect, at this gate (leave as is to keep it).")

    def __init__(self, *args, view: GateView, candidates=(), **kwargs):
        initiative = view.initiative
        kwargs.setdefault("initial", {
            "stage_id": initiative.stage_id, "round": initiative.gate_round,
            "projected_value": initiative.projected_value})
        super().__init__(*args, **kwargs)
        self.view = view
        self.fields["to_stage"].choices = [("", "—")] + [
            (s.pk, s.name) for s in (*view.previous, view.stage)]
        self.fields["co_deciders"].choices = [(p.pk, p.full_name) for p in candidates]
        if not candidates:
            del self.fields["co_deciders"]
        for status in view.items:
            pk = status.item.pk
            if status.confirmable:
                self.fields[f"confirm_{pk}"] = forms.BooleanField(
                    required=False, label="Confirmed")
            if not status.met:
                self.fields[f"waive_{pk}"] = forms.BooleanField(required=False, label="Waive")
                self.fields[f"reason_{pk}"] = forms.CharField(
                    required=False, max_length=1000, label="Why it is waived")

    def clean(self):
        cleaned = super().clean()
        for status in self.view.items:
            pk = status.item.pk
            if cleaned.get(f"reason_{pk}") and not cleaned.get(f"waive_{pk}"):
                self.add_error(f"reason_{pk}", "Tick “Waive” to waive this item, or clear the "
                                               "reason.")
        return cleaned

    def rows(self) -> list[dict]:
        """Each item with its own inputs, in the order of the gate."""
        return [{"status": s, **{name: self[f"{name}_{s.item.pk}"]
                                 for name in ("confirm", "waive", "reason")
                                 if f"{name}_{s.item.pk}" in self.fields}}
                for s in self.view.items]

    def decision(self) -> dict:
        """The action's keyword arguments, from the cleaned data."""
        data = self.cleaned_data
        items: list[ItemStatus] = self.view.items
        return {
            "outcome": data["outcome"], "rationale": data["rationale"],
            "stage_id": data["stage_id"], "round": data["round"],
            "to_stage": data.get("to_stage"), "learnings": data["learnings"],
            "projected_value": data.get("projected_value"),
            "co_deciders": data.get("co_deciders") or [],
            "checked": [s.item.pk for s in items if data.get(f"confirm_{s.item.pk}")],
            "waivers": {s.item.pk: data.get(f"reason_{s.item.pk}", "") for s in items
                        if data.get(f"waive_{s.item.pk}")},
        }


class BoardMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("forward", "Forward"), ("back", "Back")])
    rationale = forms.CharField(max_length=10000, required=False)
    stage_id = forms.IntegerField(widget=forms.HiddenInput)
    round = forms.IntegerField(widget=forms.HiddenInput)
