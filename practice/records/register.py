"""The register of processing activities (GDPR Art. 30), drafted from what the app knows: the
practice, where the data lies, how long it is kept and which measures protect it. The practice
completes what only it can know (processors, its own premises) and prints it."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l

from practice.security import admin_required
from practice.settings.service import get_settings

bp = Blueprint("register", __name__, url_prefix="/settings/register")

# What the app processes, for what and on which legal basis (the same for every practice).
ACTIVITIES = (
    {"name": _l("Treatment records"),
     "purpose": _l("Documenting treatment (§ 630f BGB): intake, red-flag screening, visits, "
                   "recommendations and their corrections."),
     "people": _l("Clients"),
     "data": _l("Name, date of birth, sex, contact details, language; health data: complaint, "
                "pain, lifestyle, TCM observations, warning signs, findings, treatment."),
     "basis": _l("GDPR Art. 9 (2) a (explicit consent, recorded with text version and time) "
                 "and Art. 9 (2) h with § 22 BDSG; Art. 6 (1) b and c."),
     "retention": _l("10 years after the end of treatment (§ 630f (3) BGB), then deleted "
                     "(practice retention --purge).")},
    {"name": _l("Pain diary at home"),
     "purpose": _l("The client records morning and evening pain through a personal link; the "
                   "practitioner sees the course."),
     "people": _l("Clients"),
     "data": _l("Pain scores, stiffness, sleep, stress, plan steps done, notes, warning "
                "answers; the link's creation and last use (the token only as a hash)."),
     "basis": _l("GDPR Art. 9 (2) a (the same consent)."),
     "retention": _l("Part of the treatment record; the link ends with archiving, withdrawal "
                     "or an erasure request.")},
    {"name": _l("Home-care handouts"),
     "purpose": _l("Printed recommendations for the client; each issued PDF is kept unchanged "
                   "with its SHA-256."),
     "people": _l("Clients"),
     "data": _l("Name, recommendations, diary chart, warning-sign text."),
     "basis": _l("GDPR Art. 9 (2) a and h."),
     "retention": _l("Part of the treatment record.")},
    {"name": _l("Accounts and the access log"),
     "purpose": _l("Signing in (password and second factor), who may see which record, and "
                   "the log of who opened, changed or exported a record (Art. 32)."),
     "people": _l("Practitioners; clients (as the object of a log entry, by number)"),
     "data": _l("Name, e-mail, password hash (argon2), second-factor secret, sign-ins; log "
                "entries: who, when, which action, which record (never health data)."),
     "basis": _l("GDPR Art. 6 (1) c and f; Art. 32."),
     "retention": _l("Accounts while in use; the access log as long as the records it names.")},
)

MEASURES = (
    _l("Access: every page needs sign-in; practitioners see only their own clients, admins all; "
       "a second factor (TOTP) for admins or everyone (Settings)."),
    _l("Transport: HTTPS through Caddy with HSTS; no external resource in any page or PDF."),
    _l("Integrity: corrections are kept as versions with the original visible; issued handouts "
       "with their SHA-256."),
    _l("Access log: every read, change and export of a record, readable by admins and "
       "exportable."),
    _l("Backups: encrypted (age) every night, restore verified by row counts and integrity "
       "check; the key kept off the server."),
    _l("Erasure requests: what is not needed deleted at once, the record restricted until its "
       "retention date and then deleted."),
    _l("No health data or tokens in logs; diary links hashed; passwords with argon2."),
)


def storage() -> str:
    """Where the records lie, as the configuration says (no password)."""
    from practice.extensions import db

    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        return str(_l("SQLite file %(path)s on this server", path=Path(url.database or "")))
    return str(_l("PostgreSQL database %(name)s on %(host)s", name=url.database,
                  host=url.host or "localhost"))


@bp.route("/")
@admin_required
def show():
    """The register, ready to complete and print."""
    return render_template("records/register.html", settings=get_settings(),
                           activities=ACTIVITIES, measures=MEASURES, storage=storage(),
                           instance=current_app.instance_path)
