"""Whether a client's record may take new entries: consent in force and an active record.

Every write service for a client (visits, corrections, handouts, diary links, diary entries,
intake changes) calls :func:`require_open`, so no view can forget it; the app turns the
error into a message on the client page, where the record stays readable.
"""

from __future__ import annotations

from practice.clients.models import Client

ARCHIVED, WITHDRAWN, NO_CONSENT = "archived", "withdrawn", "no_consent"
RESTRICTED = "restricted"  # an erasure request: kept for the law, changed by nobody


class RecordClosed(Exception):
    """A write was refused: the record is archived, or there is no consent (``reason``)."""

    def __init__(self, client: Client | int, reason: str):
        super().__init__(reason)
        self.client_id = client if isinstance(client, int) else client.id
        self.reason = reason


def closed_reason(client: Client) -> str | None:
    """Why nothing new may be recorded for the client, or None when it may."""
    if client.restricted_at is not None:
        return RESTRICTED
    return closed_reason_of(client.is_archived, client.active_consent is not None,
                            bool(client.consents))


def closed_reason_of(archived: bool, consent_in_force: bool, consent_ever_given: bool) -> str | None:
    """The same rule from the three facts (for a write that reads them as columns)."""
    if archived:
        return ARCHIVED
    if not consent_in_force:
        return WITHDRAWN if consent_ever_given else NO_CONSENT
    return None


def require_open(client: Client, *, allow_without_consent: bool = False) -> None:
    """Refuse a write to an archived record or one without consent. The intake of a new
    client may be saved before consent was ever given (``allow_without_consent``), never
    after it was withdrawn."""
    reason = closed_reason(client)
    if reason is None or (reason == NO_CONSENT and allow_without_consent):
        return
    raise RecordClosed(client, reason)


def require_unrestricted(client: Client) -> None:
    """Refuse any change to a record an erasure request restricted (details, consent, notices:
    the writes that an archived record still allows)."""
    if client.restricted_at is not None:
        raise RecordClosed(client, RESTRICTED)
