"""Practitioner accounts, their sign-ins and failed login attempts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.database import UTCDateTime, utcnow
from practice.extensions import db

ROLE_ADMIN = "admin"
ROLE_PRACTITIONER = "practitioner"
ROLES = (ROLE_ADMIN, ROLE_PRACTITIONER)


class Practitioner(UserMixin, db.Model):
    """A person who works in the practice and signs in. Admins also manage accounts."""

    __tablename__ = "practitioners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default=ROLE_PRACTITIONER)
    language: Mapped[str | None] = mapped_column(sa.String(5))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # After an admin's reset: the temporary password must be replaced before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The second factor (see second_factor.py): TOTP secret, the last time step accepted (each
    # step once), and since when it is on.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    logins: Mapped[list[Login]] = relationship(
        back_populates="practitioner", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint(f"role IN {ROLES!r}", name="role_known"),
    )

    # Set by the user loader: the token of the sign-in this request belongs to.
    login_token = None

    @property
    def is_admin(self) -> bool:
        """Whether this account may manage accounts and practice settings."""
        return self.role == ROLE_ADMIN

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled accounts cannot sign in
        return self.is_enabled

    def get_id(self) -> str | None:
        """Flask-Login keeps the sign-in token, not the account id, in the cookie, so that
        ending the sign-in on the server makes a copied cookie worthless."""
        return self.login_token

    def __repr__(self) -> str:
        return f"<Practitioner {self.id}>"


class Login(db.Model):
    """One sign-in of a practitioner; the cookie carries its token, the table only a hash."""

    __tablename__ = "logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    practitioner: Mapped[Practitioner] = relationship(back_populates="logins")


class RecoveryCode(db.Model):
    """A single-use code for signing in without the authenticator app (stored as SHA-256)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FailedLogin(db.Model):
    """A failed login attempt, kept briefly to slow down password guessing.

    The address typed is kept only as a hash: people sometimes type a password into that field.
    """

    __tablename__ = "failed_logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    remote_addr: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
