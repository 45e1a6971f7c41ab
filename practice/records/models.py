"""The record's duties: erasure requests, openings of a restricted record, and the purge log.

A purge deletes the client and, by cascade, the whole record; :class:`RecordPurge` keeps that it
happened and when it was due, with the record's number only (no name, no health data).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.accounts.models import Practitioner
from practice.database import UTCDateTime, utcnow
from practice.extensions import db


class ErasureRequest(db.Model):
    """A client's request to erase their data (GDPR Art. 17) and what it deleted. What the law
    requires to keep is restricted (Art. 18) until its retention date instead."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    received_on: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    # What went at once: keys such as "diary_link", "email", "phone" (never the values).
    deleted: Mapped[list] = mapped_column(sa.JSON, default=list)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[Practitioner | None] = relationship()


class RestrictedOpening(db.Model):
    """An admin opened a restricted record, with the reason given (Art. 18: only for a purpose
    the law allows, such as the client's own request or a legal claim)."""

    __tablename__ = "restricted_openings"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    practitioner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(sa.Text)

    practitioner: Mapped[Practitioner | None] = relationship()


class RecordPurge(db.Model):
    """A record deleted at the end of its retention: number and dates only."""

    __tablename__ = "record_purges"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_number: Mapped[int]
    treatment_ended_on: Mapped[date | None]
    retention_until: Mapped[date]
    had_erasure_request: Mapped[bool] = mapped_column(default=False)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    purged_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))
