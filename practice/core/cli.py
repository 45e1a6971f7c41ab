"""``practice backup``: a consistent copy of the SQLite database while the app keeps running."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext

from practice.extensions import db


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(destination: Path):
    """Write a consistent copy of the SQLite database to DESTINATION.

    Uses SQLite's online backup, which is safe while the app is serving (WAL mode). For
    PostgreSQL use pg_dump instead.
    """
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException("the database is not SQLite: use pg_dump (see README)")
    if destination.exists():
        raise click.ClickException(f"{destination} exists already; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(url.database)
    target = sqlite3.connect(destination)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()
    destination.chmod(0o600)
    click.echo(f"Backup written to {destination}.")
