"""Personal diary links: created, shown, revoked, exchanged for a diary cookie.

The token (256 bits) is an HMAC of the link's id and a random nonce under the app's secret key:
the database holds only the nonce and the token's SHA-256, so a copy of the database opens no
diary, while the practice can show the same link and QR code again. Changing the secret key
invalidates all links (renew them then).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app, g
from itsdangerous import BadSignature, URLSafeTimedSerializer

from practice.clients.record_state import closed_reason, closed_reason_of, require_open
from practice.accounts.models import FailedLogin
from practice.audit import service as audit
from practice.clients.models import Client, Consent
from practice.database import autocommit_connection, utcnow
from practice.diary import attention
from practice.diary.models import DiaryEntry, DiaryLink
from practice.diary.service import slot_or_week
from practice.extensions import db
from practice.i18n import local_today

COOKIE = "practice_diary"
COOKIE_DAYS = 180
_FAILURE_KEY = hashlib.sha256(b"diary-link").hexdigest()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def token_for(link: DiaryLink) -> str:
    """The link's token, recomputed from the secret key, its id and its nonce."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"diary:{link.id}:{link.nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


_ACTIVE_LINK = (sa.select(DiaryLink).where(DiaryLink.client_id == sa.bindparam("client"),
                                           DiaryLink.revoked_at.is_(None))
                .order_by(DiaryLink.id.desc()))


def active_link(client: Client) -> DiaryLink | None:
    """The client's link in force, if any."""
    return db.session.scalar(_ACTIVE_LINK, {"client": client.id})


def usable(client: Client) -> bool:
    """Archived clients and clients without consent have no diary."""
    return closed_reason(client) is None


def create(client: Client, *, actor) -> DiaryLink:
    """A new link for the client; any earlier one stops working."""
    require_open(client)
    revoke(client, actor=actor, renewing=True)
    link = DiaryLink(client=client, nonce=secrets.token_hex(16), token_hash="pending",
                     created_by_id=actor.id, created_at=utcnow())
    db.session.add(link)
    db.session.flush()
    link.token_hash = _sha256(token_for(link))
    db.session.flush()
    attention.refresh(client, local_today())
    audit.record("diary_link.create", "diary_link", link.id, actor=actor,
                 client=link.client_id)
    return link


def revoke(client: Client, *, actor, renewing: bool = False) -> int:
    """Revoke the client's links; returns how many were in force. When :func:`create` renews
    the link (``renewing``), it audits and refreshes the attention state itself, once."""
    links = db.session.scalars(sa.select(DiaryLink).where(
        DiaryLink.client_id == client.id, DiaryLink.revoked_at.is_(None))).all()
    for link in links:
        link.revoked_at = utcnow()
        if not renewing:
            audit.record("diary_link.revoke", "diary_link", link.id, actor=actor,
                         client=link.client_id)
    if links and not renewing:
        db.session.flush()
        attention.refresh(client, local_today())
    return len(links)


def throttled(remote_addr: str) -> bool:
    """Too many unknown tokens from this address lately (guessing is pointless, but costly)."""
    window = timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW"])
    count = db.session.scalar(sa.select(sa.func.count()).select_from(FailedLogin).where(
        FailedLogin.email_hash == _FAILURE_KEY, FailedLogin.remote_addr == remote_addr[:64],
        FailedLogin.at >= utcnow() - window)) or 0
    return count >= current_app.config["LOGIN_MAX_FAILURES_PER_IP"]


def resolve(token: str, remote_addr: str) -> DiaryLink | None:
    """The link of a token if it is in force and the client may use a diary; failures count."""
    link = None
    if 20 <= len(token) <= 100:
        link = db.session.scalar(sa.select(DiaryLink).where(
            DiaryLink.token_hash == _sha256(token), DiaryLink.revoked_at.is_(None)))
    if link is None or not usable(link.client):
        db.session.add(FailedLogin(email_hash=_FAILURE_KEY, remote_addr=remote_addr[:64]))
        audit.record("diary_link.refused", "diary_link", link.id if link else None,
                     actor_kind="anonymous", client=link.client_id if link else None)
        return None
    link.last_used_at = utcnow()
    audit.record("diary_link.open", "diary_link", link.id, actor_kind="client",
                 client=link.client_id)
    return link


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="practice-diary")


def cookie_value(link: DiaryLink) -> str:
    """What the diary cookie holds: the link id and part of its token hash, signed."""
    return _serializer().dumps({"link": link.id, "check": link.token_hash[:16]})


