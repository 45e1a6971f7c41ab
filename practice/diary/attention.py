"""Who needs the practitioner's attention: warning answers and red flags, pain rising for a week,
no diary entry for 7 days. Newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from practice.clients import service as clients
from practice.clients.service import ShownClient
from practice.clients.models import Client, ClientAlert
from practice.diary import analysis
from practice.diary.models import DiaryEntry, DiaryLink
from practice.extensions import db
from practice.i18n import local_today

SILENT_DAYS = 7


@dataclass(frozen=True)
class Attention:
    """One reason to look at a client."""

    client: ShownClient
    kind: str          # alert, rising, silent
    at: datetime       # when it arose, for the order
    reasons: tuple = ()  # of an open notice (several notices of a client together)
    slope: float | None = None
    last_day: date | None = None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def refresh(client: Client, today: date, *, saved_day: date | None = None) -> None:
    """Bring the client's attention state up to date after a diary entry or a link changed.

    "Pain rising" holds while the last 7 days' trend worsens over at least 4 days. Without new
    entries the window only loses days, so the last day it still holds is known now and stored;
    the start page compares it with the day it is shown. Quiet: since the last entry, or since
    the link was made, while a link is in force. After an entry was saved (``saved_day``; entries
    are never deleted) the last day and the quiet day only move forward: no query for them.
    """
    # Three columns are all the trend needs: no full entries loaded. Read before the client
    # changes, so that its changes go out in one UPDATE with the rest of the save.
    recent = recent_pain(client.id, today)
    if saved_day is not None and client.diary_last_day is not None:
        client.diary_last_day = max(client.diary_last_day, saved_day)
        if client.diary_quiet_since is not None:
            client.diary_quiet_since = max(client.diary_quiet_since, saved_day)
    else:
        client.diary_last_day = db.session.scalar(
            sa.select(sa.func.max(DiaryEntry.day)).where(DiaryEntry.client_id == client.id))
        linked = db.session.scalar(sa.select(sa.func.min(DiaryLink.created_at)).where(
            DiaryLink.client_id == client.id, DiaryLink.revoked_at.is_(None)))
        client.diary_quiet_since = (client.diary_last_day or linked.date()) if linked else None
    client.pain_rising_until, client.pain_rising_slope = rising(recent, today)


_RECENT_PAIN = sa.select(DiaryEntry.day, DiaryEntry.slot, DiaryEntry.pain).where(
    DiaryEntry.client_id == sa.bindparam("client"), DiaryEntry.day > sa.bindparam("after"),
    DiaryEntry.day <= sa.bindparam("today"))


def recent_pain(client_id: int, today: date) -> list:
    """The last 7 days' (day, slot, pain) rows: all that "pain rising" needs."""
    return db.session.connection().execute(_RECENT_PAIN, {
        "client": client_id, "today": today, "after": today - timedelta(days=SILENT_DAYS)}).all()


def rising(recent: list, today: date) -> tuple[date | None, float | None]:
    """The last day "pain rising" holds without new entries, and its slope per week."""
    until, slope = None, None
    for offset in range(SILENT_DAYS):
        day = today + timedelta(days=offset)
        trend = analysis.trend([e for e in recent if e.day > day - timedelta(days=SILENT_DAYS)])
        if trend.direction != "worsening" or trend.days < 4:
            break
        until = day
        slope = trend.slope_per_week if slope is None else slope
    return until, slope


def refresh_all(today: date) -> int:
    """Recompute every client with a diary (after an upgrade, or data added in bulk)."""
    count = 0
    ids = db.session.scalars(sa.select(Client.id).where(sa.or_(
        sa.exists().where(DiaryEntry.client_id == Client.id),
        sa.exists().where(DiaryLink.client_id == Client.id)))).all()
    for number, client_id in enumerate(ids, 1):
        refresh(db.session.get(Client, client_id), today)
        count += 1
        if number % 500 == 0:
            db.session.flush()
            db.session.expunge_all()
    return count


