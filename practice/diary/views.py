"""The practitioner's side of the diary: the link and QR code, the analysis, paper entries,
the CSV export."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

import segno
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from practice.clients import service as clients
from practice.clients.record_state import require_open
from practice.confirm import ask_first
from practice.diary import analysis, links, service
from practice.diary import paper_sheet as sheet
from practice.diary.chart import render
from practice.diary.client_views import diary_message, fill_form, chart_text
from practice.diary.forms import PaperEntryForm, form_for
from practice import formats, public_address
from practice.inputs import parse_day
from practice.database import commit_unless_reading
from practice.extensions import db
from practice.i18n import practice_zone
from practice.measures.pages import client_measures
from practice.visits.service import current_plan, plans_on, visits_of

bp = Blueprint("client_diary", __name__, url_prefix="/clients/<id:client_id>/diary")
RANGES = {"2w": 14, "4w": 28, "12w": 84, "all": None}


def _user():
    return current_user._get_current_object()


@dataclass(frozen=True)
class PlanRef:
    """A plan item as the analysis needs it."""

    id: int
    starts_on: date
    title: str


def link_url(link) -> str:
    """The full personal link (to print or send), at the practice's public address."""
    return public_address.external_url("diary.open_link", token=links.token_for(link))


@lru_cache(maxsize=512)
def qr_svg(url: str) -> Markup:
    """The link as an inline SVG QR code (no image request, no outside service); the same
    link gives the same code, so it is drawn once per worker."""
    # omitsize: a viewBox instead of a fixed size, so CSS scales the whole code (a fixed width
    # and height cut two finder patterns off when the box was narrower).
    return Markup(segno.make(url, error="m").svg_inline(scale=4, border=4, dark="#1f2a30",
                                                         omitsize=True))


def diary_summary(client, today: date, days: int | None = 28, *, visits=None) -> dict:
    """Chart, analysis and link state for the diary page over ``days`` up to today (or the
    whole diary; ``visits`` when loaded already); the client page's part is
    ``practice.diary.overview``."""
    entries = service.entries(client)
    start = (today - timedelta(days=days - 1) if days else
             min((e.day for e in entries), default=today - timedelta(days=13)))
    summary, chart = summary_and_chart(
        client, entries, today, start, plan=current_plan(client, today),
        visits=visits_of(client) if visits is None else visits)
    return {"entries": entries, "has_entries": bool(entries), "analysis": summary,
            "chart": chart, **link_state(client)}


def summary_and_chart(client, entries: list, today: date, start: date, *, plan, visits,
                      last_day: date | None = None):
    """The analysis of ``entries`` and their chart from ``start`` to ``today``, with the plan's
    starts and the visits marked. ``last_day``: the newest entry day when older ones were not
    loaded."""
    last_visit_pain = next((v.pain_now for v in visits if v.pain_now is not None), None)
    zone = practice_zone()
    refs = [PlanRef(r.id, r.starts_on, r.item.title(client.language)) for r in plan]
    summary = analysis.summarise(entries, today, plan=refs, last_visit_pain=last_visit_pain,
                                 baseline=client.intake.baseline_pain if client.intake else None)
    if last_day is not None:
        summary = replace(summary, last_day=last_day)
    chart = render([e for e in entries if e.day >= start], start, today, chart_text(),
                   visits=[v.visited_at.astimezone(zone).date() for v in visits],
                   starts=[(r.starts_on, r.title) for r in refs], element_id=f"chart-{client.id}")
    return summary, chart


def link_state(client) -> dict:
    """The personal link, its address and QR code, and whether it can open."""
    link = links.active_link(client)
    url = link_url(link) if link else None
    return {"diary_link": link, "diary_url": url, "diary_qr": qr_svg(url) if link else None,
            "diary_usable": links.usable(client), "public_problem": public_address.problem()}


@bp.route("/")
def show(client_id: int):
    """The whole diary: chart over a chosen range, analysis, entries."""
    client = clients.get_for(_user(), client_id, action="diary.view")
    chosen = request.args.get("range", "4w")
    if chosen not in RANGES:
        chosen = "4w"
    today = datetime.now(practice_zone()).date()
    visits = visits_of(client)
    return render_template("diary/practitioner.html", client=client, ranges=RANGES,
                           chosen=chosen, today=today,
                           **diary_summary(client, today, RANGES[chosen], visits=visits),
                           **client_measures(client, visits))


@bp.route("/link", methods=["POST"])
def create_link(client_id: int):
    """Create (or renew) the personal link; an earlier link stops working."""
    client = clients.get_for(_user(), client_id, action=None)
    renewed = links.active_link(client) is not None
    back = url_for("clients.show", client_id=client.id) + "#diary-title"
    if renewed:
        asking = ask_first(title=_("Renew the diary link?"), confirm=_("Renew link"),
                           cancel_url=back, consequences=[
                               _("The current link and the QR code on printed handouts stop "
                                 "working at once."),
                               _("The client needs the new link or a new handout to go on "
                                 "with the diary; entries made so far are kept.")])
        if asking:
            db.session.commit()
            return asking
    links.create(client, actor=_user())
    db.session.commit()
    flash(_("New diary link created; the old one no longer works.") if renewed
          else _("Diary link created."), "success")
    return redirect(url_for("clients.show", client_id=client.id) + "#diary-title")


