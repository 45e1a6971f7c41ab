"""Handout PDFs read back: content in the right language, warnings, page numbers, fonts, QR,
records that never change, safety against hostile text, the day's batch, the CLI."""

from __future__ import annotations

import hashlib
import io
import os
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from conftest import csrf_token, second_practitioner, submit
from diary_helpers import create_link, enter, today_of
from html_forms import forms_of
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page

try:  # WeasyPrint needs Debian's Pango; a developer machine may lack it, CI never does
    import weasyprint  # noqa: F401
except (ImportError, OSError) as error:
    if os.environ.get("CI"):
        raise
    pytest.skip(f"WeasyPrint cannot load: {error}", allow_module_level=True)
from pypdf import PdfReader  # noqa: E402

POINTS = ("Acupressure point BL 40 (Wěi Zhōng)", "Acupressure point CV 4 (Guān Yuán)",
          "Acupressure point KI 3 (Tài Xī)")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def planned(app, admin_client):
    """A client (German) with a diary, a visit and a plan including the three points."""
    def make(language="de", **instructions):
        cid = client_id(new_client(admin_client, language=language))
        phone = app.test_client()
        phone.get(create_link(admin_client, cid))
        today = date.fromisoformat(today_of(phone))
        for offset in range(4):
            enter(phone, (today - timedelta(days=offset)).isoformat(), "morning", pain=6)
        page = visit_page(admin_client, cid)
        ids = item_ids(page)
        chosen = [ids["Kidney rubbing"], ids["Pelvic tilt lying down"]] + [ids[p] for p in POINTS]
        data = {"pain_now": "5", "add": [str(i) for i in chosen],
                f"add-{ids['Kidney rubbing']}-how_often": instructions.get("how_often",
                                                                         "morgens und abends"),
                f"add-{ids['Kidney rubbing']}-notes": instructions.get("notes",
                                                                     "Hände vorher warm reiben.")}
        assert record_visit(admin_client, cid, data, page).status_code == 302
        return cid
    return make


def issue(admin_client, cid, language):
    response = submit(admin_client, f"/clients/{cid}/handouts", {"language": language},
                      page=f"/clients/{cid}")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    pdf = admin_client.get(response.location)
    assert pdf.mimetype == "application/pdf"
    return response.location, pdf.data


def test_german_handout_reads_back_right(app, admin_client, planned):
    cid = planned("de")
    _url, data = issue(admin_client, cid, "de")
    text = normalised(pdf_text(data))
    for expected in ("Ihr Plan für zu Hause", "Jana Schäfer", "Nierenreiben", "Becken kippen im Liegen",
                     "morgens und abends", "Hände vorher warm reiben.", "Wann zur Ärztin oder zum Arzt?",
                     "Wěi Zhōng", "Guān Yuán", "Tài Xī", "Bl 40", "KG 4", "Ni 3",
                     "Seite 1 von", "ersetzt keine ärztliche Diagnose", "Ihr Schmerztagebuch"):
        assert expected in text, expected
    assert "Kidney rubbing" not in text and "When to see a doctor" not in text
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert f"Seite {pages} von {pages}" in text
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts and all("Handout-Sans" in name for name in fonts), fonts  # only the bundled font


def test_english_handout_reads_back_right(app, admin_client, planned):
    cid = planned("en", how_often="morning and evening", notes="Warm your hands first.")
    _url, data = issue(admin_client, cid, "en")
    text = normalised(pdf_text(data))
    for expected in ("Your home-care plan", "Kidney rubbing", "Pelvic tilt lying down",
                     "morning and evening", "Warm your hands first.", "When to see a doctor",
                     "BL 40", "Wěi Zhōng", "Page 1 of", "does not replace a medical diagnosis",
                     "Schäfer"):
        assert expected in text, expected
    assert "Nierenreiben" not in text


