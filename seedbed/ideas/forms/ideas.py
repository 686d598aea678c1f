from __future__ import annotations

from django import forms


class IdeaForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="One line a colleague understands.")
    description = forms.CharField(
        max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text="The problem, your idea, and who benefits. Markdown is supported.")


