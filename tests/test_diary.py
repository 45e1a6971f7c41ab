"""The pain diary through the real pages: links, entries, isolation, the practitioner's view."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import sqlalchemy as sa

from conftest import csrf_token, h1, second_practitioner, submit
from diary_helpers import create_link, enter, today_of
from intake_helpers import client_id, new_client

EN = {"Accept-Language": "en"}


def text(response) -> str:
    return response.get_data(as_text=True)


def phone_for(app, path: str):
    phone = app.test_client()
    response = phone.get(path)
    assert response.status_code == 302 and response.location == "/diary/"
    return phone


def test_link_opens_the_diary_and_leaves_no_token_behind(app, admin_client):
    cid = client_id(new_client(admin_client, language="en"))
    path = create_link(admin_client, cid)
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 bits, base64
    phone = app.test_client()
    response = phone.get(path)
    assert response.status_code == 302 and token not in response.location
    assert response.headers["Referrer-Policy"] == "no-referrer"
    home = phone.get("/diary/")
    assert home.status_code == 200 and h1(home) == "Hello Jana"
    assert token not in text(home)
    assert home.headers["Referrer-Policy"] == "same-origin"  # never to another site
    cookie = phone.get_cookie("practice_diary")
    assert cookie.http_only and token not in cookie.value
    with app.app_context():
        from practice.diary.models import DiaryLink
        from practice.extensions import db

        link = db.session.scalar(sa.select(DiaryLink))
        assert token not in (link.token_hash + link.nonce)  # only a hash is stored


def test_morning_and_evening_entries_one_per_slot(app, admin_client):
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = today_of(phone)
    assert enter(phone, today, "morning", pain=6, stiffness_minutes=40, sleep="fair").status_code == 302
    assert enter(phone, today, "evening", pain=3, stress=5, sitting_hours=7).status_code == 302
    # The same slot again changes the entry; there is never a second one.
    assert enter(phone, today, "morning", pain=5, stiffness_minutes=35).status_code == 302
    with app.app_context():
        rows = db.session.scalars(sa.select(DiaryEntry).order_by(DiaryEntry.slot)).all()
        assert [(r.slot, r.pain) for r in rows] == [("evening", 3), ("morning", 5)]
        assert not any(r.is_late for r in rows)
    home = text(phone.get("/diary/"))
    assert "✓ pain 5" in home and "✓ pain 3" in home
    assert "<svg" in home and "morning 5</title>" in home  # on the own chart


def test_late_entries_are_marked_and_limited_to_7_days(app, admin_client):
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    three = (today - timedelta(days=3)).isoformat()
    assert enter(phone, three, "evening", pain=4).status_code == 302
    eight = (today - timedelta(days=8)).isoformat()
    refused = phone.get(f"/diary/{eight}/morning", headers=EN)
    assert "up to 7 days late" in text(refused) and "<form" not in text(refused).split("<main", 1)[1]
    future = (today + timedelta(days=1)).isoformat()
    assert "<form method=\"post\"" not in text(phone.get(f"/diary/{future}/morning"))
    assert phone.get("/diary/not-a-day/morning").status_code == 404
    assert phone.get(f"/diary/{three}/noon").status_code == 404
    with app.app_context():
        entry = db.session.scalar(sa.select(DiaryEntry))
        assert entry.is_late and entry.day.isoformat() == three


def test_an_entry_can_only_be_changed_on_the_day_it_was_made(app, admin_client):
    from practice.database import utcnow
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    yesterday = (today - timedelta(days=1)).isoformat()
    enter(phone, yesterday, "morning", pain=7)
    with app.app_context():  # pretend it was entered yesterday
        db.session.execute(sa.update(DiaryEntry).values(created_at=utcnow() - timedelta(days=1)))
        db.session.commit()
    page = text(phone.get(f"/diary/{yesterday}/morning", headers=EN))
    assert "can only be changed on the day it was made" in page
    home = text(phone.get("/diary/"))
    phone.post(f"/diary/{yesterday}/morning",
               data={"csrf_token": csrf_token(home), "pain": "1", "warning": "no"})
    with app.app_context():
        assert db.session.scalar(sa.select(DiaryEntry.pain)) == 7


def test_a_warning_answer_sends_the_client_to_a_doctor_and_flags_them(app, admin_client):
    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    response = enter(phone, today_of(phone), "evening", pain=5, warning="yes",
                     warning_signs="rf_fever")
    assert response.status_code == 200 and "Please see a doctor today" in text(response)
    start = text(admin_client.get("/", headers=EN))
    assert "Jana Schäfer" in start and "Fever or chills" in start
    assert "Refer to a doctor" in text(admin_client.get(f"/clients/{cid}", headers=EN))


def test_revoking_renewing_archiving_and_withdrawing_consent_close_the_diary(app, admin_client):
    cid = client_id(new_client(admin_client, language="en"))
    first = create_link(admin_client, cid)
    phone = phone_for(app, first)
    ask = submit(admin_client, f"/clients/{cid}/diary/link", {}, page=f"/clients/{cid}",
                 headers=EN)
    assert "The current link and the QR code on printed handouts stop working" in text(ask)
    assert phone.get("/diary/").status_code == 200  # asked, not renewed
    second = create_link(admin_client, cid)  # renew: the first link stops working
    assert second != first
    assert app.test_client().get(first).status_code == 404
    assert phone.get("/diary/").status_code == 403  # the cookie of the old link too
    phone = phone_for(app, second)
    ask = submit(admin_client, f"/clients/{cid}/diary/link/revoke", {}, page=f"/clients/{cid}",
                 headers=EN)
    assert "QR code on printed handouts" in text(ask)
    assert phone.get("/diary/").status_code == 200  # nothing happened yet
    submit(admin_client, f"/clients/{cid}/diary/link/revoke", {"confirmed": "1"},
           page=f"/clients/{cid}")
    assert phone.get("/diary/").status_code == 403
    assert app.test_client().get(second).status_code == 404

    third = create_link(admin_client, cid)
    phone = phone_for(app, third)
    submit(admin_client, f"/clients/{cid}/archive", {"archived": "1", "confirmed": "1"},
           page=f"/clients/{cid}")
    assert phone.get("/diary/").status_code == 403
    submit(admin_client, f"/clients/{cid}/archive", {"archived": "0"}, page=f"/clients/{cid}")
    assert phone.get("/diary/").status_code == 200
    submit(admin_client, f"/clients/{cid}/consent", {"consent": "withdraw", "confirmed": "1"},
           page=f"/clients/{cid}")
    assert phone.get("/diary/").status_code == 403
    assert app.test_client().get(third).status_code == 404


def test_another_clients_diary_session_can_neither_see_nor_change_entries(app, admin_client):
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    first = client_id(new_client(admin_client, first_name="Alma", language="en"))
    second = client_id(new_client(admin_client, first_name="Bodo", language="en"))
    alma = phone_for(app, create_link(admin_client, first))
    bodo = phone_for(app, create_link(admin_client, second))
    today = today_of(alma)
    enter(alma, today, "morning", pain=9, note="Alma's own note")
    for path in ("/diary/", f"/diary/{today}/morning", f"/diary/{today}/evening"):
        page = text(bodo.get(path))
        assert "Alma" not in page and "own note" not in page and "pain 9" not in page, path
    enter(bodo, today, "morning", pain=1)
    bodo.post("/diary/forget", data={})
    with app.app_context():
        rows = {(r.client_id, r.pain) for r in db.session.scalars(sa.select(DiaryEntry))}
        assert rows == {(first, 9), (second, 1)}
    assert "pain 9" in text(alma.get("/diary/"))


def test_guessing_tokens_is_slowed_down(app, admin_client):
    guesser = app.test_client()
    for number in range(30):
        assert guesser.get(f"/d/{'x' * 40}{number:03d}").status_code == 404
    assert guesser.get("/d/" + "y" * 43).status_code == 429


def test_the_token_never_reaches_the_log(app, admin_client, caplog):
    from browser import live_server
    import urllib.request

    cid = client_id(new_client(admin_client, language="en"))
    path = create_link(admin_client, cid)
    token = path.rsplit("/", 1)[1]
    caplog.set_level(logging.INFO, logger="werkzeug")
    with live_server(app) as base:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(base + path) as response:
            assert response.status == 200 and token not in response.read().decode()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/d/[redacted]" in logged
    assert token not in logged


def test_practitioner_sees_analysis_exports_and_types_in_paper(app, admin_client):
    from practice.audit.models import AuditEvent
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    for offset in range(6):
        day = (today - timedelta(days=offset)).isoformat()
        enter(phone, day, "morning", pain=7, stiffness_minutes=45)
        enter(phone, day, "evening", pain=3)
    page = text(admin_client.get(f"/clients/{cid}/diary/", headers=EN))
    assert "Morning-dominant, easing through the day: mornings 7.0, evenings 3.0 (6 days)." in page
    assert "Morning stiffness over 30 minutes (median 45 min over 6 mornings)" in page
    assert "7.0 <span class=\"small muted\">(6 days)" in page
    for key in ("2w", "12w", "all"):
        assert admin_client.get(f"/clients/{cid}/diary/?range={key}").status_code == 200
    csv = admin_client.get(f"/clients/{cid}/diary/export.csv")
    assert csv.mimetype == "text/csv" and text(csv).count("\n") == 13
    old = (today - timedelta(days=30)).isoformat()
    response = submit(admin_client, f"/clients/{cid}/diary/paper?day={old}&slot=morning",
                      {"pain": "8", "warning": "no"})
    assert response.status_code == 302
    with app.app_context():
        paper = db.session.scalar(sa.select(DiaryEntry).where(DiaryEntry.source == "paper"))
        assert paper.pain == 8 and paper.entered_by_id == 1 and not paper.is_late
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
        assert {"diary.export", "diary.view", "diary_link.create", "diary_link.open"} <= actions


def test_other_practitioners_cannot_reach_the_diary_pages(app, admin_client):
    cid = client_id(new_client(admin_client))
    ben = second_practitioner(app, admin_client)
    for path in (f"/clients/{cid}/diary/", f"/clients/{cid}/diary/export.csv",
                 f"/clients/{cid}/diary/paper"):
        assert ben.get(path).status_code == 404, path
    for path in (f"/clients/{cid}/diary/link", f"/clients/{cid}/diary/link/revoke"):
        assert submit(ben, path, {"confirmed": "1"}, page="/clients/").status_code == 404, path


def test_start_page_lists_silent_diaries(app, admin_client):
    from practice.database import utcnow
    from practice.diary.models import DiaryLink
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    create_link(admin_client, cid)
    assert "No diary entry for 7 days" not in text(admin_client.get("/", headers=EN))
    with app.app_context():
        db.session.execute(sa.update(DiaryLink).values(created_at=utcnow() - timedelta(days=9)))
        db.session.commit()
    refresh_attention(app)  # the link was backdated behind the app's back
    page = text(admin_client.get("/", headers=EN))
    assert "No diary entry for 7 days" in page and "no entry since the link was created" in page


def refresh_attention(app) -> None:
    """``practice attention refresh``, as after data changed outside the app."""
    result = app.test_cli_runner().invoke(args=["attention", "refresh"])
    assert result.exit_code == 0 and "brought up to date" in result.output, result.output


def test_client_list_filter_no_diary_entry_for_7_days(app, admin_client):
    from practice.database import utcnow
    from practice.diary.models import DiaryLink
    from practice.extensions import db

    quiet = client_id(new_client(admin_client, last_name="Still", language="en"))
    busy = client_id(new_client(admin_client, last_name="Fleißig", language="en"))
    create_link(admin_client, quiet)
    phone = phone_for(app, create_link(admin_client, busy))
    with app.app_context():
        db.session.execute(sa.update(DiaryLink).values(created_at=utcnow() - timedelta(days=10)))
        db.session.commit()
    refresh_attention(app)
    enter(phone, today_of(phone), "morning", pain=4)
    listing = text(admin_client.get("/clients/?silent=1"))
    assert "Still" in listing and "Fleißig" not in listing


def test_visit_form_suggests_from_the_diary_pattern(app, admin_client):
    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    for offset in range(6):
        day = (today - timedelta(days=offset)).isoformat()
        enter(phone, day, "morning", pain=7)
        enter(phone, day, "evening", pain=3)
    page = text(admin_client.get(f"/clients/{cid}/visits/new", headers=EN))
    assert ('<span class="eyebrow">Suggested</span> Diary: mornings worse than evenings, easing '
            'through the day.</h3>') in page


def test_client_page_shows_complaint_and_diary_together(app, admin_client):
    cid = client_id(new_client(admin_client, language="en", location=["left"]))
    phone = phone_for(app, create_link(admin_client, cid))
    enter(phone, today_of(phone), "morning", pain=5)
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    complaint = page.split('id="complaint-title"', 1)[1].split("</section>", 1)[0]
    assert "left" in complaint and "No complaint recorded yet." not in complaint
    assert "Last 7 days" in page


def test_start_page_shows_rising_pain_for_as_long_as_the_week_rises(app, admin_client):
    from practice.accounts.models import Practitioner
    from practice.diary.attention import needing_attention
    from practice.extensions import db

    cid = client_id(new_client(admin_client, last_name="Steigend", language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    for back in range(5, -1, -1):  # six mornings, one point worse each day
        enter(phone, (today - timedelta(days=back)).isoformat(), "morning", pain=7 - back)
    page = text(admin_client.get("/", headers=EN))
    assert "Pain rising" in page and "+7.0 points per week" in page
    with app.test_request_context():
        admin = db.session.get(Practitioner, 1)

        def rising_on(day):
            return [a.client.id for a in needing_attention(admin, day) if a.kind == "rising"]

        # Without new entries the window loses a day each day: 4 days left on day +3, 3 on +4.
        assert rising_on(today + timedelta(days=3)) == [cid]
        assert rising_on(today + timedelta(days=4)) == []
    enter(phone, today.isoformat(), "morning", pain=0)  # corrected the same day: a good day
    enter(phone, today.isoformat(), "evening", pain=0)
    assert "Pain rising" not in text(admin_client.get("/", headers=EN))


def test_the_phones_quick_write_keeps_the_rules_of_the_full_one(app, admin_client):
    """A new entry without a warning takes the plain-statement path (service.add): same
    attention state and audit event; two posts for one slot and a record closed meanwhile are
    refused inside the write, whatever the read before it saw."""
    import pytest

    from practice.audit.models import AuditEvent
    from practice.clients.models import Client
    from practice.clients.record_state import ARCHIVED, RecordClosed
    from practice.diary import service
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    yesterday = today - timedelta(days=1)
    assert enter(phone, yesterday.isoformat(), "evening", pain=3).status_code == 302
    with app.app_context():
        entry = db.session.scalar(sa.select(DiaryEntry))
        client = db.session.get(Client, cid)
        assert (entry.is_late, entry.source, entry.pain) == (True, "client", 3)
        assert client.diary_last_day == yesterday and client.diary_quiet_since == yesterday
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "diary.save"))
        assert (event.object_id, event.actor_kind, event.client_id) == (
            str(entry.id), "client", cid)
    from practice.diary import links

    with app.test_request_context():
        # Without and with the week read beforehand (PostgreSQL then writes in one statement),
        # and that statement on the diary's autocommit connection, as the phone's post runs it.
        ways = ((None, None), ([], None), ([], links.reading_connection()))
        for recent, connection in ways:
            with pytest.raises(service.DiaryError, match="taken"):
                service.add(cid, yesterday, "evening", {"pain": 5}, today=today, recent=recent,
                            connection=connection)
            db.session.rollback()
        db.session.get(Client, cid).is_archived = True
        db.session.commit()
        for recent, connection in ways:
            with pytest.raises(RecordClosed) as closed:
                service.add(cid, today, "morning", {"pain": 5}, today=today, recent=recent,
                            connection=connection)
            assert closed.value.reason == ARCHIVED
            db.session.rollback()
        links.close_reading_connection()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DiaryEntry)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "diary.save")) == 1  # nothing audited for what was refused


def test_the_visit_form_takes_todays_evening_pain_over_the_morning(app, admin_client):
    """A day's entries come morning first (the slot names sort the other way round): the
    visit form starts from the newest pain of the day."""
    from practice.clients.models import Client
    from practice.diary import service
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = today_of(phone)
    enter(phone, today, "morning", pain=7)
    enter(phone, today, "evening", pain=3)
    page = text(admin_client.get(f"/clients/{cid}/visits/new", headers=EN))
    assert "From the diary this evening: 3" in page
    pain_field = page.split('id="pain_now"', 1)[1].split(">", 1)[0]
    assert 'value="3"' in pain_field
    with app.app_context():
        slots = [e.slot for e in service.entries(db.session.get(Client, cid))]
    assert slots == ["morning", "evening"]


def test_the_client_page_reads_the_recent_weeks_and_still_knows_an_older_diary(app, admin_client):
    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    # Only a paper entry from two months ago: the diary exists, the recent weeks are empty.
    old = (today - timedelta(days=60)).isoformat()
    submit(admin_client, f"/clients/{cid}/diary/paper?day={old}&slot=morning",
           {"pain": "6", "warning": "no"})
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "No diary entries yet." not in page and 'class="chart"' in page
    # With recent entries its analysis says what the whole diary's page says.
    for offset in range(5):
        day = (today - timedelta(days=offset)).isoformat()
        enter(phone, day, "morning", pain=6, stiffness_minutes=40)
        enter(phone, day, "evening", pain=2)
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    whole = text(admin_client.get(f"/clients/{cid}/diary/", headers=EN))
    summary = "Morning-dominant, easing through the day: mornings 6.0, evenings 2.0 (5 days)."
    assert summary in page and summary in whole


def test_a_paper_sheet_saves_its_rows_once_keeps_typed_values_and_raises_noticed_signs(
        app, admin_client):
    from practice.clients.models import ClientAlert
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    path = f"/clients/{cid}/diary/paper/sheet"
    page = text(admin_client.get(path, headers=EN))
    assert page.count('name="d') >= 14 * 4  # 14 days: morning, stiffness, evening, note
    # Stiffness without the morning's pain, and a sign without any pain: refused, kept.
    wrong = submit(admin_client, path, {"d0-stiffness": "20", "d1-warning": "y",
                                        "d2-morning": "4", "d2-note": "Garten"},
                   headers=EN)
    page = text(wrong)
    assert "Stiffness belongs to the morning" in page and "A warning sign needs" in page
    assert 'value="20"' in page and 'value="Garten"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DiaryEntry)) == 0
    data = {"d0-morning": "5", "d0-stiffness": "20", "d0-evening": "3",
            "d2-evening": "6", "d2-warning": "y", "d2-note": "Garten"}
    saved = submit(admin_client, path, data, headers=EN)
    assert saved.status_code == 302
    assert submit(admin_client, path, data, headers=EN).status_code == 302  # again: no change
    with app.app_context():
        entries = db.session.scalars(sa.select(DiaryEntry)).all()
        alerts = db.session.scalars(sa.select(ClientAlert)).all()
        assert len(entries) == 3, [(e.day, e.slot, e.pain, e.note) for e in entries]
        assert {e.source for e in entries} == {"paper"}
        warned = [e for e in entries if e.warning]
        assert len(warned) == 1 and warned[0].slot == "evening" and warned[0].note == "Garten"
        assert len([a for a in alerts if a.kind == "diary_warning"]) == 1
        changes = db.session.scalar(sa.select(sa.func.count()).select_from(
            sa.text("audit_events")).where(sa.text("action = 'diary.save'")))
        assert changes == 3  # the second, unchanged sheet stored nothing
    # The saved entries come back into the sheet.
    page = text(admin_client.get(path, headers=EN))
    assert 'value="Garten"' in page and 'value="20"' in page


def test_an_entry_sent_again_with_its_key_is_stored_once(app, admin_client):
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = today_of(phone)
    key = "3f2b8c1e-1111-4a2b-9c3d-aaaaaaaaaaaa"
    for _ in range(2):  # the dead connection's retry: the same entry, the same key
        response = enter(phone, today, "morning", pain=5, entry_key=key)
        assert response.status_code == 302 and response.location.startswith("/diary/")
    # A changed evening under a new key is a new entry; a malformed key is refused at once.
    assert enter(phone, today, "evening", pain=2, entry_key="k" * 65).status_code == 200
    with app.app_context():
        entries = db.session.scalars(sa.select(DiaryEntry)).all()
        assert [(e.slot, e.pain, e.entry_key) for e in entries] == [("morning", 5, key)]
    # The manifest and the worker need no diary cookie (a browser fetches the manifest
    # without cookies); they hold nothing personal.
    anonymous = app.test_client()
    manifest = anonymous.get("/diary/manifest.webmanifest?lang=de")
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    assert manifest.get_json()["name"] == "Mein Schmerztagebuch"
    worker = anonymous.get("/diary/sw.js")
    assert worker.status_code == 200 and "caches" in worker.get_data(as_text=True)
    assert anonymous.get("/diary/").status_code == 403  # the diary itself stays closed


def test_the_morning_pain_can_be_chosen_on_the_diary_home(app, admin_client):
    """One tap on the home page opens the morning entry with that pain chosen; the GET stores
    nothing, and a number off the scale is ignored."""
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = today_of(phone)
    home = text(phone.get("/diary/"))
    assert f'href="/diary/{today}/morning?pain=7"' in home
    page = text(phone.get(f"/diary/{today}/morning?pain=7"))
    assert _checked(page, "pain", "7") and not _checked(page, "pain", "6")
    off_scale = text(phone.get(f"/diary/{today}/morning?pain=11"))
    assert not any(_checked(off_scale, "pain", str(n)) for n in range(11))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DiaryEntry)) == 0
    assert enter(phone, today, "morning", pain=7).status_code == 302
    assert "diary-quick" not in text(phone.get("/diary/"))  # entered: the scale goes


def _checked(page: str, name: str, value: str) -> bool:
    import re

    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    return False


def test_the_client_pages_diary_part_is_reused_only_while_it_is_the_same(app, admin_client):
    """The chart and figures are rendered once per content: a new entry, a changed entry and
    another language each show at once; the same page again reuses the part."""
    import re

    from practice.diary.overview import CLIENT_DIARY

    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = today_of(phone)

    def shown():
        page = text(admin_client.get(f"/clients/{cid}", headers=EN))
        part = page[page.index('id="diary-title"'):page.index("Personal link")]
        return re.sub(r"\s+", " ", part)

    assert "No diary entries yet." in shown()
    CLIENT_DIARY.clear()
    assert enter(phone, today, "morning", pain=6).status_code == 302
    first = shown()
    assert "<td>6.0 <span" in first and "(1 day)" in first
    assert shown() == first and (CLIENT_DIARY.misses, CLIENT_DIARY.hits) == (1, 1)
    assert enter(phone, today, "evening", pain=2).status_code == 302
    assert "<td>2.0 <span" in shown()
    assert enter(phone, today, "morning", pain=8).status_code == 302  # changed the same day
    changed = shown()
    assert "<td>8.0 <span" in changed and "<td>6.0 <span" not in changed
    page = text(admin_client.get("/"))
    admin_client.post("/language", data={"csrf_token": csrf_token(page), "language": "de",
                                         "next": "/"})
    german = text(admin_client.get(f"/clients/{cid}"))
    assert "Letzte 7 Tage" in german and "<td>8.0 <span" in german


def test_the_evening_checks_ticked_plan_steps_and_shows_the_plan_again_after_a_mistake(
        app, admin_client):
    from practice.diary.models import DiaryEntry
    from practice.extensions import db
    from visit_helpers import item_ids, plan_ids, record_visit, visit_page

    cid = client_id(new_client(admin_client, language="en"))
    page = visit_page(admin_client, cid)
    rub = item_ids(page)["Kidney rubbing"]
    assert record_visit(admin_client, cid, {"pain_now": "5", "add": [str(rub)]},
                        page).status_code == 302
    step = plan_ids(visit_page(admin_client, cid))["Kidney rubbing"]
    phone = phone_for(app, create_link(admin_client, cid))
    today = today_of(phone)
    # No pain chosen: the page comes back with the plan's step, still ticked.
    again = enter(phone, today, "evening", plan_done=step, note="after the walk", pain="")
    assert again.status_code == 200
    assert "Please choose how strong the pain is." in text(again)
    assert re.search(rf'<input checked[^>]*name="plan_done"[^>]*value="{step}"', text(again))
    assert "Kidney rubbing" in text(again) and "after the walk" in text(again)
    # Nothing ticked (the post reads no plan): shown again, the plan is there to tick.
    again = enter(phone, today, "evening", pain="")
    assert re.search(rf'<input id="plan_done-0" name="plan_done" type="checkbox" value="{step}"',
                     text(again))
    # A step that is not in the plan is refused in words; nothing is stored.
    refused = enter(phone, today, "evening", pain=3, plan_done=step + 1000)
    assert "Your plan changed since this page was opened" in text(refused)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DiaryEntry)) == 0
    # The step ticked, and an evening with nothing ticked (no plan read needed), are stored.
    assert enter(phone, today, "evening", pain=3, plan_done=step).status_code == 302
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    assert enter(phone, yesterday, "evening", pain=2).status_code == 302
    with app.app_context():
        stored = {e.day.isoformat(): e.plan_done for e in db.session.scalars(
            sa.select(DiaryEntry))}
    assert stored == {today: [step], yesterday: []}


def test_an_entry_page_of_any_date_reads_that_day_and_the_last_week_only(app, admin_client):
    """The entry page reads its slot's day and the week with the link: a date far back in the
    address reads that day, not the years between."""
    from practice.clients.models import Client
    from practice.diary import links, service
    from practice.extensions import db
    from practice.i18n import practice_zone

    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    assert enter(phone, today.isoformat(), "morning", pain=4).status_code == 302
    with app.app_context():
        client = db.session.get(Client, cid)
        for back in (20, 400):  # typed in from paper by the practitioner
            service.save(client, today - timedelta(days=back), "morning", {"pain": 6},
                         today=today, zone=practice_zone(), source="paper")
        db.session.commit()
    old = today - timedelta(days=400)
    cookie = phone.get_cookie(links.COOKIE).value
    with app.test_request_context():
        linked = links.from_cookie(cookie, service.slot_and_recent_days(old, today))
        assert sorted(row[1] for row in linked.entries) == [old, today]
        links.close_reading_connection()
        # A day of the week (the common case) reads by the index's range, not the whole diary.
        if db.engine.dialect.name == "sqlite":
            compiled = links._LINK_WITH_ENTRIES.compile(db.engine)
            days = service.slot_and_recent_days(today, today)
            plan = db.session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + str(compiled), tuple(
                    days.get(name, 1) for name in compiled.positiontup)).all()
            assert any("(client_id=? AND day>? AND day<?)" in row[-1] for row in plan), plan
    page = phone.get(f"/diary/{old.isoformat()}/morning", headers=EN)
    assert page.status_code == 200 and "Save" not in text(page)  # shown, locked
    assert phone.get("/diary/0001-01-01/morning").status_code == 200


def test_the_link_and_a_week_of_entries_check_the_consent_once(app, admin_client):
    """The entry page's one statement works out the link's row (with its two consent checks)
    once, then joins the week's entries: joined directly, the checks ran per entry row, and
    with a week of entries PostgreSQL hashed every consent of the practice instead."""
    from practice.clients.models import Client
    from practice.diary import links, service
    from practice.diary.models import DiaryLink
    from practice.extensions import db
    from practice.i18n import practice_zone

    for _ in range(3):  # other clients' consents, which the check has no business reading
        new_client(admin_client, language="en")
    cid = client_id(new_client(admin_client, language="en"))
    phone = phone_for(app, create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    with app.app_context():
        client = db.session.get(Client, cid)
        for back in range(1, 7):
            for slot in ("morning", "evening"):
                service.save(client, today - timedelta(days=back), slot, {"pain": 5},
                             today=today, zone=practice_zone(), source="paper")
        link_id = db.session.scalar(sa.select(DiaryLink.id).where(DiaryLink.client_id == cid))
        consents = db.session.scalar(sa.text("SELECT count(*) FROM consents"))
        db.session.commit()
    assert consents >= 4
    cookie = phone.get_cookie(links.COOKIE).value
    days = service.slot_and_recent_days(today, today)
    with app.test_request_context():
        linked = links.from_cookie(cookie, days)
        links.close_reading_connection()
    assert linked is not None and len(linked.entries) == 12
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return  # (SQLite looks a consent up by its index per row: no such plan to avoid)
        compiled = links._LINK_WITH_ENTRIES.compile(db.engine)
        plan = db.session.connection().exec_driver_sql(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + str(compiled),
            compiled.construct_params({"link": link_id, **days})).scalar()
        db.session.rollback()

    def consent_rows(node) -> int:
        own = (node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
               if node.get("Relation Name") == "consents" else 0)
        return own + sum(consent_rows(child) for child in node.get("Plans", []))

    # The client's own consent, once per check: never once per entry, never everyone's.
    assert consent_rows(plan[0]["Plan"]) <= 2, plan
