"""Issued handouts: the PDF as handed over, and a snapshot of exactly what it contained."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.accounts.models import Practitioner
from practice.clients.models import Client
from practice.database import UTCDateTime, utcnow
from practice.extensions import db


class Handout(db.Model):
    """A handout given to a client. Never re-rendered: downloads return the stored bytes."""

    __tablename__ = "handouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visits.id", ondelete="SET NULL"),
                                                 index=True)
    language: Mapped[str] = mapped_column(sa.String(5))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    pages: Mapped[int] = mapped_column(default=0)

    client: Mapped[Client] = relationship()
    issued_by: Mapped[Practitioner | None] = relationship()
