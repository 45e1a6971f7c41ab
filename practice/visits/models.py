"""Visits (kept as versions, like intakes) and the recommendations given: the home-care plan."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.accounts.models import Practitioner
from practice.clients.models import Client
from practice.database import UTCDateTime, utcnow
from practice.extensions import db
from practice.library.models import ContentItem, ContentVersion


class Visit(db.Model):
    """A session with the client. The newest version's key figures are copied here for lists."""

    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    practitioner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="RESTRICT"), index=True)
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pain_now: Mapped[int | None]
    start_back_total: Mapped[int | None]
    start_back_risk: Mapped[str | None] = mapped_column(sa.String(10))
    version_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    practitioner: Mapped[Practitioner] = relationship()
    versions: Mapped[list[VisitVersion]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitVersion.number")

    __table_args__ = (sa.Index("ix_visits_client_time", "client_id", "visited_at"),
                      # the day's handouts and "seen recently": visits by time, any client
                      sa.Index("ix_visits_time", "visited_at"))

    @property
    def current(self) -> VisitVersion:
        """The newest version."""
        return self.versions[-1]

    @property
    def data(self) -> dict:
        """The newest recorded findings, treatment and notes."""
        return dict(self.current.data) if self.versions else {}


class VisitVersion(db.Model):
    """One saved state of a visit record; corrections add a version, nothing is overwritten."""

    __tablename__ = "visit_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"))
    number: Mapped[int]
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    changed_keys: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))

    visit: Mapped[Visit] = relationship(back_populates="versions")
    created_by: Mapped[Practitioner | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("visit_id", "number", name="uq_visit_versions_number"),)


class Recommendation(db.Model):
    """A library item recommended to a client, with the client's own instructions.

    It points at the library version that was current when given, so the plan shows (and the
    handout prints) what the client was told. Adjusting instructions stops this row and starts a
    new one that ``replaces`` it, so the history shows every change.
    """

    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("content_items.id", ondelete="RESTRICT"),
                                         index=True)
    content_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("content_versions.id", ondelete="RESTRICT"))
    visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visits.id", ondelete="SET NULL"),
                                                 index=True)
    how_often: Mapped[str] = mapped_column(sa.String(200), default="")
    how_long: Mapped[str] = mapped_column(sa.String(200), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    stopped_on: Mapped[date | None]
    stop_reason: Mapped[str] = mapped_column(sa.String(20), default="")  # stopped, adjusted
    stopped_visit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="SET NULL"))
    stopped_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))
    replaces_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    item: Mapped[ContentItem] = relationship()
    content_version: Mapped[ContentVersion] = relationship()
    visit: Mapped[Visit | None] = relationship(foreign_keys=[visit_id])
    stopped_visit: Mapped[Visit | None] = relationship(foreign_keys=[stopped_visit_id])
    created_by: Mapped[Practitioner | None] = relationship(foreign_keys=[created_by_id])
    stopped_by: Mapped[Practitioner | None] = relationship(foreign_keys=[stopped_by_id])

    __table_args__ = (
        sa.Index("ix_recommendations_client_open", "client_id", "stopped_on"),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    def is_active_on(self, day: date) -> bool:
        """Part of the home-care plan on ``day``."""
        return (self.starts_on <= day and self.stopped_on is None
                and (self.ends_on is None or self.ends_on >= day))
