"""Clients: who may see whom, creating and changing records, the client list.

Services flush; views commit. Every read or change of a record is audited (ids only).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask import abort

from practice.accounts.models import Practitioner
from practice.audit import service as audit
from practice.clients.models import Client, ClientChange, ClientNamePair, ClientNameToken
from practice.clients.record_state import require_unrestricted
from practice.database import utcnow
from practice.extensions import db

CLIENT_FIELDS = ("first_name", "last_name", "date_of_birth", "sex", "email", "phone",
                 "language", "practitioner_id")


def fold(text: str) -> str:
    """Lower-case and strip accents, for searching names the same way on every database."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():  # most names: nothing to strip, no walk over every character
        return decomposed.strip()
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


WORD_BREAK = re.compile(r"[\s\-'’.,/()]+")
# Above every character: "word" <= token < "word" + LAST_CHAR is the prefix range.
LAST_CHAR = chr(0x10FFFF)


def _search_name(client: Client) -> str:
    return fold(f"{client.first_name} {client.last_name}")


def name_tokens(text: str) -> list[str]:
    """The folded words of a name or a query ("Müller-Lüdenscheid" -> muller, ludenscheid)."""
    return sorted({word[:100] for word in WORD_BREAK.split(fold(text)) if word})


# A pair starts with this many letters of its first word (see ClientNamePair).
PAIR_LEAD = 3


def name_pairs(text: str) -> list[str]:
    """The name's word pairs for the search index: each word of at least PAIR_LEAD letters,
    cut to them, with each other word ("Jana Meier" -> "jan meier", "mei jana")."""
    words = name_tokens(text)
    return sorted({f"{a[:PAIR_LEAD]} {b}"[:100] for a in words for b in words
                   if a != b and len(a) >= PAIR_LEAD})


def _index_name(client: Client) -> None:
    """Keep the client's name words and word pairs in the search index."""
    for model in (ClientNameToken, ClientNamePair):
        db.session.execute(sa.delete(model).where(model.client_id == client.id))
    rows = [{"client_id": client.id, "token": token} for token in name_tokens(client.search_name)]
    if rows:
        db.session.execute(sa.insert(ClientNameToken), rows)
    pairs = [{"client_id": client.id, "pair": pair} for pair in name_pairs(client.search_name)]
    if pairs:
        db.session.execute(sa.insert(ClientNamePair), pairs)


@dataclass(frozen=True)
class ShownClient:
    """The little of a client a list of names shows (the start page): read as plain rows,
    since loading objects was a third of the start page at 100,000 clients."""

    id: int
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        """First and last name, as Client.full_name."""
        return f"{self.first_name} {self.last_name}"


def visible_to(user: Practitioner):
    """A select of the clients ``user`` may see: admins all, practitioners their own."""
    return sa.select(Client).where(visibility(user))


def visibility(user: Practitioner):
    """The SQL condition on ``Client`` of :func:`visible_to`, for queries that join clients."""
    return sa.true() if user.is_admin else Client.practitioner_id == user.id


def built_visibility(admin: bool):
    """:func:`visibility` for a statement built once: the practitioner's id is the parameter
    ``owner`` (ignored for an admin)."""
    return sa.true() if admin else Client.practitioner_id == sa.bindparam("owner")


def may_see(user: Practitioner, client: Client) -> bool:
    """:func:`visibility` for a client already loaded."""
    return user.is_admin or client.practitioner_id == user.id


# Built once (admin or not): every page of a client starts here.
_CLIENT_FOR = {admin: sa.select(Client).where(built_visibility(admin),
                                              Client.id == sa.bindparam("client"))
               for admin in (False, True)}


def get_for(user: Practitioner, client_id: int, *, action: str = "client.view") -> Client:
    """The client if ``user`` may see it, else 404 (not 403: ids of others stay unknown).

    Writes an audit event ``action`` for the read.
    """
    client = db.session.scalar(_CLIENT_FOR[bool(user.is_admin)],
                               {"client": client_id, "owner": user.id})
    if client is None:
        abort(404)
    if client.restricted_at is not None:  # an erasure request restricted it (Art. 18)
        from practice.records.erasure import RecordRestricted, is_open_for_now

        if not user.is_admin:
            abort(404)
        if not is_open_for_now(client.id):
            raise RecordRestricted(client.id)
    if action:
        audit.record(action, "client", client.id, actor=user)
    return client


