"""Diary entries: which days and slots are open, saving (one per slot), warnings, export.

Services flush; views commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from practice.clients.record_state import RecordClosed, closed_reason_of, require_open
from practice.audit import service as audit
from practice.clients import service as clients
from practice.clients.models import Client, Consent
from practice.database import utcnow
from practice.diary import attention
from practice.diary.models import SLOTS, DiaryEntry
from practice.exports import write_csv
from practice.extensions import db
from practice.safety import notices

LATE_DAYS = 7
FIELDS = {
    "morning": ("pain", "stiffness_minutes", "sleep", "woke_at_night", "woke_at", "note",
                "warning", "warning_signs"),
    "evening": ("pain", "stress", "sitting_hours", "movement", "warmth", "plan_done", "note",
                "warning", "warning_signs"),
}


class DiaryError(ValueError):
    """A diary entry that cannot be saved; the code says why (too_old, future, locked, taken)."""


@dataclass(frozen=True)
class SlotState:
    """A day's slot for the client: its entry (if any) and whether it may be filled or edited."""

    day: date
    slot: str
    entry: DiaryEntry | None
    writable: bool
    late: bool


# The day as it went: the morning before the evening (the slots' names sort the other way).
SLOT_ORDER = sa.case((DiaryEntry.slot == "morning", 0), else_=1)


_ENTRIES_BETWEEN = sa.select(DiaryEntry).where(
    DiaryEntry.client_id == sa.bindparam("client"), DiaryEntry.day >= sa.bindparam("since"),
    DiaryEntry.day <= sa.bindparam("until")).order_by(DiaryEntry.day, SLOT_ORDER)


def entries(client: Client, since: date | None = None, until: date | None = None) -> list:
    """The client's entries in a date range, oldest first (a day's morning before its evening)."""
    if since and until:  # the diary's pages: one statement built once
        return list(db.session.scalars(_ENTRIES_BETWEEN, {"client": client.id, "since": since,
                                                          "until": until}))
    statement = sa.select(DiaryEntry).where(DiaryEntry.client_id == client.id)
    if since:
        statement = statement.where(DiaryEntry.day >= since)
    if until:
        statement = statement.where(DiaryEntry.day <= until)
    return list(db.session.scalars(statement.order_by(DiaryEntry.day, SLOT_ORDER)))


def _created_local_day(entry: DiaryEntry, zone) -> date:
    return entry.created_at.astimezone(zone).date()


def state(client: Client, day: date, slot: str, today: date, zone) -> SlotState:
    """May the client write this slot? Today's and up to 7 days back; an existing entry only on
    the day it was made."""
    if slot not in SLOTS:
        raise DiaryError("slot")
    return states(client, [day], today, zone)[(day, slot)]


def states(client: Client, days: list[date], today: date, zone) -> dict:
    """The slot states of several days from one query (the diary's home page)."""
    found = {(e.day, e.slot): e for e in entries(client, since=min(days), until=max(days))}
    window_start = today - timedelta(days=LATE_DAYS)
    result = {}
    for day in days:
        for slot in SLOTS:
            entry = found.get((day, slot))
            writable = window_start <= day <= today and (
                entry is None or _created_local_day(entry, zone) == today)
            result[(day, slot)] = SlotState(day, slot, entry, writable, day < today)
    return result


def save(client: Client, day: date, slot: str, values: dict, *, today: date, zone,
         source: str = "client", actor=None, entry_key: str | None = None) -> DiaryEntry:
    """Create or update the entry of ``day``/``slot``; raises :class:`DiaryError` if not allowed.

    A warning answer flags the client for the practitioner at once. Paper diaries typed in by the
    practitioner (``source="paper"``) may be any past day.
    """
    require_open(client)
    if day > today:
        raise DiaryError("future")
    current = state(client, day, slot, today, zone)
    if source == "client" and not current.writable:
        raise DiaryError("too_old" if current.entry is None else "locked")
    entry = current.entry
    now = utcnow()
    if entry is None:
        entry = DiaryEntry(client=client, day=day, slot=slot, source=source, created_at=now,
                           is_late=day < today and source == "client",
                           entered_by_id=getattr(actor, "id", None), entry_key=entry_key)
        db.session.add(entry)
    for field in FIELDS[slot]:
        if field in values:
            setattr(entry, field, values[field])
    entry.updated_at = now
    try:
        db.session.flush()
    except IntegrityError:
        # Another request filled the slot a moment ago (two taps, two devices).
        db.session.rollback()
        raise DiaryError("taken") from None
    attention.refresh(client, today, saved_day=day)
    if entry.warning:
        # One reason per ticked sign, so the notice says what and carries its urgency.
        signs = entry.warning_signs or ["unspecified"]
        notices.raise_flags(client, [notices.diary_reason(sign, day, slot) for sign in signs],
                            kind="diary_warning", source="diary")
    clients.touch(client)
    audit.record("diary.save", "diary_entry", entry.id, client=client,
                 actor=actor, actor_kind="practitioner" if actor else "client")
    return entry


