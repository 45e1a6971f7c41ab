"""The client's side: the personal link, today's entries, late entries, own chart and plan.

No account: a signed cookie stands for the client's diary link, checked on every request, so
revoking the link, archiving the client or a withdrawn consent closes the diary at once.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from flask import (Blueprint, abort, current_app, g, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import force_locale, gettext as _
from wtforms.fields.choices import SelectChoice

from practice import formats, public_address
from practice.database import reads_first, writes_on_get, writing
from practice.diary import analysis, links, reminders, service
from practice.diary.chart import ChartText, render
from practice.diary.forms import form_for
from practice.extensions import db
from practice.i18n import practice_zone
from practice.library import illustrations
from practice.measures import home_views as questionnaires
from practice.safety.signs import BY_KEY, DIARY_SIGNS, EMERGENCY, diary_urgency
from practice.security import public
from practice.visits.service import current_plan, plan_titles

bp = Blueprint("diary", __name__)
# Reached without the diary cookie: the link itself, and the installable app's manifest and
# service worker (a browser fetches the manifest without cookies; neither holds anything
# personal).
OPEN_ENDPOINTS = {"diary.open_link", "diary.manifest", "diary.service_worker"}


# The questionnaires asked before the next visit: the diary's cookie decides whose they are.
bp.add_url_rule("/diary/questionnaires/<id:request_id>", "questionnaire",
                questionnaires.questionnaire, methods=["GET", "POST"])


bp.teardown_request(links.close_reading_connection)


@bp.before_request
def _load_diary():
    g.diary_client = None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    g.diary_today = _today()
    client = links.from_cookie(request.cookies.get(links.COOKIE), _entry_days(g.diary_today))
    if client is None:
        return render_template("diary/closed.html"), 403
    g.diary_client = client  # a links.LinkedClient: .record is the whole client
    g.diary_language = client.language
    return None


def _entry_days(today: date) -> dict | None:
    """On an entry page, the days whose entries it reads (read with the link, in one go)."""
    if request.endpoint != "diary.entry":
        return None
    try:
        day = date.fromisoformat(request.view_args["day"])
    except ValueError:
        return None  # the page answers 404
    return service.slot_and_recent_days(day, today)


@bp.context_processor
def _offline_words():
    # Which signs need a doctor straight away, for what the phone says offline.
    return {"emergency_signs": [sign.key for sign in DIARY_SIGNS
                                if diary_urgency([sign.key]) == EMERGENCY]}


@bp.after_request
def _private_pages(response):
    # The token never stands in these pages' addresses (it left with the first redirect, which
    # sends no referrer at all). Same-origin referrers are needed: over HTTPS the CSRF check
    # compares the Referer with the host, and "no-referrer" made every diary entry fail there.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers["Cache-Control"] = "no-store"
    return response


def _today() -> date:
    return datetime.now(practice_zone()).date()


def chart_text(language_days: str = "") -> ChartText:
    """Chart words in the current language."""
    return ChartText(title=_("Pain diary: morning and evening"),
                     description=_("Pain from 0 to 10, morning and evening, by day.") + language_days,
                     morning=_("morning"), evening=_("evening"), visit=_("Visit"),
                     started=_("Started"), date_label=formats.short_day)


@bp.route("/d/<token>")
@public
@writes_on_get  # exchanging the link counts failures (throttle) and records its last use
def open_link(token: str):
    """Exchange the personal link for a diary cookie and leave the token out of the address."""
    remote = request.remote_addr or ""
    if links.throttled(remote):
        db.session.commit()
        return render_template("diary/closed.html", throttled=True), 429
    link = links.resolve(token, remote)
    db.session.commit()
    if link is None:
        return render_template("diary/closed.html", unknown=True), 404
    response = make_response(redirect(url_for("diary.home")))
    response.set_cookie(links.COOKIE, links.cookie_value(link), max_age=links.COOKIE_DAYS * 86400,
                        httponly=True, samesite="Lax", path="/",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/diary/")
@public
def home():
    """Today's entries, the last days, the chart and the plan."""
    client, today = g.diary_client.record, _today()
    zone = practice_zone()
    days = [today - timedelta(days=n) for n in range(0, service.LATE_DAYS + 1)]
    states = service.states(client, days, today, zone)
    recent = service.entries(client, since=today - timedelta(days=13), until=today)
    # Drawn narrow: on a phone a wide chart would shrink its labels to nothing.
    chart = render(recent, today - timedelta(days=13), today, chart_text(),
                   element_id="own-chart", width=380, height=230)
    plan = current_plan(client, today)
    this_week, last_week = analysis.weeks(recent, today)
    return render_template("diary/home.html", client=client, today=today, days=days,
                           states=states, chart=chart, plan=plan, this_week=this_week,
                           last_week=last_week, **questionnaires.home_card(client))


