"""Encrypted backups that restore (issue 13): backup -> restore round trip with row parity on
SQLite and PostgreSQL, keys by passphrase or age identity, and clear refusals."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
import sqlalchemy as sa

from conftest import PG_URL, SECOND_FACTORS, SETUP_FORM, base_config, login, submit
from diary_helpers import create_link, enter, today_of
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page

EN = {"Accept-Language": "en"}
PASSPHRASE = "a long backup passphrase for the test"


def counts(app) -> dict:
    from practice.extensions import db
    import practice.models  # noqa: F401

    with app.app_context():
        with db.engine.connect() as connection:
            return {name: connection.execute(sa.select(sa.func.count()).select_from(table))
                    .scalar_one() for name, table in db.metadata.tables.items()}


def restore_url(tmp_path) -> str:
    """An empty database for the restore: a new file, or a second PostgreSQL database."""
    if not PG_URL:
        return f"sqlite:///{tmp_path / 'restored' / 'practice.sqlite3'}"
    from practice.config import normalise_database_url

    url = sa.engine.make_url(normalise_database_url(PG_URL))
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("DROP DATABASE IF EXISTS practice_restore_test")
        connection.exec_driver_sql("CREATE DATABASE practice_restore_test")
    engine.dispose()
    return url.set(database="practice_restore_test").render_as_string(hide_password=False)


def make_app(monkeypatch, folder, url):
    from practice import create_app

    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("PRACTICE_INSTANCE_PATH", str(folder))
    return create_app(base_config(url))


@pytest.fixture
def practice_with_a_record(app, monkeypatch, tmp_path):
    """The test's app, with an instance folder of its own and a client's record in it."""
    app.instance_path = str(tmp_path / "instance")
    (tmp_path / "instance").mkdir()
    web = app.test_client()
    submit(web, "/setup", SETUP_FORM, headers=EN)
    login(web, SETUP_FORM["admin_email"])
    cid = client_id(new_client(web, last_name="Sicherungsmann"))
    html = visit_page(web, cid)
    record_visit(web, cid, {"pain_now": "4", "add": str(item_ids(html)["Kidney rubbing"])}, html)
    phone = app.test_client()
    phone.get(create_link(web, cid))
    enter(phone, today_of(phone), "morning", pain=6)
    return app


def test_round_trip_restores_every_row_and_the_practice_opens(practice_with_a_record, tmp_path,
                                                              monkeypatch):
    app = practice_with_a_record
    monkeypatch.setenv("PRACTICE_BACKUP_PASSPHRASE", PASSPHRASE)
    target = tmp_path / "backups" / "practice.age"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "encrypted" in result.output
    sealed = target.read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1") and b"Sicherungsmann" not in sealed
    assert oct(target.stat().st_mode)[-3:] == "600"
    from pyrage import passphrase

    with tarfile.open(fileobj=io.BytesIO(passphrase.decrypt(sealed, PASSPHRASE))) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        database = tar.extractfile(manifest["file"]).read()
    assert app.config["SECRET_KEY"].encode() not in database  # never the secret key
    assert manifest["counts"]["diary_entries"] == 1 and manifest["counts"]["visits"] == 1
    before = counts(app)

    restored = make_app(monkeypatch, tmp_path / "restored", restore_url(tmp_path))
    result = restored.test_cli_runner().invoke(args=["restore", str(target)])
    assert result.exit_code == 0, result.output
    assert "all as counted at the backup" in result.output and "integrity ok" in result.output
    assert counts(restored) == before
    web = restored.test_client()
    SECOND_FACTORS[restored] = SECOND_FACTORS[app]  # the same accounts, the same authenticator
    login(web, SETUP_FORM["admin_email"])
    assert "Sicherungsmann" in web.get("/clients/", headers=EN).get_data(as_text=True)
    # A second restore into the now full database is refused, and nothing changes.
    before = counts(restored)
    again = restored.test_cli_runner().invoke(args=["restore", str(target)])
    assert again.exit_code != 0 and "not empty" in again.output
    assert "Traceback" not in again.output and counts(restored) == before
    with restored.app_context():
        from practice.extensions import db

        db.engine.dispose()


def test_an_age_identity_key_works_and_wrong_keys_are_told_apart(practice_with_a_record,
                                                                 tmp_path, monkeypatch):
    app = practice_with_a_record
    monkeypatch.delenv("PRACTICE_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.delenv("PRACTICE_BACKUP_RECIPIENT", raising=False)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["backup", str(tmp_path / "none.age")])
    assert refused.exit_code != 0 and "no backup key" in refused.output
    assert not (tmp_path / "none.age").exists()
    identity = tmp_path / "offline" / "backup-identity.txt"
    made = runner.invoke(args=["backup-key", "--out", str(identity)])
    assert made.exit_code == 0 and "age1" in made.output, made.output
    assert oct(identity.stat().st_mode)[-3:] == "600"
    target = tmp_path / "b.age"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    assert runner.invoke(args=["backup", str(target)]).output.count("exists already") == 1

    restored = make_app(monkeypatch, tmp_path / "restored", restore_url(tmp_path))
    other = tmp_path / "other-identity.txt"
    restored_runner = restored.test_cli_runner()
    assert restored_runner.invoke(args=["backup-key", "--out", str(other)]).exit_code == 0
    wrong = restored_runner.invoke(args=["restore", str(target), "--identity", str(other)])
    assert wrong.exit_code != 0 and "cannot decrypt" in wrong.output
    damaged = tmp_path / "damaged.age"
    damaged.write_bytes(target.read_bytes()[:-40])
    broken = restored_runner.invoke(args=["restore", str(damaged), "--identity", str(identity)])
    assert broken.exit_code != 0 and "Traceback" not in broken.output
    plain = tmp_path / "plain.sqlite3"
    plain.write_bytes(b"SQLite format 3\x00")
    assert "not an encrypted practice backup" in restored_runner.invoke(
        args=["restore", str(plain), "--identity", str(identity)]).output
    good = restored_runner.invoke(args=["restore", str(target), "--identity", str(identity)])
    assert good.exit_code == 0, good.output
    assert counts(restored) == counts(app)
    with restored.app_context():
        from practice.extensions import db

        db.engine.dispose()
