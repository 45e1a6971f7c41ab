"""Starting jobs, reporting their progress, keeping their results a few days.

Services flush; the views (and the job functions, which are the worker's views) commit.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import abort

from practice.audit import service as audit
from practice.database import utcnow
from practice.extensions import db
from practice.jobs.models import Job

# Results hold health data (handouts, record copies): downloadable for a week, then deleted.
RESULT_DAYS = 7
# A job "running" this long had its worker stopped under it: shown as interrupted.
STALE_AFTER = timedelta(hours=2)


def start(kind: str, params: dict, *, total: int, actor) -> Job:
    """A new job for ``actor``; commit, then :func:`practice.jobs.queue.enqueue` its id."""
    forget_old_results()
    job = Job(kind=kind, params=params, total=total, created_by_id=actor.id, created_at=utcnow())
    db.session.add(job)
    db.session.flush()
    audit.record("job.start", "job", job.id, actor=actor)
    return job


def get_for(user, job_id: int) -> Job:
    """A job of ``user``'s own, else 404 (others' jobs stay unknown)."""
    job = db.session.get(Job, job_id)
    if job is None or job.created_by_id != user.id:
        abort(404)
    return job


def claim(job_id: int) -> Job | None:
    """Mark a queued job running (one worker wins) and return it, committed."""
    taken = db.session.execute(sa.update(Job).where(Job.id == job_id, Job.status == "queued")
                               .values(status="running", started_at=utcnow()))
    db.session.commit()
    return db.session.get(Job, job_id) if taken.rowcount == 1 else None


def progress(job: Job, done: int) -> None:
    """Record how far the job is (committed at once: the page polls it)."""
    job.done = min(done, job.total)
    db.session.commit()


def finish(job: Job, *, result: bytes | None = None, name: str = "", media_type: str = "",
           ids: list | None = None) -> None:
    """The job is done; its result (if any) waits for download."""
    job.status, job.finished_at, job.done = "done", utcnow(), job.total
    job.result, job.result_name, job.result_type = result, name, media_type
    job.result_ids = list(ids or [])


def fail(job_id: int, code: str) -> None:
    """End an unfinished job as failed with ``code`` (committed)."""
    db.session.execute(sa.update(Job).where(Job.id == job_id, Job.status.in_(("queued", "running")))
                       .values(status="failed", error=code[:40], finished_at=utcnow()))
    db.session.commit()


def result_of(user, job: Job) -> bytes | None:
    """The job's result for download, audited as an export (None when gone or not done)."""
    if job.status != "done":
        return None
    data = db.session.scalar(sa.select(Job.result).where(Job.id == job.id))
    if data is not None:
        audit.record("job.download", "job", job.id, actor=user)
    return data


def forget_old_results() -> int:
    """Delete results older than :data:`RESULT_DAYS` (the records themselves stay)."""
    cutoff = utcnow() - timedelta(days=RESULT_DAYS)
    done = db.session.execute(sa.update(Job).where(Job.finished_at < cutoff,
                                                   Job.result.is_not(None))
                              .values(result=None))
    return done.rowcount


def waiting() -> list[int]:
    """Jobs to put on the queue again when a worker starts (the queue may have lost them);
    those left "running" for hours by a stopped worker end as interrupted."""
    stale = utcnow() - STALE_AFTER
    db.session.execute(sa.update(Job).where(Job.status == "running", Job.started_at < stale)
                       .values(status="failed", error="interrupted", finished_at=utcnow()))
    return list(db.session.scalars(sa.select(Job.id).where(Job.status == "queued")
                                   .order_by(Job.id)))
