from __future__ import annotations

from django import forms

from seedbed.strategy.models import ControlledDocument, FocusArea


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=ControlledDocument.Kind.choices,
                             help_text="Policy and strategy versions are sent to every employee "
                                       "to read and acknowledge once approved.")
    title = forms.CharField(max_length=200)


class DraftForm(forms.Form):
    body = forms.CharField(
        max_length=100000, required=False, strip=True,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="The document itself. Markdown is supported.")
    change_summary = forms.CharField(
        max_length=500, required=False, label="Change summary",
        help_text="What changed compared with the current version, for the approver.")


class StrategyDraftForm(DraftForm):
    focus_areas = forms.ModelMultipleChoiceField(
        queryset=FocusArea.objects.filter(status=FocusArea.Status.ACTIVE).order_by(
            "priority", "title"),
        required=False, label="Focus areas addressed", widget=forms.CheckboxSelectMultiple,
        help_text="Only active opportunities and threats can be chosen.")
    resources_needed = forms.CharField(
        max_length=10000, required=False, label="Resources needed",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Budget, time, partners and competencies. Markdown is supported.")
    progress_measures = forms.CharField(
        max_length=10000, required=False, label="How progress is measured",
        widget=forms.Textarea(attrs={"rows": 5}), help_text="Markdown is supported.")
    next_review_on = forms.DateField(required=False, label="Next review",
                                     widget=forms.DateInput(attrs={"type": "date"}))


def draft_form_for(document: ControlledDocument, *args, **kwargs) -> DraftForm:
    cls = StrategyDraftForm if document.kind == ControlledDocument.Kind.STRATEGY else DraftForm
    return cls(*args, **kwargs)


class ApproveForm(forms.Form):
    effective_on = forms.DateField(required=False, label="Effective on",
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text="Leave empty for today.")


class ReturnForm(forms.Form):
    reason = forms.CharField(max_length=5000, label="Why it goes back",
                             widget=forms.Textarea(attrs={"rows": 3}))
