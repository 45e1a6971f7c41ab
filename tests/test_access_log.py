"""The access log (issue 13): every event names its record, admins filter, page and export the
log, the client page says who opened the record, and nobody else sees any of it."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa

from conftest import PG_URL, SETUP_FORM, base_config, login, second_practitioner, submit
from diary_helpers import create_link, enter, today_of
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page

EN = {"Accept-Language": "en"}


def text(response) -> str:
    return response.get_data(as_text=True)


def events_of(app, cid: int | None = None) -> list:
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    with app.app_context():
        statement = sa.select(AuditEvent).order_by(AuditEvent.id)
        if cid is not None:
            statement = statement.where(AuditEvent.client_id == cid)
        return [(e.action, e.object_type, e.client_id, e.actor_kind)
                for e in db.session.scalars(statement)]


def a_record(app, admin_client) -> tuple[int, int]:
    """A client with intake, visit (with a plan item), handout, diary link and entry; and a
    second client beside it."""
    cid = client_id(new_client(admin_client, rf_fever="y"))
    other = client_id(new_client(admin_client, first_name="Olaf", last_name="Other"))
    html = visit_page(admin_client, cid)
    record_visit(admin_client, cid, {"pain_now": "4", "notice_decision": "proceed",
                                     "add": str(item_ids(html)["Kidney rubbing"])}, html)
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    enter(phone, today_of(phone), "morning", pain=5)
    admin_client.get(f"/clients/{cid}")
    return cid, other


def test_every_event_about_a_record_names_it(app, admin_client):
    cid, other = a_record(app, admin_client)
    mine = events_of(app, cid)
    kinds = {action for action, *_ in mine}
    assert {"client.create", "intake.save", "alert.raise", "consent.give", "visit.form",
            "visit.create", "recommendation.start", "diary_link.create", "diary_link.open",
            "diary.save", "client.view"} <= kinds, kinds
    assert ("diary.save", "diary_entry", cid, "client") in mine
    # Nothing about the record is left without its client, and nothing names the wrong one.
    record_types = {"client", "intake", "visit", "diary_entry", "diary_link", "client_alert",
                    "consent", "recommendation", "handout"}
    for action, object_type, client, _kind in events_of(app):
        if object_type in record_types:
            assert client in (cid, other), (action, object_type, client)
    assert all(client == other for *_, client, _k in events_of(app, other))


def test_admins_filter_page_and_export_the_log(app, admin_client):
    cid, other = a_record(app, admin_client)
    page = text(admin_client.get(f"/access-log/?client={cid}", headers=EN))
    assert "Access log" in page and "opened the record" in page and "saved a diary entry" in page
    assert "Olaf" not in page  # filtered to the one record
    assert "fever" not in page.lower()  # names and actions, never health data
    only = text(admin_client.get(f"/access-log/?client={cid}&action=diary.save", headers=EN))
    assert only.count("<tr>") == 2  # the header row and the one entry's save
    export = admin_client.get(f"/access-log/export.csv?client={cid}")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(text(export).lstrip("\ufeff")), delimiter=";"))
    assert rows and {int(r["client_id"]) for r in rows} == {cid}
    assert any(r["action"] == "visit.create" for r in rows)
    assert re.match(r"\d{4}-\d\d-\d\dT", rows[0]["time_utc"])  # ISO 8601
    # Reading and exporting the log are themselves in the log, naming the record looked at.
    assert {"access_log.view", "access_log.export"} <= {a for a, *_ in events_of(app, cid)}


def test_bad_filters_get_a_message_not_an_error(app, admin_client):
    a_record(app, admin_client)
    for query in ("client=abc", "client=99999999999999", "since=yesterday", "action=nope",
                  "actor=999", "since=2026-05-02&until=2026-05-01", "before=x"):
        response = admin_client.get(f"/access-log/?{query}", headers=EN)
        assert response.status_code == 200, query
    assert "The end cannot be before the start." in text(admin_client.get(
        "/access-log/?since=2026-05-02&until=2026-05-01", headers=EN))


def test_paging_goes_back_in_time_without_repeating(app, admin_client):
    from practice.audit.service import record
    from practice.extensions import db

    cid, _other = a_record(app, admin_client)
    with app.test_request_context():
        for number in range(230):
            record("client.view", "client", cid, actor_kind="system")
        db.session.commit()
    seen, path = [], f"/access-log/?client={cid}&action=client.view"
    while path:
        page = text(admin_client.get(path, headers=EN))
        seen.append(page.count("<tr>") - 1)
        match = re.search(r'href="(/access-log/\?[^"]*before=\d+[^"]*)"', page)
        path = match.group(1).replace("&amp;", "&") if match else None
    assert seen[:2] == [100, 100] and sum(seen) >= 231 and len(seen) == 3


def test_who_opened_the_record_is_for_admins_and_the_log_for_nobody_else(app, admin_client):
    cid, _other = a_record(app, admin_client)
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Who opened this record" in page and "client (diary)" in page
    ben = second_practitioner(app, admin_client)
    submit(admin_client, f"/clients/{cid}/details", {
        "first_name": "Jana", "last_name": "Schäfer", "sex": "female", "language": "de",
        "practitioner_id": "2"})  # Ben's client now
    assert "Who opened this record" not in text(ben.get(f"/clients/{cid}", headers=EN))
    for path in ("/access-log/", f"/access-log/?client={cid}", "/access-log/export.csv"):
        assert ben.get(path).status_code in (403, 404), path
    anonymous = app.test_client()
    assert anonymous.get("/access-log/").status_code == 302


@pytest.mark.skipif(bool(PG_URL), reason="a migration on a file of its own (SQLite)")
def test_the_migration_names_the_client_of_earlier_events(tmp_path):
    from flask_migrate import downgrade, upgrade

    from practice import create_app
    from practice.extensions import db

    app = create_app(base_config(f"sqlite:///{tmp_path / 'm.sqlite3'}"))
    with app.app_context():
        upgrade()
    web = app.test_client()
    submit(web, "/setup", SETUP_FORM, headers=EN)
    login(web, SETUP_FORM["admin_email"])
    cid, other = a_record(app, web)
    before = events_of(app)
    with app.app_context():
        downgrade(revision="7d3f1b2c9e40")  # the column goes, and with it what it said
        upgrade()
        db.engine.dispose()
    after = events_of(app)
    assert after == before and {c for *_, c, _k in after} >= {cid, other}


def test_the_register_of_processing_is_drafted_for_admins(app, admin_client):
    page = text(admin_client.get("/settings/register/", headers=EN))
    assert "Register of processing activities" in page
    assert "Treatment records" in page and "10 years after the end of treatment" in page
    assert "to complete" in page  # what only the practice can fill in is marked
    storage = page.split("Storage</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert ("SQLite file" in storage) or ("PostgreSQL database" in storage)
    assert "postgres@" not in page and "password" not in storage.lower()
    ben = second_practitioner(app, admin_client)
    assert ben.get("/settings/register/").status_code in (403, 404)
