from __future__ import annotations

from django import forms


class TokensForm(forms.Form):
    """The token stepper's "−" and "+" buttons post the new number of tokens for the idea."""

    # The upper bound is the challenge's budget, checked by the action; this one only keeps
    # absurd numbers away from the database.
    tokens = forms.IntegerField(min_value=0, max_value=32767, label="Tokens on this idea")