@bp.route("/diary/illustrations/<id:illustration_id>")
@public
def illustration(illustration_id: int):
    """A picture of a step in the client's current plan (and no other)."""
    plan = current_plan(g.diary_client.record, _today())
    shown = {r.content_version.illustration_id for r in plan}
    if illustration_id not in shown:
        abort(404)
    return illustrations.response(illustrations.get(illustration_id))


@bp.route("/diary/<day>/<slot>", methods=["GET", "POST"])
@public
@reads_first
def entry(day: str, slot: str):
    """The morning or evening entry of a day (today, or up to 7 days late)."""
    client, today = g.diary_client, g.diary_today
    try:
        day_date = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if slot not in ("morning", "evening"):
        abort(404)
    zone = practice_zone()
    current, recent = service.slot_and_recent(client.id, day_date, slot, today, zone,
                                              rows=client.entries)
    existing_key = current.entry.entry_key if current.entry is not None else None
    if request.method == "POST" and existing_key and request.form.get("entry_key") == existing_key:
        # Sent again after a dead connection (diary-offline.js): stored once, the first time.
        # The slot's own entry carries the key, so this costs no query of its own.
        return redirect(url_for("diary.home", saved=slot))
    existing = current.entry
    form = form_for(slot, obj=None)
    if slot == "evening":
        # The plan's steps: to show them, or to check the ones ticked. The common post ticks
        # none, and no choices check that as well without a read (_entry_page reads them when
        # the page is shown again).
        form.plan_done.choices = _plan_choices(client, day_date) if _plan_read() else []
    if request.method == "GET" and existing is not None:
        fill_form(form, existing)
    elif request.method == "GET" and request.args.get("pain") in SCALE_VALUES:
        form.pain.data = request.args["pain"]  # chosen on the home page (a GET stores nothing)
    if not current.writable:
        return _entry_page(form, client, current, locked=True)
    valid = form.validate_on_submit()
    if valid and service.quick_path(client, current, form.values()):
        try:
            with writing():
                service.add(client.id, day_date, slot, form.values(), today=today,
                            entry_key=form.entry_key.data or None, recent=recent,
                            connection=links.reading_connection())
                if db.session().in_transaction():  # (on PostgreSQL the entry is committed)
                    db.session.commit()
        except service.DiaryError as error:
            if service.stored_key(client.id, form.entry_key.data):
                return redirect(url_for("diary.home", saved=slot))  # the same entry, twice
            form.pain.errors = [diary_message(str(error))]
        else:
            return redirect(url_for("diary.home", saved=slot))
    elif valid:  # a change, a warning answer: the full path
        client = client.record
        try:
            with writing(client):  # the write lock only from here; the client read again
                saved = service.save(client, day_date, slot, form.values(), today=today,
                                     zone=zone, entry_key=form.entry_key.data or None)
                signs = list(saved.warning_signs or []) if saved.warning else None
                db.session.commit()  # (read first: the commit expires the entry)
        except service.DiaryError as error:
            db.session.rollback()
            form.pain.errors = [diary_message(str(error))]
        else:
            if signs is not None:
                return see_doctor(signs)
            return redirect(url_for("diary.home", saved=slot))
    return _entry_page(form, g.diary_client, current, locked=False)


def _plan_read() -> bool:
    """Does the entry view read the plan's steps up front (to show them, or to check ticks)?"""
    return request.method == "GET" or bool(request.form.getlist("plan_done"))


def _plan_choices(client, day: date) -> list[SelectChoice]:
    return [SelectChoice(rec_id, title) for rec_id, title in
            plan_titles(client, day, client.language)]


def _entry_page(form, client, current: service.SlotState, *, locked: bool):
    """The entry's page: new, to change, locked, or shown again with what was typed."""
    if current.slot == "evening" and not _plan_read():
        form.plan_done.choices = _plan_choices(client, current.day)
    return render_template("diary/entry.html", form=form, slot=current.slot, day=current.day,
                           state=current, locked=locked)


