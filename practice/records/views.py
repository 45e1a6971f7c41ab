"""The complete copy of a client's record: a POST from the client page starts the job, whose
page shows the progress and then the ZIP for download (practice/jobs/views.py)."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from practice.clients import service as clients
from practice.extensions import db
from practice.jobs.queue import enqueue
from practice.records import service

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
