from __future__ import annotations


def login_username(request, credentials: dict | None = None) -> str:
    """The key django-axes counts failures under: the e-mail address in lower case, as accounts
    store it, so 'Ann@X' and 'ann@x' share one budget of attempts."""
    if credentials and credentials.get("username"):
        value = credentials["username"]
    else:
        value = getattr(request, "POST", {}).get("username", "") if request is not None else ""
    return str(value or "").strip().lower()
