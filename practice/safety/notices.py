"""Notices on a client's record ("refer to a doctor") until a practitioner acknowledges them:
raising them from the intake and the diary, acknowledging them, and reading them for a page.

A notice's reasons are stored as text: a sign key from the intake ("rf_fever"), or a diary
sign with its day and slot ("diary:rf_fever:2026-12-01:morning"). Older diary warnings without
a sign ("diary_warning:2026-11-20:evening") still read correctly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_babel import lazy_gettext as _l

from practice import formats
from practice.accounts.models import Practitioner
from practice.audit import service as audit
from practice.clients.models import Client, ClientAlert
from practice.clients.record_state import require_unrestricted
from practice.database import utcnow
from practice.extensions import db
from practice.safety.signs import (BY_KEY, CATEGORY_LABELS, URGENCIES, URGENCY_LABELS, categories,
                                    most_urgent)

NOTE_LIMIT = 1000  # characters of "what was done"
DIARY_PREFIX = "diary:"
LEGACY_DIARY_PREFIX = "diary_warning:"


def diary_reason(sign: str, day, slot: str) -> str:
    """The stored reason for a diary sign on a day's slot."""
    return f"{DIARY_PREFIX}{sign}:{day.isoformat()}:{slot}"


def reason_sign(reason: str) -> str | None:
    """The sign key behind a stored reason (None for an old diary warning without one)."""
    if reason.startswith(DIARY_PREFIX):
        return reason.split(":", 2)[1]
    if reason.startswith(LEGACY_DIARY_PREFIX):
        return None
    return reason


def reason_label(reason: str) -> str:
    """A stored reason as the practitioner reads it."""
    slot_names = {"morning": _l("morning"), "evening": _l("evening")}
    if reason.startswith(DIARY_PREFIX) or reason.startswith(LEGACY_DIARY_PREFIX):
        parts = reason.split(":")
        sign, (day, slot) = (parts[1] if len(parts) == 4 else None), parts[-2:]
        try:
            shown_day = formats.short_day(date.fromisoformat(day))
        except ValueError:
            shown_day = day
        what = (BY_KEY[sign].lay if sign in BY_KEY else
                _l("new numbness, bladder or bowel trouble, or fever"))
        return str(_l("Diary, %(day)s %(slot)s: %(what)s", day=shown_day,
                      slot=slot_names.get(slot, slot), what=what))
    sign = BY_KEY.get(reason)
    return str(sign.intake or sign.lay) if sign else reason


def lay_label(reason: str) -> str:
    """A stored reason in the words a client reads (for the handout)."""
    sign = BY_KEY.get(reason_sign(reason) or "")
    return str(sign.lay) if sign else str(_l("new numbness, bladder or bowel trouble, or fever"))


@dataclass(frozen=True)
class Notice:
    """An open or closed notice, ready to show: its reasons, urgency and categories."""

    alert: ClientAlert
    lines: list[str]
    urgency: str
    urgency_label: str
    categories: list[str]
    category_labels: list[str]


def read(alert: ClientAlert) -> Notice:
    """A notice as every page shows it."""
    signs = [reason_sign(r) or "diary" for r in alert.reasons]
    urgency = most_urgent(signs) or "today"
    found = categories(signs)
    return Notice(alert=alert, lines=[reason_label(r) for r in alert.reasons], urgency=urgency,
                  urgency_label=str(URGENCY_LABELS[urgency]), categories=found,
                  category_labels=[str(CATEGORY_LABELS[c]) for c in found])


def open_notices(client: Client) -> list[Notice]:
    """The client's notices not yet acknowledged, most urgent first."""
    return _most_urgent_first(read(alert) for alert in client.open_alerts)


def for_handout(client: Client, day: date, zone) -> list[Notice]:
    """The notices a handout of ``day`` leads with: open ones, and those acknowledged that day
    (at the visit or when printing), so the client takes the advice home in writing."""
    chosen = [a for a in client.alerts if a.acknowledged_at is None
              or a.acknowledged_at.astimezone(zone).date() == day]
    return _most_urgent_first(read(a) for a in chosen)


def _most_urgent_first(notices) -> list[Notice]:
    return sorted(notices, key=lambda n: (URGENCIES.index(n.urgency), n.alert.raised_at))


def raise_flags(client: Client, reasons: list[str], *, kind: str, source: str,
                again: set[str] = frozenset()) -> ClientAlert | None:
    """Make sure every reason in ``reasons`` is being or has been shown.

    A reason already raised from the same source is not raised again, unless it is in
    ``again`` (it was answered "no" in between and is back); a reason in an open notice is
    never repeated. New ones join the open notice of that source, or open a new one.
    """
    mine = [a for a in client.alerts if a.source == source and a.kind == kind]
    showing = {r for a in mine if a.acknowledged_at is None for r in a.reasons}
    seen = {r for a in mine for r in a.reasons}
    new = [r for r in reasons if r not in showing and (r not in seen or r in again)]
    if not new:
        return None
    alert = next((a for a in client.open_alerts if a.source == source and a.kind == kind), None)
    if alert is None:
        alert = ClientAlert(client=client, kind=kind, source=source, reasons=new)
        db.session.add(alert)
    else:
        alert.reasons = [*alert.reasons, *new]  # a new list, so the JSON change is saved
    db.session.flush()
    _keep_newest_open(client)
    audit.record("alert.raise", "client_alert", alert.id, client=alert.client_id)
    return alert


def acknowledge(client: Client, alert_id: int, *, actor: Practitioner, note: str = "") -> ClientAlert:
    """Record that ``actor`` has seen the notice and acted on it (who and when are kept)."""
    require_unrestricted(client)
    alert = next((a for a in client.alerts if a.id == alert_id), None)
    if alert is None:
        abort(404)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by_id = actor.id
        alert.acknowledgement_note = note.strip()[:NOTE_LIMIT]
        audit.record("alert.acknowledge", "client_alert", alert.id, actor=actor,
                     client=alert.client_id)
        _keep_newest_open(client)
    return alert


def _keep_newest_open(client: Client) -> None:
    # The start page and the client list read this column through an index.
    client.open_alert_at = max((a.raised_at for a in client.open_alerts), default=None)


def acknowledge_all(client: Client, *, actor: Practitioner, note: str) -> int:
    """Acknowledge every open notice of the client at once (from the visit or handout form)."""
    opened = list(client.open_alerts)
    for alert in opened:
        acknowledge(client, alert.id, actor=actor, note=note)
    return len(opened)
