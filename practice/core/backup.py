"""Encrypted backups that restore: one file (age format) holding the database and a manifest.

The manifest names the schema revision and the number of rows of every table, counted in the
same snapshot as the copy, so a restore can prove that it got everything back. The key is an age
recipient (``PRACTICE_BACKUP_RECIPIENT`` or ``instance/backup-recipient.txt``; its identity, the
secret half, is kept away from the server) or a passphrase (``PRACTICE_BACKUP_PASSPHRASE`` or
``instance/backup-passphrase``). The app's secret key is never part of a backup.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pyrage
import sqlalchemy as sa
from pyrage import passphrase as age_passphrase
from pyrage import x25519

FORMAT = "practice-backup/1"
DATABASE_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def _read_setting(variable: str, instance: Path, file_name: str) -> str:
    value = os.environ.get(variable, "").strip()
    if not value and (instance / file_name).is_file():
        value = (instance / file_name).read_text(encoding="utf-8").strip()
    return value


def _key(instance: Path):
    """("recipients", [...]) or ("passphrase", text), from the environment or the instance."""
    recipients = _read_setting("PRACTICE_BACKUP_RECIPIENT", instance, "backup-recipient.txt")
    if recipients:
        try:
            return "recipients", [x25519.Recipient.from_str(part.strip())
                                  for part in recipients.replace(",", "\n").splitlines()
                                  if part.strip() and not part.startswith("#")]
        except pyrage.RecipientError:
            raise BackupError("the backup recipient is not an age public key (age1...)") from None
    passphrase = _read_setting("PRACTICE_BACKUP_PASSPHRASE", instance, "backup-passphrase")
    if passphrase:
        return "passphrase", passphrase
    raise BackupError("no backup key: run `practice backup-key --out FILE` (keep FILE away from "
                      "this server) or set PRACTICE_BACKUP_PASSPHRASE")


def new_key(identity_file: Path, instance: Path) -> str:
    """Make an age key pair: the identity (secret) into ``identity_file``, the recipient
    (public) into the instance, where backups read it. Returns the recipient."""
    if identity_file.exists():
        raise BackupError(f"{identity_file} exists already; choose a new file name")
    identity = x25519.Identity.generate()
    identity_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(identity_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(f"# practice backup identity, made {datetime.now(UTC):%Y-%m-%d}\n"
                     f"{identity}\n")
    recipient = str(identity.to_public())
    (instance / "backup-recipient.txt").write_text(recipient + "\n", encoding="utf-8")
    return recipient


def libpq_url(url: sa.engine.URL) -> str:
    """The URL as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _counts(connection, tables) -> dict[str, int]:
    inspector = sa.inspect(connection)
    present = set(inspector.get_table_names())
    return {name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for name, table in sorted(tables.items()) if name in present}


def _revision(connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _dump(engine, tables, folder: Path) -> dict:
    """Copy the database into ``folder`` and count its rows in the same snapshot."""
    kind = engine.dialect.name
    target = folder / DATABASE_NAMES[kind]
    if kind == "sqlite":
        source, copy = sqlite3.connect(engine.url.database), sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # SQLite's online backup: consistent while the app serves
        finally:
            copy.close()
            source.close()
        copied = sa.create_engine(f"sqlite:///{target}")
        with copied.connect() as connection:
            counts, revision = _counts(connection, tables), _revision(connection)
        copied.dispose()
        return {"counts": counts, "revision": revision}
    # One snapshot for the dump and the counts: exported, and pg_dump joins it. The isolation
    # level goes through the driver: a BEGIN of our own would come after psycopg's, ignored.
    with engine.connect().execution_options(isolation_level="REPEATABLE READ",
                                            postgresql_readonly=True) as connection:
        snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        counts, revision = _counts(connection, tables), _revision(connection)
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--no-owner",
              "--exclude-schema=practice_jobs", f"--file={target}",
              f"--dbname={libpq_url(engine.url)}"])
        connection.rollback()
    return {"counts": counts, "revision": revision}


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt install "
                          "postgresql-client)")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        # The first line names the problem; the rest may quote the URL, which stays out.
        first = (done.stderr or done.stdout).strip().splitlines()[:1]
        raise BackupError(f"{command[0]} failed: {first[0] if first else done.returncode}")