def test_an_issued_handout_is_a_record_that_never_changes(app, admin_client, planned):
    from practice.extensions import db
    from practice.handouts.models import Handout
    from practice.library import service as library
    from practice.library.models import ContentItem

    cid = planned("de")
    url, first = issue(admin_client, cid, "de")
    with app.app_context():
        handout = db.session.scalar(sa.select(Handout))
        assert handout.sha256 == hashlib.sha256(first).hexdigest()
        versions = {item["title"]: item["version_id"] for item in handout.snapshot["items"]}
        assert "Nierenreiben" in versions
        item = db.session.scalar(sa.select(ContentItem).where(ContentItem.title_de == "Nierenreiben"))
        texts = {"de": {**item.current.text("de"), "summary": "Ganz neu formuliert."},
                 "en": item.current.text("en")}
        library.add_version(item, texts)
        db.session.commit()
    again = admin_client.get(url).data
    assert again == first  # byte for byte, after the library changed
    page = admin_client.get(f"/clients/{cid}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert url in page


def test_qr_code_decodes_to_the_diary_link(app, admin_client, planned, tmp_path):
    import pypdfium2 as pdfium
    import zxingcpp

    cid = planned("de")
    _url, data = issue(admin_client, cid, "de")
    found = []
    # pypdfium2 comes from pip, so this runs on a fresh machine without poppler's pdftoppm.
    for pdf_page in pdfium.PdfDocument(data):
        image = pdf_page.render(scale=150 / 72).to_pil()
        found += [r.text for r in zxingcpp.read_barcodes(image)]
    page = admin_client.get(f"/clients/{cid}").get_data(as_text=True)
    link = re.search(r'diary-link-url">([^<]+)<', page).group(1)
    # The personal link, and the reminders' page (no token in it: it opens on the diary's phone).
    reminders = link.split("/d/", 1)[0] + "/diary/remind"
    assert sorted(found) == sorted([link, reminders])
    phone = app.test_client()
    assert phone.get(link.split("localhost", 1)[1]).status_code == 302
    assert phone.get("/diary/remind").status_code == 200


HOSTILE = ('<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/passwd"> '
           'http://169.254.169.254/latest <style>@import url("http://169.254.169.254/x.css"); '
           'body{background:url("file:///etc/passwd")}</style> '
           '<svg><use href="http://169.254.169.254/s.svg#x"/></svg> </style></head>')


def test_hostile_text_fetches_nothing_and_embeds_nothing(app, admin_client, planned,
                                                         fetched_urls):
    seen = fetched_urls
    cid = planned("de", how_often=HOSTILE[:190], notes=HOSTILE)
    _url, data = issue(admin_client, cid, "de")
    # The fonts, and the plan's pictures from the library (data: URIs of the stored bytes).
    from practice.extensions import db
    from practice.library.illustrations import data_uri
    from practice.library.models import Illustration

    with app.app_context():
        pictures = {data_uri(i) for i in db.session.scalars(sa.select(Illustration.id))}
    assert seen and all((url.startswith("file://") and "SourceSansPro" in url) or url in pictures
                        for url in seen), seen
    reader = PdfReader(io.BytesIO(data))
    names = reader.trailer["/Root"].get("/Names", {})
    assert "/EmbeddedFiles" not in names
    assert b"/EmbeddedFile" not in data
    text = normalised(pdf_text(data))
    assert 'rel="attachment"' in text  # shown as text, not obeyed
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            uri = annotation.get_object().get("/A", {}).get("/URI", "")
            assert "169.254" not in str(uri) and "file:" not in str(uri)


def test_the_fetcher_refuses_everything_outside_the_app():
    from practice.handouts.render import html_to_pdf

    html = ('<html><head><link rel="stylesheet" href="http://169.254.169.254/a.css">'
            '<style>@import url("http://169.254.169.254/b.css"); '
            'p { background: url("file:///etc/passwd") }</style></head><body>'
            '<p>x</p><img src="file:///etc/passwd"><img src="http://169.254.169.254/c.png">'
            '<a rel="attachment" href="file:///etc/passwd">a</a>'
            '<link rel="attachment" href="file:///etc/hostname">'
            '<svg width="10" height="10"><use href="http://169.254.169.254/d.svg#x"/></svg>'
            '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
            '</body></html>')
    pdf, refused = html_to_pdf(html)
    assert any("169.254.169.254/a.css" in url for url in refused)
    assert any("/etc/passwd" in url for url in refused)
    reader = PdfReader(io.BytesIO(pdf))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert b"root:" not in pdf


def day_form(admin_client, **changes):
    """The day page's form as a browser would send it (every open visit ticked)."""
    page = admin_client.get("/handouts/day/", headers={"Accept-Language": "en"})
    form = next(f for f in forms_of(page.get_data(as_text=True), "/handouts/day/")
                if f.method == "post" and f.action == "/handouts/day/")
    return page, form.data(**changes)


def test_the_days_handouts_as_one_pdf(app, admin_client, planned):
    from practice.extensions import db
    from practice.handouts.models import Handout
    from practice.jobs.models import Job

    first, second = planned("de"), planned("en")
    page, data = day_form(admin_client)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "2 handouts are not issued yet" in html
    assert len(data["visit"]) == 2 and "again" not in data  # all ticked, nothing re-issued
    for _ in range(2):  # opening or reloading the page stores nothing (a GET never writes)
        admin_client.get("/handouts/day/")
        admin_client.get("/handouts/day/handouts.pdf")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Handout)) == 0
    started = admin_client.post("/handouts/day/", data=data)
    assert started.status_code == 302 and started.location.startswith("/jobs/")
    progress = admin_client.get(started.location, headers={"Accept-Language": "en"})
    shown = progress.get_data(as_text=True)
    assert progress.status_code == 200 and "Ready." in shown and 'http-equiv="refresh"' not in shown
    download = re.search(r'href="(/jobs/\d+/result)"', shown).group(1)
    response = admin_client.get(download)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with app.app_context():
        stored = db.session.scalars(sa.select(Handout).order_by(Handout.id)).all()
        assert {h.client_id for h in stored} == {first, second}
        assert len(PdfReader(io.BytesIO(response.data)).pages) == sum(h.pages for h in stored)
        job = db.session.scalar(sa.select(Job))
        assert (job.status, job.done, job.total) == ("done", 2, 2)
        assert "Anna" not in str(job.params) and sorted(job.result_ids) == [h.id for h in stored]
    text = pdf_text(response.data)
    assert "Ihr Plan für zu Hause" in text and "Your home-care plan" in text
    # Reloading the download: the same stored bytes, nothing new issued.
    assert admin_client.get(download).data == response.data
    # Again: the issued ones are printed as issued; nothing new unless asked for.
    _page, data = day_form(admin_client)
    again = admin_client.get(admin_client.post("/handouts/day/", data=data).location)
    assert "Ready." in again.get_data(as_text=True)
    assert admin_client.get("/handouts/day/handouts.pdf").data == response.data
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Handout)) == 2
    # Issuing again is an explicit choice, for the ticked visit only.
    _page, data = day_form(admin_client, again=[data["visit"][0]])
    admin_client.post("/handouts/day/", data=data)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Handout)) == 3


