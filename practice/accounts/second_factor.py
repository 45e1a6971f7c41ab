"""A second factor for signing in: TOTP (RFC 6238, authenticator apps) and recovery codes.

Codes are checked with pyotp, one step either side for clocks that drift, and each step is
accepted once (a code seen over someone's shoulder cannot be used again). Recovery codes are
shown once and stored as SHA-256 (they carry 50 random bits). Wrong codes count as failed
sign-ins of their own, so the password step cannot reset their throttle.

Services flush; views commit.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
import sqlalchemy as sa
from markupsafe import Markup

from practice.accounts import service
from practice.accounts.models import FailedLogin, Practitioner, RecoveryCode
from practice.audit import service as audit
from practice.database import utcnow
from practice.extensions import db
from practice.settings.models import PRACTICE_ROW_ID, PracticeSettings

RECOVERY_CODES = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt


def _throttle_key(practitioner: Practitioner) -> str:
    return service.sha256("second-factor:" + practitioner.email)


def enrolled(practitioner: Practitioner) -> bool:
    """Whether the account signs in with a second factor."""
    return bool(practitioner.totp_secret)


def required(practitioner: Practitioner) -> bool:
    """Whether the account must have one: administrators always, everyone else when the
    practice asks for it (Settings)."""
    if practitioner.is_admin:
        return True
    settings = db.session.get(PracticeSettings, PRACTICE_ROW_ID)
    return settings is not None and settings.second_factor_for == "everyone"


def new_secret() -> str:
    """A fresh TOTP secret (160 bits, base32), for the authenticator app."""
    return pyotp.random_base32(32)


def qr_code(practitioner: Practitioner, secret: str, issuer: str) -> Markup:
    """The otpauth:// address as an inline SVG QR code, for the authenticator app."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=practitioner.email, issuer_name=issuer)
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, border=4, omitsize=True))


def _step_ok(secret: str, code: str, after_step: int | None, now: float) -> int | None:
    """The time step a 6-digit ``code`` belongs to (within one step of now), else None."""
    totp = pyotp.TOTP(secret)
    current = int(now // totp.interval)
    for step in (current, current - 1, current + 1):
        if after_step is not None and step <= after_step:
            continue  # used already (or older than a code that was)
        if secrets.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def _new_recovery_codes(practitioner: Practitioner) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(
        RecoveryCode.practitioner_id == practitioner.id))
    codes = ["-".join("".join(secrets.choice(ALPHABET) for _ in range(5)) for _ in range(2))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(practitioner_id=practitioner.id, code_hash=service.sha256(code))
                       for code in codes)
    return codes


def enrol(practitioner: Practitioner, secret: str, code: str) -> list[str] | None:
    """Switch the second factor on once ``code`` shows the app has ``secret``; returns the
    recovery codes (to show once), or None when the code does not match."""
    step = _step_ok(secret, _digits(code), None, time.time())
    if step is None:
        return None
    practitioner.totp_secret = secret
    practitioner.totp_last_step = step
    practitioner.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(practitioner)
    db.session.flush()
    audit.record("account.second_factor_on", "practitioner", practitioner.id,
                 actor=practitioner)
    return codes


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


@dataclass(frozen=True)
class CodeResult:
    """The outcome of the second step: accepted, refused, or throttled (minutes to wait)."""

    ok: bool
    throttled_minutes: int = 0
    used_recovery_code: bool = False


def check(practitioner: Practitioner, code: str, remote_addr: str, *, now: float | None = None
          ) -> CodeResult:
    """Check the second step of a sign-in: a current TOTP code, or an unused recovery code."""
    key, remote_addr = _throttle_key(practitioner), (remote_addr or "unknown")[:64]
    wait = service.throttle_minutes(key, remote_addr)  # the password's rule
    if wait:
        audit.record("account.second_factor_throttled", "practitioner", practitioner.id,
                     actor_kind="anonymous")
        return CodeResult(ok=False, throttled_minutes=wait)
    text = (code or "").strip().lower()
    digits = _digits(text)
    if len(digits) == 6 and len(text.replace(" ", "")) == 6:
        step = _step_ok(practitioner.totp_secret, digits, practitioner.totp_last_step,
                        time.time() if now is None else now)
        if step is not None:
            practitioner.totp_last_step = step
            db.session.flush()
            return CodeResult(ok=True)
    else:
        row = db.session.scalar(sa.select(RecoveryCode).where(
            RecoveryCode.practitioner_id == practitioner.id,
            RecoveryCode.code_hash == service.sha256(text.replace(" ", "")),
            RecoveryCode.used_at.is_(None)))
        if row is not None:
            row.used_at = utcnow()
            db.session.flush()
            audit.record("account.recovery_code_used", "practitioner", practitioner.id,
                         actor=practitioner)
            return CodeResult(ok=True, used_recovery_code=True)
    db.session.add(FailedLogin(email_hash=key, remote_addr=remote_addr))
    audit.record("account.second_factor_failed", "practitioner", practitioner.id,
                 actor_kind="anonymous")
    db.session.flush()
    return CodeResult(ok=False)


def recovery_codes_left(practitioner: Practitioner) -> int:
    """How many recovery codes are still unused."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.practitioner_id == practitioner.id, RecoveryCode.used_at.is_(None))) or 0


def reset(practitioner: Practitioner, *, actor: Practitioner) -> None:
    """Switch the second factor off (a lost phone): the account enrols again at the next
    sign-in where it is required; every sign-in of the account ends."""
    practitioner.totp_secret = None
    practitioner.totp_last_step = None
    practitioner.totp_enabled_at = None
    db.session.execute(sa.delete(RecoveryCode).where(
        RecoveryCode.practitioner_id == practitioner.id))
    service.end_all_logins(practitioner)
    db.session.flush()
    audit.record("account.second_factor_reset", "practitioner", practitioner.id, actor=actor)
