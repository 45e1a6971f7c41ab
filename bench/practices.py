"""Filled practices for the benchmarks, made once a day and reused (``--keep``): a SQLite
file copied, or a PostgreSQL database made from a template, one per size."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from fill import fill, set_up  # noqa: E402


def prepare_database(url: str | None, folder: str) -> str:
    if url is None or url == "sqlite":
        return f"sqlite:///{folder}/bench.sqlite3"
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url


@contextlib.contextmanager
def practice_of(size: int, args):
    """A filled practice of ``size`` clients: (instance folder, database URL, TOTP secret, ids,
    fill seconds). With ``--keep DIR`` a fill made today is reused (SQLite: a copy of the file;
    PostgreSQL: a database made from a template), since filling 100,000 clients takes minutes
    and the pages measured do not depend on it being new."""
    import json
    import shutil

    kind = "sqlite" if args.database == "sqlite" else "postgresql"
    today = datetime.now(UTC).date().isoformat()
    with contextlib.ExitStack() as stack:
        if args.keep:
            folder = str(Path(args.keep).resolve() / f"{kind}-{size}")
            os.makedirs(folder, exist_ok=True)
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory())
        saved = Path(folder) / "filled.json"
        facts = json.loads(saved.read_text()) if args.keep and saved.exists() else None
        if facts is not None and facts.get("day") != today:
            facts = None  # diary slots are days: yesterday's fill has other free slots
        if kind == "sqlite":
            url = f"sqlite:///{folder}/bench.sqlite3"
            for suffix in ("", "-wal", "-shm", ".writers"):
                Path(f"{folder}/bench.sqlite3{suffix}").unlink(missing_ok=True)
            if facts is not None:
                shutil.copyfile(f"{folder}/filled.sqlite3", f"{folder}/bench.sqlite3")
        else:  # a database per size (the sizes are served at once), beside the given one
            import sqlalchemy as sa

            given = sa.engine.make_url(args.database)
            url = given.set(database=f"{given.database}_{size}").render_as_string(
                hide_password=False)
            if facts is not None:
                copy_database(url, template_name(args.database, size), url_database(url))
            else:
                create_database(url)
                url = prepare_database(url, folder)
        env = {**os.environ, "PRACTICE_INSTANCE_PATH": folder, "DATABASE_URL": url}
        os.environ.update(PRACTICE_INSTANCE_PATH=folder, DATABASE_URL=url)
        # A kept fill too: it then has the indexes of the code measured, not of its day's start.
        subprocess.run([str(ROOT / ".venv" / "bin" / "practice"), "db", "upgrade"], env=env,
                       check=True, capture_output=True)
        if facts is None:
            from practice import create_app

            app = create_app()
            began = time.perf_counter()
            secret = set_up(app)
            ids = fill(app, size)
            facts = {"day": today, "secret": secret, "ids": ids,
                     "fill_seconds": time.perf_counter() - began}
            from practice.extensions import db

            with app.app_context():
                db.engine.dispose()
            if args.keep:
                if kind == "sqlite":
                    import sqlite3

                    with sqlite3.connect(f"{folder}/bench.sqlite3") as connection:
                        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    shutil.copyfile(f"{folder}/bench.sqlite3", f"{folder}/filled.sqlite3")
                else:
                    copy_database(url, url_database(url), template_name(args.database, size))
                saved.write_text(json.dumps(facts))
        ids = facts["ids"]
        ids["diary_cookies"] = {int(k): v for k, v in ids["diary_cookies"].items()}
        ids["free_slots"] = [tuple(slot) for slot in ids["free_slots"]]
        yield folder, url, env, facts["secret"], ids, facts["fill_seconds"]


def url_database(url: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).database


def template_name(url: str, size: int) -> str:
    return f"{url_database(url)}_filled_{size}"


def create_database(url: str) -> None:
    """Create the database of ``url`` on its server unless it is there."""
    import sqlalchemy as sa

    server = sa.create_engine(sa.engine.make_url(url).set(database="postgres"),
                              isolation_level="AUTOCOMMIT")
    name = url_database(url)
    with server.connect() as connection:
        if not connection.exec_driver_sql(
                "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}).first():
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    server.dispose()


def copy_database(url: str, source: str, target: str) -> None:
    """(Re)create database ``target`` from the template ``source`` on the server of ``url``."""
    import sqlalchemy as sa

    server = sa.create_engine(sa.engine.make_url(url).set(database="postgres"),
                              isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    server.dispose()