def test_the_day_needs_a_ticked_visit_and_keeps_others_jobs_private(app, admin_client, planned):
    planned("de")
    _page, data = day_form(admin_client, visit=[])
    refused = admin_client.post("/handouts/day/", data=data, headers={"Accept-Language": "en"},
                                follow_redirects=True)
    assert "Please tick at least one visit." in refused.get_data(as_text=True)
    _page, data = day_form(admin_client)
    job_page = admin_client.post("/handouts/day/", data=data).location
    ben = second_practitioner(app, admin_client)
    assert ben.get(job_page).status_code == 404
    assert ben.get(job_page + "/result").status_code == 404
    # Another practitioner's visit ids are dropped, as are ids that are no visit at all.
    token = csrf_token(ben.get("/handouts/day/").get_data(as_text=True))
    response = ben.post("/handouts/day/", data={"csrf_token": token, "visit": [
        data["visit"][0], "999999", "x"]}, headers={"Accept-Language": "en"},
        follow_redirects=True)
    assert "Please tick at least one visit." in response.get_data(as_text=True)


def test_cli_writes_a_visits_handout(app, admin_client, planned, tmp_path):
    from practice.extensions import db
    from practice.visits.models import Visit

    planned("en", how_often="twice", notes="n")
    with app.app_context():
        visit_id = db.session.scalar(sa.select(Visit.id))
    target = tmp_path / "out.pdf"
    result = app.test_cli_runner().invoke(args=["handout", str(visit_id), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Your home-care plan" in pdf_text(target.read_bytes())
    missing = app.test_cli_runner().invoke(args=["handout", "999", "-o", str(target)])
    assert missing.exit_code != 0 and "no visit" in missing.output


def test_logo_upload_is_checked(app, admin_client):
    from practice.extensions import db
    from practice.settings.models import PracticeSettings

    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
           b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
           b"\x00\x00\x00\x00IEND\xaeB`\x82")
    base = {"name": "Praxis", "timezone": "Europe/Berlin", "default_language": "de"}

    def upload(content, name):
        page = admin_client.get("/settings").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return admin_client.post("/settings", data={**base, "csrf_token": token,
                                                    "logo_file": (io.BytesIO(content), name)},
                                 content_type="multipart/form-data",
                                 headers={"Accept-Language": "en"})

    bad_svg = b'<svg xmlns="http://www.w3.org/2000/svg"><use href="http://169.254.169.254/x"/></svg>'
    assert "scripts or outside references" in upload(bad_svg, "l.svg").get_data(as_text=True)
    assert "PNG, JPEG or SVG" in upload(b"GIF89a....", "l.gif").get_data(as_text=True)
    assert "at most 512 kB" in upload(b"\x89PNG\r\n\x1a\n" + b"0" * 600_000, "l.png").get_data(as_text=True)
    assert upload(png, "logo.png").status_code == 302
    with app.app_context():
        settings = db.session.get(PracticeSettings, 1)
        assert settings.logo == png and settings.logo_type == "image/png"
    # Settings shows it as it will be printed, served with nothing allowed to run.
    page = admin_client.get("/settings").get_data(as_text=True)
    assert '<img src="/settings/logo"' in page
    preview = admin_client.get("/settings/logo")
    assert preview.data == png and preview.mimetype == "image/png"
    assert "default-src 'none'" in preview.headers["Content-Security-Policy"]
    assert second_practitioner(app, admin_client).get("/settings/logo").status_code == 403


def test_other_practitioners_cannot_get_handouts(app, admin_client, planned):
    cid = planned("de")
    url, _data = issue(admin_client, cid, "de")
    ben = second_practitioner(app, admin_client)
    assert ben.get(url).status_code == 404
    assert submit(ben, f"/clients/{cid}/handouts", {"language": "de"},
                  page="/clients/").status_code == 404


def test_the_day_leaves_out_records_that_take_no_entries(app, admin_client, planned):
    from practice.extensions import db
    from practice.handouts.models import Handout

    open_one, archived = planned("de"), planned("en")
    submit(admin_client, f"/clients/{archived}/archive", {"archived": "1", "confirmed": "1"},
           page=f"/clients/{archived}")
    page, data = day_form(admin_client)
    html = page.get_data(as_text=True)
    assert "1 handout is not issued yet" in html and "takes no new entries" in html
    assert len(data["visit"]) == 1  # the archived record has no box to tick
    admin_client.post("/handouts/day/", data=data)
    with app.app_context():
        assert [h.client_id for h in db.session.scalars(sa.select(Handout))] == [open_one]
