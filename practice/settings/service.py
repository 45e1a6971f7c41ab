"""Practice settings and the first-run set-up. Services flush; views commit."""

from __future__ import annotations

from zoneinfo import ZoneInfo, available_timezones

from flask import g, has_app_context
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from practice.accounts import service as accounts
from practice.accounts.models import ROLE_ADMIN, Practitioner
from practice.audit import service as audit
from practice.extensions import db
from practice.settings.models import PRACTICE_ROW_ID, PracticeSettings


class SetupError(RuntimeError):
    """Set-up was attempted although the practice is already set up."""


def get_settings() -> PracticeSettings | None:
    """The practice's settings, or None before set-up.

    Held for the rest of the app context: the session's identity map keeps unchanged objects
    only weakly, so every page loaded the row two or three times (title, zone, logo)."""
    held = g.get("_practice_settings") if has_app_context() else None
    if held is not None and held in db.session:
        return held
    settings = db.session.get(PracticeSettings, PRACTICE_ROW_ID)
    if settings is not None and has_app_context():
        g._practice_settings = settings
    return settings


def is_valid_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return name in available_timezones()


def setup_practice(*, practice: dict, admin: dict) -> Practitioner:
    """Create the practice and its first admin account in one transaction.

    ``practice`` holds name, address, phone, email and optionally timezone and language;
    ``admin`` holds name, email, password and optionally language. Raises :class:`SetupError`
    when an account or the practice already exists (also when another request won the race).
    """
    if accounts.account_count() > 0:
        raise SetupError("already set up")
    settings = get_settings()
    if settings is None:
        settings = PracticeSettings(id=PRACTICE_ROW_ID)
        db.session.add(settings)
    _apply(settings, practice)
    try:
        db.session.flush()
        first = accounts.create_practitioner(
            admin["name"], admin["email"], admin["password"], ROLE_ADMIN,
            language=admin.get("language"),
        )
    except IntegrityError as error:
        raise SetupError("already set up") from error
    audit.record("practice.setup", "practice", settings.id, actor=first)
    from practice.library.seed import load_shipped

    load_shipped(actor=first)
    return first


def ensure_settings(*, name: str, actor: Practitioner | None = None) -> PracticeSettings:
    """The practice's settings, created with ``name`` and the starter library when the
    practice was started from the command line rather than the set-up page."""
    settings = get_settings()
    if settings is not None:
        return settings
    settings = PracticeSettings(id=PRACTICE_ROW_ID)
    _apply(settings, {"name": name})
    db.session.add(settings)
    db.session.flush()
    audit.record("practice.setup", "practice", settings.id, actor=actor)
    from practice.library.seed import load_shipped

    load_shipped(actor=actor)
    return settings


def update_settings(settings: PracticeSettings, values: dict) -> None:
    """Change the practice's settings."""
    _apply(settings, values)
    db.session.flush()
    audit.record("practice.update", "practice", settings.id)


def set_logo(settings: PracticeSettings, data: bytes | None, media_type: str) -> None:
    """Replace (or remove) the logo printed on handouts; the caller checked the bytes."""
    settings.logo = data
    settings.logo_type = media_type
    audit.record("practice.logo", "practice", settings.id)


def _apply(settings: PracticeSettings, values: dict) -> None:
    if values.get("timezone") is not None and has_app_context():
        from practice.i18n import forget_timezone

        forget_timezone()
    for field in ("name", "address", "phone", "email", "timezone", "default_language",
                  "public_url", "second_factor_for"):
        if field in values and values[field] is not None:
            value = values[field]
            setattr(settings, field, value.strip() if isinstance(value, str) else value)


def timezone_choices() -> list[str]:
    """Time zones to offer: Europe first (where most practices are), then the rest."""
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    europe = [z for z in zones if z.startswith("Europe/")]
    return europe + [z for z in zones if not z.startswith("Europe/")]


def practice_name() -> str | None:
    """The practice's name for page headers, or None before set-up (or when the database is
    unreachable, so that even the error page can still be shown)."""
    if "practice_name" in g:  # asked for by the title and the header of every page
        return g.practice_name
    try:
        settings = get_settings()  # the row the time zone needs anyway (identity map)
        g.practice_name = settings.name if settings else None
    except SQLAlchemyError:
        db.session.rollback()
        return None
    return g.practice_name
