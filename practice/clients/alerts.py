"""Notices on a client's record that a practitioner must acknowledge ("refer to a doctor")."""

from __future__ import annotations

from flask import abort

from practice.accounts.models import Practitioner
from practice.audit import service as audit
from practice.clients.models import Client, ClientAlert
from practice.database import utcnow
from practice.extensions import db


def raise_flags(client: Client, reasons: list[str], *, kind: str, source: str) -> ClientAlert | None:
    """Make sure every reason in ``reasons`` has been or is being shown.

    Reasons already raised from the same source (open or acknowledged) are not raised again;
    new ones join the open notice, or open a new one.
    """
    seen = {reason for alert in client.alerts if alert.source == source and alert.kind == kind
            for reason in alert.reasons}
    new = [reason for reason in reasons if reason not in seen]
    if not new:
        return None
    alert = next((a for a in client.open_alerts if a.source == source and a.kind == kind), None)
    if alert is None:
        alert = ClientAlert(client=client, kind=kind, source=source, reasons=new)
        db.session.add(alert)
    else:
        alert.reasons = [*alert.reasons, *new]  # a new list, so the JSON change is saved
    db.session.flush()
    audit.record("alert.raise", "client_alert", alert.id)
    return alert


NOTE_LIMIT = 1000  # characters of "what was done"


def acknowledge(client: Client, alert_id: int, *, actor: Practitioner, note: str = "") -> ClientAlert:
    """Record that ``actor`` has seen the notice and acted on it (who and when are kept)."""
    alert = next((a for a in client.alerts if a.id == alert_id), None)
    if alert is None:
        abort(404)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by_id = actor.id
        alert.acknowledgement_note = note.strip()
        audit.record("alert.acknowledge", "client_alert", alert.id, actor=actor)
    return alert
