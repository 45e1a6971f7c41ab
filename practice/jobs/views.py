"""A job's page: how far it is (reloading itself while it runs), then its result."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, make_response, render_template
from flask_login import current_user

from practice.audit import service as audit
from practice.database import utcnow
from practice.extensions import db
from practice.handouts.models import Handout
from practice.jobs import service
from practice.jobs.queue import HANDLERS

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.route("/<id:job_id>")
def show(job_id: int):
    """Progress while queued or running; the download once done."""
    job = service.get_for(current_user._get_current_object(), job_id)
    kind = HANDLERS.get(job.kind)
    waited = (utcnow() - job.created_at).total_seconds()
    return render_template("jobs/show.html", job=job, kind=kind, waited=waited,
                           back=kind.back(job) if kind else None)


@bp.route("/<id:job_id>/result")
def result(job_id: int):
    """The stored result, the same bytes at every download (audited as an export)."""
    user = current_user._get_current_object()
    job = service.get_for(user, job_id)
    data = service.result_of(user, job)
    if data is None:
        abort(404)
    if isinstance(job.params.get("client"), int):  # a copy of one record: on its access log
        audit.record("record.copy_download", "job", job.id, actor=user,
                     client=job.params["client"])
    if job.kind.startswith("handouts.") and job.result_ids:
        for handout_id, client_id in db.session.execute(sa.select(Handout.id, Handout.client_id)
                                                        .where(Handout.id.in_(job.result_ids))):
            audit.record("handout.download", "handout", handout_id, actor=user, client=client_id)
    response = make_response(data)
    response.headers["Content-Type"] = job.result_type or "application/octet-stream"
    response.headers["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
