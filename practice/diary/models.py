"""The client's pain diary and the personal links that open it."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.clients.models import Client
from practice.database import UTCDateTime, utcnow
from practice.extensions import db

SLOTS = ("morning", "evening")
SOURCES = ("client", "paper")


class DiaryLink(db.Model):
    """A client's personal diary link. The token is never stored: only its SHA-256, and a nonce
    from which the server (with its secret key) can show the same link again."""

    __tablename__ = "diary_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    nonce: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship()


class DiaryEntry(db.Model):
    """One morning or evening entry. ``day`` is the client's local date in the practice's zone."""

    __tablename__ = "diary_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    day: Mapped[date]
    slot: Mapped[str] = mapped_column(sa.String(10))
    pain: Mapped[int]
    stiffness_minutes: Mapped[int | None]
    sleep: Mapped[str | None] = mapped_column(sa.String(10))
    woke_at_night: Mapped[bool | None]
    woke_at: Mapped[str] = mapped_column(sa.String(20), default="")
    stress: Mapped[int | None]
    sitting_hours: Mapped[int | None]
    movement: Mapped[str | None] = mapped_column(sa.String(10))
    warmth: Mapped[bool | None]
    plan_done: Mapped[list] = mapped_column(sa.JSON, default=list)  # recommendation ids
    note: Mapped[str] = mapped_column(sa.Text, default="")
    warning: Mapped[bool] = mapped_column(default=False)
    # The warning signs ticked (keys of practice.safety.signs), when ``warning`` is yes.
    warning_signs: Mapped[list] = mapped_column(sa.JSON, default=list)
    is_late: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(sa.String(10), default="client")
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The key the phone gave the entry (diary-offline.js): sent again after a dead connection,
    # it is recognised instead of stored twice.
    entry_key: Mapped[str | None] = mapped_column(sa.String(64), index=True, unique=True)

    client: Mapped[Client] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("client_id", "day", "slot", name="uq_diary_entries_slot"),
        sa.CheckConstraint(f"slot IN {SLOTS!r}", name="slot_known"),
        sa.CheckConstraint(f"source IN {SOURCES!r}", name="source_known"),
        sa.CheckConstraint("pain BETWEEN 0 AND 10", name="pain_range"),
    )
