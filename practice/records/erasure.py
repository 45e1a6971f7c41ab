"""An erasure request (GDPR Art. 17) against the duty to keep the record (§ 630f BGB).

What is not part of the record goes at once: the diary link (so the phone's cookie opens
nothing), contact details the practice marks as not needed, and a demo client entirely. The
record itself is restricted (Art. 18): archived, hidden from lists and search, read-only, opened
only by an admin who gives a reason, and purged at its retention date.
"""

from __future__ import annotations

import time
from datetime import date

import sqlalchemy as sa
from flask import has_request_context, session

from practice.audit import service as audit
from practice.clients.models import Client, ClientChange
from practice.database import utcnow
from practice.diary.models import DiaryLink
from practice.extensions import db
from practice.records.models import ErasureRequest, RestrictedOpening

CONTACT_FIELDS = ("email", "phone")
OPENING_MINUTES = 30
REASON_MIN, REASON_MAX = 10, 1000


class RecordRestricted(Exception):
    """A restricted record was asked for; admins may open it with a reason."""

    def __init__(self, client_id: int):
        super().__init__(client_id)
        self.client_id = client_id


def request_erasure(client: Client, *, received_on: date, reason: str, delete_contact,
                    actor) -> ErasureRequest | None:
    """Record the request and carry it out; None when the client was demo data (deleted)."""
    if client.is_demo:  # made up to try the app: nothing to keep
        number = client.id
        db.session.expunge(client)
        db.session.execute(sa.delete(Client).where(Client.id == number))
        audit.record("client.delete_demo", "client", number, actor=actor)
        return None
    deleted = []
    links = db.session.execute(sa.delete(DiaryLink).where(DiaryLink.client_id == client.id))
    if links.rowcount:
        deleted.append("diary_link")
    for field in CONTACT_FIELDS:
        if field in delete_contact and getattr(client, field):
            setattr(client, field, "")
            deleted.append(field)
    # Earlier values of what went are not kept in the details' history either.
    for change in db.session.scalars(sa.select(ClientChange).where(
            ClientChange.client_id == client.id)):
        if any(key in change.before or key in change.after for key in deleted):
            change.before = {k: v for k, v in change.before.items() if k not in deleted}
            change.after = {k: v for k, v in change.after.items() if k not in deleted}
    now = utcnow()
    if not client.is_archived:
        client.is_archived, client.archived_at = True, now
    client.restricted_at = now
    erasure = ErasureRequest(client_id=client.id, received_on=received_on, reason=reason,
                             deleted=deleted, recorded_by_id=actor.id, recorded_at=now)
    db.session.add(erasure)
    db.session.flush()
    audit.record("record.erasure_request", "client", client.id, actor=actor)
    return erasure


def _opened() -> dict:
    return session.get("opened_restricted", {}) if has_request_context() else {}


def is_open_for_now(client_id: int) -> bool:
    """Has this session opened the restricted record (with a reason) in the last half hour?"""
    until = _opened().get(str(client_id))
    return bool(until and until > time.time())


def open_restricted(client: Client, reason: str, *, actor) -> RestrictedOpening:
    """An admin opens a restricted record for a stated reason, for half an hour."""
    opening = RestrictedOpening(client_id=client.id, practitioner_id=actor.id, reason=reason)
    db.session.add(opening)
    db.session.flush()
    audit.record("record.open_restricted", "client", client.id, actor=actor)
    opened = {key: until for key, until in _opened().items() if until > time.time()}
    opened[str(client.id)] = time.time() + OPENING_MINUTES * 60
    session["opened_restricted"] = opened
    return opening


def requests_of(client: Client) -> list[ErasureRequest]:
    """The client's erasure requests, newest first."""
    return list(db.session.scalars(sa.select(ErasureRequest).where(
        ErasureRequest.client_id == client.id).order_by(ErasureRequest.recorded_at.desc())))


def openings_of(client: Client) -> list[RestrictedOpening]:
    """Who opened the restricted record, when and why, newest first."""
    return list(db.session.scalars(sa.select(RestrictedOpening).where(
        RestrictedOpening.client_id == client.id).order_by(RestrictedOpening.opened_at.desc())))
