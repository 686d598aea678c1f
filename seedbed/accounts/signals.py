from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from seedbed.audit import service as audit


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    audit.record(user, "user.logged_in", user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(user, "user.logged_out", user)
