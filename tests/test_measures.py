"""Outcome measures through the pages: typed in at the desk, asked before the next visit and
filled in on the phone through the personal link, shown with their change on the visit form,
the visit page and the client page."""

from __future__ import annotations

import re

import sqlalchemy as sa

from conftest import csrf_token, second_practitioner, submit
from diary_helpers import create_link
from intake_helpers import client_id, new_client
from measure_helpers import (EN, ODI_ALL, ask, desk_page, psfs_data, questionnaire_links,
                             record_at_desk)
from visit_helpers import record_visit, visit_page


def scores(app, cid: int) -> list:
    from practice.extensions import db
    from practice.measures.models import MeasureScore

    with app.app_context():
        return [(r.instrument, r.score, r.place, r.filled_by, r.version_count) for r in
                db.session.scalars(sa.select(MeasureScore).where(MeasureScore.client_id == cid)
                                   .order_by(MeasureScore.id))]


def actions(app) -> list[str]:
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_odi_typed_in_at_the_desk_with_a_skipped_section(app, admin_client):
    cid = client_id(new_client(admin_client))
    html = desk_page(admin_client, cid, "odi")
    assert "Section 10" in html and 'value="paper"' in html
    sections = {**ODI_ALL, "odi1": 4, "odi10": ""}  # 20 of 45
    response = record_at_desk(admin_client, cid, "odi", sections, html)
    assert response.status_code == 302
    assert response.location.endswith(f"/clients/{cid}#measures-title")
    assert scores(app, cid) == [("odi", 44.0, "paper", "practitioner", 1)]
    page = admin_client.get(f"/clients/{cid}", headers=EN).get_data(as_text=True)
    assert "ODI saved: 44 % · severe limitation." in page
    assert 'data-instrument="odi"' in page and "<svg" in page
    assert "measure.record" in actions(app)


def test_desk_errors_stand_at_the_field_and_keep_what_was_typed(app, admin_client):
    cid = client_id(new_client(admin_client))
    too_few = {f"odi{n}": 3 for n in range(1, 8)}
    response = record_at_desk(admin_client, cid, "odi", too_few)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "at least 8 of the 10 sections" in html
    assert re.search(r'<input[^>]*name="odi7"[^>]*value="3"', html)  # kept as typed
    response = record_at_desk(admin_client, cid, "odi", {**ODI_ALL, "odi3": "6"})
    html = response.get_data(as_text=True)
    assert "Please enter a whole number from 0 to 5." in html and 'value="6"' in html
    response = record_at_desk(admin_client, cid, "rmdq", {"rmdq_total": "25"})
    assert "from 0 to 24" in response.get_data(as_text=True)
    response = record_at_desk(admin_client, cid, "psfs", {"activity1": "Socks", "rating1": "4",
                                                         "rating2": "5"})
    html = response.get_data(as_text=True)
    assert "Please name the activity you rated." in html and "Socks" in html
    assert scores(app, cid) == []
    # German at the field, too.
    page = desk_page(admin_client, cid, "rmdq")
    admin_client.post("/language", data={"csrf_token": csrf_token(page), "language": "de"})
    german = record_at_desk(admin_client, cid, "rmdq", {"rmdq_total": "-1"})
    html = german.get_data(as_text=True)
    assert "Bitte eine ganze Zahl von 0 bis 24 eingeben." in html and 'value="-1"' in html
    assert "RMDQ erfassen" in html


def test_rmdq_and_psfs_at_their_boundaries(app, admin_client):
    cid = client_id(new_client(admin_client))
    assert record_at_desk(admin_client, cid, "rmdq", {"rmdq_total": "0"}).status_code == 302
    assert record_at_desk(admin_client, cid, "rmdq", {"rmdq_total": "24"}).status_code == 302
    assert record_at_desk(admin_client, cid, "psfs", psfs_data(3, 4, 4)).status_code == 302
    assert record_at_desk(admin_client, cid, "psfs", psfs_data(0, 10, 10, 10, 10)
                          ).status_code == 302
    assert [s[:2] for s in scores(app, cid)] == [("rmdq", 0), ("rmdq", 24), ("psfs", 3.7),
                                                 ("psfs", 8.0)]
    # The next PSFS names the activities of the last one.
    html = desk_page(admin_client, cid, "psfs")
    assert 'value="Cycling"' in html


