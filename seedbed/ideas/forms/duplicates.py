"""Forms for merging a duplicate into the idea that survives."""

from __future__ import annotations

from django import forms


class MergeForm(forms.Form):
    # The survivor's id: chosen from the radio list the page renders (similar ideas, or the
    # ones matching the manager's search); the view checks the person may see it.
    target = forms.IntegerField(min_value=1, max_value=2**63 - 1, label="Surviving idea",
                                error_messages={"required": "Choose the idea to keep."})
    reason = forms.CharField(max_length=500, required=False, label="Why (optional)",
                             widget=forms.Textarea(attrs={"rows": 2}))


class UndoMergeForm(forms.Form):
    """No fields: the merge is named by the URL; the form carries the CSRF token."""
