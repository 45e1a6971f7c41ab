"""The practice itself: name, contact, time zone. There is exactly one row."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from practice.database import UTCDateTime, utcnow
from practice.extensions import db

PRACTICE_ROW_ID = 1


class PracticeSettings(db.Model):
    """Settings of the one practice this installation serves."""

    __tablename__ = "practice_settings"

    # A fixed primary key makes a second set-up impossible, even from two requests at once.
    id: Mapped[int] = mapped_column(primary_key=True, default=PRACTICE_ROW_ID)
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.Text, default="")
    phone: Mapped[str] = mapped_column(sa.String(60), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Berlin")
    default_language: Mapped[str] = mapped_column(sa.String(5), default="de")
    # Where clients' phones reach the practice (https://praxis.example.de); see public_address.
    public_url: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    # Who must sign in with a second factor: administrators always; "everyone" adds the rest.
    second_factor_for: Mapped[str] = mapped_column(sa.String(10), default="admins",
                                                   server_default="admins")
    # The logo printed on handouts: checked PNG, JPEG or SVG, at most 512 kB.
    logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    logo_type: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (sa.CheckConstraint(f"id = {PRACTICE_ROW_ID}", name="single_row"),)
