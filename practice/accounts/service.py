"""Accounts: password hashing, signing in and out, throttling guessers, managing practitioners.

Services flush; the calling view or command commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from practice.accounts.models import ROLE_ADMIN, FailedLogin, Login, Practitioner
from practice.audit import service as audit
from practice.database import after_read, utcnow
from practice.extensions import db


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message is shown to the user."""


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Return an argon2id hash of ``password``."""
    return _hasher().hash(password)


def sha256(text: str) -> str:
    """Hex SHA-256 of ``text`` (how tokens and codes are stored)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    """Addresses are compared case-insensitively and without surrounding blanks."""
    return email.strip().lower()


def account_count() -> int:
    """How many accounts exist; zero means the installation still needs setting up."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Practitioner)) or 0


def find_by_email(email: str) -> Practitioner | None:
    """The account with this address, if any."""
    return db.session.scalar(
        sa.select(Practitioner).where(Practitioner.email == normalise_email(email))
    )


def create_practitioner(name: str, email: str, password: str, role: str, *,
                        language: str | None = None, actor=None) -> Practitioner:
    """Create an account. Raises :class:`AccountError` when the address is already in use."""
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise AccountError("email_taken")
    practitioner = Practitioner(
        name=name.strip(), email=email, password_hash=hash_password(password), role=role,
        language=language,
    )
    db.session.add(practitioner)
    db.session.flush()
    audit.record("account.create", "practitioner", practitioner.id, actor=actor)
    return practitioner


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a login attempt: the account, or why not and how long to wait."""

    practitioner: Practitioner | None = None
    throttled_minutes: int = 0


def _recent_failures(column, value: str) -> tuple[int, object]:
    window = timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW"])
    since = utcnow() - window
    count, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(FailedLogin.at)).where(
            column == value, FailedLogin.at >= since
        )
    ).one()
    return count or 0, oldest