_COLUMNS = (Client.id, Client.first_name, Client.last_name, Client.diary_last_day,
            Client.diary_quiet_since, Client.pain_rising_slope, Client.open_alert_at)


def _lists(admin: bool):
    """The three lists' statements and the reasons' one, built once per kind of viewer: their
    construction cost more than running them (values come as parameters)."""
    visible = sa.select(*_COLUMNS).where(clients.built_visibility(admin),
                                         Client.is_archived.is_(False))
    limit = sa.bindparam("limit", type_=sa.Integer)
    alerted = (visible.where(Client.open_alert_at.is_not(None))
               .order_by(Client.open_alert_at.desc(), Client.id.desc()).limit(limit))
    quiet = (visible.where(Client.diary_quiet_since <= sa.bindparam("quiet_before"))
             .order_by(Client.diary_quiet_since.desc(), Client.id.desc()).limit(limit))
    rising = (visible.where(Client.pain_rising_until >= sa.bindparam("today"))
              .order_by(Client.pain_rising_until.desc(), Client.id.desc()).limit(limit))
    # Sorted here, not in SQL: with ORDER BY raised_at SQLite walked the index of every open
    # notice in the practice by time instead of these clients' own (2.7 ms at 100,000).
    reasons = sa.select(ClientAlert.client_id, ClientAlert.raised_at, ClientAlert.reasons).where(
        ClientAlert.client_id.in_(sa.bindparam("ids", expanding=True)),
        ClientAlert.acknowledged_at.is_(None))
    return alerted, quiet, rising, reasons


_STATEMENTS = {admin: _lists(admin) for admin in (False, True)}


def needing_attention(user, today: date, limit: int = 30) -> list[Attention]:
    """Everything that needs a look, for the clients ``user`` may see: a few indexed rows.

    One line per client and reason: open notices (their reasons together), pain rising, a quiet
    diary. Each comes from its own index on the client, newest first."""
    alerted_q, quiet_q, rising_q, reasons_q = _STATEMENTS[bool(user.is_admin)]
    # Plain rows on the connection: the session's ORM path cost more than these queries.
    run = db.session.connection().execute
    params = {"limit": limit, "owner": user.id, "today": today,
              "quiet_before": today - timedelta(days=SILENT_DAYS)}

    def shown(row) -> ShownClient:
        return ShownClient(row.id, row.first_name, row.last_name)

    alerted = run(alerted_q, params).all()
    reasons: dict[int, list[str]] = {}
    if alerted:
        found = run(reasons_q, {"ids": [row.id for row in alerted]}).all()
        for client_id, _raised, given in sorted(found, key=lambda row: row.raised_at):
            known = reasons.setdefault(client_id, [])
            known += [r for r in given or [] if r not in known]
    items = [Attention(shown(row), "alert", row.open_alert_at,
                       reasons=tuple(reasons.get(row.id, ()))) for row in alerted]
    for row in run(quiet_q, params):
        items.append(Attention(shown(row), "silent", _midnight(row.diary_quiet_since),
                               last_day=row.diary_last_day))
    for row in run(rising_q, params):
        items.append(Attention(shown(row), "rising", _midnight(today),
                               slope=row.pain_rising_slope))
    items.sort(key=lambda a: a.at, reverse=True)
    return items[:limit]


def silent_condition(today: date):
    """SQL condition for the client list: a diary link in force and no entry for 7 days."""
    return Client.diary_quiet_since <= today - timedelta(days=SILENT_DAYS)


@click.group("attention")
def attention_cli():
    """Who needs attention (the start page)."""


@attention_cli.command("refresh")
@with_appcontext
def refresh_command():
    """Recompute every diary's attention state (after an upgrade or a bulk import)."""
    count = refresh_all(local_today())
    db.session.commit()
    click.echo(f"{count} clients brought up to date.")
