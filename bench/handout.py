"""Benchmark: a typical handout, our overhead against plain WeasyPrint, re-downloads, the batch.

Usage: .venv/bin/python bench/handout.py [RUNS]   (default 7)
Builds a practice with a client (diary, visit, four plan items incl. an acupressure point), then:
1. issues the handout through the real page (queries, snapshot, templating, chart, QR, render,
   storing) and, in the same run, renders the same final HTML with plain WeasyPrint;
2. downloads an issued handout again (stored bytes);
3. renders a day's batch of 10 handouts one after another, and as the day's background job
   (through the day page's form; the job runs at once here, in the same process).
Writes medians and ratios to bench/RESULTS.md.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def median_ms(fn, runs: int) -> float:
    """Median wall time of ``fn`` in milliseconds."""
    timings = []
    for _ in range(runs):
        begin = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - begin)
    return statistics.median(timings) * 1000


def main() -> None:
    """Run the measurements and write them down."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PRACTICE_INSTANCE_PATH"] = folder
        from weasyprint import HTML

        from conftest import SETUP_FORM, base_config, login, migrate_to_head, submit  # noqa: F401
        from diary_helpers import create_link, enter, today_of
        from intake_helpers import client_id, new_client
        from practice import create_app
        from practice.extensions import db
        from practice.handouts import service
        from practice.handouts.render import FONT_DIR, make_fetcher
        from practice.visits.models import Visit
        from visit_helpers import item_ids, record_visit, visit_page

        url = f"sqlite:///{folder}/bench.sqlite3"
        migrate_to_head(url)
        app = create_app(base_config(url))
        web = app.test_client()
        submit(web, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
        login(web, SETUP_FORM["admin_email"])
        clients = []
        for number in range(10):
            cid = client_id(new_client(web, last_name=f"Bench {number}", language="de"))
            phone = app.test_client()
            phone.get(create_link(web, cid))
            today = date.fromisoformat(today_of(phone))
            for offset in range(7):
                enter(phone, (today - timedelta(days=offset)).isoformat(), "morning", pain=6)
                enter(phone, (today - timedelta(days=offset)).isoformat(), "evening", pain=3)
            page = visit_page(web, cid)
            ids = item_ids(page)
            picks = [ids[t] for t in ("Keep the lower back warm", "Kidney rubbing",
                                      "Pelvic tilt lying down",
                                      "Acupressure point BL 40 (Wěi Zhōng)")]
            record_visit(web, cid, {"pain_now": "5", "add": [str(i) for i in picks],
                                    f"add-{picks[1]}-how_often": "morgens und abends"}, page)
            clients.append(cid)
        first = clients[0]

        issued = []
        from conftest import csrf_token

        token = csrf_token(web.get(f"/clients/{first}").get_data(as_text=True))

        def full():
            response = web.post(f"/clients/{first}/handouts",
                                data={"csrf_token": token, "language": "de"})
            issued.append(response.location)

        full()  # warm-up: fonts, Pango
        with app.test_request_context(base_url="http://localhost"):
            from practice.clients.models import Client

            client = db.session.get(Client, first)
            snapshot = service.build_snapshot(client, visit=None, language="de",
                                              day=date.today(), practitioner_name="Anna")
            html = service.render_html(snapshot, client)
        plain_ms = median_ms(lambda: HTML(string=html, base_url=FONT_DIR.as_uri() + "/",
                                          url_fetcher=make_fetcher()).write_pdf(), runs)
        full_ms = median_ms(full, runs)  # again, interleaved, so both see the same machine
        pages = service.page_count(HTML(string=html, base_url=FONT_DIR.as_uri() + "/",
                                        url_fetcher=make_fetcher()).write_pdf())
        download_ms = median_ms(lambda: web.get(issued[-1]), max(runs, 20))

        with app.test_request_context(base_url="http://localhost"):
            visits = db.session.query(Visit).order_by(Visit.id).all()[:10]
            actor = visits[0].practitioner

            def sequential():
                for visit in visits:
                    service.issue(visit.client, visit=visit, language="de", actor=actor)
                db.session.rollback()

            sequential_ms = median_ms(sequential, 3)
        day_token = csrf_token(web.get("/handouts/day/").get_data(as_text=True))
        every = [str(v) for v in range(1, 11)]

        def day_job():
            started = web.post("/handouts/day/", data={"csrf_token": day_token, "visit": every,
                                                       "again": every})
            assert "Ready." in web.get(started.location,
                                       headers={"Accept-Language": "en"}).get_data(as_text=True)

        job_ms = median_ms(day_job, 3)
    overhead = (full_ms - plain_ms) / plain_ms
    report = (
        f"## Handout ({pages} pages, SQLite, {datetime.now(UTC):%Y-%m-%d})\n\n"
        f"Medians of {runs} runs after a warm-up. The full path is the real page: queries, "
        f"snapshot, templating, chart, QR code, render, storing.\n\n"
        f"| measurement | median | target |\n|---|---|---|\n"
        f"| issue a handout (full path) | {full_ms:.0f} ms | |\n"
        f"| plain WeasyPrint, same final HTML | {plain_ms:.0f} ms | |\n"
        f"| our overhead | {overhead * 100:.1f} % | under 15 % |\n"
        f"| re-download of an issued handout | {download_ms:.1f} ms | under 20 ms |\n"
        f"| day batch of 10, one after another | {sequential_ms:.0f} ms | |\n"
        f"| the day's job for 10 (form, job, merged PDF) | {job_ms:.0f} ms "
        f"({job_ms / sequential_ms:.2f} x) | in the worker, not the request |\n")
    print(report)
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as handle:
        handle.write("\n" + report)


if __name__ == "__main__":
    main()
