"""Notification pages (the bell, the list, preferences) and webhook management."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors
from seedbed.notifications import actions, selectors
from seedbed.notifications.forms import PreferencesForm, WebhookForm, field_name
from seedbed.notifications.models import KINDS

PER_PAGE = 20
DELIVERIES_PER_PAGE = 25


@policy.rule("account.self")
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notifications_of(request.user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "unread_only": unread_only, "query": "unread=1" if unread_only else "",
        "can_manage_webhooks": policy.can(request.user, "webhook.manage")})


@policy.rule("account.self")
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go to what it is about, if the person may still see that."""
    notification = selectors.get_notification_for_user(request.user, pk)
    actions.mark_read(request.user, notification)
    if notification.url and selectors.target_available(request.user, notification):
        return redirect(notification.url)
    if not notification.url:
        return redirect("notifications:list")
    return render(request, "notifications/unavailable.html", {"notification": notification})


@policy.rule("account.self")
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.get_notification_for_user(request.user, pk)
    notification = actions.mark_read(request.user, notification)
    if request.htmx:
        return render(request, "notifications/list.html#row", {"n": notification})
    return redirect("notifications:list")


@policy.rule("account.self")
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = actions.mark_all_read(request.user)
    messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked read.")
    return redirect("notifications:list")


@policy.rule("account.self")
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.email_preferences(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_email_preferences(request.user, form.choices())
        except ValidationError as exc:
            for kind, errors in exc.message_dict.items():
                form.add_error(field_name(kind) if field_name(kind) in form.fields else None,
                               errors)
        else:
            messages.success(request, "Your e-mail settings are saved.")
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html",
                  {"form": form, "kinds": KINDS}, status=400 if form.errors else 200)


# --- Webhooks ---------------------------------------------------------------------------------


@policy.rule("webhook.manage")
def webhook_list(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/webhook_list.html",
                  {"webhooks": list(selectors.webhooks_for(request.user))})


@policy.rule("webhook.manage")
def webhook_create(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhook, secret = actions.create_webhook(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # Shown on this page only, never stored in the session or sent again.
            return render(request, "notifications/webhook_created.html",
                          {"webhook": webhook, "secret": secret})
    return render(request, "notifications/webhook_form.html", {"form": form},
                  status=400 if form.errors else 200)


@policy.rule("webhook.manage")
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = selectors.get_webhook_for_user(request.user, pk)
    page = Paginator(selectors.deliveries_of(webhook), DELIVERIES_PER_PAGE)\
        .get_page(request.GET.get("page"))
    return render(request, "notifications/webhook_detail.html",
                  {"webhook": webhook, "page": page})


@policy.rule("webhook.manage")
@require_POST
def webhook_switch(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = selectors.get_webhook_for_user(request.user, pk)
    webhook = actions.update_webhook(request.user, webhook, active=not webhook.active)
    messages.success(request, f"{webhook.name} is switched {'on' if webhook.active else 'off'}.")
    return redirect("notifications:webhook_detail", pk=webhook.pk)


@policy.rule("webhook.manage")
@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = selectors.get_webhook_for_user(request.user, pk)
    actions.delete_webhook(request.user, webhook)
    messages.success(request, f"The webhook {webhook.name} is deleted.")
    return redirect("notifications:webhook_list")


@policy.rule("webhook.manage")
@require_POST
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = selectors.get_webhook_for_user(request.user, pk)
    try:
        actions.send_test(request.user, webhook)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "A test message is on its way; its result shows below.")
    return redirect("notifications:webhook_detail", pk=webhook.pk)


@policy.rule("webhook.manage")
@require_POST
def webhook_redeliver(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    webhook = selectors.get_webhook_for_user(request.user, pk)
    delivery = selectors.get_delivery(webhook, delivery_pk)
    try:
        actions.redeliver(request.user, delivery)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The delivery is sent again.")
    return redirect("notifications:webhook_detail", pk=webhook.pk)
