"""Clients, the notices that need a practitioner's attention, and consent records."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.accounts.models import Practitioner
from practice.database import UTCDateTime, utcnow
from practice.extensions import db

SEXES = ("female", "male", "diverse", "not_stated")


class Client(db.Model):
    """A person treated by the practice."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    # Lower-case, accents folded ("müller" -> "muller"): the same search on SQLite and PostgreSQL.
    # Searched through its tokens and pairs (below), so not indexed: that index only cost writes.
    search_name: Mapped[str] = mapped_column(sa.String(210))
    date_of_birth: Mapped[date | None] = mapped_column(sa.Date)
    sex: Mapped[str] = mapped_column(sa.String(20), default="not_stated")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(60), default="")
    language: Mapped[str] = mapped_column(sa.String(5), default="de")
    practitioner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="RESTRICT"), index=True
    )
    is_archived: Mapped[bool] = mapped_column(default=False)
    # Synthetic clients from `practice demo`, never real people.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The record's retention (§ 630f BGB: 10 years after treatment ends). The end of treatment
    # is the archive date, else the last visit, unless a practitioner set it (with a reason).
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    treatment_end_set: Mapped[date | None]
    treatment_end_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # An erasure request restricted the record (GDPR Art. 18): hidden, read-only, opened by an
    # admin with a reason, purged at its retention date.
    restricted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who needs a look, kept up to date by the diary (practice/diary/attention.py) so that the
    # start page reads a few indexed rows instead of every diary: the last day with an entry;
    # while a link is in force, the day since which the diary is quiet; the last day on which
    # the week's pain still rises (if no entry comes), and that week's slope.
    diary_last_day: Mapped[date | None]
    diary_quiet_since: Mapped[date | None]
    pain_rising_until: Mapped[date | None]
    pain_rising_slope: Mapped[float | None]
    # When the newest open notice was raised (None: none open), kept by safety/notices.py: the
    # start page and the list read it from an index instead of joining every notice.
    open_alert_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    practitioner: Mapped[Practitioner] = relationship()
    alerts: Mapped[list[ClientAlert]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="ClientAlert.raised_at.desc()"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Consent.given_at.desc()"
    )

    __table_args__ = (
        sa.Index("ix_clients_archived_activity", "is_archived", "last_activity_at"),
        # The start page: the same leading column as the list's index, or SQLite prefers that.
        # With the id: the start page orders by the day, then the id (many share a day).
        sa.Index("ix_clients_archived_quiet", "is_archived", "diary_quiet_since", "id"),
        sa.Index("ix_clients_archived_rising", "is_archived", "pain_rising_until", "id"),
        sa.Index("ix_clients_archived_alert", "is_archived", "open_alert_at"),
        sa.CheckConstraint(f"sex IN {SEXES!r}", name="sex_known"),
    )

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day``."""
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def open_alerts(self) -> list[ClientAlert]:
        """Notices not yet acknowledged."""
        return [alert for alert in self.alerts if alert.acknowledged_at is None]

    @property
    def active_consent(self) -> Consent | None:
        """The health-data consent in force, if any."""
        return next((c for c in self.consents if c.withdrawn_at is None), None)


class ClientChange(db.Model):
    """One change of a client's details, kept like an intake version: the values before and
    after (only the fields that changed), who and when (§ 630f BGB: changes stay visible)."""

    __tablename__ = "client_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    before: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    after: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL"))

    changed_by: Mapped[Practitioner | None] = relationship()


class ClientNameToken(db.Model):
    """One word of a client's folded name, for prefix search through an index ("mül" finds
    "Müller-Lüdenscheid" by "muller" and "ludenscheid") on SQLite and PostgreSQL alike."""

    __tablename__ = "client_name_tokens"

    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"),
                                           primary_key=True)
    # Byte order ("C") on PostgreSQL, as SQLite compares: the prefix range is then exact.
    token: Mapped[str] = mapped_column(
        sa.String(100).with_variant(sa.String(100, collation="C"), "postgresql"),
        primary_key=True)

    __table_args__ = (sa.Index("ix_client_name_tokens_token", "token", "client_id"),)


class ClientNamePair(db.Model):
    """Two words of a client's folded name, for searches of two words or more: the first
    word's first three letters, a space, the second word ("jan meier" for Jana Meier, and
    "mei jana"). "jana mei" then reads the few pairs from "jan mei" on instead of every Jana
    and every Mei... of the practice (thousands at 100,000 clients) to intersect them."""

    __tablename__ = "client_name_pairs"

    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"),
                                           primary_key=True)
    pair: Mapped[str] = mapped_column(
        sa.String(100).with_variant(sa.String(100, collation="C"), "postgresql"),
        primary_key=True)

    __table_args__ = (sa.Index("ix_client_name_pairs_pair", "pair", "client_id"),)


class ClientAlert(db.Model):
    """A notice on a client's record ("refer to a doctor") until a practitioner acknowledges it."""

    __tablename__ = "client_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))  # red_flag; the diary adds its own
    source: Mapped[str] = mapped_column(sa.String(20))  # intake, diary, ...
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL")
    )
    acknowledgement_note: Mapped[str] = mapped_column(sa.Text, default="")

    client: Mapped[Client] = relationship(back_populates="alerts")
    acknowledged_by: Mapped[Practitioner | None] = relationship()

    __table_args__ = (sa.Index("ix_client_alerts_client_open", "client_id", "acknowledged_at"),
                      # the start page: open notices, newest first
                      sa.Index("ix_client_alerts_open_raised", "acknowledged_at", "raised_at"))


class Consent(db.Model):
    """Explicit consent to processing health data (GDPR Art. 9), and its withdrawal."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    text_version: Mapped[str] = mapped_column(sa.String(20))
    language: Mapped[str] = mapped_column(sa.String(5))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL")
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL")
    )

    client: Mapped[Client] = relationship(back_populates="consents")
    recorded_by: Mapped[Practitioner | None] = relationship(foreign_keys=[recorded_by_id])
    withdrawal_recorded_by: Mapped[Practitioner | None] = relationship(
        foreign_keys=[withdrawal_recorded_by_id]
    )
