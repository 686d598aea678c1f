from __future__ import annotations

from django import forms


class CommentForm(forms.Form):
    body = forms.CharField(max_length=5000, label="Add a comment",
                           widget=forms.Textarea(attrs={"rows": 3}))
