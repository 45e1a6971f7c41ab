"""Recorded scores (kept as versions, like visits) and the questionnaires asked before a visit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.accounts.models import Practitioner
from practice.clients.models import Client
from practice.database import UTCDateTime, utcnow
from practice.extensions import db
from practice.measures.instruments import FILLERS, PLACES, RECORDED

_KNOWN = tuple(i.key for i in RECORDED)


class MeasureScore(db.Model):
    """One filled-in instrument. The newest version's score is copied here for lists and
    charts; the values themselves live in the versions, so a correction keeps the original."""

    __tablename__ = "measure_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    instrument: Mapped[str] = mapped_column(sa.String(20))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filled_by: Mapped[str] = mapped_column(sa.String(20))  # practitioner, client
    place: Mapped[str] = mapped_column(sa.String(10))  # desk, home, paper
    # Who typed it in (empty when the client filled it on the phone).
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))
    visit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="SET NULL"), index=True)
    score: Mapped[float]
    version_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    recorded_by: Mapped[Practitioner | None] = relationship()
    versions: Mapped[list[MeasureScoreVersion]] = relationship(
        back_populates="measure_score", cascade="all, delete-orphan",
        order_by="MeasureScoreVersion.number")

    __table_args__ = (
        sa.Index("ix_measure_scores_client_time", "client_id", "taken_at"),
        sa.CheckConstraint(f"instrument IN {_KNOWN!r}", name="instrument_known"),
        sa.CheckConstraint(f"place IN {PLACES!r}", name="place_known"),
        sa.CheckConstraint(f"filled_by IN {FILLERS!r}", name="filled_by_known"),
    )

    @property
    def current(self) -> MeasureScoreVersion:
        """The newest version."""
        return self.versions[-1]

    @property
    def values(self) -> dict:
        """The newest values (section scores, total, activities with ratings, answers)."""
        return dict(self.current.data) if self.versions else {}


class MeasureScoreVersion(db.Model):
    """One saved state of a score; a correction adds a version, nothing is overwritten."""

    __tablename__ = "measure_score_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_score_id: Mapped[int] = mapped_column(
        sa.ForeignKey("measure_scores.id", ondelete="CASCADE"))
    number: Mapped[int]
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    score: Mapped[float]
    changed_keys: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))

    measure_score: Mapped[MeasureScore] = relationship(back_populates="versions")
    created_by: Mapped[Practitioner | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("measure_score_id", "number",
                                          name="uq_measure_score_versions_number"),)


class MeasureRequest(db.Model):
    """An instrument the practitioner asked for before the next visit. Open until it is
    answered (``measure_score_id``) or withdrawn by the practitioner."""

    __tablename__ = "measure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    instrument: Mapped[str] = mapped_column(sa.String(20))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    asked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    measure_score_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("measure_scores.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    measure_score: Mapped[MeasureScore | None] = relationship()

    __table_args__ = (
        sa.Index("ix_measure_requests_client_open", "client_id", "answered_at", "withdrawn_at"),
        sa.CheckConstraint(f"instrument IN {_KNOWN!r}", name="instrument_known"),
    )

    @property
    def is_open(self) -> bool:
        """Neither answered nor withdrawn."""
        return self.answered_at is None and self.withdrawn_at is None