@bp.route("/link/revoke", methods=["POST"])
def revoke_link(client_id: int):
    """Switch the diary link off."""
    client = clients.get_for(_user(), client_id, action=None)
    asking = ask_first(title=_("Switch off the diary link?"), confirm=_("Switch off"),
                       cancel_url=url_for("clients.show", client_id=client.id) + "#diary-title",
                       consequences=[
                           _("The client can no longer open the diary, nor through the QR code "
                             "on printed handouts."),
                           _("Entries made so far are kept. A new link can be created later.")])
    if asking:
        db.session.commit()
        return asking
    links.revoke(client, actor=_user())
    db.session.commit()
    flash(_("Diary link switched off."), "success")
    return redirect(url_for("clients.show", client_id=client.id) + "#diary-title")


@bp.route("/paper", methods=["GET", "POST"])
def paper(client_id: int):
    """Type in a paper diary: choose day and entry, then the same questions as on the phone."""
    client = clients.get_for(_user(), client_id, action="diary.view")
    require_open(client)
    zone = practice_zone()
    today = datetime.now(zone).date()
    chooser = PaperEntryForm(request.args, meta={"csrf": False})
    if not (request.args.get("day") and chooser.validate()):
        db.session.commit()
        return render_template("diary/paper_choose.html", client=client, form=chooser)
    day, slot = chooser.day.data, chooser.slot.data
    current = service.state(client, day, slot, today, zone)
    form = form_for(slot)
    if slot == "evening":
        form.plan_done.choices = [SelectChoice(r.id, r.item.title(client.language))
                                  for r in current_plan(client, day)]
    if request.method == "GET" and current.entry is not None:
        fill_form(form, current.entry)
    if form.validate_on_submit():
        try:
            service.save(client, day, slot, form.values(), today=today, zone=zone,
                         source="paper", actor=_user())
        except service.DiaryError as error:
            db.session.rollback()
            form.pain.errors = [diary_message(str(error))]
        else:
            db.session.commit()
            flash(_("Paper diary entry saved."), "success")
            return redirect(url_for("client_diary.show", client_id=client.id))
    commit_unless_reading()
    return render_template("diary/paper_entry.html", client=client, form=form, day=day,
                           slot=slot, existing=current.entry)


@bp.route("/paper/sheet", methods=["GET", "POST"])
def paper_sheet(client_id: int):
    """Type in a whole paper sheet (two weeks, morning and evening) in one grid form."""
    client = clients.get_for(_user(), client_id, action="diary.view")
    require_open(client)
    zone = practice_zone()
    today = datetime.now(zone).date()
    start = parse_day(request.args.get("start"), earliest=today - timedelta(days=365),
                      latest=today) or today - timedelta(days=sheet.SHEET_DAYS - 1)
    days = sheet.sheet_days(start, today)
    form, rows = sheet.PaperSheetForm(), sheet.sheet_rows(days)
    columns: dict[int, str] = {}
    plans = plans_on(client, days)
    for day, row in rows:
        plan = plans[day]
        row.plan_done.choices = [SelectChoice(r.id, r.item.title(client.language)) for r in plan]
        for r in plan:
            columns.setdefault(r.id, r.item.title(client.language))
        for field in row:  # the error summary and screen readers name the day
            field.label.text = f"{formats.weekday(day)} {formats.short_day(day)}: {field.label.text}"
    if request.method == "GET":
        sheet.fill(rows, client, days)
    problem = None
    valid = form.validate_on_submit()
    if request.method == "POST":  # every row checked, so that all its errors show at once
        valid = all([row.validate() for _day, row in rows]) and valid
    if valid:
        try:
            saved = sheet.save(client, days, rows, today=today, zone=zone, actor=_user())
        except sheet.SheetError as error:
            db.session.rollback()
            problem = _("%(day)s, %(slot)s: %(message)s", day=formats.day(error.day),
                        slot=_("morning") if error.slot == "morning" else _("evening"),
                        message=diary_message(error.code))
        else:
            db.session.commit()
            flash(ngettext("Paper diary typed in: %(num)d entry.", "Paper diary typed in: %(num)d "
                           "entries.", saved), "success")
            return redirect(url_for("client_diary.show", client_id=client.id))
    commit_unless_reading()
    return render_template("diary/paper_sheet.html", client=client, form=form, days=days,
                           rows=rows, row_errors=sheet.row_errors(rows), columns=columns,
                           start=start, problem=problem, earlier=start - timedelta(days=14),
                           later=min(start + timedelta(days=14),
                                     today - timedelta(days=sheet.SHEET_DAYS - 1)),
                           has_later=days[-1] < today)


@bp.route("/export.csv")
def export(client_id: int):
    """The client's diary as a CSV file."""
    client = clients.get_for(_user(), client_id, action=None)
    body = service.export_csv(client, actor=_user())
    db.session.commit()
    filename = f"diary-{client.id}-{date.today().isoformat()}.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