def test_unknown_instrument_other_practitioners_and_nrs_are_not_found(app, admin_client):
    cid = client_id(new_client(admin_client))
    assert admin_client.get(f"/clients/{cid}/measures/new/sf36").status_code == 404
    assert admin_client.get(f"/clients/{cid}/measures/new/nrs").status_code == 404
    ben = second_practitioner(app, admin_client)
    assert ben.get(f"/clients/{cid}/measures/new/odi").status_code == 404


def test_a_correction_keeps_the_original(app, admin_client):
    cid = client_id(new_client(admin_client))
    record_at_desk(admin_client, cid, "rmdq", {"rmdq_total": "12"})
    score_id = int(re.search(rf"/clients/{cid}/measures/(\d+)\"",
                             admin_client.get(f"/clients/{cid}").get_data(as_text=True)).group(1))
    url = f"/clients/{cid}/measures/{score_id}/correct"
    html = admin_client.get(url, headers=EN).get_data(as_text=True)
    assert 'value="12"' in html
    response = admin_client.post(url, headers=EN, data={"csrf_token": csrf_token(html),
                                                        "rmdq_total": "10"})
    assert response.status_code == 302
    page = admin_client.get(f"/clients/{cid}/measures/{score_id}", headers=EN).get_data(
        as_text=True)
    assert "Version 2" in page and "Version 1" in page and "12 of 24 statements ticked" in page
    assert scores(app, cid) == [("rmdq", 10.0, "paper", "practitioner", 2)]
    assert {"measure.correct", "measure.view"} <= set(actions(app))


def test_the_audit_trail_holds_no_scores_or_activities(app, admin_client):
    cid = client_id(new_client(admin_client))
    record_at_desk(admin_client, cid, "psfs", psfs_data(3, 4, 4))
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    with app.app_context():
        rows = db.session.execute(sa.select(AuditEvent.__table__)).all()
    text = repr(rows)
    assert "Gardening" not in text and "3.7" not in text


def test_home_flow_through_the_personal_link(app, admin_client):
    jana = client_id(new_client(admin_client, language="en"))
    otto = client_id(new_client(admin_client, first_name="Otto", last_name="Anders",
                                language="de"))
    record_at_desk(admin_client, jana, "psfs", psfs_data(3, 4, 4))
    assert record_visit(admin_client, jana, {"pain_now": "5"}).status_code == 302
    phone, other = app.test_client(), app.test_client()
    phone.get(create_link(admin_client, jana))
    other.get(create_link(admin_client, otto))
    assert questionnaire_links(phone) == []
    assert ask(admin_client, jana, "psfs", "start_back", "odi").status_code == 302
    home = phone.get("/diary/").get_data(as_text=True)
    assert "Before your next visit: 2 short questionnaires" in home
    assert "also fill in 1 short questionnaire on paper" in home
    links = questionnaire_links(phone)
    assert len(links) == 2
    psfs_link = next(link for link in links
                     if "Activities" in phone.get(link).get_data(as_text=True))
    # Another client's phone: not found, and it cannot fill it in.
    assert other.get(psfs_link).status_code == 404
    page = other.get("/diary/").get_data(as_text=True)
    assert other.post(psfs_link, data={"csrf_token": csrf_token(page), **psfs_data(9, 9, 9)}
                      ).status_code == 404
    assert "Vor Ihrem nächsten Termin" not in page
    assert app.test_client().get(psfs_link).status_code == 403  # no cookie at all
    # Pre-filled with the activities named last time; filled in on the phone.
    html = phone.get(psfs_link).get_data(as_text=True)
    assert 'value="Putting on socks"' in html and 'value="Gardening"' in html
    response = phone.post(psfs_link, data={"csrf_token": csrf_token(html), **psfs_data(6, 6, 5)})
    assert response.status_code == 302 and "saved=questionnaire" in response.location
    assert scores(app, jana)[-1] == ("psfs", 5.7, "home", "client", 1)
    assert scores(app, otto) == []
    home = phone.get("/diary/").get_data(as_text=True)
    assert "Before your next visit: 1 short questionnaire" in home
    # Sent: the address now says so and takes nothing more.
    again = phone.post(psfs_link, data={"csrf_token": csrf_token(html), **psfs_data(1, 1, 1)})
    assert "already sent" in again.get_data(as_text=True) and len(scores(app, jana)) == 2
    # The practitioner sees the paper one to type in at the visit, and the fresh PSFS.
    visit = visit_page(admin_client, jana)
    assert "to type in at the visit from the paper form" in visit
    assert "new since the last visit" in visit and "+2.0" in visit
    assert "reaches the minimal important change" in visit


