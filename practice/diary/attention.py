"""Who needs the practitioner's attention: warning answers and red flags, pain rising for a week,
no diary entry for 7 days. Newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from practice.clients import service as clients
from practice.clients.models import Client
from practice.diary import analysis
from practice.diary.models import DiaryEntry, DiaryLink
from practice.extensions import db

SILENT_DAYS = 7


@dataclass(frozen=True)
class Attention:
    """One reason to look at a client."""

    client: Client
    kind: str          # alert, rising, silent
    at: datetime       # when it arose, for the order
    alert: object = None
    slope: float | None = None
    last_day: date | None = None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def needing_attention(user, today: date, limit: int = 30) -> list[Attention]:
    """Everything that needs a look, for the clients ``user`` may see."""
    items = [Attention(client, "alert", alert.raised_at, alert=alert)
             for client, alert in clients.needing_attention(user, limit)]
    visible = clients.visible_to(user).where(Client.is_archived.is_(False))
    with_link = db.session.scalars(visible.where(sa.exists().where(
        DiaryLink.client_id == Client.id, DiaryLink.revoked_at.is_(None)))).all()
    if with_link:
        ids = [c.id for c in with_link]
        last_days = dict(db.session.execute(
            sa.select(DiaryEntry.client_id, sa.func.max(DiaryEntry.day))
            .where(DiaryEntry.client_id.in_(ids)).group_by(DiaryEntry.client_id)).all())
        links = dict(db.session.execute(
            sa.select(DiaryLink.client_id, sa.func.min(DiaryLink.created_at))
            .where(DiaryLink.client_id.in_(ids), DiaryLink.revoked_at.is_(None))
            .group_by(DiaryLink.client_id)).all())
        week = db.session.scalars(sa.select(DiaryEntry).where(
            DiaryEntry.client_id.in_(ids), DiaryEntry.day > today - timedelta(days=7))).all()
        by_client: dict = {}
        for entry in week:
            by_client.setdefault(entry.client_id, []).append(entry)
        for client in with_link:
            last = last_days.get(client.id)
            since = last or links[client.id].date()
            if (today - since).days >= SILENT_DAYS:
                items.append(Attention(client, "silent", _midnight(since), last_day=last))
            trend = analysis.trend(by_client.get(client.id, []))
            if trend.direction == "worsening" and trend.days >= 4:
                items.append(Attention(client, "rising", _midnight(today), slope=trend.slope_per_week))
    items.sort(key=lambda a: a.at, reverse=True)
    return items[:limit]


def silent_condition(today: date):
    """SQL condition for the client list: a diary link in force and no entry for 7 days."""
    recent = sa.select(DiaryEntry.id).where(
        DiaryEntry.client_id == Client.id,
        DiaryEntry.day > today - timedelta(days=SILENT_DAYS)).exists()
    old_link = sa.select(DiaryLink.id).where(
        DiaryLink.client_id == Client.id, DiaryLink.revoked_at.is_(None),
        DiaryLink.created_at <= _midnight(today - timedelta(days=SILENT_DAYS))).exists()
    return sa.and_(old_link, ~recent)
