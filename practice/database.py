"""Database foundations shared by every feature: the declarative base, UTC timestamps, the
SQLite connection set-up and read-only requests.

A GET (or HEAD) request only reads: on SQLite its transactions begin DEFERRED, so any number of
pages are served while one writer writes. The few rows such a request must write (the audit
event of a read, a sign-in's last-seen time) are queued with :func:`after_read` and written after
the page is built, in one short transaction of their own. Any other write in a GET is a defect
(a reload, a prefetch or a crawler would repeat it): tests fail on it, production logs it. A view
that must write on GET (the personal diary link, which is a link by nature) says so with
:func:`writes_on_get`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Callable

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session

try:
    import fcntl
except ImportError:  # not on Windows: there SQLite's busy handler alone queues the processes
    fcntl = None

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)

# Named constraints let Alembic alter and drop them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for all models."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC that always comes back timezone-aware.

    SQLite keeps no zone, PostgreSQL keeps it; this type makes both behave the same and refuses
    naive datetimes, which would silently be local time.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


AUTOCOMMIT_OPTION = "practice_autocommit"


def autocommit_connection(engine: Engine) -> sa.Connection:
    """A connection on which each statement is its own transaction (for reads that need none,
    and single statements that are atomic by themselves).

    On SQLite the recipe below already runs pysqlite without its own transactions; the option
    only tells the begin hook to emit no BEGIN. (SQLAlchemy's isolation level AUTOCOMMIT would
    switch pysqlite's own transaction handling back on for the connection's next user.) On
    SQLite nothing may be written through it: writers queue in the begin hook."""
    if engine.dialect.name == "sqlite":
        return engine.connect().execution_options(**{AUTOCOMMIT_OPTION: True})
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")


SYNCHRONOUS_MODES = ("NORMAL", "FULL", "EXTRA")
MMAP_BYTES = 256 * 1024 * 1024  # address space, not memory: pages stay the OS's
CACHE_KIB = 8 * 1024  # per connection


def configure_sqlite(engine: Engine, busy_timeout_ms: int, synchronous: str = "FULL") -> None:
    """Apply the pysqlite recipe from SQLAlchemy's documentation to ``engine``.

    pysqlite's own transaction handling starts transactions late and as DEFERRED; a DEFERRED
    transaction that reads and then writes fails at once with "database is locked" when another
    process wrote meanwhile, whatever the busy timeout. So pysqlite's handling is switched off and
    every transaction begins IMMEDIATE, which waits (up to the busy timeout) for the write lock
    instead. WAL lets readers in other processes carry on while one writes.
    """
    if engine.dialect.name != "sqlite":
        return
    synchronous = str(synchronous).upper()
    if synchronous not in SYNCHRONOUS_MODES:
        from practice.config import ConfigError

        raise ConfigError(f"SQLITE_SYNCHRONOUS must be one of {', '.join(SYNCHRONOUS_MODES)}, "
                          f"not {synchronous!r}")

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute(f"PRAGMA synchronous = {synchronous}")
            # Reads through the operating system's page cache, shared by every connection and
            # worker, instead of each connection's own 2 MB copy of the pages it touched (at
            # 100,000 clients the indexes the lists read no longer fit in that).
            cursor.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cursor.close()

    # Writers queue for the write lock here rather than in SQLite's busy handler, which polls with
    # sleeps of up to 100 ms (measured: most of a diary post's time under load was spent asleep
    # there): the threads of one process on a mutex that wakes the next one at once, the
    # processes (gunicorn's workers, the job worker) on an advisory lock beside the database.
    writers = threading.Lock()
    between_processes = _ProcessQueue(engine.url.database)

    def _release(connection, *_args):
        if connection.info.pop("holds_writers", False):
            between_processes.release()
            writers.release()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        if connection.get_execution_options().get(AUTOCOMMIT_OPTION):
            return  # each statement its own transaction (autocommit_connection): no BEGIN
        # Reads share the database; a writer waits its turn up front (see the docstring above).
        if read_only_request():
            connection.exec_driver_sql("BEGIN")
            return
        # After the busy timeout a writer goes ahead anyway (SQLite still serialises it).
        deadline = time.monotonic() + busy_timeout_ms / 1000
        if writers.acquire(timeout=busy_timeout_ms / 1000):
            if between_processes.acquire(deadline):
                connection.info["holds_writers"] = True
            else:
                writers.release()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except Exception:
            _release(connection)
            raise

    sa.event.listen(engine, "commit", _release)
    sa.event.listen(engine, "rollback", _release)

    @sa.event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        # A connection given back without commit or rollback (an error) frees the queue too.
        if record.info.pop("holds_writers", False):
            between_processes.release()
            writers.release()


class _ProcessQueue:
    """An advisory lock file beside a SQLite database (``<database>.writers``) that the writing
    thread of each process holds while it writes; the kernel frees it when a process dies.

    The file is opened per process (a descriptor inherited over fork would be one lock for
    all); without a file database or without ``fcntl`` it admits everyone."""

    def __init__(self, database: str | None):
        self.path = (f"{database}.writers" if fcntl and database not in (None, "", ":memory:")
                     else None)
        self._pid, self._fd = None, None

    def _descriptor(self) -> int | None:
        if self.path is None:
            return None
        if self._pid != os.getpid():
            try:
                self._fd, self._pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
            except OSError:  # a read-only folder: SQLite's own lock still serialises writers
                self.path = None
                return None
        return self._fd

    def acquire(self, deadline: float) -> bool:
        """Wait for the lock until ``deadline`` (time.monotonic); polls every half millisecond."""
        fd = self._descriptor()
        if fd is None:
            return True
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.0005)

    def release(self) -> None:
        fd = self._descriptor()
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)


class WriteInReadOnlyRequest(RuntimeError):
    """A GET tried to change rows other than through :func:`after_read`."""


def writes_on_get(view):
    """Mark a view whose GET writes by nature (it runs in write transactions)."""
    view.writes_on_get = True
    return view


def reads_first(view):
    """Mark a POST view that reads and checks first and writes only inside :func:`writing`:
    the write lock is then held for the write alone, not while the form is parsed and checked
    (the diary, which many phones post to at once)."""
    view.reads_first = True
    return view


def commit_keeping_loaded(session: Session) -> None:
    """Commit without expiring what the session loaded (SQLAlchemy's default reloads it all)."""
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


@contextmanager
def writing(*fresh):
    """The write of a :func:`reads_first` view: ends the read, and the next transaction waits
    for the write lock up front (BEGIN IMMEDIATE), so it cannot fail as "database is locked".

    What the read loaded stays loaded, except the objects in ``fresh``: those the write
    decides on (the client, its consents) are read again inside the write transaction."""
    from practice.extensions import db

    session = db.session()
    if session.in_transaction() and db.engine.dialect.name == "sqlite":
        commit_keeping_loaded(session)  # ends the read; nothing is pending (the guard)
    # Elsewhere the write goes on in the read's transaction: PostgreSQL locks rows, not the
    # database, and each statement of READ COMMITTED sees what others committed (the objects
    # in ``fresh`` included). A commit and a new BEGIN were two round trips for nothing.
    for item in fresh:
        session.expire(item)
    previous = g.get("_writing", False)
    g._writing = True
    try:
        yield
    finally:
        g._writing = previous


def mark_request() -> None:
    """before_request hook (the first one): does this request begin by only reading?"""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    g._read_only = ((request.method in SAFE_METHODS and not getattr(view, "writes_on_get", False))
                    or getattr(view, "reads_first", False))


def read_only_request() -> bool:
    """Inside a dispatched GET/HEAD request whose view does not write, or the reading part of
    a :func:`reads_first` view (not in :func:`writing`, not in the after-read phase). Scripts'
    test request contexts are never read-only."""
    return has_request_context() and g.get("_read_only", False) and not g.get("_writing")


def after_read(write: Callable[[Session], None]) -> bool:
    """In a read-only request, queue ``write(session)`` for the short write after the page;
    returns False (do it now) anywhere else."""
    if not read_only_request():
        return False
    g.setdefault("_after_read", []).append(write)
    return True


def commit_unless_reading() -> None:
    """Commit, except in a read-only request: there nothing is pending (its few writes follow
    the page), and a commit would only make every loaded object load again."""
    from practice.extensions import db

    if not read_only_request():
        db.session.commit()


def write_after_read(response):
    """after_request hook: end the read, then run the queued writes in one transaction."""
    from practice.extensions import db

    queued = g.pop("_after_read", None)
    if not queued:
        return response
    session = db.session()
    # The page is rendered: expiring every object it loaded (the default on commit) would be
    # work for nothing (a tenth of the client page).
    commit_keeping_loaded(session)  # ends the read transaction (nothing is pending: the guard)
    g._writing = True
    try:
        for write in queued:
            write(session)
        commit_keeping_loaded(session)
    finally:
        g._writing = False
    return response


def _guard_reads(session: Session, _context, _instances) -> None:
    if not read_only_request():
        return
    changed = list(session.new) + list(session.deleted) + [
        item for item in session.dirty if session.is_modified(item)]
    if not changed:
        return
    names = sorted({type(item).__name__ for item in changed})
    message = f"{request.method} {request.path} changes {', '.join(names)} while reading"
    if current_app.testing:
        raise WriteInReadOnlyRequest(message)
    log.error("%s (write it after the read, or mark the view)", message)


def install_read_guard(session_class) -> None:
    """Refuse (in tests) or log (in production) writes in a read-only request."""
    if not sa.event.contains(session_class, "before_flush", _guard_reads):
        sa.event.listen(session_class, "before_flush", _guard_reads)
