"""Start page, language switch and error pages."""

from __future__ import annotations

from flask import (Blueprint, current_app, flash, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from practice.accounts import service as accounts
from practice.core.fragments import FragmentCache
from practice.clients.record_state import ARCHIVED, RESTRICTED, WITHDRAWN, RecordClosed
from practice.diary.attention import needing_attention
from practice.database import utcnow
from practice.extensions import db
from practice.i18n import LANGUAGE_COOKIE, local_today, practice_zone
from practice.safety.notices import reason_label as flag_label
from practice.visits.service import recently_seen
from practice.inputs import safe_next

bp = Blueprint("core", __name__)


# The start page's lists, by what they show (practice.core.fragments).
START_LISTS = FragmentCache(size=32)


@bp.route("/")
def index():
    """The practitioner's start page."""
    user = current_user._get_current_object()
    attention = tuple(needing_attention(user, local_today()))
    seen = tuple(recently_seen(user))
    key = (str(get_locale()), str(practice_zone()), request.script_root, attention, seen)
    lists = START_LISTS.get(key, lambda: render_template(
        "core/_start_lists.html", attention=attention, seen=seen, flag_label=flag_label))
    return render_template("core/index.html", now=utcnow(), lists=lists,
                           practitioner_total=accounts.account_count())


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language; remembered in a cookie and, when signed in, the account."""
    language = request.form.get("language", "")
    target = safe_next(request.form.get("next"), url_for("core.index"))
    response = make_response(redirect(target))
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600,
                            httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
        if current_user.is_authenticated:
            accounts.set_language(current_user._get_current_object(), language)
            db.session.commit()
    return response


def _error_page(code: int, title: str, message: str):
    return render_template("errors/error.html", code=code, title=title, message=message), code


def handle_http_error(error: HTTPException):
    """Friendly pages for the errors a user can meet."""
    messages = {
        400: (_("Something was wrong with the request"),
              _("Please go back and try again.")),
        403: (_("Not allowed"), _("Your account may not open this page.")),
        404: (_("Page not found"),
              _("This page does not exist (any more). Check the address or go to the start page.")),
        405: (_("Not possible here"), _("This page cannot be used like that.")),
        413: (_("Too large"), _("What you sent is too large. Please send something smaller.")),
        429: (_("Too many requests"), _("Please wait a moment and try again.")),
    }
    title, message = messages.get(error.code or 500, (error.name, error.description or ""))
    return _error_page(error.code or 500, title, message)


def handle_csrf_error(error: CSRFError):
    """An expired or missing form token: explain, instead of a bare 400. Someone not signed in
    (usually: the session ran out) is sent to the sign-in page (or set-up) to start again."""
    if (request.endpoint or "").startswith("diary."):
        return render_template("diary/closed.html", expired=True), 400
    if not current_user.is_authenticated:
        flash(_("The page had expired. Please try again."), "info")
        if request.endpoint == "settings.setup":
            return redirect(url_for("settings.setup"))
        return redirect(url_for("accounts.login"))
    return _error_page(400, _("The form has expired"),
                       _("For your safety, forms expire after a while. Please go back, reload "
                         "the page and send it again."))


def handle_server_error(error):
    """Anything unexpected: no stack trace, a calm message; the details go to the log."""
    db.session.rollback()
    return _error_page(500, _("Something went wrong"),
                       _("This is our fault, not yours. Please try again; if it happens again, "
                         "tell your administrator."))


def closed_message(reason: str) -> str:
    """Why a client's record takes no new entries, and what to do about it."""
    return {
        ARCHIVED: _("This record is archived: it can be read, but no visits, handouts or diary "
                    "entries can be added. Make the client active again first."),
        RESTRICTED: _("This record is restricted after an erasure request: it is kept as the law "
                      "requires, and nothing can be added or changed."),
        WITHDRAWN: _("The client has withdrawn consent: the record can be read, but no visits, "
                     "handouts or diary entries can be added unless consent is given again."),
    }.get(reason, _("There is no consent yet: no visits, handouts or diary entries can be "
                    "recorded. Record the client's consent first."))


def handle_record_closed(error: RecordClosed):
    """A write to an archived record or one without consent: say why, on the client page."""
    db.session.rollback()
    if (request.endpoint or "").startswith("diary."):
        return render_template("diary/closed.html"), 403
    flash(closed_message(error.reason), "error")
    return redirect(url_for("clients.show", client_id=error.client_id))


def register_error_handlers(app):
    """Install the friendly error pages."""
    app.register_error_handler(RecordClosed, handle_record_closed)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(500, handle_server_error)
