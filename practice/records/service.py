"""Asking for the complete copy of a record. Services flush and audit; views commit."""

from __future__ import annotations

from practice.audit import service as audit
from practice.clients.models import Client
from practice.records import copy_job  # registers the job


def request_copy(client: Client, *, actor):
    """Start the complete copy of ``client``'s record for ``actor`` (who may see the client:
    the caller checked). Audited as ``record.copy`` on the client: who and when, nothing of
    the record itself. A copy is a right also when the record is archived or consent was
    withdrawn, so nothing here asks for an open record."""
    audit.record("record.copy", "client", client.id, actor=actor)
    return copy_job.start(client, actor=actor)
