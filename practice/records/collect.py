"""The whole record of one client as data: the one definition that the complete copy's JSON,
its PDF and (later) the FHIR export are all made from, so that they can never disagree.

JSON-ready throughout: times in ISO 8601 UTC, diary and plan days as ISO dates, objects by id,
practitioners by name only. Never in it: secrets, diary tokens or their hashes and nonces,
e-mail addresses of practitioners, the handout PDFs themselves (the copy adds them as files,
listed here with their SHA-256), anything of another client.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import force_locale

from practice.accounts.models import Practitioner
from practice.clients import service as clients
from practice.clients.consent import consent_text
from practice.clients.models import Client
from practice.database import utcnow
from practice.diary import service as diary_service
from practice.diary.models import DiaryLink
from practice.extensions import db
from practice.handouts.models import Handout
from practice.i18n import FORMAT_LOCALES, practice_zone
from practice.measures import export as measures_export
from practice.safety import notices
from practice.settings.service import get_settings
from practice.visits.models import Recommendation, Visit

FORMAT = "practice.record-copy"
FORMAT_VERSION = 1
# The parts in the order they are gathered (and progress is reported).
PARTS = ("client", "consents", "intake", "notices", "visits", "plan", "diary", "measures",
         "handouts")
DIARY_FIELDS = ("day", "slot", "pain", "stiffness_minutes", "sleep", "woke_at_night", "woke_at",
                "stress", "sitting_hours", "movement", "warmth", "plan_done", "note", "warning",
                "warning_signs", "is_late", "source", "created_at", "updated_at")


def iso(value):
    """A date or time as ISO 8601 (times in UTC); anything else as it is."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def handout_file(handout_id: int, issued_at: datetime) -> str:
    """Where an issued handout's PDF lies in the copy: handouts/<day of issue>-<id>.pdf."""
    return f"handouts/{issued_at.astimezone(practice_zone()).date().isoformat()}-{handout_id}.pdf"


def collect(client: Client, *, language: str | None = None,
            progress: Callable[[int, str], None] | None = None) -> dict:
    """Everything the practice holds about ``client``, as one JSON-ready dict.

    Texts that depend on a language (library titles, the reasons of notices) are in
    ``language``, by default the client's. ``progress(done, part)`` is called after each of
    :data:`PARTS` (the job reports it; it may commit, so nothing here relies on one read).
    """
    language = language if language in FORMAT_LOCALES else client.language
    if language not in FORMAT_LOCALES:
        language = "de"
    names = dict(db.session.execute(sa.select(Practitioner.id, Practitioner.name)).all())

    def name(practitioner_id):
        return names.get(practitioner_id) if practitioner_id is not None else None

    record: dict = {"format": FORMAT, "format_version": FORMAT_VERSION,
                    "created_at": iso(utcnow()), "language": language}
    gather = {"client": _client, "consents": _consents, "intake": _intake,
              "notices": _notices, "visits": _visits, "plan": _plan, "diary": _diary,
              "measures": _measures, "handouts": _handouts}
    with force_locale(FORMAT_LOCALES[language]):
        for done, part in enumerate(PARTS, 1):
            record.update(gather[part](client, name, language))
            if progress is not None:
                progress(done, part)
    return record


def _client(client: Client, name, _language) -> dict:
    settings = get_settings()
    practice = {key: getattr(settings, key, "") or "" for key in ("name", "address", "phone",
                                                                  "email")}
    return {"practice": practice, "client": {
        "id": client.id, "first_name": client.first_name, "last_name": client.last_name,
        "date_of_birth": iso(client.date_of_birth), "sex": client.sex, "email": client.email,
        "phone": client.phone, "language": client.language,
        "practitioner": name(client.practitioner_id), "archived": client.is_archived,
        "created_at": iso(client.created_at),
        # Every change of these details: what it was, what it became, who and when.
        "changes": [{"changed_at": iso(c.changed_at), "changed_by": name(c.changed_by_id),
                     "before": dict(c.before), "after": dict(c.after)}
                    for c in clients.changes_of(client)]}}


def _consents(client: Client, name, _language) -> dict:
    return {"consents": [{
        "id": c.id, "text_version": c.text_version, "language": c.language,
        "text": consent_text(c.language, c.text_version), "given_at": iso(c.given_at),
        "recorded_by": name(c.recorded_by_id), "withdrawn_at": iso(c.withdrawn_at),
        "withdrawal_recorded_by": name(c.withdrawal_recorded_by_id),
    } for c in sorted(client.consents, key=lambda c: (c.given_at, c.id))]}


def _intake(client: Client, name, _language) -> dict:
    intake = client.intake
    if intake is None:
        return {"intake": None}
    return {"intake": {
        "id": intake.id, "status": intake.status, "created_at": iso(intake.created_at),
        "completed_at": iso(intake.completed_at),
        "versions": [{"number": v.number, "status": v.status, "created_at": iso(v.created_at),
                      "created_by": name(v.created_by_id), "answers": dict(v.answers),
                      "changed_keys": list(v.changed_keys)} for v in intake.versions]}}


