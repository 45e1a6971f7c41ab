"""The complete copy of a client's record (GDPR Art. 15/20, § 630g BGB) through the real pages:
a record with two intake versions, a red-flag notice acknowledged, a corrected visit, a plan
changed at a second visit, a diary and two issued handouts; the copy's ZIP holds each of them,
the JSON field by field as the database has it, the handouts byte for byte, and a PDF that
reads back in the client's language. Who may ask for it, and what the audit trail keeps."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import zipfile
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from conftest import csrf_token, second_practitioner, submit
from diary_helpers import create_link, enter, today_of
from intake_helpers import client_id, new_client
from visit_helpers import EN, item_ids, plan_ids, record_visit, visit_page

try:  # WeasyPrint needs Debian's Pango; a developer machine may lack it, CI never does
    import weasyprint  # noqa: F401
except (ImportError, OSError) as error:
    if os.environ.get("CI"):
        raise
    pytest.skip(f"WeasyPrint cannot load: {error}", allow_module_level=True)
from pypdf import PdfReader  # noqa: E402

TITLES = {"de": {"rub": "Nierenreiben", "bridge": "Brücke"},
          "en": {"rub": "Kidney rubbing", "bridge": "Glute bridge"}}


def normalised(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return normalised(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def issue_handout(web, cid: int) -> None:
    response = submit(web, f"/clients/{cid}/handouts", {"notice_decision": "proceed"},
                      page=f"/clients/{cid}")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]


def build_record(app, web, language: str) -> int:
    """The client whose copy is checked, built through the pages like a practice would."""
    cid = client_id(new_client(web, language=language, tongue="pale", rf_fever="y"))
    # Intake version 2: pain and tongue changed.
    changed = submit(web, f"/clients/{cid}/intake/", {
        "pain_now": "4", "tongue": "red tip", "rf_fever": "y", "red_flag_screen_done": "y",
        "action": "complete"})
    assert changed.status_code == 302
    # Visit 1: two recommendations; the fever notice acknowledged with what was done.
    page = visit_page(web, cid)
    ids = item_ids(page)
    rub, bridge = ids["Kidney rubbing"], ids["Glute bridge"]
    first = record_visit(web, cid, {
        "pain_now": "5", "findings": "tense left side", "add": [str(rub), str(bridge)],
        f"add-{rub}-how_often": "morning and evening", "notice_decision": "acknowledge",
        "notice_note": "Sent to the GP about the fever."}, page)
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    from practice.extensions import db
    from practice.visits.models import Visit

    with app.app_context():
        visit_id = db.session.scalar(sa.select(Visit.id).where(Visit.client_id == cid))
    # The correction of visit 1.
    correct = web.get(f"/clients/{cid}/visits/{visit_id}/correct", headers=EN)
    when = re.search(r'id="visited_at"[^>]*value="([^"]+)"',
                     correct.get_data(as_text=True)).group(1)
    corrected = submit(web, f"/clients/{cid}/visits/{visit_id}/correct", {
        "visited_at": when, "practitioner_id": "1", "pain_now": "5",
        "findings": "tense right side"})
    assert corrected.status_code == 302
    issue_handout(web, cid)
    # The diary: four days, mornings and evenings, one evening with a plan step and a note.
    phone = app.test_client()
    phone.get(create_link(web, cid))
    today = date.fromisoformat(today_of(phone))
    plan = plan_ids(visit_page(web, cid))
    for offset in range(3, -1, -1):
        day = (today - timedelta(days=offset)).isoformat()
        assert enter(phone, day, "morning", pain=6 - offset % 2, stiffness_minutes=20,
                     sleep="fair").status_code == 302
        if offset < 3:  # the plan began today: only today's evening can tick a step
            done = {"plan_done": plan["Kidney rubbing"]} if offset == 0 else {}
            assert enter(phone, day, "evening", pain=4, stress=3, sitting_hours=6,
                         movement="some", note="Better after the walk",
                         **done).status_code == 302
    # Visit 2: the bridge stopped, kidney rubbing adjusted; then the second handout.
    page = visit_page(web, cid)
    active = plan_ids(page)
    second = record_visit(web, cid, {
        "pain_now": "3", f"plan-{active['Glute bridge']}-action": "stop",
        f"plan-{active['Kidney rubbing']}-how_often": "every evening"}, page)
    assert second.status_code == 302
    issue_handout(web, cid)
    return cid


def start_copy(web, cid: int):
    return submit(web, f"/clients/{cid}/record-copy", {}, page=f"/clients/{cid}")


def download_copy(web, cid: int) -> zipfile.ZipFile:
    started = start_copy(web, cid)
    assert started.status_code == 302 and started.location.startswith("/jobs/"), started.location
    page = web.get(started.location, headers=EN).get_data(as_text=True)
    assert "Ready." in page and "Complete copy of the record" in page
    link = re.search(r'href="(/jobs/\d+/result)"', page).group(1)
    response = web.get(link)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert re.fullmatch(rf'attachment; filename="record-{cid}-\d{{4}}-\d\d-\d\d\.zip"',
                        response.headers["Content-Disposition"])
    return zipfile.ZipFile(io.BytesIO(response.data))


def iso(value):
    from practice.records.collect import iso as to_iso

    return to_iso(value)


def check_json_against_database(app, cid: int, record: dict, language: str) -> None:
    """Every part of record.json, field by field, read back from the tables here."""
    from practice.accounts.models import Practitioner
    from practice.clients.consent import consent_text
    from practice.clients.models import Client, ClientAlert, Consent
    from practice.diary.models import DiaryEntry
    from practice.extensions import db
    from practice.handouts.models import Handout
    from practice.intake.models import Intake, IntakeVersion
    from practice.visits.models import Recommendation, Visit, VisitVersion

    with app.app_context():
        def name(pid):
            return db.session.get(Practitioner, pid).name if pid else None

        client = db.session.get(Client, cid)
        assert record["language"] == language and record["format"] == "practice.record-copy"
        assert record["practice"] == {"name": "Praxis Lindenhof",
                                      "address": "Lindenstraße 4\n10969 Berlin",
                                      "phone": "+49 30 1234567", "email": "praxis@example.com"}
        assert record["client"] == {
            "id": cid, "first_name": client.first_name, "last_name": client.last_name,
            "date_of_birth": client.date_of_birth.isoformat(), "sex": client.sex,
            "email": client.email, "phone": client.phone, "language": client.language,
            "practitioner": "Anna Admin", "archived": False,
            "created_at": iso(client.created_at), "changes": []}
        consent = db.session.scalar(sa.select(Consent).where(Consent.client_id == cid))
        assert record["consents"] == [{
            "id": consent.id, "text_version": consent.text_version, "language": language,
            "text": consent_text(language, consent.text_version),
            "given_at": iso(consent.given_at), "recorded_by": "Anna Admin",
            "withdrawn_at": None, "withdrawal_recorded_by": None}]
        intake = db.session.scalar(sa.select(Intake).where(Intake.client_id == cid))
        versions = db.session.scalars(sa.select(IntakeVersion).where(
            IntakeVersion.intake_id == intake.id).order_by(IntakeVersion.number)).all()
        assert record["intake"]["id"] == intake.id and record["intake"]["status"] == "complete"
        assert record["intake"]["versions"] == [
            {"number": v.number, "status": v.status, "created_at": iso(v.created_at),
             "created_by": name(v.created_by_id), "answers": v.answers,
             "changed_keys": v.changed_keys} for v in versions]
        assert len(versions) == 2 and versions[1].changed_keys == ["pain_now", "tongue"]
        alerts = db.session.scalars(sa.select(ClientAlert).where(ClientAlert.client_id == cid)
                                    .order_by(ClientAlert.id)).all()
        assert [(n["id"], [r["code"] for r in n["reasons"]], n["raised_at"], n["acknowledged_at"],
                 n["acknowledged_by"], n["acknowledgement_note"]) for n in record["notices"]] == [
            (a.id, a.reasons, iso(a.raised_at), iso(a.acknowledged_at), name(a.acknowledged_by_id),
             a.acknowledgement_note) for a in alerts]
        assert record["notices"][0]["acknowledgement_note"] == "Sent to the GP about the fever."
        visits = db.session.scalars(sa.select(Visit).where(Visit.client_id == cid)
                                    .order_by(Visit.visited_at)).all()
        assert [v["id"] for v in record["visits"]] == [v.id for v in visits]
        for shown, visit in zip(record["visits"], visits):
            assert shown["visited_at"] == iso(visit.visited_at)
            assert shown["practitioner"] == name(visit.practitioner_id)
            stored = db.session.scalars(sa.select(VisitVersion).where(
                VisitVersion.visit_id == visit.id).order_by(VisitVersion.number)).all()
            assert [(v["number"], v["data"], v["changed_keys"], v["created_at"], v["created_by"])
                    for v in shown["versions"]] == [
                (v.number, v.data, v.changed_keys, iso(v.created_at), name(v.created_by_id))
                for v in stored]
        assert record["visits"][0]["versions"][1]["changed_keys"] == ["findings"]
        recs = db.session.scalars(sa.select(Recommendation).where(
            Recommendation.client_id == cid).order_by(Recommendation.starts_on,
                                                      Recommendation.id)).all()
        assert [(p["id"], p["item_id"], p["library_version"], p["how_often"], p["how_long"],
                 p["notes"], p["starts_on"], p["ends_on"], p["stopped_on"], p["stop_reason"],
                 p["stopped_by"], p["replaces_id"], p["visit_id"], p["stopped_visit_id"])
                for p in record["plan"]] == [
            (r.id, r.item_id, r.content_version.number, r.how_often, r.how_long, r.notes,
             iso(r.starts_on), iso(r.ends_on), iso(r.stopped_on), r.stop_reason or None,
             name(r.stopped_by_id), r.replaces_id, r.visit_id, r.stopped_visit_id) for r in recs]
        by_id = {p["id"]: p for p in record["plan"]}
        adjusted = next(r for r in recs if r.replaces_id)
        assert by_id[adjusted.replaces_id]["replaced_by_id"] == adjusted.id
        assert by_id[adjusted.id]["how_often"] == "every evening"
        assert {p["title"] for p in record["plan"]} == set(TITLES[language].values())
        # Kidney rubbing adjusted (stopped, and started again with the new instructions),
        # the bridge stopped.
        assert sorted(p["stop_reason"] or "" for p in record["plan"]) == [
            "", "adjusted", "stopped"]
        entries = sorted(db.session.scalars(sa.select(DiaryEntry).where(
            DiaryEntry.client_id == cid)), key=lambda e: (e.day, e.slot != "morning"))
        assert len(record["diary"]) == len(entries) == 7
        for shown, entry in zip(record["diary"], entries):
            for field in ("id", "day", "slot", "pain", "stiffness_minutes", "sleep", "stress",
                          "sitting_hours", "movement", "warmth", "plan_done", "note", "warning",
                          "warning_signs", "is_late", "source", "created_at", "updated_at"):
                assert shown[field] == iso(getattr(entry, field)), field
        handouts = db.session.scalars(sa.select(Handout).where(Handout.client_id == cid)
                                      .order_by(Handout.issued_at)).all()
        assert [(h["id"], h["issued_at"], h["language"], h["pages"], h["sha256"], h["visit_id"],
                 h["issued_by"]) for h in record["handouts"]] == [
            (h.id, iso(h.issued_at), h.language, h.pages, h.sha256, h.visit_id, "Anna Admin")
            for h in handouts]
        assert len(handouts) == 2
    text = json.dumps(record)
    # No secrets: not the diary token, its hash or nonce, nor a practitioner's e-mail.
    for forbidden in ("token", "nonce", "hash", "anna@example.com", "password", "totp"):
        assert forbidden not in text, forbidden


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_complete_copy_holds_the_whole_record(app, admin_client, language):
    cid = build_record(app, admin_client, language)
    archive = download_copy(admin_client, cid)
    names = archive.namelist()
    record = json.loads(archive.read("record.json"))
    handout_files = [h["file"] for h in record["handouts"]]
    assert sorted(names) == sorted(["record.json", "fhir.json", "record.pdf", "diary.csv",
                                    "scores.csv", *handout_files])
    assert all(re.fullmatch(r"handouts/\d{4}-\d\d-\d\d-\d+\.pdf", f) for f in handout_files)
    check_json_against_database(app, cid, record, language)

    # The handouts byte for byte as issued: their SHA-256 is the one listed (and stored).
    for listed in record["handouts"]:
        assert hashlib.sha256(archive.read(listed["file"])).hexdigest() == listed["sha256"]
    # diary.csv: one row per entry, the same file as the practitioner's diary export.
    diary_csv = archive.read("diary.csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(diary_csv.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) - 1 == len(record["diary"]) == 7
    assert [(row[0], row[1]) for row in rows[1:]] == [(e["day"], e["slot"])
                                                      for e in record["diary"]]
    # The same columns and cells as the practitioner's diary export (which sorts a day's
    # slots alphabetically; the copy has the morning first).
    export = admin_client.get(f"/clients/{cid}/diary/export.csv").get_data(as_text=True)
    exported = list(csv.reader(io.StringIO(export.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == exported[0] and sorted(rows[1:]) == sorted(exported[1:])

    # record.pdf reads back in the client's language with every part.
    pdf = archive.read("record.pdf")
    text = pdf_text(pdf)
    words = {"de": ("Vollständige Kopie Ihrer Akte", "Fassung 2", "Zunge", "pale", "red tip",
                    "Korrektur: Fassung 2", "tense left side", "tense right side",
                    "Plan für zu Hause: Verlauf", "angepasst", "beendet", "every evening",
                    "Schmerztagebuch", "Better after the walk", "Merkblätter",
                    "Hinweis bestätigt von Anna Admin", "Sent to the GP about the fever.",
                    "Ich willige ein", "Seite 1 von"),
             "en": ("Complete copy of your record", "Version 2", "Tongue", "pale", "red tip",
                    "Correction: version 2", "tense left side", "tense right side",
                    "Home-care plan: history", "adjusted", "stopped", "every evening",
                    "Pain diary", "Better after the walk", "Handouts",
                    "Notice acknowledged by Anna Admin", "Sent to the GP about the fever.",
                    "I consent to", "Page 1 of")}[language]
    for expected in (*words, *TITLES[language].values(), "Jana Schäfer", "Praxis Lindenhof"):
        assert expected in text, expected
    other = "en" if language == "de" else "de"
    assert TITLES[other]["rub"] not in text
    from flask_babel import force_locale

    from practice import formats

    with app.test_request_context(), force_locale({"de": "de_DE", "en": "en_GB"}[language]):
        days = [formats.day(date.fromisoformat(e["day"])) for e in record["diary"]]
    for shown in days:
        assert shown in text, shown
    for listed in record["handouts"]:
        assert listed["sha256"] in text and listed["file"] in text
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert f"{pages} {'von' if language == 'de' else 'of'} {pages}" in text
    fonts = {str(font.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(pdf)).pages
             for font in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts and all("Handout-Sans" in name for name in fonts), fonts  # only the bundled font
    from figures import report_figure

    report_figure(f"record copy ({language})", f"record.pdf {pages} pages, ZIP "
                  f"{len(archive.fp.getvalue()):,} bytes, {len(names)} files")


def test_only_who_may_see_the_client_gets_a_copy_and_the_audit_keeps_no_health_data(
        app, admin_client):
    from practice.audit.models import AuditEvent
    from practice.extensions import db
    from practice.jobs.models import Job

    cid = client_id(new_client(admin_client, tongue="pale"))
    ben = second_practitioner(app, admin_client)
    # Ben may not see Anna's client: 404 on starting, nothing started, nothing audited.
    token = csrf_token(ben.get("/", headers=EN).get_data(as_text=True))
    assert ben.post(f"/clients/{cid}/record-copy", data={"csrf_token": token}).status_code == 404
    anonymous = app.test_client()
    refused = anonymous.post(f"/clients/{cid}/record-copy")
    assert refused.status_code == 302 and refused.location.startswith("/login")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0
    # An archived record can still be copied: a copy is a right then too.
    submit(admin_client, f"/clients/{cid}/archive", {"archived": "1", "confirmed": "1"},
           page=f"/clients/{cid}")
    client_page = admin_client.get(f"/clients/{cid}", headers=EN).get_data(as_text=True)
    assert "archived" in client_page and "Complete copy for the client" in client_page
    started = start_copy(admin_client, cid)
    job_page = started.location
    assert "Ready." in admin_client.get(job_page, headers=EN).get_data(as_text=True)
    # Ben gets 404 on Anna's job and its result (a job is its creator's own).
    assert ben.get(job_page).status_code == 404
    assert ben.get(job_page + "/result").status_code == 404
    assert anonymous.get(job_page).status_code == 302
    with app.app_context():
        job = db.session.scalar(sa.select(Job))
        assert job.kind == "records.copy" and job.params == {"client": cid}
        # Progress per part of the record (8) and per file made (4), all done.
        assert (job.status, job.done, job.total) == ("done", 13, 13)
        events = db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "record.copy")).all()
        assert [(e.actor_id, e.actor_kind, e.object_type, e.object_id) for e in events] == [
            (1, "practitioner", "client", str(cid))]
        assert events[0].at is not None
        # Nothing of the record in the trail: only actions, types and ids.
        trail = " ".join(f"{e.action} {e.object_type} {e.object_id}"
                         for e in db.session.scalars(sa.select(AuditEvent)))
        for health in ("pale", "Schäfer", "Jana"):
            assert health not in trail
    # Downloading the copy is on the record's access log too.
    assert admin_client.get(job_page + "/result").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.client_id).where(
            AuditEvent.action == "record.copy_download")) == cid


def test_the_job_checks_again_that_its_creator_may_see_the_client(app, admin_client):
    """Started by Ben, run after the client went to a colleague: refused, nothing made."""
    from practice.accounts.models import Practitioner
    from practice.clients.models import Client
    from practice.extensions import db
    from practice.jobs.models import Job
    from practice.jobs.queue import run
    from practice.records import copy_job

    ben = second_practitioner(app, admin_client)
    with app.app_context():
        ben_id = db.session.scalar(sa.select(Practitioner.id).where(Practitioner.name == "Ben"))
    cid = client_id(new_client(admin_client, practitioner_id=str(ben_id)))
    with app.app_context():
        client = db.session.get(Client, cid)
        job = copy_job.start(client, actor=db.session.get(Practitioner, ben_id))
        client.practitioner_id = 1  # given to Anna before a worker took the job
        db.session.commit()
        job_id = job.id
    run(app, job_id)
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert (job.status, job.error, job.result) == ("failed", "not_visible", None)
    page = ben.get(f"/jobs/{job_id}", headers=EN).get_data(as_text=True)
    assert "You may no longer open this client's record" in page
    assert ben.get(f"/jobs/{job_id}/result").status_code == 404


def test_the_collected_record_is_json_in_utc(app, admin_client):
    """Times are ISO 8601 in UTC, days plain dates, and the dict survives JSON unchanged."""
    from datetime import datetime

    from practice.clients.models import Client
    from practice.extensions import db
    from practice.records.collect import PARTS, collect

    cid = client_id(new_client(admin_client))
    seen = []
    with app.test_request_context():
        record = collect(db.session.get(Client, cid),
                         progress=lambda done, part: seen.append((done, part)))
    assert seen == list(enumerate(PARTS, 1))
    assert json.loads(json.dumps(record)) == record
    for stamp in (record["created_at"], record["client"]["created_at"],
                  record["consents"][0]["given_at"], record["intake"]["versions"][0]["created_at"]):
        assert datetime.fromisoformat(stamp).utcoffset() == timedelta(0), stamp
        assert stamp.endswith("+00:00")
    assert record["client"]["date_of_birth"] == "1984-04-02"
    assert record["visits"] == [] and record["diary"] == [] and record["handouts"] == []


HOSTILE = ('<img src="file:///etc/passwd"> <style>@import url("http://169.254.169.254/x.css");'
           '</style> <svg><use href="http://169.254.169.254/s.svg#x"/></svg> </body>')


def test_hostile_text_in_the_record_is_shown_and_fetches_nothing(app, admin_client,
                                                                  fetched_urls):
    seen = fetched_urls
    cid = client_id(new_client(admin_client, tongue=HOSTILE[:200], first_name="<b>Eva</b>"))
    archive = download_copy(admin_client, cid)
    assert seen and all(url.startswith("file://") and "SourceSansPro" in url for url in seen), seen
    text = pdf_text(archive.read("record.pdf"))
    assert '<img src="file:///etc/passwd">' in text and "<b>Eva</b>" in text  # text, not markup
    assert json.loads(archive.read("record.json"))["client"]["first_name"] == "<b>Eva</b>"