def create(values: dict, *, actor: Practitioner) -> Client:
    """Create a client from the details form's values."""
    client = Client(**{key: values[key] for key in CLIENT_FIELDS if key in values})
    client.search_name = _search_name(client)
    db.session.add(client)
    db.session.flush()
    _index_name(client)
    audit.record("client.create", "client", client.id, actor=actor)
    return client


def update(client: Client, values: dict, *, actor: Practitioner) -> None:
    """Change a client's details."""
    require_unrestricted(client)
    before, after = {}, {}
    for key in CLIENT_FIELDS:
        if key in values and values[key] != getattr(client, key):
            before[key], after[key] = _plain(getattr(client, key)), _plain(values[key])
            setattr(client, key, values[key])
    if before:  # kept like an intake version: what it was, what it became, who, when
        db.session.add(ClientChange(client_id=client.id, before=before, after=after,
                                    changed_by_id=actor.id))
    client.search_name = _search_name(client)
    db.session.flush()
    _index_name(client)
    touch(client)
    audit.record("client.update", "client", client.id, actor=actor)


def _plain(value):
    """A detail as JSON keeps it (dates as ISO text)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def changes_of(client: Client) -> list[ClientChange]:
    """The changes of the client's details, oldest first."""
    return list(db.session.scalars(sa.select(ClientChange).where(
        ClientChange.client_id == client.id).order_by(ClientChange.changed_at, ClientChange.id)))


def set_archived(client: Client, archived: bool, *, actor: Practitioner) -> None:
    """Archive a client (no longer treated) or make them active again. The archive date is the
    end of treatment for the record's retention. A restricted record stays archived."""
    if not archived:
        require_unrestricted(client)
    client.is_archived = archived
    client.archived_at = utcnow() if archived else None
    audit.record("client.archive" if archived else "client.unarchive", "client", client.id,
                 actor=actor)


def touch(client: Client) -> None:
    """Mark activity on a client, for the list's order."""
    client.last_activity_at = utcnow()


def assignable_practitioners() -> list[Practitioner]:
    """Enabled accounts a client can be assigned to."""
    return list(db.session.scalars(
        sa.select(Practitioner).where(Practitioner.is_enabled.is_(True)).order_by(Practitioner.name)
    ))


# Counting stops here, so a list costs the same with 1,000 clients as with 100,000; beyond it
# the list says "more than 1,000" and pages on (a search narrows it down faster).
COUNT_LIMIT = 1000
MAX_PAGE = 10_000


