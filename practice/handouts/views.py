"""Issuing and downloading handouts; merging several into one PDF."""

from __future__ import annotations

import io
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from practice.audit import service as audit
from practice.clients import service as clients
from practice.extensions import db
from practice.handouts import service
from practice.handouts.models import Handout
from practice.inputs import parse_id
from practice.safety import decision as notice_decision
from practice.safety import notices
from practice.visits.models import Visit

bp = Blueprint("handouts", __name__)


def _user():
    return current_user._get_current_object()


def pdf_response(data: bytes, filename: str) -> Response:
    """A PDF shown in the browser's viewer, with a sensible file name for saving."""
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.route("/clients/<id:client_id>/handouts", methods=["POST"])
def issue(client_id: int):
    """Issue a handout for the current plan or a visit, in the chosen language."""
    client = clients.get_for(_user(), client_id, action=None)
    language = request.form.get("language", client.language)
    if language not in ("de", "en"):
        language = client.language
    visit = None
    if "visit_id" in request.form:  # present means a visit's handout: it must be one
        visit_id = parse_id(request.form["visit_id"])
        visit = db.session.get(Visit, visit_id) if visit_id else None
        if visit is None or visit.client_id != client.id:
            abort(404)
    progress = request.form.get("progress") == "1"
    decision = notice_decision.read(request.form, client)
    if not decision.ok:
        # Open notices: acknowledge them or confirm proceeding before the handout is printed.
        db.session.commit()
        return render_template("handouts/confirm_notice.html", client=client, visit=visit,
                               language=language, progress=progress,
                               notices=notices.open_notices(client),
                               decision=decision if "notice_decision" in request.form
                               else notice_decision.NoticeDecision(needed=True))
    notice_decision.apply(decision, client, actor=_user())
    handout = service.issue(client, visit=visit, language=language, actor=_user(),
                            progress=progress)
    db.session.commit()
    return redirect(url_for("handouts.download", client_id=client.id, handout_id=handout.id))


@bp.route("/clients/<id:client_id>/handouts/<id:handout_id>.pdf")
def download(client_id: int, handout_id: int):
    """The handout exactly as issued (stored bytes, never rendered again)."""
    client = clients.get_for(_user(), client_id, action=None)
    handout = db.session.get(Handout, handout_id)
    if handout is None or handout.client_id != client.id:
        abort(404)
    audit.record("handout.download", "handout", handout.id, actor=_user(),
                 client=handout.client_id)
    db.session.commit()
    return pdf_response(handout.pdf, f"handout-{client.id}-{handout.id}.pdf")


def merge(pdfs: list[bytes]) -> bytes:
    """One PDF from several."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