def create(destination: Path, engine, tables, instance: Path) -> dict:
    """Write an encrypted backup of the database to ``destination``; returns its manifest."""
    if destination.exists():
        raise BackupError(f"{destination} exists already; choose a new file name")
    kind, key = _key(instance)
    if engine.dialect.name not in DATABASE_NAMES:
        raise BackupError(f"cannot back up a {engine.dialect.name} database")
    destination.parent.mkdir(parents=True, exist_ok=True)
    # The plain copy lives only in a folder beside the database it copies (same protection).
    with tempfile.TemporaryDirectory(dir=instance, prefix=".backup-") as work:
        folder = Path(work)
        facts = _dump(engine, tables, folder)
        manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(),
                    "database": engine.dialect.name, "file": DATABASE_NAMES[engine.dialect.name],
                    **facts}
        archive = folder / "backup.tar"
        with tarfile.open(archive, "w") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(folder / manifest["file"], arcname=manifest["file"])
        partial = destination.with_name(destination.name + ".partial")
        if kind == "recipients":
            pyrage.encrypt_file(str(archive), str(partial), key)
        else:
            partial.write_bytes(age_passphrase.encrypt(archive.read_bytes(), key))
        partial.chmod(0o600)
        partial.replace(destination)  # never a half-written file under the final name
    return manifest


def _decrypt(source: Path, instance: Path, identity_file: Path | None) -> bytes:
    data = source.read_bytes()
    if not data.startswith(b"age-encryption.org/"):
        raise BackupError(f"{source} is not an encrypted practice backup")
    try:
        if identity_file is not None:
            lines = [line.strip() for line in identity_file.read_text(encoding="utf-8")
                     .splitlines() if line.strip().startswith("AGE-SECRET-KEY-")]
            if not lines:
                raise BackupError(f"{identity_file} holds no age identity (AGE-SECRET-KEY-...)")
            return pyrage.decrypt(data, [x25519.Identity.from_str(line) for line in lines])
        passphrase = _read_setting("PRACTICE_BACKUP_PASSPHRASE", instance, "backup-passphrase")
        if not passphrase:
            raise BackupError("give the key: --identity FILE, or PRACTICE_BACKUP_PASSPHRASE")
        return age_passphrase.decrypt(data, passphrase)
    except (pyrage.DecryptError, pyrage.IdentityError):
        raise BackupError("cannot decrypt: wrong identity or passphrase, or a damaged "
                          "file") from None


def _unpack(plain: bytes, folder: Path) -> dict:
    try:
        with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise BackupError("not a practice backup of a known format")
            name = manifest["file"]
            if name not in DATABASE_NAMES.values():
                raise BackupError("the backup names an unexpected file")
            with (folder / name).open("wb") as out:  # by name: no path from the archive
                shutil.copyfileobj(tar.extractfile(name), out)
    except (tarfile.TarError, KeyError, ValueError, TypeError):
        raise BackupError("the backup is damaged (its archive cannot be read)") from None
    return manifest


def is_empty(engine, tables) -> bool:
    """No table of the app holds a row (a fresh instance, migrated or not)."""
    with engine.connect() as connection:
        return not any(_counts(connection, tables).values())


def restore(source: Path, engine, metadata, instance: Path, *, identity_file: Path | None,
            upgrade) -> dict:
    """Restore ``source`` into the empty database of ``engine``, bring it to the current schema
    (``upgrade()``) and verify it; returns what was checked."""
    tables = metadata.tables
    if not is_empty(engine, tables):
        raise BackupError("the database is not empty: restore into a new instance (or a new "
                          "PostgreSQL database) and switch over once it is verified")
    plain = _decrypt(source, instance, identity_file)
    with tempfile.TemporaryDirectory(dir=instance, prefix=".restore-") as work:
        manifest = _unpack(plain, Path(work))
        if manifest["database"] != engine.dialect.name:
            raise BackupError(f"the backup is of a {manifest['database']} database; this "
                              f"instance uses {engine.dialect.name}")
        engine.dispose()
        if engine.dialect.name == "sqlite":
            target = Path(engine.url.database)
            for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                stale.unlink(missing_ok=True)
            shutil.copyfile(Path(work) / manifest["file"], target)
            target.chmod(0o600)
        else:
            with engine.begin() as connection:  # the empty tables of a migrated instance go
                metadata.drop_all(connection)
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                  f"--dbname={libpq_url(engine.url)}", str(Path(work) / manifest["file"])])
    engine.dispose()
    upgraded = False
    with engine.connect() as connection:
        revision = _revision(connection)
    upgrade()
    with engine.connect() as connection:
        upgraded = _revision(connection) != revision
        counts = _counts(connection, tables)
        integrity = (connection.exec_driver_sql("PRAGMA integrity_check").scalar()
                     if engine.dialect.name == "sqlite" else "ok")
    missing = {name: (count, counts.get(name)) for name, count in manifest["counts"].items()
               if counts.get(name) != count}
    if integrity != "ok" or missing:
        raise BackupError(f"restored, but the check failed: integrity {integrity}, rows "
                          f"differing {missing}")
    return {"manifest": manifest, "counts": counts, "upgraded": upgraded,
            "integrity": integrity}