def quick_path(client: Client, current: SlotState, values: dict) -> bool:
    """May this save take :func:`add` (the phone's common case)? A new entry without a warning
    answer, for a client whose attention state is kept (``diary_last_day``)."""
    return (current.entry is None and current.writable and not values.get("warning")
            and client.diary_last_day is not None)


def _quick_statements():
    """The quick path's statements, built once (building them was a third of its time); the
    values come as parameters."""
    entries, clients_table = DiaryEntry.__table__, Client.__table__
    consented = sa.exists().where(Consent.client_id == Client.id, Consent.withdrawn_at.is_(None))
    given = sa.exists().where(Consent.client_id == Client.id)
    state = sa.select(Client.is_archived, consented.label("consented"), given.label("given"),
                      Client.diary_last_day, Client.diary_quiet_since).where(
        Client.id == sa.bindparam("client"))
    insert = sa.insert(entries).returning(entries.c.id)
    update = sa.update(clients_table).where(clients_table.c.id == sa.bindparam("client"))
    return state, insert, update


_STATE, _INSERT, _UPDATE = _quick_statements()


def add(client_id: int, day: date, slot: str, values: dict, *, today: date,
        entry_key: str | None = None) -> int:
    """Store a new entry from the client's phone: the diary's most frequent write, as a few
    plain statements instead of loaded objects (measured: the unit of work and reloading the
    client were half of a diary post). Same rules and effects as :func:`save` for the case
    :func:`quick_path` admits; the caller checked in its read that the slot is free and
    writable, and the unique constraint settles two posts at once ("taken").
    """
    row = db.session.execute(_STATE, {"client": client_id}).one()
    reason = closed_reason_of(row.is_archived, row.consented, row.given)
    if reason is not None:
        raise RecordClosed(client_id, reason)
    now = utcnow()
    fields = {field: values[field] for field in FIELDS[slot] if field in values}
    try:
        entry_id = db.session.execute(_INSERT, {
            "client_id": client_id, "day": day, "slot": slot, "source": "client",
            "created_at": now, "updated_at": now, "is_late": day < today,
            "entry_key": entry_key, **fields}).scalar_one()
    except IntegrityError:
        db.session.rollback()
        raise DiaryError("taken") from None
    until, slope = attention.rising(attention.recent_pain(client_id, today), today)
    last_day = max(row.diary_last_day, day) if row.diary_last_day else day
    quiet = max(row.diary_quiet_since, day) if row.diary_quiet_since else None
    db.session.execute(_UPDATE, {
        "client": client_id, "updated_at": now, "last_activity_at": now,
        "diary_last_day": last_day, "diary_quiet_since": quiet, "pain_rising_until": until,
        "pain_rising_slope": slope})
    audit.record("diary.save", "diary_entry", entry_id, actor_kind="client",
                 client=client_id)
    return entry_id


def stored_key(client_id: int, entry_key: str | None) -> bool:
    """Was an entry with this key (given by the phone) stored for the client already?"""
    if not entry_key:
        return False
    return db.session.scalar(sa.select(DiaryEntry.id).where(
        DiaryEntry.entry_key == entry_key, DiaryEntry.client_id == client_id)) is not None


def last_entry_day(client: Client) -> date | None:
    """The most recent day with an entry."""
    return db.session.scalar(sa.select(sa.func.max(DiaryEntry.day)).where(
        DiaryEntry.client_id == client.id))


CSV_COLUMNS = ("day", "slot", "pain", "stiffness_minutes", "sleep", "woke_at_night", "woke_at",
               "stress", "sitting_hours", "movement", "warmth", "plan_done", "note", "warning",
               "warning_signs", "is_late", "source", "created_at")


def export_csv(client: Client, *, actor) -> str:
    """The client's whole diary as CSV, through the one spreadsheet-safe writer."""
    body = write_csv(CSV_COLUMNS, ([getattr(entry, column) for column in CSV_COLUMNS]
                                   for entry in entries(client)))
    audit.record("diary.export", "client", client.id, actor=actor)
    return body
