"""The database under migrations: schema agreement, SQLite connection settings, UTC times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import sqlite3

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import practice.models  # noqa: F401
from practice.extensions import db

from conftest import PG_URL, base_config


def test_models_and_migrations_agree(app):
    """Autogenerate finds nothing to do on the migrated database (SQLite or PostgreSQL)."""
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_model_table_exists_and_alembic_is_at_head(app):
    from alembic.script import ScriptDirectory

    with app.app_context():
        inspector = sa.inspect(db.engine)
        tables = set(inspector.get_table_names())
        assert set(db.metadata.tables) <= tables
        current = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        config = app.extensions["migrate"].migrate.get_config()
        assert current == ScriptDirectory.from_config(config).get_current_head()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite round trip; PostgreSQL gets its own below")
def test_migrations_downgrade_and_upgrade_again(tmp_path):
    from flask_migrate import downgrade, upgrade

    from practice import create_app

    app = create_app(base_config(f"sqlite:///{tmp_path / 'rt.sqlite3'}"))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "practitioners" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="needs PRACTICE_TEST_DATABASE_URL")
def test_migrations_round_trip_on_postgres():
    from flask_migrate import downgrade, upgrade

    from conftest import migrate_to_head
    from practice import create_app

    # Runs on the shared test database, then leaves it at head as the other tests expect.
    app = create_app(base_config(PG_URL))
    with app.app_context():
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()
    migrate_to_head(PG_URL)


@pytest.mark.skipif(bool(PG_URL), reason="SQLite connection settings")
def test_sqlite_connections_use_wal_foreign_keys_busy_timeout_and_immediate_transactions(app):
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA mmap_size").scalar() == 256 * 1024 * 1024
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -8192
        # A transaction from the app holds the write lock from its first statement on (BEGIN
        # IMMEDIATE): a second writer that will not wait is refused at once.
        with db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
            other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.close()
            connection.rollback()


def test_foreign_keys_are_enforced(app):
    from practice.accounts.models import Login

    with app.app_context():
        db.session.add(Login(practitioner_id=999_999, token_hash="x" * 64))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_timestamps_come_back_as_aware_utc(app, practice_set_up):
    from practice.accounts.models import Practitioner

    with app.app_context():
        account = db.session.scalar(sa.select(Practitioner))
        berlin = timezone(timedelta(hours=1))
        account.last_login_at = datetime(2026, 3, 1, 9, 30, tzinfo=berlin)
        db.session.commit()
        db.session.expire_all()
        account = db.session.scalar(sa.select(Practitioner))
        assert account.last_login_at == datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
        assert account.last_login_at.tzinfo is not None
        account.last_login_at = datetime(2026, 3, 1, 9, 30)  # naive: ambiguous, refused
        with pytest.raises(sa.exc.StatementError):
            db.session.flush()
        db.session.rollback()


def test_constraint_names_follow_the_convention(app):
    with app.app_context():
        inspector = sa.inspect(db.engine)
        uniques = {u["name"] for u in inspector.get_unique_constraints("practitioners")}
        assert "uq_practitioners_email" in uniques
        foreign = {f["name"] for f in inspector.get_foreign_keys("logins")}
        assert "fk_logins_practitioner_id_practitioners" in foreign


def test_pages_read_while_another_process_writes(app, admin_client):
    """A GET only reads: it is served while another connection holds SQLite's write lock."""
    if PG_URL:
        pytest.skip("SQLite's write lock")
    admin_client.get("/")  # the sign-in's last-seen time is written now, not during the test
    other = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"),
                            isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        app.config["SQLITE_BUSY_TIMEOUT_MS"] = 0
        for path in ("/", "/clients/", "/library/"):
            assert admin_client.get(path).status_code == 200, path
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_get_that_writes_is_refused_in_tests(database_url):
    from practice import create_app
    from practice.audit.models import AuditEvent
    from practice.database import WriteInReadOnlyRequest, utcnow
    from practice.security import public

    app = create_app(base_config(database_url))

    @public
    def writes():
        db.session.add(AuditEvent(at=utcnow(), actor_kind="system", action="x", object_type="x"))
        db.session.flush()
        return "written"

    app.add_url_rule("/writes", "writes", writes, methods=["GET", "POST"])
    client = app.test_client()
    from conftest import SETUP_FORM, submit

    try:
        submit(client, "/setup", SETUP_FORM)
        with pytest.raises(WriteInReadOnlyRequest, match="GET /writes changes AuditEvent"):
            client.get("/writes")
    finally:
        if PG_URL:  # this app is not the fixture's: empty the shared database for the next test
            from conftest import _truncate_all

            _truncate_all(app)


def test_a_wrong_synchronous_setting_is_one_clear_line(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    practice = Path(sys.executable).parent / "practice"
    result = subprocess.run([str(practice), "db", "upgrade"], capture_output=True, text=True,
                            env={**os.environ, "PRACTICE_INSTANCE_PATH": str(tmp_path),
                                 "PRACTICE_SQLITE_SYNCHRONOUS": "sometimes"})
    assert result.returncode == 1
    assert "SQLITE_SYNCHRONOUS must be one of NORMAL, FULL, EXTRA" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
