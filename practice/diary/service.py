"""Diary entries: which days and slots are open, saving (one per slot), warnings, export.

Services flush; views commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from practice.clients.record_state import (ARCHIVED, RESTRICTED, RecordClosed, closed_reason_of,
                                           require_open)
from practice.audit import service as audit
from practice.clients import service as clients
from practice.clients.models import Client, Consent
from practice.database import utcnow
from practice.diary import attention
from practice.audit.models import AuditEvent
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
    return slot_and_recent(client.id, day, slot, today, zone)[0]


class PainRow(NamedTuple):
    """A day's slot and its pain: all that "pain rising" needs of an entry."""

    day: date
    slot: str
    pain: int


class PainEntry(NamedTuple):
    """An entry's id, day, slot and pain, as the entry page reads them."""

    id: int
    day: date
    slot: str
    pain: int


def slot_or_week():
    """Which of a client's entries the entry page reads: the slot's day and the last week (the
    day may be any date in the address; the entries between are not returned). The outer range
    lets the index narrow the common case, a day of the week, to the week."""
    return sa.and_(DiaryEntry.day.between(sa.bindparam("first"), sa.bindparam("last")),
                   sa.or_(DiaryEntry.day == sa.bindparam("day"),
                          DiaryEntry.day.between(sa.bindparam("since"), sa.bindparam("until"))))


_SLOT_AND_RECENT = sa.select(DiaryEntry.id, DiaryEntry.day, DiaryEntry.slot, DiaryEntry.pain).where(
    DiaryEntry.client_id == sa.bindparam("client"), slot_or_week())


def slot_and_recent_days(day: date, today: date) -> dict:
    """The parameters of :func:`slot_or_week` for ``day``."""
    since = today - timedelta(days=attention.SILENT_DAYS - 1)
    return {"day": day, "since": since, "until": today, "first": min(day, since),
            "last": max(day, today)}


def slot_and_recent(client_id: int, day: date, slot: str, today: date, zone,
                    rows=None) -> tuple[SlotState, list[PainRow]]:
    """The slot's state and the last 7 days' pain (what a new entry's "pain rising" starts
    from), from one statement: the diary entry page reads both. ``rows`` are the entries of
    :func:`slot_or_week` as (id, day, slot, pain), if they were read already."""
    days = slot_and_recent_days(day, today)
    recent_from = days["since"]
    if rows is None:
        rows = db.session.connection().execute(
            _SLOT_AND_RECENT, {"client": client_id, **days}).all()
    rows = [PainEntry(*row) for row in rows]
    # Usually no entry (a new one): the slot's entry is loaded only if there is one.
    entry_id = next((row.id for row in rows if row.day == day and row.slot == slot), None)
    entry = db.session.get(DiaryEntry, entry_id) if entry_id is not None else None
    recent = [PainRow(row.day, row.slot, row.pain) for row in rows
              if recent_from <= row.day <= today]
    return _slot_state(day, slot, entry, today, zone), recent


def _slot_state(day: date, slot: str, entry: DiaryEntry | None, today: date, zone) -> SlotState:
    writable = today - timedelta(days=LATE_DAYS) <= day <= today and (
        entry is None or _created_local_day(entry, zone) == today)
    return SlotState(day, slot, entry, writable, day < today)


def states(client: Client, days: list[date], today: date, zone) -> dict:
    """The slot states of several days from one query (the diary's home page)."""
    found = {(e.day, e.slot): e for e in entries(client, since=min(days), until=max(days))}
    return {(day, slot): _slot_state(day, slot, found.get((day, slot)), today, zone)
            for day in days for slot in SLOTS}


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
    values come as parameters.

    The entry goes in only while the record is open (not archived, not restricted, consent in
    force), checked by the INSERT itself: one statement less under the write lock than reading
    the client first. The client's last day and quiet day only move forward, in the UPDATE."""
    entries, clients_table = DiaryEntry.__table__, Client.__table__
    consented = sa.exists().where(Consent.client_id == Client.id, Consent.withdrawn_at.is_(None))
    given = sa.exists().where(Consent.client_id == Client.id)
    state = sa.select(Client.is_archived, Client.restricted_at, consented.label("consented"),
                      given.label("given")).where(Client.id == sa.bindparam("client"))
    columns = [c for c in entries.c if c.name in _QUICK_COLUMNS]

    def open_record(client_param: str):
        return sa.exists().where(
            Client.id == sa.bindparam(client_param, type_=entries.c.client_id.type),
            Client.is_archived.is_(False), Client.restricted_at.is_(None),
            sa.exists().where(Consent.client_id == Client.id, Consent.withdrawn_at.is_(None)))

    new_entry = sa.insert(entries).from_select(
        columns, sa.select(*(sa.bindparam(c.name, type_=c.type) for c in columns))
        .where(open_record("client_id")))
    insert = new_entry.returning(entries.c.id)
    day = sa.bindparam("day", type_=clients_table.c.diary_last_day.type)
    last, quiet = clients_table.c.diary_last_day, clients_table.c.diary_quiet_since
    moved = {"diary_last_day": sa.case((sa.or_(last.is_(None), last < day), day), else_=last),
             "diary_quiet_since": sa.case((quiet < day, day), else_=quiet)}
    update = sa.update(clients_table).where(
        clients_table.c.id == sa.bindparam("client")).values(**moved)
    # PostgreSQL: the entry, the client's attention state and the audit event in one statement
    # (data-modifying WITH), one round trip instead of three. An entry refused by the record's
    # state leaves the other two with nothing to do.
    # (The entry's values are named apart: an UPDATE takes any parameter named like one of its
    # table's columns as a value to set, and the client has a created_at too.)
    entry = sa.insert(entries).from_select(columns, sa.select(*(
        sa.bindparam(f"entry_{c.name}", type_=c.type) for c in columns)).where(
        open_record("entry_client_id"))
    ).returning(entries.c.id, entries.c.client_id).cte("entry")
    touched = sa.update(clients_table).where(clients_table.c.id == entry.c.client_id).values(
        **moved, **{name: sa.bindparam(name, type_=clients_table.c[name].type) for name in (
            "updated_at", "last_activity_at", "pain_rising_until", "pain_rising_slope")}
    ).returning(clients_table.c.id).cte("touched")
    events = AuditEvent.__table__
    audited = sa.insert(events).from_select(
        ["at", "actor_kind", "action", "object_type", "object_id", "client_id"],
        sa.select(sa.bindparam("audit_at", type_=events.c.at.type),
                  *(sa.literal(_AUDITED[name], events.c[name].type)
                    for name in ("actor_kind", "action", "object_type")),
                  sa.cast(entry.c.id, events.c.object_id.type), entry.c.client_id)
    ).returning(events.c.id).cte("audited")
    together = sa.select(entry.c.id).add_cte(touched, audited)
    return state, insert, update, together


