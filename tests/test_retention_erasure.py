"""Retention against erasure (issue 13): the record's retention date, an erasure request that
deletes what is not part of the record and restricts the rest, opening a restricted record only
with a reason, and the purge at the retention date with a log that keeps no health data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from conftest import csrf_token, second_practitioner, submit
from diary_helpers import create_link, enter, today_of
from intake_helpers import client_id, new_client
from visit_helpers import record_visit, visit_page

EN = {"Accept-Language": "en"}


def text(response) -> str:
    return response.get_data(as_text=True)


def client_row(app, cid):
    from practice.clients.models import Client
    from practice.extensions import db

    with app.app_context():
        return db.session.get(Client, cid)


def counts(app, cid) -> dict:
    from practice.diary.models import DiaryEntry, DiaryLink
    from practice.extensions import db
    from practice.visits.models import Visit

    with app.app_context():
        return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                                  .where(model.client_id == cid))
                for model in (Visit, DiaryEntry, DiaryLink)}


def erase(web, cid, **fields):
    """Fill the erasure form and confirm it, as a practitioner would."""
    page = text(web.get(f"/clients/{cid}/erasure", headers=EN))
    data = {"csrf_token": csrf_token(page), "received_on": date.today().isoformat(),
            "reason": "Asked by letter", **fields}
    asked = web.post(f"/clients/{cid}/erasure", data=data, headers=EN)
    assert "Carry out the erasure request" in text(asked)
    return web.post(f"/clients/{cid}/erasure", data={**data, "confirmed": "1",
                                                     "csrf_token": csrf_token(text(asked))},
                    headers=EN)


def test_retention_counts_from_the_last_visit_the_archive_or_a_date_set_by_hand(app,
                                                                                admin_client):
    from practice.records import retention

    cid = client_id(new_client(admin_client, language="en"))
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Kept for 10 years after the end of treatment" in page  # nothing happened yet
    record_visit(admin_client, cid, {"visited_at": "2024-03-05T10:00", "pain_now": "4"},
                 visit_page(admin_client, cid))
    with app.app_context():
        kept = retention.of(client_row(app, cid))
    assert (kept.ended_on, kept.source, kept.until) == (date(2024, 3, 5), "last_visit",
                                                        date(2034, 3, 5))
    submit(admin_client, f"/clients/{cid}/archive", {"archived": "1", "confirmed": "1"},
           page=f"/clients/{cid}")
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "archive date" in page and str(date.today().year + 10) in page
    refused = submit(admin_client, f"/clients/{cid}/treatment-end",
                     {"ended_on": "2025-01-31", "reason": ""}, page=f"/clients/{cid}")
    assert "Please say why the end of treatment differs." in text(
        admin_client.get(f"/clients/{cid}", headers=EN))
    assert refused.status_code == 302
    submit(admin_client, f"/clients/{cid}/treatment-end",
           {"ended_on": "2025-01-31", "reason": "Last session by phone"}, page=f"/clients/{cid}")
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "31.01.2035" in page or "01/31/2035" in page or "2035" in page
    assert "set by hand" in page and "Last session by phone" in page
    assert retention.years_after(date(2024, 2, 29)) == date(2034, 2, 28)
    for far in ("9999-12-31", "0001-01-01"):  # ten years on would leave the calendar
        assert submit(admin_client, f"/clients/{cid}/treatment-end",
                      {"ended_on": far, "reason": "typo"}, page=f"/clients/{cid}"
                      ).status_code == 302
        page = text(admin_client.get(f"/clients/{cid}", headers=EN))
        assert "Please give a day between" in page and "Last session by phone" in page


def test_an_erasure_request_deletes_what_is_not_the_record_and_restricts_the_rest(
        app, admin_client):
    cid = client_id(new_client(admin_client, last_name="Loeschmann", email="l@example.com",
                               phone="+49 30 123", language="en"))
    record_visit(admin_client, cid, {"pain_now": "4"}, visit_page(admin_client, cid))
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    enter(phone, today_of(phone), "morning", pain=5)
    before = counts(app, cid)
    done = erase(admin_client, cid, delete_email="y")
    assert done.status_code == 302 and done.location.endswith(f"/clients/{cid}/restricted")
    client = client_row(app, cid)
    assert client.email == "" and client.phone == "+49 30 123"  # only what was ticked
    assert client.is_archived and client.restricted_at is not None
    after = counts(app, cid)
    assert after["DiaryLink"] == 0 and after["Visit"] == before["Visit"] == 1
    assert after["DiaryEntry"] == before["DiaryEntry"] == 1  # the diary is part of the record
    closed = phone.get("/diary/")
    assert closed.status_code == 403  # the phone's cookie opens nothing
    # Hidden from every list, the search, the start page and the day's handouts.
    for path in ("/clients/?status=all", "/clients/?status=archived", "/clients/?q=loesch&status=all",
                 "/", "/handouts/day/"):
        assert "Loeschmann" not in text(admin_client.get(path, headers=EN)), path
    # Opening needs a reason; a short one is refused at its field.
    assert admin_client.get(f"/clients/{cid}").location.endswith(f"/clients/{cid}/restricted")
    page = text(admin_client.get(f"/clients/{cid}/restricted", headers=EN))
    short = admin_client.post(f"/clients/{cid}/restricted", headers=EN,
                              data={"csrf_token": csrf_token(page), "reason": "copy"})
    assert "Please give the reason in 10 to 1000 characters." in text(short)
    opened = admin_client.post(f"/clients/{cid}/restricted", headers=EN, data={
        "csrf_token": csrf_token(page), "reason": "Copy requested by the client"})
    assert opened.status_code == 302
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Restricted record" in page and "Copy requested by the client" in page
    assert "New visit</a>" not in page and "Record an erasure request" not in page
    # Read-only: no visit, no change of details, no unarchiving.
    for path, data in ((f"/clients/{cid}/visits/new", {"pain_now": "3"}),
                       (f"/clients/{cid}/archive", {"archived": "0"}),
                       (f"/clients/{cid}/details", {"first_name": "X", "last_name": "Y",
                                                    "sex": "female", "language": "en",
                                                    "practitioner_id": "1"})):
        submit(admin_client, path, data, page=f"/clients/{cid}")
    client = client_row(app, cid)
    assert client.is_archived and client.first_name != "X" and counts(app, cid)["Visit"] == 1
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    with app.app_context():
        actions = set(db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.client_id == cid)))
    assert {"record.erasure_request", "record.open_restricted"} <= actions


def test_a_restricted_record_is_gone_for_its_practitioner(app, admin_client):
    ben = second_practitioner(app, admin_client)
    cid = client_id(new_client(ben, last_name="Bensklient", language="en", practitioner_id="2"))
    assert ben.get(f"/clients/{cid}").status_code == 200
    done = erase(ben, cid)
    assert done.status_code == 302 and done.location.endswith("/clients/")
    assert ben.get(f"/clients/{cid}").status_code == 404
    assert ben.get(f"/clients/{cid}/restricted").status_code == 404
    assert "Bensklient" not in text(ben.get("/clients/?status=all", headers=EN))


def test_erasing_a_demo_client_deletes_it_completely(app, admin_client):
    from practice.clients.models import Client
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    with app.app_context():
        db.session.get(Client, cid).is_demo = True
        db.session.commit()
    done = erase(admin_client, cid)
    assert done.status_code == 302 and client_row(app, cid) is None


def test_purge_deletes_closed_records_past_their_date_and_logs_numbers_only(app, admin_client):
    from practice.clients.models import Client
    from practice.extensions import db
    from practice.records.models import RecordPurge

    restricted = client_id(new_client(admin_client, last_name="Altfall", language="en"))
    active = client_id(new_client(admin_client, last_name="Aktivfall", language="en"))
    recent = client_id(new_client(admin_client, last_name="Neufall", language="en"))
    record_visit(admin_client, restricted, {"pain_now": "4"}, visit_page(admin_client, restricted))
    erase(admin_client, restricted)
    long_ago = date.today() - timedelta(days=365 * 11)
    with app.app_context():
        for cid in (restricted, active):
            db.session.get(Client, cid).treatment_end_set = long_ago
        db.session.get(Client, recent).archived_at = datetime.now(UTC) - timedelta(days=30)
        db.session.get(Client, recent).is_archived = True
        db.session.commit()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["retention"])
    assert listed.exit_code == 0 and f"record {restricted}:" in listed.output
    assert f"record {active}:" in listed.output and f"record {recent}:" not in listed.output
    assert client_row(app, restricted) is not None  # listing deletes nothing
    purged = runner.invoke(args=["retention", "--purge"])
    assert purged.exit_code == 0, purged.output
    assert "2 past their date; 1 deleted, 1 kept." in purged.output
    assert "Altfall" not in purged.output and "Aktivfall" not in purged.output
    assert client_row(app, restricted) is None and client_row(app, active) is not None
    assert counts(app, restricted) == {"Visit": 0, "DiaryEntry": 0, "DiaryLink": 0}
    with app.app_context():
        log = db.session.scalars(sa.select(RecordPurge)).all()
        assert [(p.client_number, p.had_erasure_request, p.treatment_ended_on)
                for p in log] == [(restricted, True, long_ago)]
    again = runner.invoke(args=["retention", "--purge"])
    assert "1 past their date; 0 deleted, 1 kept." in again.output


def test_details_changes_are_kept_and_an_erased_email_leaves_the_history_too(app, admin_client):
    from practice.clients.models import ClientChange
    from practice.extensions import db

    cid = client_id(new_client(admin_client, email="alt@example.com", language="en"))
    details = {"first_name": "Jana", "last_name": "Schäfer", "sex": "female", "language": "en",
               "practitioner_id": "1", "date_of_birth": "1984-04-02", "phone": ""}
    submit(admin_client, f"/clients/{cid}/details",
           {**details, "last_name": "Schäfer-Brandt", "email": "neu@example.com"},
           page=f"/clients/{cid}/details")
    page = text(admin_client.get(f"/clients/{cid}/details", headers=EN))
    assert "Earlier details" in page and "Schäfer" in page and "Schäfer-Brandt" in page
    assert "alt@example.com" in page and "neu@example.com" in page
    with app.app_context():
        change = db.session.scalar(sa.select(ClientChange))
        assert change.before == {"last_name": "Schäfer", "email": "alt@example.com"}
        assert change.changed_by_id == 1
    # Saving unchanged details adds nothing.
    submit(admin_client, f"/clients/{cid}/details",
           {**details, "last_name": "Schäfer-Brandt", "email": "neu@example.com"},
           page=f"/clients/{cid}/details")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientChange)) == 1
    erase(admin_client, cid, delete_email="y")
    with app.app_context():
        change = db.session.scalar(sa.select(ClientChange))
        assert change.before == {"last_name": "Schäfer"} and "email" not in change.after
