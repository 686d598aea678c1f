from __future__ import annotations

from django import forms

from seedbed.ideas.models import CustomField


class IdeaTypeForm(forms.Form):
    name = forms.CharField(max_length=80)
    code = forms.CharField(
        max_length=40, required=False,
        help_text="A short stable name for exports and the API (lower-case letters, digits, "
                  "underscores). Left empty, it is made from the name.")
    description = forms.CharField(max_length=300, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class CustomFieldForm(forms.Form):
    label = forms.CharField(max_length=200, help_text="The question, as people will read it.")
    kind = forms.ChoiceField(choices=CustomField.Kind.choices, label="Answer")
    key = forms.CharField(
        max_length=40, required=False,
        help_text="Where the answer is stored and exported. Left empty, it is made from the "
                  "label. Fixed once ideas have answered.")
    help_text = forms.CharField(max_length=300, required=False, label="Help")
    choices = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For single and multiple choice: one choice a line.")
    required = forms.BooleanField(required=False, label="An answer is required")

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines()
                if line.strip()]

    @staticmethod
    def initial_for(field: CustomField) -> dict:
        return {"label": field.label, "kind": field.kind, "key": field.key,
                "help_text": field.help_text, "choices": "\n".join(field.choices),
                "required": field.required}
