"""Issuing handouts: a snapshot of what the client is given, its HTML, its PDF, stored for good.

Services flush; views and commands commit.
"""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale

from practice import public_address
from practice.audit import service as audit
from practice.clients.record_state import require_open
from practice.clients.models import Client
from practice.database import utcnow
from practice.diary import links, service as diary
from practice.diary.chart import render as render_chart
from practice.extensions import db
from practice.handouts.models import Handout
from practice.handouts.render import font_urls, render_pdf
from practice.i18n import FORMAT_LOCALES, practice_zone
from practice.library import illustrations
from practice.measures.progress import progress_line
from practice.safety import notices
from practice.safety.signs import DIARY_SIGNS
from practice.settings.service import get_settings
from practice.visits.models import Visit
from practice.visits.service import current_plan

TEXT_KEYS = ("title", "summary", "body", "how", "how_long", "how_often", "cautions", "steps",
             "location", "effect", "application")


def _texts(version, language: str) -> dict:
    own = version.text(language)
    if not own["title"]:  # not translated: the other language rather than an empty sheet
        own = version.text("en" if language == "de" else "de")
    return own


def build_snapshot(client: Client, *, visit: Visit | None, language: str, day: date,
                   practitioner_name: str, progress: bool = False) -> dict:
    """Exactly what the handout shows, as data: kept with the issued PDF. ``progress``: with
    the one-line summary of the scores (practice.measures.progress)."""
    settings = get_settings()
    items = []
    for rec in current_plan(client, day):
        version = rec.content_version
        texts = _texts(version, language)
        items.append({
            "recommendation_id": rec.id, "item_id": rec.item_id, "version_id": version.id,
            "version": version.number, "kind": rec.item.kind,
            **{key: texts[key] for key in TEXT_KEYS},
            "code_who": rec.item.point_code_who, "code_de": rec.item.point_code_de,
            "pinyin": rec.item.pinyin, "illustration_id": version.illustration_id,
            "source": rec.item.source.attribution if rec.item.source else "",
            "dose": rec.item.dose,
            "client_how_often": rec.how_often, "client_how_long": rec.how_long,
            "client_notes": rec.notes,
            "ends_on": rec.ends_on.isoformat() if rec.ends_on else None,
        })
    link = links.active_link(client) if links.usable(client) else None
    with force_locale(FORMAT_LOCALES.get(language, language)):
        # Open notices lead the handout in one box, in the client's words and language, at
        # the most urgent of their urgencies (one sign from intake and diary is named once).
        leading = notices.for_handout(client, day, practice_zone())
        signs = list(dict.fromkeys(notices.lay_label(reason) for notice in leading
                                   for reason in notice.alert.reasons))
        open_ones = [{"urgency": leading[0].urgency, "signs": signs}] if leading else []
        progress_text = progress_line(client) if progress else ""
    return {
        "language": language, "date": day.isoformat(), "visit_id": visit.id if visit else None,
        "practice": {"name": settings.name, "address": settings.address, "phone": settings.phone,
                     "email": settings.email} if settings else
        {"name": "", "address": "", "phone": "", "email": ""},
        "client": {"name": client.full_name, "first_name": client.first_name},
        "practitioner": practitioner_name,
        "items": items,
        "notices": open_ones,
        "progress": progress_text,
        "diary_url": public_address.external_url("diary.open_link", token=links.token_for(link))
        if link else None,
        # Reminders through the phone's calendar (no token: it opens on the diary's phone).
        "reminder_url": public_address.external_url("diary.remind") if link else None,
    }


def logo_uri() -> str | None:
    """The practice logo as a data URI for a printed document, or None."""
    settings = get_settings()
    if not settings or not settings.logo:
        return None
    return f"data:{settings.logo_type};base64,{base64.b64encode(settings.logo).decode()}"


