"""Benchmark: the client list with thousands of clients (search, filter, one page).

Usage: .venv/bin/python bench/client_list.py [CLIENTS]   (default 5000)
Builds a throw-away SQLite database through the migrations, adds CLIENTS clients (a tenth with an
open red-flag notice, each with an intake), then times the list page through the test client:
the default view, a name search, the "open warning signs" filter, and a late page. Prints
medians and appends them to bench/RESULTS.md.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    """Fill a database, time the list, write the results."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PRACTICE_INSTANCE_PATH"] = folder
        from conftest import SETUP_FORM, base_config, login, migrate_to_head, submit
        from practice import create_app
        from practice.clients.models import Client, ClientAlert
        from practice.clients.service import fold
        from practice.extensions import db
        from practice.intake.models import Intake, IntakeVersion

        url = f"sqlite:///{folder}/bench.sqlite3"
        migrate_to_head(url)
        app = create_app(base_config(url))
        client = app.test_client()
        submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
        login(client, SETUP_FORM["admin_email"])
        rng = random.Random(7)
        firsts = ["Anna", "Ben", "Clara", "Deniz", "Emil", "Frieda", "Jana", "Jörg", "Lena", "Ute"]
        lasts = ["Müller", "Schmidt", "Schäfer", "Weber", "Meier", "Wagner", "Becker", "Hoffmann",
                 "Koch", "Richter", "Yılmaz", "Nguyen"]
        start = time.perf_counter()
        with app.app_context():
            now = datetime.now(UTC)
            for number in range(count):
                first, last = rng.choice(firsts), f"{rng.choice(lasts)}-{number}"
                person = Client(first_name=first, last_name=last, search_name=fold(f"{first} {last}"),
                                practitioner_id=1, last_activity_at=now - timedelta(minutes=number))
                intake = Intake(client=person, status="complete", version_count=1,
                                baseline_pain=rng.randint(0, 10), start_back_risk="low")
                db.session.add_all([person, intake,
                                    IntakeVersion(intake=intake, number=1, status="complete",
                                                  answers={"pain_now": 5}, changed_keys=[])])
                if number % 10 == 0:
                    db.session.add(ClientAlert(client=person, kind="red_flag", source="intake",
                                               reasons=["rf_fever"]))
            db.session.commit()
        fill = time.perf_counter() - start

        cases = {
            "default list": "/clients/",
            "search 'schä'": "/clients/?q=sch%C3%A4",
            "open warning signs": "/clients/?flags=open",
            "page 100": "/clients/?page=100",
            "search, partial": "/clients/?q=jana+mei&partial=1",
        }
        results = {}
        for name, path in cases.items():
            timings = []
            for _ in range(15):
                begin = time.perf_counter()
                response = client.get(path)
                timings.append(time.perf_counter() - begin)
                assert response.status_code == 200, (path, response.status_code)
            results[name] = statistics.median(timings) * 1000
    lines = [f"## Client list, {count} clients (SQLite, {datetime.now(UTC):%Y-%m-%d})", "",
             f"Filling took {fill:.1f} s. Median of 15 requests through the Flask test client,",
             "including login check, audit-free list query, count and template:", "",
             "| request | median ms |", "|---|---|"]
    lines += [f"| {name} | {ms:.1f} |" for name, ms in results.items()]
    report = "\n".join(lines) + "\n"
    print(report)
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as handle:
        handle.write("\n" + report)


if __name__ == "__main__":
    main()
