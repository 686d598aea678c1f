from __future__ import annotations

from django import forms

from seedbed.notifications.models import KINDS, WEBHOOK_EVENTS, NotificationPreference, Webhook


class PreferencesForm(forms.Form):
    """One choice per kind of notification; field names are the kinds with dots as dashes."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in KINDS:
            self.fields[field_name(kind)] = forms.ChoiceField(
                label=label, choices=NotificationPreference.Email.choices,
                initial=current[kind], widget=forms.RadioSelect)

    def choices(self) -> dict[str, str]:
        return {kind: self.cleaned_data[field_name(kind)] for kind, _ in KINDS}


def field_name(kind: str) -> str:
    return kind.replace(".", "-")


class WebhookForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="For example 'Innovation channel in Teams'.")
    url = forms.CharField(max_length=500, label="URL",
                          help_text="The incoming-webhook address (http:// or https://).")
    events = forms.MultipleChoiceField(choices=WEBHOOK_EVENTS,
                                       widget=forms.CheckboxSelectMultiple)
    format = forms.ChoiceField(choices=Webhook.Format.choices, initial=Webhook.Format.JSON)