SCALE_VALUES = frozenset(str(n) for n in range(11))


def see_doctor(keys: list[str]):
    """Where a warning answer leads: the right urgency for the signs ticked, and the truth
    about what happens next."""
    return render_template("diary/see_doctor.html", urgency=diary_urgency(keys),
                           signs=[BY_KEY[k].lay for k in keys if k in BY_KEY])


def fill_form(form, entry) -> None:
    """Put a saved entry's answers into its form (for changing it)."""
    form.pain.data = str(entry.pain)
    form.warning.data = "yes" if entry.warning else "no"
    form.warning_signs.data = list(entry.warning_signs or [])
    form.note.data = entry.note
    if entry.slot == "morning":
        form.stiffness_minutes.data = entry.stiffness_minutes
        form.sleep.data = entry.sleep
        form.woke_at_night.data = None if entry.woke_at_night is None else (
            "yes" if entry.woke_at_night else "no")
        form.woke_at.data = entry.woke_at
    else:
        form.stress.data = None if entry.stress is None else str(entry.stress)
        form.sitting_hours.data = entry.sitting_hours
        form.movement.data = entry.movement
        form.plan_done.data = list(entry.plan_done or [])
        form.warmth.data = None if entry.warmth is None else ("yes" if entry.warmth else "no")


def diary_message(code: str) -> str:
    """The client-facing words for a diary error code."""
    return {
        "future": _("This day has not come yet."),
        "too_old": _("Entries can be made up to 7 days late. Please tell your practice at the "
                     "next visit instead."),
        "locked": _("This entry can only be changed on the day it was made."),
        "taken": _("This entry was just saved from another device. Please reload the page."),
    }.get(code, _("This entry cannot be saved."))


@bp.route("/diary/remind")
@public
def remind():
    """Reminders through the phone's calendar: pick two times, download an iCalendar file
    (a GET: nothing is stored; typed times come back on an error)."""
    values = {slot: request.args.get(slot, default.strftime("%H:%M"))[:10]
              for slot, default in reminders.DEFAULTS.items()}
    errors = {}
    if request.args.get("download"):
        times = {slot: reminders.parse_time(value) for slot, value in values.items()}
        errors = {slot: _("Please give a time such as 07:30.")
                  for slot, value in times.items() if value is None}
        if not errors:
            body = reminders.calendar_file(
                times, language=g.diary_language, first_day=_today(),
                diary_url=public_address.external_url("diary.home"))
            response = make_response(body)
            response.mimetype = "text/calendar"
            response.headers["Content-Disposition"] = (
                f'attachment; filename="{_("diary-reminders")}.ics"')
            return response
    return render_template("diary/remind.html", values=values, errors=errors), (
        400 if errors else 200)


@bp.route("/diary/manifest.webmanifest")
@public
def manifest():
    """What "Add to home screen" shows: the diary's name and icon, opening at /diary/."""
    language = request.args.get("lang")
    language = language if language in current_app.config["LANGUAGES"] else (
        current_app.config["BABEL_DEFAULT_LOCALE"])
    with force_locale(language):
        body = {"name": _("My pain diary"), "short_name": _("Diary"), "lang": language,
                "start_url": "/diary/", "scope": "/diary/", "display": "standalone",
                "background_color": "#f6f4ef", "theme_color": "#1e5b57",
                "icons": [{"src": url_for("static", filename=f"icons/{name}"), "sizes": size,
                           "type": "image/png", "purpose": purpose}
                          for name, size, purpose in (
                              ("diary-192.png", "192x192", "any"),
                              ("diary-512.png", "512x512", "any"),
                              ("diary-maskable-512.png", "512x512", "maskable"))]}
    response = make_response(json.dumps(body, ensure_ascii=False))
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/diary/sw.js")
@public
def service_worker():
    """The service worker, served from /diary/ so that its scope is the diary."""
    response = current_app.send_static_file("js/diary-sw.js")
    response.mimetype = "text/javascript"
    return response


@bp.route("/diary/forget", methods=["POST"])
@public
def forget():
    """Remove the diary from this device (the link itself keeps working)."""
    response = make_response(render_template("diary/closed.html", forgotten=True))
    response.delete_cookie(links.COOKIE, path="/")
    return response
