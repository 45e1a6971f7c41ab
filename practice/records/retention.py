"""How long a record is kept: 10 years after treatment ends (§ 630f BGB), then purged.

The end of treatment is the date a practitioner set (with a reason), else the archive date, else
the last visit. Only archived or restricted records are purged: an active record past its date
is listed, never deleted behind the practice's back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from practice.audit import service as audit
from practice.clients.models import Client
from practice.extensions import db
from practice.i18n import practice_zone
from practice.records.models import ErasureRequest, RecordPurge
from practice.visits.models import Visit

YEARS = 10
ARCHIVE, LAST_VISIT, SET = "archive", "last_visit", "set"


def years_after(day: date, years: int = YEARS) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Retention:
    """A record's end of treatment (and where it comes from) and the day it may be purged."""

    ended_on: date | None
    source: str | None  # set, archive, last_visit; None while nothing has happened yet
    until: date | None
    reason: str = ""


def _last_visits(client_ids: list[int]) -> dict[int, date]:
    zone = practice_zone()
    rows = db.session.execute(sa.select(Visit.client_id, sa.func.max(Visit.visited_at))
                              .where(Visit.client_id.in_(client_ids)).group_by(Visit.client_id))
    return {client_id: last.astimezone(zone).date() for client_id, last in rows if last}


def _retention(client: Client, last_visit: date | None) -> Retention:
    if client.treatment_end_set is not None:
        ended, source = client.treatment_end_set, SET
    elif client.archived_at is not None:
        ended, source = client.archived_at.astimezone(practice_zone()).date(), ARCHIVE
    elif last_visit is not None:
        ended, source = last_visit, LAST_VISIT
    else:
        return Retention(None, None, None)
    return Retention(ended, source, years_after(ended), client.treatment_end_reason or "")


def of(client: Client, visits: list | None = None) -> Retention:
    """The retention of one record; ``visits`` when the caller has loaded them already (the
    client page), else one query for the last visit."""
    if visits is None:
        return _retention(client, _last_visits([client.id]).get(client.id))
    last = max((v.visited_at for v in visits), default=None)
    return _retention(client, last.astimezone(practice_zone()).date() if last else None)


def set_end(client: Client, ended_on: date | None, reason: str, *, actor) -> None:
    """Set the end of treatment by hand (with a reason), or go back to the computed one."""
    client.treatment_end_set = ended_on
    client.treatment_end_reason = reason if ended_on else ""
    audit.record("record.retention_set", "client", client.id, actor=actor)


def due(today: date, batch: int = 1000):
    """Every record whose retention date has passed, as (client, retention), in id order."""
    last_id = 0
    while True:
        chunk = list(db.session.scalars(sa.select(Client).where(Client.id > last_id)
                                        .order_by(Client.id).limit(batch)))
        if not chunk:
            return
        visits = _last_visits([c.id for c in chunk])
        for client in chunk:
            kept = _retention(client, visits.get(client.id))
            if kept.until is not None and kept.until < today:
                yield client, kept
        last_id = chunk[-1].id


def may_purge(client: Client) -> bool:
    """Archived or restricted: the practice has closed the record."""
    return client.is_archived or client.restricted_at is not None


def purge(client: Client, kept: Retention, *, actor=None) -> RecordPurge:
    """Delete the whole record (cascade) and log that it went: number and dates only."""
    erased = db.session.scalar(sa.select(sa.func.count()).select_from(ErasureRequest)
                               .where(ErasureRequest.client_id == client.id)) > 0
    entry = RecordPurge(client_number=client.id, treatment_ended_on=kept.ended_on,
                        retention_until=kept.until, had_erasure_request=erased,
                        purged_by_id=getattr(actor, "id", None))
    db.session.add(entry)
    number = client.id
    db.session.flush()
    db.session.expunge(client)
    # The database's cascades take every part of the record with it (as for demo clients).
    db.session.execute(sa.delete(Client).where(Client.id == number))
    audit.record("record.purge", "client", number, actor=actor,
                 actor_kind=None if actor else "system")
    return entry
