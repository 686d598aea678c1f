from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms

from seedbed.accounts import actions, tasks


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(label="E-mail address",
                                widget=forms.EmailInput(attrs={"autofocus": True,
                                                               "autocomplete": "email"}))

    def clean_username(self) -> str:
        # Accounts store e-mail addresses in lower case; people type them however they like.
        return self.cleaned_data["username"].strip().lower()


class PasswordResetForm(auth_forms.PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        # Rendered now, delivered by the background worker so a slow mail server never
        # holds the request.
        subject = "".join(self._render(subject_template_name, context).splitlines())
        body = self._render(email_template_name, context)
        tasks.send_email.enqueue(subject=subject, body=body, to=[to_email])

    @staticmethod
    def _render(template_name, context):
        from django.template import loader

        return loader.render_to_string(template_name, context)


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Password reset: the change goes through the audited action."""

    def save(self, commit: bool = True):
        actions.change_password(self.user, self.user, self.cleaned_data["new_password1"],
                                verb="user.password_reset")
        return self.user


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def save(self, commit: bool = True):
        actions.change_password(self.user, self.user, self.cleaned_data["new_password1"],
                                verb="user.password_changed")
        return self.user


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=80, label="Token name",
                           help_text="What the token is for, e.g. 'Power BI export'.")
