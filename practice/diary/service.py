"""Diary entries: which days and slots are open, saving (one per slot), warnings, export.

Services flush; views commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from practice.clients.record_state import require_open
from practice.audit import service as audit
from practice.clients import service as clients
from practice.clients.models import Client
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


def entries(client: Client, since: date | None = None, until: date | None = None) -> list:
    """The client's entries in a date range, oldest first."""
    statement = sa.select(DiaryEntry).where(DiaryEntry.client_id == client.id)
    if since:
        statement = statement.where(DiaryEntry.day >= since)
    if until:
        statement = statement.where(DiaryEntry.day <= until)
    return list(db.session.scalars(statement.order_by(DiaryEntry.day, DiaryEntry.slot)))


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
         source: str = "client", actor=None) -> DiaryEntry:
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
                           entered_by_id=getattr(actor, "id", None))
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
    audit.record("diary.save", "diary_entry", entry.id,
                 actor=actor, actor_kind="practitioner" if actor else "client")
    return entry


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
