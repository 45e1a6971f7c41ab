"""The progress letter for the client's doctor, through the real pages and read back from the
PDF: the letterhead, the scores with their changes, the plan, the warning signs and what was
advised; the client's agreement, bad input and the access rules."""

from __future__ import annotations

import io

import sqlalchemy as sa
from pypdf import PdfReader

from conftest import csrf_token, second_practitioner, submit
from intake_helpers import client_id, new_client
from measure_helpers import ODI_ALL, psfs_data, record_at_desk
from visit_helpers import item_ids, record_visit, visit_page

EN = {"Accept-Language": "en"}
START_BACK_HIGH = {f"sb{n}": "agree" for n in range(1, 9)} | {"sb9": "extremely"}


def text_of(pdf: bytes) -> str:
    """The letter's words, each run of white space one blank (table cells wrap)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
                    .split())


def a_client_with_history(admin_client) -> int:
    cid = client_id(new_client(admin_client, language="en", rf_fever="y", pain_now="7",
                               location="centre", **START_BACK_HIGH))
    html = visit_page(admin_client, cid)
    items = item_ids(html)
    heat = next(i for title, i in items.items() if "arm" in title)  # warmth for the back
    response = record_visit(admin_client, cid, {"pain_now": "4", "add": [str(heat)],
                                                "notice_decision": "proceed"}, html)
    assert response.status_code == 302
    assert record_at_desk(admin_client, cid, "odi", ODI_ALL).status_code == 302
    assert record_at_desk(admin_client, cid, "psfs", psfs_data(3, 4, 5)).status_code == 302
    return cid


def test_the_letter_gives_scores_plan_and_warning_signs(app, admin_client):
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    cid = a_client_with_history(admin_client)
    page = admin_client.get(f"/clients/{cid}", headers=EN).get_data(as_text=True)
    assert f'href="/clients/{cid}/letter"' in page
    form = admin_client.get(f"/clients/{cid}/letter", headers=EN)
    assert form.status_code == 200
    response = submit(admin_client, f"/clients/{cid}/letter", {
        "recipient": "Dr. med. Eva Hausarzt\nHauptstraße 1\n10115 Berlin",
        "note": "Please check the fever noted at intake.", "language": "en", "agreed": "y"},
        headers=EN)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = text_of(response.data)
    assert "Dr. med. Eva Hausarzt Hauptstraße 1" in text and "Please check the fever" in text
    assert "Progress report: Jana Schäfer" in text
    assert "Pain (NRS 0-10)" in text and "7/10" in text and "4/10" in text
    assert "−3 · meaningful improvement since the first score" in text
    assert "STarT Back" in text and "9/9 (high risk)" in text
    assert "ODI 2.1a" in text and "40 % (moderate limitation)" in text
    assert "PSFS" in text and "4.0/10" in text and "first score" in text
    assert "Fever or chills" in text and "open" in text  # the notice, not yet acknowledged
    assert "warm" in text.lower()  # the plan's item
    assert "not a diagnosis" in text
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "letter.print")).all()
        assert [(e.object_type, e.object_id, e.client_id) for e in events] == [
            ("client", str(cid), cid)]

    german = submit(admin_client, f"/clients/{cid}/letter", {
        "recipient": "", "note": "", "language": "de", "agreed": "y"}, headers=EN)
    german_text = text_of(german.data)
    assert "Verlaufsbericht" in german_text and "Schmerz" in german_text


def test_without_the_clients_agreement_nothing_is_printed_and_nothing_typed_is_lost(
        app, admin_client):
    cid = a_client_with_history(admin_client)
    response = submit(admin_client, f"/clients/{cid}/letter", {
        "recipient": "Dr. Weiß", "note": "x" * 2001, "language": "en"}, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "can only be sent with the client&#39;s agreement" in page
    assert "Please use at most 2000 characters (this has 2001)." in page
    assert "Dr. Weiß" in page and "x" * 2001 in page
    bad_language = submit(admin_client, f"/clients/{cid}/letter", {
        "recipient": "", "note": "", "language": "fr", "agreed": "y"}, headers=EN)
    assert bad_language.status_code == 400


def test_only_those_who_may_see_the_client_print_a_letter(app, admin_client):
    cid = a_client_with_history(admin_client)
    ben = second_practitioner(app, admin_client)
    assert ben.get(f"/clients/{cid}/letter").status_code == 404
    page = admin_client.get(f"/clients/{cid}/letter").get_data(as_text=True)
    response = ben.post(f"/clients/{cid}/letter", data={
        "csrf_token": csrf_token(page), "language": "en", "agreed": "y"})
    assert response.status_code in (400, 404) and response.mimetype != "application/pdf"
    # Consent withdrawn: no report goes out.
    page = admin_client.get(f"/clients/{cid}").get_data(as_text=True)
    submit(admin_client, f"/clients/{cid}/consent", {"consent": "withdraw"}, page=f"/clients/{cid}")
    submit(admin_client, f"/clients/{cid}/consent", {"consent": "withdraw", "confirmed": "1"},
           page=f"/clients/{cid}")
    refused = admin_client.get(f"/clients/{cid}/letter")
    assert refused.status_code == 302 and refused.location.endswith(f"/clients/{cid}")
