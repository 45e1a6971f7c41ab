"""The job queue (Huey), shared by every app server and worker of a practice.

The queue carries only a job's id (see :mod:`practice.jobs.models` for the rest). Where it lives:
beside a SQLite practice, a SQLite file of its own in the instance folder (``jobs.sqlite3``,
so the queue's exclusive transactions never touch the record's database); beside PostgreSQL,
tables in a schema of their own (``practice_jobs``) of the same database, taken with FOR UPDATE
SKIP LOCKED, so workers on several machines share it. ``PRACTICE_JOBS_URL`` names another place
(``sqlite:///path`` or a PostgreSQL address). Workers: ``practice worker``; ``make run`` runs
one inside the development server (``JOBS_IN_PROCESS``); tests run jobs at once
(``JOBS_IMMEDIATE``).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app

log = logging.getLogger("practice.jobs")
JOB_SCHEMA = "practice_jobs"


@dataclass(frozen=True)
class JobKind:
    """What the features register: the work, the page title, where the page leads back."""

    work: Callable          # work(job): reads, renders, stores, calls service.progress/finish
    title: object           # a lazy text
    back: Callable          # back(job) -> the address of the page the job was started from


# kind -> JobKind; registered by the features (the day's handouts, the record copy).
HANDLERS: dict[str, JobKind] = {}


def handler(kind: str, *, title, back):
    """Register the function that does the work of jobs of ``kind``."""
    def register(function):
        HANDLERS[kind] = JobKind(function, title, back)
        return function
    return register


def _storage_for(app: Flask):
    """A Huey instance on the storage the configuration names."""
    from huey import MemoryHuey, SqliteHuey

    if app.config.get("JOBS_IMMEDIATE"):
        return MemoryHuey("practice", immediate=True)
    url = app.config.get("JOBS_URL") or ""
    if not url:
        database = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        url = (database.render_as_string(hide_password=False)
               if database.get_backend_name() == "postgresql"
               else "sqlite:///" + str(Path(app.instance_path) / "jobs.sqlite3"))
    target = sa.engine.make_url(url.replace("postgres://", "postgresql://", 1))
    if target.get_backend_name() == "sqlite":
        return SqliteHuey("practice", filename=target.database or "jobs.sqlite3", fsync=True)
    if target.get_backend_name() == "postgresql":
        return _postgres_huey(target)
    from practice.config import ConfigError

    raise ConfigError(f"PRACTICE_JOBS_URL must be a sqlite:/// or postgresql:// address, "
                      f"not {target.get_backend_name()!r}")


def _postgres_huey(url):
    from huey.contrib.sql_huey import SqlHuey
    from playhouse.postgres_ext import Psycopg3Database

    engine = sa.create_engine(url.set(drivername="postgresql+psycopg"))
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {JOB_SCHEMA}")
    engine.dispose()
    database = Psycopg3Database(url.database, user=url.username, password=url.password,
                                host=url.host, port=url.port or 5432,
                                options=f"-c search_path={JOB_SCHEMA}")
    return SqlHuey("practice", database=database)


def init_app(app: Flask) -> None:
    """Give the app its queue, made on first use (creating the app never connects anywhere)."""
    app.extensions["practice_jobs"] = {"huey": None, "task": None, "thread": None,
                                       "lock": threading.Lock()}


def _state(app: Flask) -> dict:
    """The app's queue and the one task that runs any job by id."""
    state = app.extensions["practice_jobs"]
    with state["lock"]:
        if state["huey"] is None:
            huey = _storage_for(app)

            @huey.task(name="practice.run_job")
            def run_job(job_id: int) -> None:
                run(app, job_id)

            state["huey"], state["task"] = huey, run_job
    return state


def queue_of(app: Flask | None = None):
    """The app's Huey instance."""
    return _state(app or current_app._get_current_object())["huey"]


def put(app: Flask, job_id: int) -> None:
    """Put job ``job_id`` on the app's queue (also from the command line)."""
    _state(app)["task"](job_id)


def enqueue(job_id: int) -> None:
    """Put a (committed) job on the queue. In immediate mode it runs now, in its own context:
    the caller's session must hold no transaction then (it would hold the write lock)."""
    app = current_app._get_current_object()
    state = _state(app)
    if state["huey"].immediate:
        from practice.extensions import db

        assert not db.session().in_transaction(), "enqueue after the commit, with the id"
    if app.config.get("JOBS_IN_PROCESS"):
        start_thread(app)
    state["task"](job_id)


def run(app: Flask, job_id: int) -> None:
    """Run job ``job_id`` once, in an app context of its own (its own database session)."""
    from practice.extensions import db
    from practice.jobs import service

    with app.app_context():
        job = service.claim(job_id)
        if job is None:  # gone, or another worker has it
            db.session.rollback()
            return
        kind = HANDLERS.get(job.kind)
        try:
            if kind is None:
                raise LookupError(job.kind)
            kind.work(job)
            db.session.commit()
        except Exception as error:  # noqa: BLE001  (any failure ends the job, never the worker)
            db.session.rollback()
            # The class and where, not the message: messages can quote the data.
            log.error("job %s (%s) failed: %s\n%s", job_id, job.kind, type(error).__name__,
                      "".join(traceback.format_tb(error.__traceback__)[-5:]))
            service.fail(job_id, "failed")
        finally:
            db.session.remove()


def start_thread(app: Flask) -> None:
    """A worker thread inside this process (the development server), started once."""
    state = _state(app)
    if state["thread"] is not None and state["thread"].is_alive():
        return
    huey = state["huey"]

    def loop():
        while True:
            try:
                task = huey.dequeue()
                if task is None:
                    time.sleep(0.5)
                    continue
                huey.execute(task)
            except Exception as error:  # noqa: BLE001  (keep serving the queue)
                log.error("job thread: %s", type(error).__name__)
                time.sleep(2)

    state["thread"] = threading.Thread(target=loop, name="practice-jobs", daemon=True)
    state["thread"].start()