@dataclass(frozen=True)
class LinkedClient:
    """The client a diary cookie stands for, as most diary requests need it: read as plain
    columns with the link (loading the link and the client as objects was a fifth of a diary
    post). :attr:`record` is the whole client, for the pages that need more."""

    id: int
    language: str
    diary_last_day: date | None
    # The entries of the days asked for with the link (id, day, slot, pain), if any were.
    entries: tuple | None = None

    @property
    def record(self) -> Client:
        """The client's record (loaded once per request: the session keeps it)."""
        return db.session.get(Client, self.id)


def _link_with_client():
    """The link, its client and the two consent facts the diary's rule needs, in one row:
    built once, since every diary request runs it (building it cost as much as running it)."""
    consented = sa.exists().where(Consent.client_id == DiaryLink.client_id,
                                  Consent.withdrawn_at.is_(None))
    given = sa.exists().where(Consent.client_id == DiaryLink.client_id)
    return (sa.select(DiaryLink.id, DiaryLink.revoked_at, DiaryLink.token_hash,
                      Client.id.label("client_id"),
                      Client.language, Client.diary_last_day, Client.restricted_at,
                      Client.is_archived, consented.label("consented"), given.label("given"))
            .join(Client, Client.id == DiaryLink.client_id)
            .where(DiaryLink.id == sa.bindparam("link")))


_LINK_WITH_CLIENT = _link_with_client()


def _link_with_entries():
    """The same row with the client's entries of some days beside it (the diary's entry page
    reads them next: one statement instead of two, on the diary's most frequent request).

    The link's row is worked out once, then joined to the entries. Joined directly, its two
    consent checks ran once per entry row, and for a week of entries PostgreSQL chose to hash
    the whole consents table instead (1.6 ms at 1,000 clients against 0.16 ms this way)."""
    linked = _link_with_client().cte("linked").prefix_with("MATERIALIZED", dialect="postgresql")
    return sa.select(linked, DiaryEntry.id, DiaryEntry.day, DiaryEntry.slot, DiaryEntry.pain
                     ).outerjoin(DiaryEntry, sa.and_(DiaryEntry.client_id == linked.c.client_id,
                                                     slot_or_week()))


_LINK_WITH_ENTRIES = _link_with_entries()


def reading_connection():
    """The diary request's connection for its reads, each statement its own transaction
    (``database.autocommit_connection``), given back at the request's end.

    The link check and the entry page's days need no transaction of their own: reading them
    outside the session spares the session's BEGIN and the commit that ends the read before the
    write. On PostgreSQL the phone's new entry is one statement (entry, attention state and
    audit event together) and is written here too, atomic by itself. On SQLite nothing is
    written through it: writes keep the session's BEGIN IMMEDIATE and the writers' queue."""
    connection = g.get("_diary_connection")
    if connection is None:
        connection = autocommit_connection(db.engine)
        g._diary_connection = connection
    return connection


def close_reading_connection(_error=None) -> None:
    """teardown_request: give the diary's reading connection back to the pool."""
    connection = g.pop("_diary_connection", None)
    if connection is not None:
        connection.close()


def from_cookie(value: str | None, entry_days: dict | None = None) -> LinkedClient | None:
    """The client whose diary a cookie opens, if its link is still in force and the client may
    use a diary; with ``entry_days`` (``service.slot_and_recent_days``), also the client's
    entries of those days as (id, day, slot, pain) rows."""
    if not value:
        return None
    try:
        data = _serializer().loads(value, max_age=COOKIE_DAYS * 24 * 3600)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("link"), int):
        return None
    connection = reading_connection()
    if entry_days is None:
        rows = connection.execute(_LINK_WITH_CLIENT, {"link": data["link"]}).all()
    else:
        rows = connection.execute(_LINK_WITH_ENTRIES, {"link": data["link"], **entry_days}).all()
    if not rows:
        return None
    (_link_id, revoked_at, token_hash, client_id, language, last_day, restricted_at,
     archived, consented, given) = rows[0][:10]
    if (revoked_at is not None or token_hash[:16] != data.get("check")
            or restricted_at is not None
            or closed_reason_of(archived, consented, given) is not None):
        return None
    entries = None if entry_days is None else tuple(
        row[10:] for row in rows if row[10] is not None)
    return LinkedClient(client_id, language, last_day, entries)
