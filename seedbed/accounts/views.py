from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.accounts import actions, forms, selectors
from seedbed.core.forms import apply_errors

login = policy.public(auth_views.LoginView.as_view(
    template_name="accounts/login.html", authentication_form=forms.LoginForm,
    redirect_authenticated_user=True))
logout = policy.rule("account.self")(auth_views.LogoutView.as_view())
password_reset = policy.public(auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html", form_class=forms.PasswordResetForm,
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done")))
password_reset_done = policy.public(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"))
password_reset_confirm = policy.public(auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", form_class=forms.SetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete")))
password_reset_complete = policy.public(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"))


@policy.rule("account.self")
def password_change(request):
    form = forms.PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, request.user)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form},
                  status=400 if form.errors else 200)


@policy.rule("account.self")
def profile(request):
    user = request.user
    return render(request, "accounts/profile.html", {
        "profile_user": user,
        "competencies": list(user.competencies.all()),
        "tokens": list(selectors.tokens_of(user)),
        "token_form": forms.ApiTokenForm(),
    })


@policy.rule("account.self")
@require_POST
def token_create(request):
    form = forms.ApiTokenForm(request.POST)
    secret = None
    if form.is_valid():
        try:
            _, secret = actions.create_api_token(request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            apply_errors(form, exc)
    status = 200 if secret else 400
    return render(request, "accounts/profile.html", {
        "profile_user": request.user,
        "competencies": list(request.user.competencies.all()),
        "tokens": list(selectors.tokens_of(request.user)),
        "token_form": forms.ApiTokenForm() if secret else form,
        "new_secret": secret,
    }, status=status)


@policy.rule("account.self")
@require_POST
def token_revoke(request, pk: int):
    token = selectors.get_token_for_user(request.user, pk)
    actions.revoke_api_token(request.user, token)
    messages.success(request, f"Token “{token.name}” revoked. Programs using it will stop working.")
    return redirect("accounts:profile")