def test_the_german_diary_says_sie(app, admin_client):
    otto = client_id(new_client(admin_client, first_name="Otto", last_name="Anders",
                                language="de"))
    phone = app.test_client()
    phone.get(create_link(admin_client, otto))
    ask(admin_client, otto, "psfs", "start_back")
    home = phone.get("/diary/").get_data(as_text=True)
    assert "Vor Ihrem nächsten Termin: 2 kurze Fragebögen" in home


def test_the_visit_page_says_meaningful_improvement_since_the_first_score(app, admin_client):
    cid = client_id(new_client(admin_client))
    record_at_desk(admin_client, cid, "odi", ODI_ALL)  # 40 %
    record_at_desk(admin_client, cid, "odi", {**ODI_ALL, "odi1": 0, "odi2": 0, "odi3": 1})  # 30 %
    assert record_visit(admin_client, cid, {"pain_now": "3"}).status_code == 302
    from practice.extensions import db
    from practice.visits.models import Visit

    with app.app_context():
        visit_id = db.session.scalar(sa.select(Visit.id).where(Visit.client_id == cid))
    page = admin_client.get(f"/clients/{cid}/visits/{visit_id}", headers=EN).get_data(as_text=True)
    assert "ODI: meaningful improvement since the first score (40 % → 30 %)" in page
    # Pain 6 at intake, 3 now: the NRS too.
    assert "NRS: meaningful improvement since the first score (6/10 → 3/10)" in page
    with app.app_context():
        from practice.clients.models import Client
        from practice.measures.progress import progress_line

        with app.test_request_context(headers=EN):
            line = progress_line(db.session.get(Client, cid))
    assert "ODI 40 % → 30 % (meaningful improvement)" in line


def test_writes_need_consent_and_an_active_record(app, admin_client):
    cid = client_id(new_client(admin_client))
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    ask(admin_client, cid, "psfs")
    link = questionnaire_links(phone)[0]
    html = desk_page(admin_client, cid, "rmdq")
    submit(admin_client, f"/clients/{cid}/consent", {"consent": "withdraw", "confirmed": "1"},
           page=f"/clients/{cid}")
    response = record_at_desk(admin_client, cid, "rmdq", {"rmdq_total": "4"}, html)
    assert response.status_code == 302 and scores(app, cid) == []
    assert phone.get(link).status_code == 403  # the diary closed with the consent
    assert ask(admin_client, cid, "odi").status_code == 302
    from practice.extensions import db
    from practice.measures.models import MeasureRequest

    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MeasureRequest)) == 1


def test_a_desk_score_belongs_to_the_visit_of_its_day(app, admin_client):
    cid = client_id(new_client(admin_client))
    record_at_desk(admin_client, cid, "odi", ODI_ALL)  # before the visit is saved
    assert record_visit(admin_client, cid, {"pain_now": "4"}).status_code == 302
    record_at_desk(admin_client, cid, "rmdq", {"rmdq_total": "6"})  # after it
    from practice.extensions import db
    from practice.measures.models import MeasureScore
    from practice.visits.models import Visit

    with app.app_context():
        visit_id = db.session.scalar(sa.select(Visit.id).where(Visit.client_id == cid))
        linked = db.session.scalars(sa.select(MeasureScore.visit_id).where(
            MeasureScore.client_id == cid)).all()
    assert linked == [visit_id, visit_id]
    page = admin_client.get(f"/clients/{cid}/measures/1", headers=EN).get_data(as_text=True)
    assert f"/clients/{cid}/visits/{visit_id}" in page


