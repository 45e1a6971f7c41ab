"""First-run set-up and the practice settings page."""

from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, make_response, redirect,
                   render_template, session, url_for)
from flask_login import current_user
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from practice import public_address
from practice.extensions import db
from practice.security import admin_required, public
from practice.settings import logo, service
from practice.settings.forms import PracticeSettingsForm, SetupForm

bp = Blueprint("settings", __name__)


@bp.route("/setup", methods=["GET", "POST"])
@public
def setup():
    """While no account exists: ask for the practice and the first practitioner."""
    from practice.accounts.service import account_count

    if account_count() > 0:
        return redirect(url_for("accounts.login"))
    form = SetupForm()
    if form.validate_on_submit():
        language = get_locale().language
        try:
            service.setup_practice(
                practice={"name": form.name.data, "address": form.address.data,
                          "phone": form.phone.data, "email": form.email.data,
                          "default_language": language},
                admin={"name": form.admin_name.data, "email": form.admin_email.data,
                       "password": form.password.data, "language": language},
            )
            db.session.commit()
        except service.SetupError:
            db.session.rollback()
            flash(_("This practice has been set up already. Please sign in."), "info")
            return redirect(url_for("accounts.login"))
        current_app.extensions["practice_set_up"] = True
        session["login_email"] = form.admin_email.data  # the sign-in page fills it in
        flash(_("Your practice is set up. Please sign in with your e-mail and password."),
              "success")
        return redirect(url_for("accounts.login"))
    return render_template("settings/setup.html", form=form)


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def practice_settings():
    """Admin: name, contact, time zone and default language of the practice."""
    settings = service.get_settings()
    form = PracticeSettingsForm(obj=settings)
    logo_error = None
    valid = form.validate_on_submit()
    if valid and settings is None:  # a practice started from the command line
        settings = service.ensure_settings(name=form.name.data,
                                           actor=current_user._get_current_object())
    upload = form.logo_file.data
    if valid and isinstance(upload, FileStorage) and upload.filename:
        try:
            data = upload.read(logo.MAX_BYTES + 1)
            logo_type = logo.check(data)
        except logo.LogoError as error:
            logo_error = {
                "too_large": _("The logo may be at most 512 kB."),
                "svg_unsafe": _("This SVG contains scripts or outside references; please "
                                "export it as a plain SVG or PNG."),
            }.get(str(error), _("Please upload a PNG, JPEG or SVG image."))
            form.logo_file.errors = [logo_error]
        else:
            service.set_logo(settings, data, logo_type)
    if valid and logo_error is None:
        if form.remove_logo.data:
            service.set_logo(settings, None, "")
        service.update_settings(settings, {
            "name": form.name.data, "address": form.address.data, "phone": form.phone.data,
            "email": form.email.data, "timezone": form.timezone.data,
            "default_language": form.default_language.data,
            "public_url": (form.public_url.data or "").rstrip("/"),
            "second_factor_for": form.second_factor_for.data,
        })
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for("settings.practice_settings"))
    return render_template("settings/edit.html", form=form, settings=settings,
                           public_problem=public_address.problem())


@bp.route("/settings/logo")
@admin_required
def logo_preview():
    """The stored logo, for the preview in Settings (as it will be printed on handouts)."""
    settings = service.get_settings()
    if settings is None or not settings.logo:
        abort(404)
    response = make_response(settings.logo)
    response.headers["Content-Type"] = settings.logo_type or "application/octet-stream"
    # An SVG opened on its own must not run anything (it was checked on upload as well).
    response.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; "
                                                   "frame-ancestors 'none'")
    response.headers["Cache-Control"] = "no-store"
    return response
