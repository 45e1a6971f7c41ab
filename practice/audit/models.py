"""The audit trail: who did which action on which object, and when. Never the health data."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from practice.database import UTCDateTime, utcnow
from practice.extensions import db


class AuditEvent(db.Model):
    """One audited action. ``actor_id`` is empty for the system and for clients."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"), index=True
    )
    actor_kind: Mapped[str] = mapped_column(sa.String(20))  # practitioner, client, system
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    # The record the object belongs to (a visit's, a diary entry's client): the access log
    # filters by it. No foreign key: the trail outlives a purged record.
    client_id: Mapped[int | None]

    __table_args__ = (sa.Index("ix_audit_events_object", "object_type", "object_id"),
                      sa.Index("ix_audit_events_client", "client_id", "at"))

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.object_type}:{self.object_id}>"
