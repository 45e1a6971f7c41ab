"""The scores leave the app the ways the record does: the scores CSV, the complete copy
(record.json, scores.csv, record.pdf, fhir.json with LOINC where a code exists), the handout's
progress line and the letter; each read back from what a user downloads."""

from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa
from pypdf import PdfReader

from conftest import second_practitioner, submit
from intake_helpers import client_id, new_client
from measure_helpers import ODI_ALL, psfs_data, record_at_desk
from test_records import download_copy

EN = {"Accept-Language": "en"}


def csv_rows(text: str) -> list[dict]:
    """The export's rows (semicolons, a BOM for spreadsheets)."""
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def client_with_scores(admin_client) -> int:
    cid = client_id(new_client(admin_client, language="en", pain_now="6"))
    assert record_at_desk(admin_client, cid, "odi", ODI_ALL).status_code == 302  # 40 %
    assert record_at_desk(admin_client, cid, "odi", {f"odi{n}": 1 for n in range(1, 11)}
                          ).status_code == 302  # 20 %
    assert record_at_desk(admin_client, cid, "psfs", psfs_data(3, 4, 5)).status_code == 302
    assert record_at_desk(admin_client, cid, "rmdq", {"rmdq_total": 11}).status_code == 302
    return cid


def test_the_scores_csv_lists_every_score_and_is_audited(app, admin_client):
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    cid = client_with_scores(admin_client)
    diary_page = admin_client.get(f"/clients/{cid}/diary/", headers=EN).get_data(as_text=True)
    assert f'href="/clients/{cid}/measures/export.csv"' in diary_page
    response = admin_client.get(f"/clients/{cid}/measures/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = csv_rows(response.get_data(as_text=True))
    assert [(r["instrument"], r["scale"]) for r in rows] == [
        ("nrs", "6/10"), ("odi", "40 %"), ("odi", "20 %"), ("psfs", "4.0/10"),
        ("rmdq", "11/24")]
    assert rows[0]["source"] == "intake" and rows[1]["detail"] == "moderate"
    assert all(r["taken_at"].endswith("+00:00") for r in rows)  # UTC
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(
            AuditEvent.action == "measure.export"))
        assert (event.object_type, event.client_id) == ("client", cid)
    ben = second_practitioner(app, admin_client)
    assert ben.get(f"/clients/{cid}/measures/export.csv").status_code == 404


def test_the_complete_copy_holds_the_scores_in_every_file(app, admin_client):
    cid = client_with_scores(admin_client)
    with download_copy(admin_client, cid) as archive:
        names = archive.namelist()
        record = json.loads(archive.read("record.json"))
        scores_csv = archive.read("scores.csv").decode("utf-8")
        bundle = json.loads(archive.read("fhir.json"))
        pdf = archive.read("record.pdf")
    assert "scores.csv" in names
    assert [s["instrument"] for s in record["scores"]] == ["nrs", "odi", "odi", "psfs", "rmdq"]
    odi = [m for m in record["measures"] if m["instrument"] == "odi"]
    assert odi[0]["versions"][-1]["values"]["sections"]["1"] == 2 and odi[0]["score"] == 40
    assert csv_rows(scores_csv)[3]["scale"] == "4.0/10"

    observations = [e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "Observation"]

    def coded(code):
        return [o for o in observations
                if any(c["code"] == code for c in o["code"].get("coding", []))]

    assert sorted(o["valueQuantity"]["value"] for o in coded("97909-6")) == [20, 40]
    assert coded("97909-6")[0]["valueQuantity"]["unit"] == "%"
    assert len(coded("97909-6")[0]["component"]) == 10
    psfs = coded("psfs")[0]
    assert psfs["valueQuantity"]["value"] == 4.0
    assert [c["code"]["text"] for c in psfs["component"]] == [
        "Putting on socks", "Gardening", "Sitting through a film"]
    assert coded("rmdq")[0]["valueInteger"] == 11
    assert all(o["performer"] for o in coded("97909-6") + coded("psfs"))

    text = pdf_text(pdf)
    assert "Oswestry Disability Index" in text and "40 %" in text and "20 %" in text
    assert "Putting on socks 3/10" in text


def test_a_handout_can_carry_the_progress_in_one_line(app, admin_client):
    cid = client_with_scores(admin_client)
    with_line = submit(admin_client, f"/clients/{cid}/handouts",
                       {"language": "en", "progress": "1"}, page=f"/clients/{cid}")
    assert with_line.status_code == 302
    text = pdf_text(admin_client.get(with_line.location).data)
    assert "Your progress:" in text
    assert "ODI 40 % → 20 % (meaningful improvement)" in text.replace("\n", " ")
    without = submit(admin_client, f"/clients/{cid}/handouts", {"language": "de"},
                     page=f"/clients/{cid}")
    assert "Ihr Verlauf:" not in pdf_text(admin_client.get(without.location).data)
