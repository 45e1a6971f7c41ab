"""Admin pages for one colleague: details and role, a temporary password, their sign-ins."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from practice.accounts import team
from practice.accounts.forms import ColleagueForm
from practice.accounts.models import Practitioner
from practice.accounts.service import AccountError
from practice.accounts.views import ERROR_MESSAGES
from practice.confirm import ask_first
from practice.database import commit_unless_reading
from practice.extensions import db
from practice.inputs import parse_id
from practice.security import admin_required

bp = Blueprint("team", __name__, url_prefix="/practitioners/<id:practitioner_id>")


def _admin():
    return current_user._get_current_object()


def _colleague(practitioner_id: int) -> Practitioner:
    return db.session.get(Practitioner, practitioner_id) or abort(404)


def _page(colleague, form, **extra):
    return render_template("accounts/colleague.html", colleague=colleague, form=form,
                           logins=team.active_logins(colleague), **extra)


@bp.route("/", methods=["GET", "POST"])
@admin_required
def edit(practitioner_id: int):
    """A colleague's name, e-mail and role, and their active sign-ins."""
    colleague = _colleague(practitioner_id)
    form = ColleagueForm(obj=colleague)
    if form.validate_on_submit():
        try:
            team.update(colleague, name=form.name.data, email=form.email.data,
                        role=form.role.data, actor=_admin())
        except AccountError as error:
            db.session.rollback()
            field = form.email if str(error) == "email_taken" else form.role
            field.errors = [*field.errors, ERROR_MESSAGES[str(error)]()]
        else:
            db.session.commit()
            flash(_("Details of %(name)s saved.", name=colleague.name), "success")
            return redirect(url_for("team.edit", practitioner_id=colleague.id))
    return _page(colleague, form)


@bp.route("/password", methods=["POST"])
@admin_required
def reset_password(practitioner_id: int):
    """Give a colleague a temporary password, to be changed at the next sign-in."""
    colleague = _colleague(practitioner_id)
    asking = ask_first(
        title=_("Reset the password of %(name)s?", name=colleague.name),
        confirm=_("Reset password"), cancel_url=url_for("team.edit", practitioner_id=colleague.id),
        consequences=[_("The current password stops working and every sign-in of %(name)s ends.",
                        name=colleague.name),
                      _("You see a temporary password once, to hand over in person; it must be "
                        "changed at the next sign-in.")])
    if asking:
        return asking
    password = team.reset_password(colleague, actor=_admin())
    commit_unless_reading()
    return _page(colleague, ColleagueForm(obj=colleague), temporary_password=password)


@bp.route("/sign-ins", methods=["POST"])
@admin_required
def end_sign_ins(practitioner_id: int):
    """End one of a colleague's sign-ins, or all of them."""
    colleague = _colleague(practitioner_id)
    login_id = parse_id(request.form.get("login_id")) if request.form.get("login_id") else None
    if request.form.get("login_id") and login_id is None:
        abort(404)
    ended = team.end_login(colleague, login_id, actor=_admin())
    db.session.commit()
    flash(_("%(count)d sign-ins ended.", count=ended) if ended != 1 else _("Sign-in ended."),
          "success")
    return redirect(url_for("team.edit", practitioner_id=colleague.id))