def render_html(snapshot: dict, client: Client | None = None) -> str:
    """The handout's HTML in the snapshot's language (chart and QR drawn from current data)."""
    import segno

    from practice.diary.client_views import chart_text

    language = snapshot["language"]
    with force_locale(FORMAT_LOCALES.get(language, language)):
        chart = None
        if client is not None:
            day = date.fromisoformat(snapshot["date"])
            entries = diary.entries(client, since=day - timedelta(days=27), until=day)
            if entries:
                # From the first entry (at least two weeks shown), so the chart is not mostly empty.
                start = min(min(e.day for e in entries), day - timedelta(days=13))
                chart = render_chart(entries, start, day, chart_text(),
                                     element_id="handout-chart", width=640, height=230,
                                     font_family="Handout Sans")
        qr = reminder_qr = None
        if snapshot["diary_url"]:
            qr = segno.make(snapshot["diary_url"], error="m").svg_inline(scale=3, border=1)
        if snapshot.get("reminder_url"):  # handouts issued before reminders have none
            reminder_qr = segno.make(snapshot["reminder_url"], error="m").svg_inline(
                scale=3, border=1)
        # The pictures the items showed (kept with their versions): an SVG is drawn as vectors.
        pictures = {it["illustration_id"]: illustrations.data_uri(it["illustration_id"])
                    for it in snapshot["items"] if it.get("illustration_id")}
        return render_template("handouts/handout.html", s=snapshot, fonts=font_urls(),
                               logo=logo_uri(), chart=chart, qr=qr, signs=DIARY_SIGNS,
                               reminder_qr=reminder_qr,
                               pictures=pictures,
                               days=[date.fromisoformat(snapshot["date"]) + timedelta(days=n)
                                     for n in range(1, 15)])


def page_count(pdf: bytes) -> int:
    """Pages of a PDF."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def issue(client: Client, *, visit: Visit | None, language: str, actor,
          progress: bool = False) -> Handout:
    """Build, render and store a handout; the stored PDF is what every later download returns.
    ``progress``: with a line on the scores' progress."""
    require_open(client)
    zone = practice_zone()
    day = visit.visited_at.astimezone(zone).date() if visit else datetime.now(zone).date()
    practitioner = visit.practitioner.name if visit else actor.name
    snapshot = build_snapshot(client, visit=visit, language=language, day=day,
                              practitioner_name=practitioner, progress=progress)
    pdf, pages, _refused = render_pdf(render_html(snapshot, client))
    return store(client, visit=visit, snapshot=snapshot, pdf=pdf, pages=pages, actor=actor)


def store(client: Client, *, visit: Visit | None, snapshot: dict, pdf: bytes, actor,
          pages: int | None = None) -> Handout:
    """Keep an issued handout: its PDF, its SHA-256 and the snapshot of what it shows."""
    require_open(client)
    handout = Handout(client=client, visit_id=visit.id if visit else None,
                      language=snapshot["language"], issued_at=utcnow(), issued_by_id=actor.id,
                      snapshot=snapshot, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
                      pages=pages if pages is not None else page_count(pdf))
    db.session.add(handout)
    db.session.flush()
    audit.record("handout.issue", "handout", handout.id, actor=actor,
                 client=handout.client_id)
    return handout


def latest_of_visits(visit_ids, *, with_pdf: bool = False) -> dict[int, Handout]:
    """The newest stored handout of each visit, by visit id (the PDFs only when asked for)."""
    statement = sa.select(Handout).where(Handout.visit_id.in_(list(visit_ids))).order_by(Handout.id)
    if not with_pdf:
        statement = statement.options(sa.orm.defer(Handout.pdf), sa.orm.defer(Handout.snapshot))
    return {h.visit_id: h for h in db.session.scalars(statement)}


_HANDOUTS_OF = (sa.select(Handout).where(Handout.client_id == sa.bindparam("client"))
                .options(sa.orm.defer(Handout.pdf), sa.orm.defer(Handout.snapshot))
                .order_by(Handout.issued_at.desc()))


def handouts_of(client: Client) -> list[Handout]:
    """The client's handouts, newest first (without loading the PDFs; built once)."""
    return list(db.session.scalars(_HANDOUTS_OF, {"client": client.id}))
