"""Access rules for every request: set-up first, then login everywhere except public pages."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

# Endpoints that work before set-up as well as without login.
ALWAYS_OPEN = {"static", "core.set_language"}
# Pages a practitioner with a temporary password may still open.
CHANGE_PASSWORD_OPEN = {"accounts.my_account", "accounts.logout"}


def public(view):
    """Mark a view as reachable without login (login page, set-up, later the client diary)."""
    view.is_public = True
    return view


def admin_required(view):
    """Refuse a view to practitioners who are not admins."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _is_set_up() -> bool:
    # Accounts are disabled, never deleted, so once set up stays set up: cache it.
    if current_app.extensions.get("practice_set_up"):
        return True
    from practice.accounts.service import account_count

    done = account_count() > 0
    if done:
        current_app.extensions["practice_set_up"] = True
    return done


def enforce_access():
    """before_request hook: send everybody to set-up until it is done, then demand login."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in ALWAYS_OPEN:
        return None
    view = current_app.view_functions.get(endpoint)
    if not _is_set_up():
        if endpoint != "settings.setup":
            return redirect(url_for("settings.setup"))
        return None
    if getattr(view, "is_public", False):
        return None
    if not current_user.is_authenticated:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("accounts.login", next=target))
    if current_user.must_change_password and endpoint not in CHANGE_PASSWORD_OPEN:
        # A temporary password from an admin: nothing else until it is replaced.
        flash(_("Please choose your own password first; the temporary one stops working then."),
              "info")
        return redirect(url_for("accounts.my_account"))
    return None


def add_security_headers(response):
    """Keep pages from being framed, sniffed, cached or loading anything from elsewhere."""
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":
        # Pages may show health data: never keep them in a shared or back-button cache.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def register_security(app: Flask) -> None:
    """Install the access rules. Registered before CSRF protection, so that an anonymous POST
    is sent to the login page rather than told about a missing token."""
    app.before_request(enforce_access)
    app.after_request(add_security_headers)
