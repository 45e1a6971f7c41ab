"""The complete copy of a client's record: a POST from the client page starts the job, whose
page shows the progress and then the ZIP for download (practice/jobs/views.py). And the
progress letter for the client's doctor, printed on demand."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, url_for
from flask_login import current_user

from practice.clients import service as clients
from practice.extensions import db
from practice.jobs.queue import enqueue
from practice.records import service
from practice.records.letter import render_letter, require_letter_allowed
from practice.records.letter_form import LetterForm
from practice.settings.service import get_settings

bp = Blueprint("records", __name__, url_prefix="/clients/<id:client_id>")


@bp.route("/record-copy", methods=["POST"])
def copy(client_id: int):
    """Start the complete copy (PDF and machine-readable files) and show its progress."""
    user = current_user._get_current_object()
    client = clients.get_for(user, client_id, action=None)  # 404 for a client one may not see
    job = service.request_copy(client, actor=user)
    job_id = job.id  # read before the commit: reading it after would begin a transaction
    db.session.commit()
    enqueue(job_id)
    return redirect(url_for("jobs.show", job_id=job_id))


@bp.route("/letter", methods=["GET", "POST"])
def letter(client_id: int):
    """The progress letter for the client's doctor: a short form, then the PDF."""
    user = current_user._get_current_object()
    client = clients.get_for(user, client_id, action=None)
    require_letter_allowed(client)
    form = LetterForm()
    if not form.is_submitted():
        settings = get_settings()
        form.language.data = settings.default_language if settings else "de"
    if form.validate_on_submit():
        pdf, data = render_letter(client, language=form.language.data, actor=user,
                                  recipient=form.recipient.data or "", note=form.note.data or "")
        db.session.commit()  # the audit event of the disclosure
        response = make_response(pdf)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = (
            f'inline; filename="report-{client.id}-{data["today"].isoformat()}.pdf"')
        return response
    return render_template("records/letter_form.html", client=client, form=form), (
        400 if form.is_submitted() else 200)
