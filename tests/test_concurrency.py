"""Two processes writing to one database at once must wait for each other, never fail."""

from __future__ import annotations

import multiprocessing

import sqlalchemy as sa

UPDATES = 200


def _writer(database_url: str, practitioner_id: int, label: str, start, results) -> None:
    """Read-modify-write an account UPDATES times, one transaction each, like web requests."""
    from conftest import base_config
    from practice import create_app
    from practice.accounts.models import Practitioner
    from practice.audit import service as audit
    from practice.extensions import db

    app = create_app(base_config(database_url))
    errors: list[str] = []
    start.wait(timeout=30)
    with app.app_context():
        for number in range(UPDATES):
            try:
                account = db.session.get(Practitioner, practitioner_id)
                account.name = f"{label} {number}"
                audit.record("account.rename", "practitioner", account.id, actor_kind="system")
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - every failure is counted, not hidden
                db.session.rollback()
                errors.append(type(error).__name__ + ": " + str(error).splitlines()[0])
        db.engine.dispose()
    results.put((label, errors))


def test_two_processes_updating_accounts_at_once_never_see_database_is_locked(
        app, database_url, practice_set_up):
    from practice.accounts.models import Practitioner
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    with app.app_context():
        practitioner_id = db.session.scalar(sa.select(Practitioner.id))
        db.engine.dispose()

    context = multiprocessing.get_context("spawn")
    start = context.Event()
    results = context.Queue()
    workers = [context.Process(target=_writer,
                               args=(database_url, practitioner_id, label, start, results))
               for label in ("first", "second")]
    for worker in workers:
        worker.start()
    start.set()
    outcomes = dict(results.get(timeout=240) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)

    assert outcomes == {"first": [], "second": []}
    with app.app_context():
        renames = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent)
            .where(AuditEvent.action == "account.rename")
        )
        assert renames == 2 * UPDATES


def test_four_processes_submitting_diary_entries_at_once(tmp_path):
    """The bench/diary_concurrency.py load, smaller: 4 x 32 entries through the diary pages."""
    import sys
    from pathlib import Path

    from conftest import PG_URL, migrate_to_head

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from diary_concurrency import run

    if PG_URL:
        import pytest

        pytest.skip("the SQLite locking case; PostgreSQL runs the account test above")
    url = f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    migrate_to_head(url)
    result = run(url, processes=4, per_process=32)
    assert result["errors"] == []
    assert result["stored"] == result["submitted"] == 128
