"""Signing in and out, one's own account, and the admin's list of practitioners."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from practice.accounts import second_factor, service
from practice.accounts.forms import LoginForm, PasswordChangeForm, PractitionerForm
from practice.accounts.models import Practitioner
from practice.accounts.second_factor_views import start_second_step
from practice.database import commit_unless_reading
from practice.extensions import db, login_manager
from practice.inputs import safe_next
from practice.security import admin_required, public

bp = Blueprint("accounts", __name__)

ERROR_MESSAGES = {
    "email_taken": lambda: _("An account with this e-mail address exists already."),
    "wrong_password": lambda: _("The current password is not correct."),
    "cannot_disable_self": lambda: _("You cannot disable your own account."),
    "last_admin": lambda: _("The last administrator cannot be disabled or lose the role."),
    "cannot_demote_self": lambda: _("You cannot take the administrator role from yourself."),
    "unknown_role": lambda: _("Please choose a role from the list."),
}


@login_manager.user_loader
def load_user(token: str) -> Practitioner | None:
    """Flask-Login hook: the cookie holds a sign-in token, looked up on every request."""
    practitioner = service.load_login(token)
    commit_unless_reading()  # keeps last-seen and idle sign-outs
    return practitioner


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm(next=safe_next(request.args.get("next"), ""))
    if request.method == "GET" and session.get("login_email"):
        form.email.data = session["login_email"]  # just set up: only the password is left
    if form.validate_on_submit():
        result = service.authenticate(form.email.data, form.password.data,
                                      request.remote_addr or "")
        if result.practitioner is not None:
            session.pop("login_email", None)
        if result.practitioner is not None and (second_factor.enrolled(result.practitioner)
                                                or second_factor.required(result.practitioner)):
            db.session.commit()
            return start_second_step(result.practitioner, safe_next(form.next.data, ""))
        if result.practitioner is not None:
            service.start_login(result.practitioner)
            db.session.commit()
            login_user(result.practitioner)
            return redirect(safe_next(form.next.data, url_for("core.index")))
        db.session.commit()
        if result.throttled_minutes:
            flash(_("Too many failed attempts. Please wait %(minutes)d minutes and try again.",
                    minutes=result.throttled_minutes), "error")
            return render_template("accounts/login.html", form=form), 429
        flash(_("E-mail address or password is not correct."), "error")
        return render_template("accounts/login.html", form=form), 200
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out: the sign-in ends on the server, so the old cookie stops working everywhere."""
    service.end_login(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
def my_account():
    """One's own account: see details, change the password."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user._get_current_object(), form.current.data,
                                    form.password.data)
        except service.AccountError as error:
            form.current.errors.append(ERROR_MESSAGES[str(error)]())
        else:
            db.session.commit()
            flash(_("Your password has been changed. Other sign-ins have been ended."), "success")
            return redirect(url_for("accounts.my_account"))
    return render_template("accounts/my_account.html", form=form)


@bp.route("/practitioners")
@admin_required
def practitioners():
    """Admin: all accounts."""
    return render_template("accounts/list.html", practitioners=service.list_practitioners())


@bp.route("/practitioners/new", methods=["GET", "POST"])
@admin_required
def new_practitioner():
    """Admin: add a colleague with an initial password to hand over in person."""
    form = PractitionerForm()
    if form.validate_on_submit():
        try:
            practitioner = service.create_practitioner(
                form.name.data, form.email.data, form.password.data, form.role.data,
                actor=current_user._get_current_object(),
            )
        except service.AccountError as error:
            form.email.errors.append(ERROR_MESSAGES[str(error)]())
        else:
            db.session.commit()
            flash(_("Account for %(name)s created.", name=practitioner.name), "success")
            return redirect(url_for("accounts.practitioners"))
    return render_template("accounts/new.html", form=form)


@bp.route("/practitioners/<id:practitioner_id>/enabled", methods=["POST"])
@admin_required
def set_enabled(practitioner_id: int):
    """Admin: disable or re-enable an account."""
    practitioner = db.session.get(Practitioner, practitioner_id) or abort(404)
    enable = request.form.get("enabled") == "1"
    try:
        service.set_enabled(practitioner, enable, actor=current_user._get_current_object())
    except service.AccountError as error:
        flash(ERROR_MESSAGES[str(error)](), "error")
    else:
        db.session.commit()
        flash(_("Account enabled.") if enable else _("Account disabled."), "success")
    return redirect(url_for("accounts.practitioners"))

