"""Writing audit events. Called from services; flushes, never commits."""

from __future__ import annotations

from flask_login import current_user

from practice.audit.models import AuditEvent
from practice.database import after_read, utcnow
from practice.extensions import db


_INSERT = AuditEvent.__table__.insert()


def record(action: str, object_type: str, object_id: object = None, *, actor=None,
           actor_kind: str | None = None, client=None) -> None:
    """Add an audit event for ``action`` on ``object_type``/``object_id``.

    The actor defaults to the signed-in practitioner, else the system. Pass identifiers only:
    names, notes and answers never belong in the audit trail. In a read-only request (a GET)
    the event is written right after the page, in a short transaction of its own. ``client``
    (a client or its id) names the record the object belongs to; an event on a client names
    it itself.
    """
    if client is None and object_type == "client" and object_id is not None:
        client = object_id
    client_id = getattr(client, "id", client)
    if actor_kind is None:  # (only then: asking for the signed-in user loads it)
        if actor is None and current_user and getattr(current_user, "is_authenticated", False):
            actor = current_user
        actor_kind = "practitioner" if actor is not None else "system"
    values = {"actor_id": getattr(actor, "id", None), "actor_kind": actor_kind, "action": action,
              "object_type": object_type,
              "object_id": None if object_id is None else str(object_id), "at": utcnow(),
              "client_id": None if client_id is None else int(client_id)}
    # A plain INSERT either way: nothing reads the event back, and the unit of work's
    # bookkeeping was a tenth of a diary post (and of the audit write after a page).
    if not after_read(lambda session: session.connection().execute(_INSERT, values)):
        # Pending objects go first (an event may name a new row).
        db.session.flush()
        db.session.connection().execute(_INSERT, values)