def test_paper_questionnaires_typed_in_on_the_visit_form(app, admin_client):
    cid = client_id(new_client(admin_client))
    ask(admin_client, cid, "odi")
    html = visit_page(admin_client, cid)
    assert 'name="m-odi-odi1"' in html and 'name="m-rmdq-rmdq_total"' in html
    assert "asked for this visit" in html
    # A wrong section: the visit is not saved, the message stands at the field, all kept.
    sections = {f"m-odi-odi{n}": "3" for n in range(1, 11)}
    response = record_visit(admin_client, cid, {"pain_now": "4", "findings": "tense",
                                                **sections, "m-odi-odi2": "7"}, html)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Please enter a whole number from 0 to 5." in page
    assert 'value="7"' in page and "tense" in page
    assert scores(app, cid) == []
    response = record_visit(admin_client, cid, {"pain_now": "4", **sections,
                                                "m-rmdq-rmdq_total": "9"}, html)
    assert response.status_code == 302
    assert [s[:3] for s in scores(app, cid)] == [("odi", 60.0, "paper"), ("rmdq", 9.0, "paper")]
    from practice.extensions import db
    from practice.measures.models import MeasureRequest, MeasureScore

    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MeasureScore).where(
            MeasureScore.visit_id.is_(None))) == 0
        assert db.session.scalar(sa.select(MeasureRequest.answered_at)) is not None
    # Nothing typed in: no score.
    assert record_visit(admin_client, cid, {"pain_now": "3"}).status_code == 302
    assert len(scores(app, cid)) == 2


def test_start_back_filled_in_at_home_is_scored_by_the_intake_rule(app, admin_client):
    cid = client_id(new_client(admin_client, language="en"))
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    ask(admin_client, cid, "start_back")
    link = questionnaire_links(phone)[0]
    html = phone.get(link).get_data(as_text=True)
    answers = {f"sb{n}": "agree" for n in range(1, 9)}
    incomplete = phone.post(link, data={"csrf_token": csrf_token(html), **answers})
    assert incomplete.status_code == 200 and "Please answer this question." in (
        incomplete.get_data(as_text=True))
    response = phone.post(link, data={"csrf_token": csrf_token(html), **answers,
                                      "sb9": "very_much"})
    assert response.status_code == 302
    assert scores(app, cid) == [("start_back", 9.0, "home", "client", 1)]
    page = admin_client.get(f"/clients/{cid}", headers=EN).get_data(as_text=True)
    assert 'data-instrument="start_back"' in page


def test_deleting_a_record_takes_its_scores_and_requests_along(app, admin_client):
    cid = client_id(new_client(admin_client))
    record_at_desk(admin_client, cid, "rmdq", {"rmdq_total": "5"})
    ask(admin_client, cid, "psfs", "rmdq")
    from practice.clients.models import Client
    from practice.extensions import db
    from practice.measures.models import MeasureRequest, MeasureScore, MeasureScoreVersion

    with app.app_context():
        db.session.execute(sa.delete(Client).where(Client.id == cid))  # as the purge does
        db.session.commit()
        for model in (MeasureScore, MeasureScoreVersion, MeasureRequest):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_a_questionnaire_no_longer_asked_is_gone_from_the_phone(app, admin_client):
    cid = client_id(new_client(admin_client, language="en"))
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    ask(admin_client, cid, "psfs")
    link = questionnaire_links(phone)[0]
    response = ask(admin_client, cid)  # nothing ticked: withdrawn
    page = admin_client.get(response.location, headers=EN).get_data(as_text=True)
    assert "Questionnaires no longer asked: PSFS." in page
    assert questionnaire_links(phone) == [] and phone.get(link).status_code == 404
