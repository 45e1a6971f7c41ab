"""The day's handouts as a background job: render the chosen visits' handouts one by one,
store the new ones together, and keep the whole as one PDF for download.

Started from the day page's form (a POST), so a reload, a prefetch or a crawler never issues
a handout. A visit that already has a handout keeps it unless "issue again" was ticked.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from practice.accounts.models import Practitioner
from practice.clients import service as clients
from practice.clients.record_state import closed_reason
from practice.extensions import db
from practice.handouts import service
from practice.handouts.models import Handout
from practice.handouts.render import render_pdf
from practice.i18n import practice_zone
from practice.jobs import service as jobs
from practice.jobs.queue import handler
from practice.public_address import configured as public_address
from practice.visits.models import Visit

KIND = "handouts.day"


def _back(job) -> str:
    return url_for("handout_day.show", date=job.params.get("day"))


def start(day: date, visit_ids: list[int], again: list[int], *, actor, base_url: str):
    """The job for ``visit_ids`` (checked by the caller), committed by the caller."""
    return jobs.start(KIND, {"day": day.isoformat(), "visits": visit_ids, "again": again,
                             "base_url": base_url}, total=len(visit_ids), actor=actor)


@handler(KIND, title=_l("The day's handouts"), back=_back)
def run(job) -> None:
    """Render and store, one visit at a time, with progress; then one PDF of them all."""
    from practice.handouts.views import merge

    actor = db.session.get(Practitioner, job.created_by_id)
    again = set(job.params.get("again", []))
    base = public_address() or job.params.get("base_url") or "http://localhost"
    chosen: list[tuple[int, int | None]] = []  # (visit id, handout id), in the list's order
    new: dict[int, tuple[dict, bytes, int]] = {}
    visit_ids = job.params.get("visits", [])
    existing = {vid: h.id for vid, h in service.latest_of_visits(visit_ids).items()}
    with current_app.test_request_context(base_url=base):
        for number, visit_id in enumerate(visit_ids, 1):
            visit = db.session.get(Visit, visit_id)
            client = visit.client if visit else None
            visible = client is not None and actor is not None and clients.may_see(actor, client)
            if visible and closed_reason(client) is None:
                if visit_id in existing and visit_id not in again:
                    chosen.append((visit_id, existing[visit_id]))
                else:
                    zone = practice_zone()
                    snapshot = service.build_snapshot(
                        client, visit=visit, language=client.language,
                        day=visit.visited_at.astimezone(zone).date(),
                        practitioner_name=visit.practitioner.name)
                    html = service.render_html(snapshot, client)
                    db.session.commit()  # end the read: no lock is held while rendering
                    pdf, pages, _refused = render_pdf(html)
                    new[visit_id] = (snapshot, pdf, pages)
                    chosen.append((visit_id, None))
            jobs.progress(job, number)
        if not chosen:
            jobs.fail(job.id, "nothing")
            return
        ids, pdfs = [], []
        for visit_id, handout_id in chosen:
            if handout_id is None:
                visit = db.session.get(Visit, visit_id)
                snapshot, pdf, pages = new[visit_id]
                handout = service.store(visit.client, visit=visit, snapshot=snapshot, pdf=pdf,
                                        pages=pages, actor=actor)
            else:
                handout = db.session.get(Handout, handout_id)
            ids.append(handout.id)
            pdfs.append(handout.pdf)
        jobs.finish(job, result=merge(pdfs), name=f"handouts-{job.params['day']}.pdf",
                    media_type="application/pdf", ids=ids)
