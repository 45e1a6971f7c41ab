"""The day's handouts: a page listing the day's visits as a form (reading only), a POST that
starts the background job issuing the ticked ones (practice/handouts/day_job.py), and the stored
ones as one PDF. A reload, a link prefetch or a crawler therefore never creates a record the
practice would have to keep for ten years."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from practice import formats
from practice.audit import service as audit
from practice.clients import service as clients
from practice.clients.models import Client
from practice.clients.record_state import closed_reason
from practice.extensions import db
from practice.handouts import day_job  # registers the job
from practice.handouts import service as handouts
from practice.handouts.views import merge, pdf_response
from practice.i18n import practice_zone
from practice.inputs import EARLIEST_VISIT, parse_day, parse_id
from practice.jobs.queue import enqueue
from practice.visits.models import Visit

bp = Blueprint("handout_day", __name__, url_prefix="/handouts/day")


def _day():
    zone = practice_zone()
    today = datetime.now(zone).date()
    value = request.values.get("date")
    return parse_day(value, earliest=EARLIEST_VISIT, latest=today) or today, zone


def _visits(day, zone) -> list[Visit]:
    start = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
    user = current_user._get_current_object()
    client = sa.orm.selectinload(Visit.client)
    # The day's visits by their time index (a join let SQLite start from the clients), then
    # those of clients one may see.
    visits = list(db.session.scalars(sa.select(Visit).where(
        Visit.visited_at >= start, Visit.visited_at < start + timedelta(days=1))
        .order_by(Visit.visited_at).options(
            client.selectinload(Client.consents), client.selectinload(Client.alerts))))
    # A restricted record (Art. 18) is hidden here as from every list; its handouts are opened
    # only from the record, after an admin gave a reason.
    return [v for v in visits if v.client.restricted_at is None and clients.may_see(user, v.client)]


@bp.route("/")
def show():
    """The day's visits, which have a handout, which need a doctor first; nothing is stored."""
    day, zone = _day()
    visits = _visits(day, zone)
    latest = handouts.latest_of_visits(v.id for v in visits) if visits else {}
    closed = {v.id: closed_reason(v.client) for v in visits}
    printable = [v for v in visits if closed[v.id] is None]
    missing = [v for v in printable if v.id not in latest]
    return render_template("handouts/day.html", day=day, visits=visits, latest=latest,
                           closed=closed, missing=missing, printable=printable)


@bp.route("/", methods=["POST"])
def prepare():
    """Start the job that issues the ticked visits' handouts (and those to issue again), then
    show its progress; the stored PDF waits there for download."""
    day, zone = _day()
    visits = {v.id: v for v in _visits(day, zone) if closed_reason(v.client) is None}
    ticked = [i for i in (parse_id(x) for x in request.form.getlist("visit")) if i in visits]
    again = [i for i in (parse_id(x) for x in request.form.getlist("again")) if i in ticked]
    if not ticked:
        flash(_("Please tick at least one visit."), "error")
        return redirect(url_for("handout_day.show", date=day.isoformat()))
    job = day_job.start(day, sorted(ticked, key=list(visits).index), again,
                        actor=current_user._get_current_object(), base_url=request.host_url)
    job_id = job.id  # read before the commit: reading it after would begin a transaction
    db.session.commit()
    enqueue(job_id)
    return redirect(url_for("jobs.show", job_id=job_id))


@bp.route("/handouts.pdf")
def pdf():
    """The stored handouts of the day's visits as one PDF (the newest of each visit)."""
    day, zone = _day()
    visits = _visits(day, zone)
    latest = handouts.latest_of_visits([v.id for v in visits], with_pdf=True) if visits else {}
    chosen = [latest[v.id] for v in visits if v.id in latest]
    if not chosen:
        flash(_("No handouts stored for %(date)s yet.", date=formats.day(day)), "info")
        return redirect(url_for("handout_day.show", date=day.isoformat()))
    for handout in chosen:
        audit.record("handout.download", "handout", handout.id, client=handout.client_id)
    db.session.commit()  # the audit events of reading the records
    return pdf_response(merge([h.pdf for h in chosen]), f"handouts-{day.isoformat()}.pdf")