def _notices(client: Client, name, _language) -> dict:
    result = []
    for alert in sorted(client.alerts, key=lambda a: (a.raised_at, a.id)):
        shown = notices.read(alert)
        result.append({
            "id": alert.id, "kind": alert.kind, "source": alert.source,
            "urgency": shown.urgency, "categories": shown.categories,
            "reasons": [{"code": reason, "sign": notices.reason_sign(reason), "label": line}
                        for reason, line in zip(alert.reasons, shown.lines)],
            "raised_at": iso(alert.raised_at), "acknowledged_at": iso(alert.acknowledged_at),
            "acknowledged_by": name(alert.acknowledged_by_id),
            "acknowledgement_note": alert.acknowledgement_note or ""})
    return {"notices": result}


def _visits(client: Client, name, _language) -> dict:
    visits = db.session.scalars(
        sa.select(Visit).where(Visit.client_id == client.id)
        .options(sa.orm.selectinload(Visit.versions))
        .order_by(Visit.visited_at, Visit.id)).all()
    result = []
    for visit in visits:
        # A correction of the time keeps the earlier one in its data ("visited_at_before"):
        # walking back from the current time gives each version the time it recorded.
        current = iso(visit.visited_at)
        times = {}
        for version in reversed(visit.versions):
            times[version.number] = current
            current = version.data.get("visited_at_before", current)
        result.append({
            "id": visit.id, "visited_at": iso(visit.visited_at),
            "practitioner": name(visit.practitioner_id), "created_at": iso(visit.created_at),
            "versions": [{"number": v.number, "created_at": iso(v.created_at),
                          "created_by": name(v.created_by_id), "visited_at": times[v.number],
                          "data": dict(v.data), "changed_keys": list(v.changed_keys)}
                         for v in visit.versions]})
    return {"visits": result}


def _plan(client: Client, name, language) -> dict:
    rows = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.client_id == client.id)
        .options(sa.orm.joinedload(Recommendation.item),
                 sa.orm.joinedload(Recommendation.content_version))
        .order_by(Recommendation.starts_on, Recommendation.id)).all()
    replaced_by = {r.replaces_id: r.id for r in rows if r.replaces_id is not None}
    other = "en" if language == "de" else "de"
    result = []
    for rec in rows:
        version = rec.content_version
        # The title of the library version that was given (what the client was told), in the
        # client's language where it is translated.
        title = (version.text(language)["title"] or version.text(other)["title"]
                 or rec.item.title(language))
        result.append({
            "id": rec.id, "item_id": rec.item_id, "item_key": rec.item.key,
            "kind": rec.item.kind, "title": title, "library_version": version.number,
            "how_often": rec.how_often, "how_long": rec.how_long, "notes": rec.notes,
            "starts_on": iso(rec.starts_on), "ends_on": iso(rec.ends_on),
            "stopped_on": iso(rec.stopped_on), "stop_reason": rec.stop_reason or None,
            "stopped_by": name(rec.stopped_by_id), "visit_id": rec.visit_id,
            "stopped_visit_id": rec.stopped_visit_id, "replaces_id": rec.replaces_id,
            "replaced_by_id": replaced_by.get(rec.id), "created_by": name(rec.created_by_id),
            "created_at": iso(rec.created_at)})
    return {"plan": result}


def _diary(client: Client, name, _language) -> dict:
    entries = diary_service.entries(client)  # day by day, the morning before the evening
    links = db.session.scalars(sa.select(DiaryLink).where(DiaryLink.client_id == client.id)
                               .order_by(DiaryLink.id)).all()
    return {
        "diary": [{"id": e.id, **{f: iso(getattr(e, f)) for f in DIARY_FIELDS},
                   "entered_by": name(e.entered_by_id)} for e in entries],
        # When personal links existed; never their token, nonce or hash.
        "diary_links": [{"id": link.id, "created_at": iso(link.created_at),
                         "revoked_at": iso(link.revoked_at),
                         "last_used_at": iso(link.last_used_at)} for link in links]}


def _measures(client: Client, name, _language) -> dict:
    """Every score in time order (intake, visits, questionnaires), and the questionnaires with
    each version of their values and the requests made before a visit."""
    return {"scores": measures_export.score_rows(client),
            **measures_export.recorded_rows(client, name)}


def _handouts(client: Client, name, _language) -> dict:
    rows = db.session.execute(
        sa.select(Handout.id, Handout.issued_at, Handout.language, Handout.pages,
                  Handout.sha256, Handout.visit_id, Handout.issued_by_id)
        .where(Handout.client_id == client.id).order_by(Handout.issued_at, Handout.id)).all()
    return {"handouts": [{
        "id": h.id, "issued_at": iso(h.issued_at), "language": h.language, "pages": h.pages,
        "sha256": h.sha256, "visit_id": h.visit_id, "issued_by": name(h.issued_by_id),
        "file": handout_file(h.id, h.issued_at)} for h in rows]}
