"""Concurrent diary submissions against one SQLite database.

Usage: .venv/bin/python bench/diary_concurrency.py [PROCESSES] [PER_PROCESS]  (default 4 x 250)
Each process posts its share of diary entries through the real diary pages (personal link,
cookie, CSRF token, form), each entry in a slot of its own, all at the same time. Counts errors
and the entries stored; appends the result to bench/RESULTS.md.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

SLOTS_PER_CLIENT = 16  # today and 7 days back, morning and evening


def prepare(database_url: str, clients_needed: int) -> list[str]:
    """Set up a practice with clients that have consent and a diary link; returns link paths."""
    from conftest import base_config
    from practice import create_app
    from practice.accounts.models import ROLE_ADMIN
    from practice.accounts.service import create_practitioner
    from practice.clients import consent
    from practice.clients import service as clients
    from practice.diary import links
    from practice.extensions import db
    from practice.settings.models import PracticeSettings

    app = create_app(base_config(database_url))
    paths = []
    with app.test_request_context():
        db.session.add(PracticeSettings(id=1, name="Bench"))
        admin = create_practitioner("Bench", "bench@example.com", "bench password 1", ROLE_ADMIN)
        for number in range(clients_needed):
            client = clients.create({"first_name": "Load", "last_name": f"Test {number}",
                                     "practitioner_id": admin.id}, actor=admin)
            consent.give(client, language="en", actor=admin)
            link = links.create(client, actor=admin)
            paths.append(f"/d/{links.token_for(link)}")
        db.session.commit()
        db.engine.dispose()
    return paths


def worker(database_url: str, paths: list[str], count: int, start, results) -> None:
    """Post ``count`` entries, spread over the given clients' free slots."""
    import re
    from datetime import date, timedelta

    from conftest import base_config
    from practice import create_app
    from practice.extensions import db

    app = create_app(base_config(database_url))
    errors, done = [], 0
    phones = []
    for path in paths:
        phone = app.test_client()
        phone.get(path)
        home = phone.get("/diary/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
        today = date.fromisoformat(re.search(r"/diary/(\d{4}-\d\d-\d\d)/morning", home).group(1))
        phones.append((phone, token, today))
    start.wait(timeout=60)
    began = time.perf_counter()
    for index in range(count):
        phone, token, today = phones[index // SLOTS_PER_CLIENT]
        slot_index = index % SLOTS_PER_CLIENT
        day = today - timedelta(days=slot_index // 2)
        slot = "morning" if slot_index % 2 == 0 else "evening"
        try:
            response = phone.post(f"/diary/{day.isoformat()}/{slot}",
                                  data={"csrf_token": token, "pain": str(index % 11),
                                        "warning": "no"})
            if response.status_code != 302:
                errors.append(f"status {response.status_code}")
            else:
                done += 1
        except Exception as error:  # noqa: BLE001 - counted, never hidden
            errors.append(f"{type(error).__name__}: {error}")
    with app.app_context():
        db.engine.dispose()
    results.put((done, errors, time.perf_counter() - began))


def run(database_url: str, processes: int, per_process: int) -> dict:
    """Run the load and count what was stored."""
    import sqlalchemy as sa

    per_client = SLOTS_PER_CLIENT
    clients_per_process = -(-per_process // per_client)
    paths = prepare(database_url, processes * clients_per_process)
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=worker, args=(
        database_url, paths[i * clients_per_process:(i + 1) * clients_per_process],
        per_process, start, results)) for i in range(processes)]
    for process in workers:
        process.start()
    time.sleep(1)
    start.set()
    outcomes = [results.get(timeout=600) for _ in workers]
    for process in workers:
        process.join(timeout=60)
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT count(*) FROM diary_entries")).scalar()
    engine.dispose()
    return {"submitted": sum(o[0] for o in outcomes),
            "errors": [e for o in outcomes for e in o[1]],
            "stored": stored, "seconds": max(o[2] for o in outcomes)}


def main() -> None:
    """Run 4 x 250 (or as given) and write the result down."""
    processes = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    per_process = int(sys.argv[2]) if len(sys.argv) > 2 else 250
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PRACTICE_INSTANCE_PATH"] = folder
        from conftest import migrate_to_head

        url = f"sqlite:///{folder}/load.sqlite3"
        migrate_to_head(url)
        result = run(url, processes, per_process)
    report = (f"## Diary submissions, {processes} processes x {per_process} "
              f"(SQLite, {datetime.now(UTC):%Y-%m-%d})\n\n"
              f"Through the real diary pages (link, cookie, CSRF, form), all processes at once: "
              f"{result['submitted']} accepted, {len(result['errors'])} errors, "
              f"{result['stored']} entries stored, {result['seconds']:.1f} s wall time "
              f"({result['stored'] / max(result['seconds'], 0.001):.0f} entries/s).\n")
    if result["errors"]:
        report += "\nFirst errors: " + "; ".join(result["errors"][:5]) + "\n"
    print(report)
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as handle:
        handle.write("\n" + report)
    if result["errors"] or result["stored"] != processes * per_process:
        sys.exit(1)


if __name__ == "__main__":
    main()
