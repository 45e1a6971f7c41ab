"""The intake of a client, kept as a series of versions: nothing is ever overwritten."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.accounts.models import Practitioner
from practice.clients.models import Client
from practice.database import UTCDateTime, utcnow
from practice.extensions import db

INTAKE_STATUSES = ("draft", "complete")


class Intake(db.Model):
    """A client's intake: points at its newest version and keeps the figures the lists need."""

    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    version_count: Mapped[int] = mapped_column(default=0)
    baseline_pain: Mapped[int | None]
    start_back_total: Mapped[int | None]
    start_back_risk: Mapped[str | None] = mapped_column(sa.String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship(backref=sa.orm.backref("intake", uselist=False))
    versions: Mapped[list[IntakeVersion]] = relationship(
        back_populates="intake", cascade="all, delete-orphan", order_by="IntakeVersion.number"
    )

    __table_args__ = (sa.CheckConstraint(f"status IN {INTAKE_STATUSES!r}", name="status_known"),)

    @property
    def current(self) -> IntakeVersion | None:
        """The newest version."""
        return self.versions[-1] if self.versions else None

    @property
    def answers(self) -> dict:
        """The newest answers."""
        return dict(self.current.answers) if self.current else {}


class IntakeVersion(db.Model):
    """One saved state of an intake: all answers, who saved them, when, and what changed."""

    __tablename__ = "intake_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(sa.ForeignKey("intakes.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(10))
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    changed_keys: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL")
    )

    intake: Mapped[Intake] = relationship(back_populates="versions")
    created_by: Mapped[Practitioner | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("intake_id", "number", name="uq_intake_versions_number"),)
