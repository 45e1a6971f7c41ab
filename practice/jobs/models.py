"""Background jobs as the practice sees them: what was asked, how far it is, what came out.

The queue itself (Huey) only carries the job's id; everything a page shows is here, in the
practice's own database, so progress survives a restarted worker and every app server sees it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.accounts.models import Practitioner
from practice.database import UTCDateTime, utcnow
from practice.extensions import db

STATUSES = ("queued", "running", "done", "failed")


class Job(db.Model):
    """One piece of long work (the day's handouts, a record copy) for one practitioner."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    # Identifiers only (dates, ids): never names or health data.
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it failed, as a code the page translates (no exception text: it may quote data).
    error: Mapped[str] = mapped_column(sa.String(40), default="")
    # What it made (a PDF, a ZIP): kept a few days for downloading, then deleted.
    result: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    result_name: Mapped[str] = mapped_column(sa.String(120), default="")
    result_type: Mapped[str] = mapped_column(sa.String(80), default="")
    result_ids: Mapped[list] = mapped_column(sa.JSON, default=list)

    created_by: Mapped[Practitioner] = relationship()

    __table_args__ = (sa.CheckConstraint(f"status IN {STATUSES!r}", name="job_status_known"),
                      sa.Index("ix_jobs_finished", "finished_at"))

    @property
    def finished(self) -> bool:
        """Done or failed: nothing more will happen."""
        return self.status in ("done", "failed")
