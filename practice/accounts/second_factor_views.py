"""The second step of signing in (a code from the authenticator app or a recovery code),
switching the second factor on from one's own account, and an admin's reset of a lost one."""

from __future__ import annotations

import time

from flask import (Blueprint, abort, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from wtforms import StringField
from wtforms.validators import DataRequired

from practice.accounts import second_factor, service
from practice.accounts.models import Practitioner
from practice.confirm import ask_first
from practice.extensions import db
from practice.forms import Form, MaxLength, strip
from practice.inputs import safe_next
from practice.security import admin_required, public
from practice.settings.service import practice_name

bp = Blueprint("second_factor", __name__)
PENDING = "second_step"
PENDING_SECONDS = 300  # the password step counts for five minutes
ENROLLING = "second_factor_secret"


class CodeForm(Form):
    """A 6-digit code, or a recovery code."""

    code = StringField(_l("Code"), filters=[strip],
                       validators=[DataRequired(_l("Please enter the code.")), MaxLength(40)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                                  "spellcheck": "false"})


def start_second_step(practitioner: Practitioner, next_page: str):
    """After the password: remember who is halfway signed in, and ask for the code (or, where
    a second factor is required but not set up yet, set it up now)."""
    session[PENDING] = {"id": practitioner.id, "at": int(time.time()), "next": next_page}
    if not second_factor.enrolled(practitioner):
        return redirect(url_for("second_factor.enrol_at_sign_in"))
    return redirect(url_for("second_factor.code"))


def _finish(practitioner: Practitioner):
    next_page = (session.pop(PENDING, None) or {}).get("next") or ""
    service.start_login(practitioner)
    db.session.commit()
    login_user(practitioner)
    return redirect(safe_next(next_page, url_for("core.index")))


def _pending() -> Practitioner | None:
    pending = session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    practitioner = db.session.get(Practitioner, pending.get("id") or 0)
    return practitioner if practitioner is not None and practitioner.is_enabled else None


@bp.route("/login/code", methods=["GET", "POST"])
@public
def code():
    """Second step: the code from the authenticator app (or a recovery code)."""
    practitioner = _pending()
    if practitioner is None or not second_factor.enrolled(practitioner):
        session.pop(PENDING, None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        result = second_factor.check(practitioner, form.code.data, request.remote_addr or "")
        if result.ok:
            response = _finish(practitioner)  # signed in first: the message in their language
            if result.used_recovery_code:
                left = second_factor.recovery_codes_left(practitioner)
                flash(_("You signed in with a recovery code; %(count)d are left.", count=left),
                      "info" if left > 3 else "error")
            return response
        db.session.commit()
        if result.throttled_minutes:
            form.code.errors = [_("Too many wrong codes. Please wait %(minutes)d minutes and try "
                                  "again.", minutes=result.throttled_minutes)]
            return render_template("accounts/code.html", form=form), 429
        form.code.errors = [_("This code is not right. Please check the time on your phone, or "
                              "use one of your recovery codes.")]
    return render_template("accounts/code.html", form=form)


@bp.route("/login/enrol", methods=["GET", "POST"])
@public
def enrol_at_sign_in():
    """Sign-in where a second factor is required but not set up: set it up now."""
    practitioner = _pending()
    if practitioner is None:
        session.pop(PENDING, None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    if second_factor.enrolled(practitioner):
        if request.method == "POST" and request.form.get("continue") == "1":
            return _finish(practitioner)  # the recovery codes were shown (CSRF checked)
        return redirect(url_for("second_factor.code"))
    return _enrol_page(practitioner, at_sign_in=True)


def _enrol_page(practitioner: Practitioner, *, at_sign_in: bool):
    secret = session.get(ENROLLING) or second_factor.new_secret()
    session[ENROLLING] = secret
    form = CodeForm()
    if form.validate_on_submit():
        codes = second_factor.enrol(practitioner, secret, form.code.data)
        if codes is not None:
            session.pop(ENROLLING, None)
            db.session.commit()
            return render_template("accounts/second_factor.html", enrolled=True, codes=codes,
                                   at_sign_in=at_sign_in)
        form.code.errors = [_("This code is not right. Please type the code the app shows now.")]
    return render_template("accounts/second_factor.html", enrolled=False, form=form,
                           secret=secret, at_sign_in=at_sign_in,
                           qr=second_factor.qr_code(practitioner, secret,
                                                    practice_name() or "practice"))


@bp.route("/account/second-factor", methods=["GET", "POST"])
def enrol():
    """Switch on the second factor: scan the code, type one code to confirm, keep the
    recovery codes."""
    me = current_user._get_current_object()
    if second_factor.enrolled(me):
        return render_template("accounts/second_factor.html", enrolled=True,
                               left=second_factor.recovery_codes_left(me))
    return _enrol_page(me, at_sign_in=False)


@bp.route("/practitioners/<id:practitioner_id>/second-factor", methods=["POST"])
@admin_required
def reset(practitioner_id: int):
    """Admin: switch off a colleague's second factor (lost phone, no recovery codes)."""
    colleague = db.session.get(Practitioner, practitioner_id) or abort(404)
    back = url_for("team.edit", practitioner_id=colleague.id)
    asking = ask_first(
        title=_("Reset the second factor of %(name)s?", name=colleague.name),
        confirm=_("Reset second factor"), cancel_url=back, consequences=[
            _("The authenticator app and the recovery codes of %(name)s stop working, and every "
              "sign-in of %(name)s ends.", name=colleague.name),
            _("%(name)s sets the second factor up again at the next sign-in.",
              name=colleague.name) if second_factor.required(colleague) else
            _("%(name)s signs in with the password alone until setting the second factor up "
              "again under My account.", name=colleague.name)])
    if asking:
        return asking
    second_factor.reset(colleague, actor=current_user._get_current_object())
    db.session.commit()
    flash(_("Second factor of %(name)s reset.", name=colleague.name), "success")
    return redirect(back)
