"""``practice backup``, ``practice restore`` and ``practice backup-key``: encrypted backups of the
SQLite or PostgreSQL database that restore and prove it (practice/core/backup.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from practice.core import backup as backups
from practice.extensions import db


def _instance() -> Path:
    return Path(current_app.instance_path)


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(destination: Path):
    """Write an encrypted backup of the database to DESTINATION (safe while the app serves).

    The key: an age recipient (`practice backup-key`) or PRACTICE_BACKUP_PASSPHRASE. SQLite is
    copied with its online backup; PostgreSQL through pg_dump, in one snapshot with the counts.
    """
    import practice.models  # noqa: F401  (every table, for the counts)

    try:
        manifest = backups.create(destination, db.engine, db.metadata.tables, _instance())
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(manifest["counts"].values())
    click.echo(f"Backup written to {destination}: {len(manifest['counts'])} tables, {rows} rows, "
               f"schema {manifest['revision']}, encrypted.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--identity", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The age identity file from `practice backup-key` (else the passphrase)")
@with_appcontext
def restore(source: Path, identity: Path | None):
    """Restore SOURCE into this instance's empty database, then verify it (integrity, row
    counts against the backup's manifest, schema at the current version)."""
    import practice.models  # noqa: F401
    from flask_migrate import upgrade

    try:
        report = backups.restore(source, db.engine, db.metadata, _instance(),
                                 identity_file=identity, upgrade=upgrade)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    manifest = report["manifest"]
    click.echo(f"Restored the backup of {manifest['created_at'][:16]} UTC: "
               f"{sum(report['counts'].values())} rows in {len(report['counts'])} tables, "
               f"all as counted at the backup; integrity {report['integrity']}"
               + ("; schema brought up to date" if report["upgraded"] else "") + ".")
    click.echo("Sign-ins start afresh; diary links keep working. Keep instance/secret_key "
               "from the old server only if its sessions should stay valid.")


@click.command("backup-key")
@click.option("--out", "identity_file", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Where the secret identity goes (keep it away from this server)")
@with_appcontext
def backup_key(identity_file: Path):
    """Make a key pair for backups: the identity into --out, the recipient into the instance."""
    try:
        recipient = backups.new_key(identity_file, _instance())
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backups are now encrypted for {recipient}.")
    click.echo(f"The identity in {identity_file} is the only way to read them: keep a copy "
               "off this server (e.g. on paper in the practice's safe).")
