"""Background jobs through a real queue and a real worker process (``practice worker``): the
day's handouts wait while no worker runs, show their progress, and are done by the worker.
On PostgreSQL the queue lives in the same database (schema practice_jobs), as several app
servers would share it."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from conftest import PG_URL, _truncate_all, base_config, login, submit
from conftest import SETUP_FORM
from html_forms import forms_of
from intake_helpers import client_id, new_client
from visit_helpers import record_visit, visit_page

pytest.importorskip("weasyprint")
EN = {"Accept-Language": "en"}


def worker_env(app, database_url: str, jobs_url: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "PRACTICE_JOBS_URL": jobs_url,
            "PRACTICE_INSTANCE_PATH": app.instance_path,
            "SECRET_KEY": app.config["SECRET_KEY"], "PYTHONUNBUFFERED": "1"}


def start_day_job(web) -> str:
    page = web.get("/handouts/day/", headers=EN).get_data(as_text=True)
    form = next(f for f in forms_of(page, "/handouts/day/")
                if f.method == "post" and f.action == "/handouts/day/")
    started = web.post("/handouts/day/", data=form.data())
    assert started.status_code == 302 and started.location.startswith("/jobs/")
    return started.location


def wait_until_ready(web, job_page: str, seconds: float = 90) -> tuple[str, list[str]]:
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        html = web.get(job_page, headers=EN).get_data(as_text=True)
        state = re.search(r"<strong>([^<]*)</strong>", html.split('class="card job"')[1]).group(1)
        seen.append(state)
        if state == "Ready.":
            return html, seen
        time.sleep(0.3)
    raise AssertionError(f"job not done in {seconds} s: {seen[-3:]}")


def close(app) -> None:
    """This test's own app: empty the shared PostgreSQL database, or let go of the SQLite file."""
    from practice.extensions import db

    if PG_URL:
        _truncate_all(app)
    else:
        with app.app_context():
            db.engine.dispose()


def test_a_worker_process_does_the_days_handouts(database_url, tmp_path):
    from practice import create_app
    from practice.extensions import db
    from practice.jobs.models import Job

    jobs_url = "" if PG_URL else f"sqlite:///{tmp_path}/jobs.sqlite3"
    app = create_app({**base_config(database_url), "JOBS_IMMEDIATE": False,
                      "JOBS_URL": jobs_url})
    try:
        web = app.test_client()
        submit(web, "/setup", SETUP_FORM, headers=EN)
        login(web, SETUP_FORM["admin_email"])
        names = []
        for number in range(3):
            cid = client_id(new_client(web, first_name=f"Worker{number}", last_name="Testperson"))
            names.append(f"Worker{number}")
            page = visit_page(web, cid)
            assert record_visit(web, cid, {"pain_now": "4"}, page).status_code == 302

        job_page = start_day_job(web)
        waiting = web.get(job_page, headers=EN).get_data(as_text=True)
        assert "Waiting for the background worker" in waiting
        assert 'http-equiv="refresh"' in waiting  # the page follows the job by itself

        worker = subprocess.Popen(
            [str(Path(sys.executable).parent / "practice"), "worker"],
            env=worker_env(app, database_url, jobs_url), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        try:
            html, seen = wait_until_ready(web, job_page)
            download = re.search(r'href="(/jobs/\d+/result)"', html).group(1)
            pdf = web.get(download)
            assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
            assert len(PdfReader(io.BytesIO(pdf.data)).pages) >= 3
            # A second job while the worker runs: printed as issued, nothing new.
            second, _ = wait_until_ready(web, start_day_job(web))
            assert web.get(re.search(r'href="(/jobs/\d+/result)"', second).group(1)).data \
                == pdf.data
        finally:
            worker.send_signal(signal.SIGINT)
            try:
                output, _ = worker.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                output, _ = worker.communicate()
        assert "Worker started" in output, output[-2000:]
        assert "Traceback" not in output, output[-3000:]
        assert not any(name in output for name in names)  # no client data in the worker's log
        with app.app_context():
            jobs = db.session.scalars(sa.select(Job).order_by(Job.id)).all()
            assert [(j.status, j.done, j.total) for j in jobs] == [("done", 3, 3)] * 2
            assert jobs[0].started_at >= jobs[0].created_at
    finally:
        close(app)


def test_a_worker_finds_jobs_the_queue_lost_and_ends_stale_ones(app, admin_client):
    """After a restore or a crash the queue may not know a job the record has: the worker's
    start puts queued jobs on again and ends those left running for hours."""
    from datetime import timedelta

    from practice.database import utcnow
    from practice.extensions import db
    from practice.jobs import service
    from practice.jobs.models import Job

    with app.app_context():
        queued = Job(kind="handouts.day", params={}, total=1, created_by_id=1)
        stale = Job(kind="handouts.day", params={}, total=1, created_by_id=1, status="running",
                    started_at=utcnow() - timedelta(hours=3))
        db.session.add_all([queued, stale])
        db.session.commit()
        assert service.waiting() == [queued.id]
        db.session.commit()
        assert (stale.status, stale.error) == ("failed", "interrupted")
    page = admin_client.get(f"/jobs/{stale.id}", headers=EN).get_data(as_text=True)
    assert "The background worker stopped during this job" in page


def test_make_run_does_jobs_in_a_thread_of_its_own_process(database_url, tmp_path):
    """``make run`` (PRACTICE_JOBS_IN_PROCESS): no separate worker needed on one desk."""
    from practice import create_app

    app = create_app({**base_config(database_url), "JOBS_IMMEDIATE": False,
                      "JOBS_IN_PROCESS": True, "JOBS_URL": f"sqlite:///{tmp_path}/jobs.sqlite3"})
    try:
        web = app.test_client()
        submit(web, "/setup", SETUP_FORM, headers=EN)
        login(web, SETUP_FORM["admin_email"])
        cid = client_id(new_client(web))
        assert record_visit(web, cid, {"pain_now": "4"}, visit_page(web, cid)).status_code == 302
        html, _seen = wait_until_ready(web, start_day_job(web), seconds=60)
        assert "Download handouts-" in html
    finally:
        close(app)
