"""Client list, new client with intake, the client page, details, archive, notices, consent."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from markupsafe import Markup
from flask_login import current_user

from practice import formats
from practice.clients import consent
from practice.clients import service as clients
from practice.clients.forms import ClientForm
from practice.confirm import ask_first
from practice.core.fragments import FragmentCache
from practice.records import erasure, retention
from practice.database import commit_unless_reading
from practice.extensions import db
from practice.safety import notices
from practice.forms import too_long
from practice.intake import service as intake_service
from practice.intake.forms import NewClientIntakeForm
from practice.intake.overview import overview
from practice.intake.views import apply_missing, none_apply, render_intake_form
from practice.settings.service import get_settings
from practice.visits.service import client_summary as visit_summary
from practice.diary.attention import silent_condition
from practice.diary.overview import client_page_part
from practice.diary.views import link_state
from practice.handouts.service import handouts_of
from practice.i18n import local_today, practice_zone
from practice.measures.pages import client_measures

bp = Blueprint("clients", __name__, url_prefix="/clients")


def _user():
    return current_user._get_current_object()


@bp.route("/")
def index():
    """All clients one may see: search as you type, filters, newest activity first."""
    query = request.args.get("q", "")[:100]
    status = request.args.get("status", "active")
    if status not in ("active", "archived", "all"):
        status = "active"
    open_flags = request.args.get("flags") == "open"
    silent = request.args.get("silent") == "1"
    page = request.args.get("page", 1, type=int) or 1
    result = clients.search(_user(), query=query, status=status, open_flags=open_flags,
                            condition=silent_condition(local_today()) if silent else None,
                            page=page)
    template = "clients/_results.html" if request.args.get("partial") else "clients/list.html"
    return render_template(template, result=result, query=query, status=status,
                           open_flags=open_flags, silent=silent, rows_html=_rows(result.rows))


# The list's rows by what they show (practice.core.fragments): the rows themselves, the
# language, the zone their dates are written in and the address they link to.
LISTED_ROWS = FragmentCache(size=64)


def _rows(rows: list) -> Markup:
    client_url = url_for("clients.index")
    key = (str(get_locale()), str(practice_zone()), client_url, tuple(rows))
    return LISTED_ROWS.get(key, lambda: render_template(
        "clients/_rows.html", rows=rows, client_url=client_url))


@bp.route("/new", methods=["GET", "POST"])
def new():
    """A new client: details, intake and consent on one page; save as draft or complete."""
    form = NewClientIntakeForm()
    form.set_practitioners(clients.assignable_practitioners(), current_user.id)
    if request.method == "GET":
        settings = get_settings()
        form.language.data = settings.default_language if settings else "de"
    notes = none_apply(form)
    if notes is None and form.validate_on_submit():
        complete = request.form.get("action") == "complete"
        try:
            client = clients.create(form.client_values(), actor=_user())
            if form.consent.data:
                consent.give(client, language=client.language, actor=_user())
            intake_service.save(client, form.answers(), complete=complete, actor=_user())
        except intake_service.IncompleteIntake as error:
            db.session.rollback()
            apply_missing(form, error.missing)
        else:
            db.session.commit()
            flash(_("Intake completed.") if complete else _("Draft saved."), "success")
            return redirect(url_for("clients.show", client_id=client.id))
    return render_intake_form(form, notes=notes)


@bp.route("/<id:client_id>")
def show(client_id: int):
    """Everything important about a client at one glance."""
    client = clients.get_for(_user(), client_id)
    return _client_page(client)


def _client_page(client, **extra):
    summary = overview(client)
    summary.update(visit_summary(client, summary["today"]))
    summary.update(client_page_part(client, summary["today"], plan=summary["plan"],
                                    visits=summary["visits"]))
    summary.update(link_state(client))
    summary.update(client_measures(client, summary["visits"]))
    summary["handouts"] = handouts_of(client)
    summary["retention"] = retention.of(client, summary["visits"])
    if client.restricted_at is not None:
        summary["erasures"] = erasure.requests_of(client)
        summary["openings"] = erasure.openings_of(client)
    if _user().is_admin:  # who opened this record: for admins, as the access log is
        from practice.audit import log

        summary["opened"] = log.opened_record(client.id)
        summary["opened_by"], _people = log.names(summary["opened"], clients=False)
        summary["action_label"] = log.action_label
    return render_template("clients/show.html", client=client, **summary, **extra)


@bp.route("/<id:client_id>/details", methods=["GET", "POST"])
def edit(client_id: int):
    """Change a client's personal details."""
    client = clients.get_for(_user(), client_id, action="client.view_details")
    form = ClientForm(obj=client)
    form.set_practitioners(clients.assignable_practitioners(), client.practitioner_id)
    if form.validate_on_submit():
        clients.update(client, form.client_values(), actor=_user())
        db.session.commit()
        flash(_("Details saved."), "success")
        return redirect(url_for("clients.show", client_id=client.id))
    labels = {name: str(form[name].label.text) for name in clients.CLIENT_FIELDS}
    names = dict((p.id, p.name) for p in clients.assignable_practitioners())
    sexes, languages = ({c.value: c.label for c in field.choices}
                        for field in (form.sex, form.language))

    def shown(key, value):
        if value in (None, ""):
            return "–"
        if key == "practitioner_id":
            return names.get(value, f"#{value}")
        if key == "date_of_birth":
            return formats.day(date.fromisoformat(value))
        return str({"sex": sexes, "language": languages}.get(key, {}).get(value, value))

    changes = clients.changes_of(client)
    commit_unless_reading()
    return render_template("clients/edit.html", form=form, client=client, changes=changes,
                           labels=labels, shown=shown)


