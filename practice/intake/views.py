"""Editing an intake (always as a new version) and its history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from practice.clients import consent
from practice.clients import service as clients
from practice.database import commit_unless_reading
from practice.extensions import db
from practice.intake import service
from practice.intake.forms import IntakeAnswers
from practice.intake.questions import SECTIONS, START_BACK_NOTICE

bp = Blueprint("intake", __name__, url_prefix="/clients/<id:client_id>/intake")


def apply_missing(form, missing: dict[str, str]) -> None:
    """Show why an intake cannot be completed yet, at the fields concerned."""
    messages = {
        "pain_now": _("To complete the intake, enter the pain score now."),
        service.SCREEN_DONE: _("To complete the intake, confirm that every warning-sign "
                               "question was asked."),
        "consent": _("Without the client's consent the intake cannot be completed. "
                     "Save it as a draft instead."),
    }
    for key in missing:
        getattr(form, key).errors = [*getattr(form, key).errors, messages[key]]


def none_apply_texts() -> dict[str, str]:
    """What "None of these apply" says once it acted, by outcome (the page's script shows the
    same texts)."""
    return {
        "answered": _("The questions not yet answered are now No. Answers already given "
                      "stay."),
        "confirmed": _("Confirmed: every question asked, and none of the warning signs "
                       "applies."),
        "refused": _("A warning sign is ticked. Untick any that does not apply, or confirm "
                     "below that every question was asked."),
    }


def none_apply(form) -> dict[str, str] | None:
    """"None of these apply" without JavaScript: the group answered and the page shown again
    with everything typed, nothing stored. Returns what it did by group ({} for a group that
    is none), or None when the button was not what sent the form."""
    group = request.form.get("none_apply")
    if group is None:
        return None
    outcome = form.none_apply(group)
    return {group: outcome} if outcome else {}


def render_intake_form(form, client=None, notes=None):
    """The intake page, for a new client (with details) or an existing one; ``notes``: what
    "None of these apply" did, by group."""
    return render_template("intake/form.html", form=form, sections=SECTIONS, client=client,
                           consent_texts=consent.TEXTS[consent.CURRENT_VERSION],
                           start_back_notice=START_BACK_NOTICE,
                           none_apply_notes=notes or {}, none_apply_texts=none_apply_texts())


@bp.route("/", methods=["GET", "POST"])
def edit(client_id: int):
    """Change the intake; the earlier version stays visible in the history."""
    user = current_user._get_current_object()
    client = clients.get_for(user, client_id, action="intake.view")
    intake = client.intake
    form = IntakeAnswers() if request.method == "POST" else IntakeAnswers(
        data=intake.answers if intake else {})
    notes = none_apply(form)
    if notes is None and form.validate_on_submit():
        complete = request.form.get("action") == "complete"
        try:
            if form.consent.data and client.active_consent is None:
                consent.give(client, language=client.language, actor=user)
            service.save(client, form.answers(), complete=complete, actor=user)
        except service.IncompleteIntake as error:
            db.session.rollback()  # the consent given above must not stay without the intake
            client = clients.get_for(user, client_id, action="intake.view")
            apply_missing(form, error.missing)
        else:
            db.session.commit()
            flash(_("Intake saved. The earlier version stays in the history."), "success")
            return redirect(url_for("clients.show", client_id=client.id))
    commit_unless_reading()
    return render_intake_form(form, client, notes)


@bp.route("/history")
def history(client_id: int):
    """Every saved version of the intake: who changed what, and when."""
    client = clients.get_for(current_user._get_current_object(), client_id,
                             action="intake.view_history")
    db.session.commit()
    versions = service.history(client.intake) if client.intake else []
    return render_template("intake/history.html", client=client, versions=versions)
