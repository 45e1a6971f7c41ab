"""An admin manages colleagues: details and role, a temporary password, their sign-ins.

Services flush; views commit. Every step is audited (ids only, never the password).
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from practice.accounts import service
from practice.accounts.models import ROLE_ADMIN, ROLES, Login, Practitioner
from practice.audit import service as audit
from practice.database import utcnow
from practice.extensions import db

# Words are easier to read out or copy from a screen than random letters.
WORDS = ("ahorn", "birke", "eiche", "linde", "tanne", "weide", "ulme", "esche", "fichte",
         "buche", "erle", "kiefer", "pappel", "robinie", "zeder", "eibe")


def update(colleague: Practitioner, *, name: str, email: str, role: str,
           actor: Practitioner) -> None:
    """Change a colleague's name, e-mail and role. The last admin keeps the admin role;
    nobody takes it from themselves."""
    if role not in ROLES:
        raise service.AccountError("unknown_role")
    if colleague.role == ROLE_ADMIN and role != ROLE_ADMIN:
        if colleague.id == actor.id:
            raise service.AccountError("cannot_demote_self")
        if service.enabled_admins() <= 1:  # the same rule as disabling
            raise service.AccountError("last_admin")
    email = service.normalise_email(email)
    other = service.find_by_email(email)
    if other is not None and other.id != colleague.id:
        raise service.AccountError("email_taken")
    colleague.name, colleague.email, colleague.role = name.strip(), email, role
    db.session.flush()
    audit.record("account.update", "practitioner", colleague.id, actor=actor)


def temporary_password() -> str:
    """A password to hand over in person: four words and two digits, about 18 characters."""
    rng = secrets.SystemRandom()
    return "-".join(rng.choice(WORDS) for _ in range(4)) + f"-{rng.randint(10, 99)}"


def reset_password(colleague: Practitioner, *, actor: Practitioner) -> str:
    """Give a colleague a temporary password that must be changed at the next sign-in; every
    sign-in of theirs ends. Returns the password (shown once, never stored in clear)."""
    password = temporary_password()
    colleague.password_hash = service.hash_password(password)
    colleague.must_change_password = True
    service.end_all_logins(colleague)
    db.session.flush()
    audit.record("account.password_reset", "practitioner", colleague.id, actor=actor)
    return password


def active_logins(colleague: Practitioner) -> list[Login]:
    """The colleague's sign-ins that have not ended, newest first."""
    return list(db.session.scalars(sa.select(Login).where(
        Login.practitioner_id == colleague.id, Login.ended_at.is_(None))
        .order_by(Login.last_seen_at.desc())))


def end_login(colleague: Practitioner, login_id: int | None, *, actor: Practitioner) -> int:
    """End one sign-in of the colleague (or all of them when ``login_id`` is None)."""
    statement = sa.update(Login).where(Login.practitioner_id == colleague.id,
                                       Login.ended_at.is_(None))
    if login_id is not None:
        statement = statement.where(Login.id == login_id)
    ended = db.session.execute(statement.values(ended_at=utcnow())).rowcount or 0
    audit.record("account.end_logins", "practitioner", colleague.id, actor=actor)
    return ended