@bp.route("/<id:client_id>/archive", methods=["POST"])
def archive(client_id: int):
    """Archive a client, or make an archived client active again."""
    client = clients.get_for(_user(), client_id, action=None)
    archived = request.form.get("archived") == "1"
    if archived and not client.is_archived:
        asking = ask_first(
            title=_("Archive %(name)s?", name=client.full_name), confirm=_("Archive client"),
            cancel_url=url_for("clients.show", client_id=client.id), consequences=[
                _("The client leaves the list of active clients."),
                _("The diary link and the QR code on printed handouts stop working."),
                _("No visits, handouts or diary entries can be added until the client is made "
                  "active again."),
                _("Nothing is deleted: the record stays readable, and you can make it active "
                  "again at any time.")])
        if asking:
            db.session.commit()
            return asking
    clients.set_archived(client, archived, actor=_user())
    db.session.commit()
    flash(_("Client archived.") if archived else _("Client is active again."), "success")
    return redirect(url_for("clients.show", client_id=client.id))


@bp.route("/<id:client_id>/alerts/<id:alert_id>/acknowledge", methods=["POST"])
def acknowledge(client_id: int, alert_id: int):
    """A practitioner confirms having seen a notice and acted on it."""
    client = clients.get_for(_user(), client_id, action=None)
    if not any(alert.id == alert_id for alert in client.alerts):
        abort(404)
    note = (request.form.get("note") or "").strip()
    if len(note) > notices.NOTE_LIMIT:
        # Shown again at the notice with the text kept, instead of cutting it short.
        return _client_page(client, ack_note={alert_id: note}, ack_error={
            alert_id: too_long(notices.NOTE_LIMIT, len(note))})
    asking = ask_first(
        title=_("Acknowledge the notice?"), confirm=_("Acknowledge"), danger=False,
        cancel_url=url_for("clients.show", client_id=client.id), consequences=[
            _("The notice closes for everyone: it no longer stands on the start page, the "
              "client list or the visit form. Handouts printed today still begin with the "
              "advice to see a doctor."),
            _("It stays in the record with your name, the time and what was done: %(note)s",
              note=note or _("(nothing noted)"))])
    if asking:
        db.session.commit()
        return asking
    notices.acknowledge(client, alert_id, actor=_user(), note=note)
    db.session.commit()
    flash(_("Notice acknowledged."), "success")
    return redirect(url_for("clients.show", client_id=client.id))


@bp.route("/<id:client_id>/consent", methods=["POST"])
def change_consent(client_id: int):
    """Record consent given now, or its withdrawal."""
    client = clients.get_for(_user(), client_id, action=None)
    if request.form.get("consent") == "withdraw":
        asking = ask_first(
            title=_("Record the withdrawal of consent?"), confirm=_("Record withdrawal"),
            cancel_url=url_for("clients.show", client_id=client.id) + "#consent-section",
            consequences=[
                _("The diary link and the QR code on printed handouts stop working at once."),
                _("No visits, handouts or diary entries can be recorded unless the client "
                  "gives consent again."),
                _("The record is not deleted: the law requires keeping it for 10 years after "
                  "the last treatment (§ 630f BGB); it stays readable.")])
        if asking:
            db.session.commit()
            return asking
        consent.withdraw(client, actor=_user())
        message = _("Withdrawal of consent recorded.")
    elif client.active_consent is None:
        consent.give(client, language=client.language, actor=_user())
        message = _("Consent recorded.")
    else:
        message = _("Consent was already recorded.")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("clients.show", client_id=client.id) + "#consent-section")