# What the diary's quick path audits (as audit.record would for it).
_AUDITED = {"action": "diary.save", "object_type": "diary_entry", "actor_kind": "client"}


_ENTRY_FIELDS = tuple(dict.fromkeys(FIELDS["morning"] + FIELDS["evening"]))
_EMPTY = {"plan_done": [], "warning_signs": [], "note": "", "woke_at": "", "warning": False}
_QUICK_COLUMNS = frozenset({"client_id", "day", "slot", "source", "created_at", "updated_at",
                            "is_late", "entry_key", *_ENTRY_FIELDS})
_STATE, _INSERT, _UPDATE, _TOGETHER = _quick_statements()


def add(client_id: int, day: date, slot: str, values: dict, *, today: date,
        entry_key: str | None = None, recent: list[PainRow] | None = None,
        connection=None) -> int:
    """Store a new entry from the client's phone: the diary's most frequent write, as a few
    plain statements instead of loaded objects (measured: the unit of work and reloading the
    client were half of a diary post). Same rules and effects as :func:`save` for the case
    :func:`quick_path` admits; the caller checked in its read that the slot is free and
    writable, and the unique constraint settles two posts at once ("taken").

    On PostgreSQL, with the week's pain read (``recent``), the entry is written in one statement,
    through ``connection`` if given (the diary's AUTOCOMMIT connection: the statement is its own
    transaction). Otherwise, and always on SQLite, through the session's write transaction.
    """
    now = utcnow()
    fields = {field: values.get(field) if field in FIELDS[slot] else None
              for field in _ENTRY_FIELDS}
    for field, empty in _EMPTY.items():  # the columns' defaults, as an ORM insert sets them
        if fields[field] is None:
            fields[field] = empty
    entry = {"client_id": client_id, "day": day, "slot": slot, "source": "client",
             "created_at": now, "updated_at": now, "is_late": day < today,
             "entry_key": entry_key, **fields}
    together = recent is not None and db.engine.dialect.name == "postgresql"
    if recent is not None:  # the week's pain as read with the slot, and this entry's
        until, slope = attention.rising(
            [*(r for r in recent if (r.day, r.slot) != (day, slot)),
             PainRow(day, slot, fields["pain"])], today)
    # (On SQLite the write lock is taken here, at the session's first statement: all that could
    # be worked out before is.)
    connection = connection if together and connection is not None else db.session.connection()
    try:
        entry_id = connection.execute(_TOGETHER, {
            **{f"entry_{name}": value for name, value in entry.items()}, "day": day,
            "updated_at": now, "last_activity_at": now, "audit_at": now,
            "pain_rising_until": until, "pain_rising_slope": slope}
        ).scalar() if together else connection.execute(_INSERT, entry).scalar()
    except IntegrityError:
        db.session.rollback()
        raise DiaryError("taken") from None
    if entry_id is None:  # the record closed since the page was read: say why
        row = connection.execute(_STATE, {"client": client_id}).one()
        reason = (RESTRICTED if row.restricted_at is not None
                  else closed_reason_of(row.is_archived, row.consented, row.given))
        raise RecordClosed(client_id, reason or ARCHIVED)
    if together:
        return entry_id
    if recent is None:  # the week read now (it holds the new entry)
        until, slope = attention.rising(attention.recent_pain(client_id, today), today)
    connection.execute(_UPDATE, {
        "client": client_id, "day": day, "updated_at": now, "last_activity_at": now,
        "pain_rising_until": until, "pain_rising_slope": slope})
    audit.record(_AUDITED["action"], _AUDITED["object_type"], entry_id,
                 actor_kind=_AUDITED["actor_kind"], client=client_id)
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
