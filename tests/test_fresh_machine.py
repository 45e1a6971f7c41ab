"""A practice started from the command line rather than the set-up page: the demo command on an
empty database, removing the demo again, and a practice whose first account came from
``practice users create`` printing its first handout."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from conftest import login, submit
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page


def test_demo_on_an_empty_database_sets_up_a_practice_and_remove_deletes_only_demo(app):
    from practice.clients.models import Client
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--clients", "3", "--days", "10"])
    assert result.exit_code == 0, result.output
    found = re.search(r"Sign in as (\S+) with the password (\S+) ", result.output)
    assert found, result.output
    browser = app.test_client()
    assert login(browser, found.group(1), found.group(2)).location == "/"
    page = browser.get("/clients/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.count("(Demo)") >= 3
    # A real client next to the demo ones stays when the demo goes.
    own = client_id(new_client(browser, first_name="Echte", last_name="Klientin"))
    again = runner.invoke(args=["demo", "--clients", "2", "--days", "5"])
    assert again.exit_code == 0 and "password" not in again.output  # set up once only
    removed = runner.invoke(args=["demo", "--remove"])
    assert removed.exit_code == 0 and "5 demo clients deleted" in removed.output
    with app.app_context():
        assert [c.id for c in db.session.scalars(sa.select(Client))] == [own]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DiaryEntry)) == 0
    bad = runner.invoke(args=["demo", "--clients", "0"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_a_practice_created_on_the_command_line_prints_a_handout(app):
    pytest.importorskip("weasyprint")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--name", "Ida Admin", "--email",
                                 "ida@example.com", "--role", "admin", "--practice",
                                 "Praxis am Deich", "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    assert "Praxis am Deich" in result.output and "Settings" in result.output
    desk = app.test_client()
    assert login(desk, "ida@example.com", "a long enough password").location == "/"
    cid = client_id(new_client(desk))
    html = visit_page(desk, cid)
    assert record_visit(desk, cid, {"pain_now": "4", "add": str(item_ids(html)["Kidney rubbing"])},
                        html).status_code == 302
    response = submit(desk, f"/clients/{cid}/handouts", {"language": "de"},
                      page=f"/clients/{cid}")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    pdf = desk.get(response.location)
    assert pdf.mimetype == "application/pdf" and b"%PDF" in pdf.data[:10]
    # The practice's details can be completed in Settings.
    saved = submit(desk, "/settings", {"name": "Praxis am Deich", "address": "Deich 1",
                                       "timezone": "Europe/Berlin", "default_language": "de"})
    assert saved.status_code == 302