@dataclass
class ClientPage:
    """One page of the client list."""

    rows: list
    total: int
    page: int
    per_page: int
    more: bool = False  # more than ``total`` clients match

    @property
    def pages(self) -> int:
        known = max(1, -(-self.total // self.per_page))
        if self.more:
            return max(known, self.page + (1 if len(self.rows) == self.per_page else 0))
        return known


def open_alert_exists():
    """SQL condition: the client has an unacknowledged notice (kept on the client)."""
    return Client.open_alert_at.is_not(None)


class ListedClient(NamedTuple):
    """One line of the client list."""

    id: int
    first_name: str
    last_name: str
    is_demo: bool
    is_archived: bool
    last_activity_at: datetime | None
    practitioner_name: str
    has_open_alert: bool
    baseline_pain: int | None
    start_back_risk: str | None
    intake_status: str | None


def _listed_columns() -> tuple:
    from practice.intake.models import Intake

    return (Client.id, Client.first_name, Client.last_name, Client.is_demo, Client.is_archived,
            Client.last_activity_at, Practitioner.name, open_alert_exists(),
            Intake.baseline_pain, Intake.start_back_risk, Intake.status)


def _pair_of(words: list[str]) -> str | None:
    """The start of the name pairs a search of several words can be found by: its longest word
    of at least PAIR_LEAD letters, cut to them, and another word that is not a beginning of it
    (both may start the same word of a name, which has no pair with itself); else None."""
    leads = sorted((w for w in words if len(w) >= PAIR_LEAD), key=len, reverse=True)
    for lead in leads:
        for other in sorted(words, key=len, reverse=True):
            if other != lead and not lead.startswith(other) and not other.startswith(lead):
                return f"{lead[:PAIR_LEAD]} {other}"[:100]
    return None


# Name matches up to this many are looked up by id; more are joined.
MATCHES_BY_ID = 2000


def search(user: Practitioner, *, query: str = "", status: str = "active",
           open_flags: bool = False, condition=None, page: int = 1,
           per_page: int = 25) -> ClientPage:
    """The client list: name search, filters, newest activity first, one page at a time."""
    statement = visible_to(user)
    words = name_tokens(query)[:5]
    # With a name search the matching names are few: SQLite should start from them, not walk
    # the list's index until 25 match. Wrapped in a function, the archive flag offers no index.
    archived = sa.func.coalesce(Client.is_archived, False) if words else Client.is_archived
    if status == "active":
        statement = statement.where(archived.is_(False))
    elif status == "archived":
        statement = statement.where(archived.is_(True))
    if status != "active":  # restricted records are archived, and hidden from every list
        statement = statement.where(Client.restricted_at.is_(None))
    few = False  # the name matches are few: counted with the page, in one statement
    if words:  # every word starts a word of the name: found in the index, then the clients
        lead = _pair_of(words)
        if lead is not None:
            # Two words: the few clients with such a pair of words, in the same statement. The
            # pair holds the first word's first letters only: each word is checked on the few
            # candidates (an index lookup each).
            statement = statement.where(Client.id.in_(sa.select(ClientNamePair.client_id).where(
                ClientNamePair.pair >= lead, ClientNamePair.pair < lead + LAST_CHAR)), *(
                sa.exists().where(ClientNameToken.client_id == Client.id,
                                  ClientNameToken.token >= word,
                                  ClientNameToken.token < word + LAST_CHAR) for word in words))
            few = True
        else:
            matches = sa.intersect(*(sa.select(ClientNameToken.client_id).where(
                ClientNameToken.token >= word, ClientNameToken.token < word + LAST_CHAR)
                for word in words))
            # Usually a few dozen: fetched first and looked up by primary key. Joined as a
            # subquery, PostgreSQL hashed them against every client (100 ms at 100,000).
            found = db.session.connection().scalars(matches.limit(MATCHES_BY_ID + 1)).all()
            if not found:
                return ClientPage(rows=[], total=0, page=1, per_page=per_page)
            if len(found) <= MATCHES_BY_ID:
                statement = statement.where(Client.id.in_(found))
                few = True
            else:  # a short prefix matching thousands: then the join is the better plan
                matched = matches.subquery()
                statement = statement.join(matched, matched.c.client_id == Client.id)
    if open_flags:
        statement = statement.where(open_alert_exists())
    if condition is not None:  # further filters from other features (e.g. silent diaries)
        statement = statement.where(condition)
    connection = db.session.connection()
    if few:  # one statement reads the page and counts all the matches (a window)
        page = min(max(1, page), MAX_PAGE)
        rows, total = _page(connection, statement, page, per_page, counted=True)
        if not rows and page > 1:  # past the last page (others' or archived matches): the last
            total = connection.scalar(sa.select(sa.func.count()).select_from(
                statement.with_only_columns(Client.id).subquery())) or 0
            page = max(1, -(-total // per_page))
            rows, _total = _page(connection, statement, page, per_page, counted=False)
    else:
        total = connection.scalar(sa.select(sa.func.count()).select_from(
            statement.with_only_columns(Client.id).limit(COUNT_LIMIT + 1).subquery())) or 0
        page = min(max(1, page), MAX_PAGE if total > COUNT_LIMIT
                   else max(1, -(-total // per_page)))
        rows, _total = _page(connection, statement, page, per_page, counted=False)
    more = total > COUNT_LIMIT
    total = min(total, COUNT_LIMIT)
    return ClientPage(rows=rows, total=total, page=page, per_page=per_page, more=more)


def _page(connection, statement, page: int, per_page: int, *, counted: bool) -> tuple[list, int]:
    """One page of the list as plain rows (loading clients and their practitioners as objects
    cost more than finding them; tuples, so the rendered rows can be kept by what they show),
    with the number of all matches when ``counted``. On the connection: the session's ORM path
    cost more than these rows' query."""
    from practice.intake.models import Intake

    columns = _listed_columns() + ((sa.func.count().over(),) if counted else ())
    result = connection.execute(
        statement.with_only_columns(*columns)
        .join(Practitioner, Practitioner.id == Client.practitioner_id)
        .outerjoin(Intake, Intake.client_id == Client.id)
        .order_by(Client.last_activity_at.desc(), Client.id.desc())
        .limit(per_page).offset((page - 1) * per_page))
    if not counted:
        return [ListedClient(*row) for row in result], 0
    rows = result.all()
    return [ListedClient(*row[:-1]) for row in rows], (rows[0][-1] if rows else 0)