def throttle_minutes(email_hash: str, remote_addr: str) -> int:
    """Minutes until another attempt is allowed, or 0. Limits lift as old failures age out, so
    a guesser can lock nobody out for longer than the window."""
    config = current_app.config
    window = timedelta(seconds=config["LOGIN_FAILURE_WINDOW"])
    for column, value, limit in (
        (FailedLogin.email_hash, email_hash, config["LOGIN_MAX_FAILURES"]),
        (FailedLogin.remote_addr, remote_addr, config["LOGIN_MAX_FAILURES_PER_IP"]),
    ):
        count, oldest = _recent_failures(column, value)
        if count >= limit and oldest is not None:
            remaining = (oldest + window) - utcnow()
            return max(1, int(remaining.total_seconds() // 60) + 1)
    return 0


def authenticate(email: str, password: str, remote_addr: str) -> LoginResult:
    """Check a password, counting failures per address and per client IP."""
    email_hash = sha256(normalise_email(email))
    remote_addr = (remote_addr or "unknown")[:64]
    wait = throttle_minutes(email_hash, remote_addr)
    if wait:
        audit.record("account.login_throttled", "login", None, actor_kind="anonymous")
        return LoginResult(throttled_minutes=wait)

    practitioner = find_by_email(email)
    hasher = _hasher()
    try:
        if practitioner is None:
            # Spend the same time on unknown addresses, so timing does not reveal accounts.
            hasher.verify(_dummy_hash(), password + "x")
        else:
            hasher.verify(practitioner.password_hash, password)
    except (VerificationError, InvalidHashError):
        practitioner = None
    if practitioner is None or not practitioner.is_enabled:
        db.session.add(FailedLogin(email_hash=email_hash, remote_addr=remote_addr))
        audit.record("account.login_failed", "login", None, actor_kind="anonymous")
        db.session.flush()
        return LoginResult()

    if hasher.check_needs_rehash(practitioner.password_hash):
        practitioner.password_hash = hasher.hash(password)
    db.session.execute(sa.delete(FailedLogin).where(FailedLogin.email_hash == email_hash))
    return LoginResult(practitioner=practitioner)


_DUMMY_HASHES: dict[tuple, str] = {}


def _dummy_hash() -> str:
    config = current_app.config
    key = (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"])
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = _hasher().hash(secrets.token_hex(16))
    return _DUMMY_HASHES[key]


def start_login(practitioner: Practitioner) -> str:
    """Record a new sign-in and return its token (for the cookie; only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(Login(practitioner=practitioner, token_hash=sha256(token),
                         created_at=now, last_seen_at=now))
    practitioner.last_login_at = now
    practitioner.login_token = token
    audit.record("account.login", "practitioner", practitioner.id, actor=practitioner)
    return token


# One query on every page, built once: constructing it was a tenth of a light page.
_LOGIN_BY_TOKEN = (sa.select(Login).where(Login.token_hash == sa.bindparam("token_hash"),
                                          Login.ended_at.is_(None))
                   .options(sa.orm.joinedload(Login.practitioner)))


def load_login(token: str) -> Practitioner | None:
    """The practitioner of a live sign-in, or None when it ended, idled out or is unknown."""
    if not token:
        return None
    login = db.session.scalar(_LOGIN_BY_TOKEN, {"token_hash": sha256(token)})
    if login is None:
        return None
    now = utcnow()
    idle = timedelta(seconds=current_app.config["LOGIN_IDLE_TIMEOUT"])
    if now - login.last_seen_at > idle:
        _end_idle(login.id, now)
        return None
    practitioner = login.practitioner
    if not practitioner.is_enabled:
        return None
    # Only touch the row once a minute: a write per page view would serialise SQLite for nothing.
    if now - login.last_seen_at > timedelta(minutes=1):
        _seen(login.id, now)
    practitioner.login_token = token
    return practitioner


def _seen(login_id: int, now) -> None:
    # Sign-in bookkeeping, not part of any record: after the page when the request only reads.
    def write(session):
        session.execute(sa.update(Login).where(Login.id == login_id).values(last_seen_at=now))

    if not after_read(write):
        write(db.session)


def _end_idle(login_id: int, now) -> None:
    def write(session):
        session.execute(sa.update(Login).where(Login.id == login_id, Login.ended_at.is_(None))
                        .values(ended_at=now))

    if not after_read(write):
        write(db.session)


def end_login(practitioner: Practitioner) -> None:
    """End the current sign-in on the server, so its cookie no longer works anywhere."""
    if practitioner.login_token:
        db.session.execute(
            sa.update(Login)
            .where(Login.token_hash == sha256(practitioner.login_token))
            .values(ended_at=utcnow())
        )
    audit.record("account.logout", "practitioner", practitioner.id, actor=practitioner)


def end_all_logins(practitioner: Practitioner, except_token: str | None = None) -> None:
    """End every sign-in of an account (after a password change or when it is disabled)."""
    statement = sa.update(Login).where(
        Login.practitioner_id == practitioner.id, Login.ended_at.is_(None)
    )
    if except_token:
        statement = statement.where(Login.token_hash != sha256(except_token))
    db.session.execute(statement.values(ended_at=utcnow()))


def change_password(practitioner: Practitioner, current: str, new: str) -> None:
    """Change a password after checking the current one; other sign-ins are ended."""
    try:
        _hasher().verify(practitioner.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise AccountError("wrong_password") from None
    practitioner.password_hash = hash_password(new)
    practitioner.must_change_password = False
    end_all_logins(practitioner, except_token=practitioner.login_token)
    audit.record("account.password_change", "practitioner", practitioner.id)


def reset_password(practitioner: Practitioner, new: str) -> None:
    """Set a new password without the old one (administration); every sign-in ends."""
    practitioner.password_hash = hash_password(new)
    end_all_logins(practitioner)
    audit.record("account.password_reset", "practitioner", practitioner.id)


def set_enabled(practitioner: Practitioner, enabled: bool, *, actor: Practitioner) -> None:
    """Enable or disable an account. Nobody disables themselves or the last admin."""
    if not enabled:
        if practitioner.id == actor.id:
            raise AccountError("cannot_disable_self")
        if practitioner.role == ROLE_ADMIN and enabled_admins() <= 1:
            raise AccountError("last_admin")
        end_all_logins(practitioner)
    practitioner.is_enabled = enabled
    audit.record("account.enable" if enabled else "account.disable", "practitioner",
                 practitioner.id, actor=actor)


def enabled_admins() -> int:
    """How many administrators can sign in (the last one keeps the role)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Practitioner).where(
            Practitioner.role == ROLE_ADMIN, Practitioner.is_enabled.is_(True)
        )
    ) or 0


def list_practitioners() -> list[Practitioner]:
    """All accounts, by name."""
    return list(db.session.scalars(sa.select(Practitioner).order_by(Practitioner.name)))


def set_language(practitioner: Practitioner, language: str) -> None:
    """Remember a practitioner's interface language."""
    practitioner.language = language
