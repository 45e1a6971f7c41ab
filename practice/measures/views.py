"""The practitioner's pages: record a questionnaire at the desk, look at one score and its
corrections, correct it, and ask for questionnaires before the next visit."""

from __future__ import annotations

from datetime import date, datetime

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from practice.clients import service as clients
from practice.clients.record_state import require_open
from practice.database import commit_unless_reading
from practice.extensions import db
from practice.i18n import practice_zone
from practice.intake.questions import START_BACK as START_BACK_ITEMS
from practice.intake.questions import START_BACK_NOTICE
from practice.measures import export as exporting
from practice.measures import forms, service
from practice.measures.change import between
from practice.measures.instruments import (FILLER_LABELS, ODI_MIN_ANSWERED, ODI_SECTIONS,
                                           PLACE_LABELS, PSFS, PSFS_MAX_ACTIVITIES,
                                           PSFS_MIN_ACTIVITIES, RECORDED, get, odi_band)

bp = Blueprint("measures", __name__, url_prefix="/clients/<id:client_id>/measures")


def _user():
    return current_user._get_current_object()


def _instrument(key: str):
    found = get(key)
    if found is None or not found.recorded_here:
        abort(404)
    return found


def described(instrument, row) -> str:
    """The score as the pages name it: "44 % · moderate limitation", "medium risk"."""
    from practice.intake.overview import RISK_LABELS

    text = instrument.out_of(row.score)
    data = row.values
    if data.get("band"):
        text += " · " + str(odi_band(row.score)[1])
    if data.get("risk"):
        text += " · " + str(RISK_LABELS[data["risk"]])
    return text


def _context(instrument, form, **extra) -> dict:
    return dict(instrument=instrument, form=form, odi_sections=ODI_SECTIONS,
                odi_min=ODI_MIN_ANSWERED, psfs_rows=PSFS_MAX_ACTIVITIES,
                psfs_min=PSFS_MIN_ACTIVITIES, start_back=START_BACK_ITEMS,
                start_back_notice=START_BACK_NOTICE, place_labels=PLACE_LABELS, **extra)


@bp.route("/new/<instrument>", methods=["GET", "POST"])
def new(client_id: int, instrument: str):
    """Type in a questionnaire at the desk: ODI sections, RMDQ total, PSFS, STarT Back."""
    found = _instrument(instrument)
    client = clients.get_for(_user(), client_id, action="measure.form")
    require_open(client)  # no form that could not be saved
    zone = practice_zone()
    form = forms.desk_form(found.key, service.places_for(found.key))
    if request.method == "GET":
        form.taken_at.data = datetime.now(zone).replace(second=0, microsecond=0, tzinfo=None)
        form.place.data = form.place.choices[0].value
        if found.key == PSFS:  # the activities named last time, to rate again
            for n, name in enumerate(service.last_activities(client)[:PSFS_MAX_ACTIVITIES], 1):
                getattr(form, f"activity{n}").data = name
    if form.validate_on_submit():
        scored = forms.check(form)
        if scored is not None:
            row = service.record(client, found.key, scored, taken_at=form.local_to_utc(zone),
                                 place=form.place.data, filled_by="practitioner", actor=_user())
            db.session.commit()
            flash(_("%(name)s saved: %(score)s.", name=found.short,
                    score=described(found, row)), "success")
            return redirect(url_for("clients.show", client_id=client.id) + "#measures-title")
    commit_unless_reading()
    return render_template("measures/new.html", client=client,
                           **_context(found, form)), 200


@bp.route("/<id:score_id>")
def show(client_id: int, score_id: int):
    """One recorded score: its values, the change since the score before, its corrections."""
    client, row = service.get_for(_user(), client_id, score_id)
    commit_unless_reading()
    instrument = get(row.instrument)
    series = [r for r in service.scores_of(client) if r.instrument == row.instrument]
    index = next(n for n, r in enumerate(series) if r.source == "measure" and r.object_id == row.id)
    change = between(instrument, series[index - 1].score, row.score) if index else None
    return render_template("measures/show.html", client=client, row=row, instrument=instrument,
                           change=change, described=described, place_labels=PLACE_LABELS,
                           filler_labels=FILLER_LABELS, start_back=START_BACK_ITEMS)


@bp.route("/<id:score_id>/correct", methods=["GET", "POST"])
def correct(client_id: int, score_id: int):
    """Correct a recorded score; the original stays visible in its history."""
    client, row = service.get_for(_user(), client_id, score_id)
    require_open(client)
    instrument = get(row.instrument)
    form = forms.desk_form(row.instrument, (row.place,))
    del form.taken_at, form.place  # when and where stay as recorded; the values are corrected
    if request.method == "GET":
        _fill(form, row)
    elif form.validate_on_submit():
        scored = forms.check(form)
        if scored is not None:
            version = service.correct(row, scored, actor=_user())
            db.session.commit()
            flash(_("Correction saved; the original stays visible.") if version
                  else _("Nothing was changed."), "success")
            return redirect(url_for("measures.show", client_id=client.id, score_id=row.id))
    commit_unless_reading()
    return render_template("measures/correct.html", client=client, row=row,
                           **_context(instrument, form))


def _fill(form, row) -> None:
    data = row.values
    for number, value in (data.get("sections") or {}).items():
        getattr(form, f"odi{number}").data = value
    if "total" in data:
        form.rmdq_total.data = data["total"]
    for n, activity in enumerate(data.get("activities") or [], start=1):
        getattr(form, f"activity{n}").data = activity["activity"]
        getattr(form, f"rating{n}").data = str(activity["rating"])
    for key, value in (data.get("answers") or {}).items():
        getattr(form, key).data = value


@bp.route("/ask", methods=["POST"])
def ask(client_id: int):
    """Which questionnaires to ask before the next visit (the ticks are the whole list)."""
    client = clients.get_for(_user(), client_id, action=None)
    wanted = set(request.form.getlist("ask")) & {i.key for i in RECORDED}
    asked, withdrawn = service.ask(client, wanted, actor=_user())
    db.session.commit()
    if asked:
        flash(_("Asked before the next visit: %(names)s.",
                names=", ".join(get(r.instrument).short for r in asked)), "success")
    if withdrawn:
        flash(_("Questionnaires no longer asked: %(names)s.",
                names=", ".join(get(r.instrument).short for r in withdrawn)), "success")
    if not asked and not withdrawn:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("clients.show", client_id=client.id) + "#measures-title")


@bp.route("/export.csv")
def export(client_id: int):
    """Every score of the client (intake, visits, questionnaires) as a CSV file."""
    client = clients.get_for(_user(), client_id, action=None)
    body = exporting.export_csv(client, actor=_user())
    db.session.commit()
    filename = f"scores-{client.id}-{date.today().isoformat()}.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
