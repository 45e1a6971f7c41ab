"""Importing a saved web page through the pages: the review shows flags, the source filled from
the page's metadata, point and exercise fields; saving keeps them. Bad input gets a message at
the field in the user's language, never a 500."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import sqlalchemy as sa

from conftest import csrf_token, submit
from html_forms import forms_of

PAGES = Path(__file__).parent / "fixtures" / "import_pages"
EN = {"Accept-Language": "en"}
DE = {"Accept-Language": "de"}


def page_text(name: str) -> str:
    return (PAGES / f"{name}.html").read_text(encoding="utf-8")


def german(client):
    """Switch the signed-in practitioner's pages to German."""
    page = client.get("/library/import").get_data(as_text=True)
    client.post("/language", data={"csrf_token": csrf_token(page), "language": "de",
                                   "next": "/library/import"})


def upload(client, data: bytes, filename: str, headers=EN, language="auto"):
    token = csrf_token(client.get("/library/import", headers=headers).get_data(as_text=True))
    return client.post("/library/import", data={
        "csrf_token": token, "language": language, "text": "",
        "upload": (BytesIO(data), filename)}, content_type="multipart/form-data",
        headers=headers)


def test_saved_page_review_shows_flags_source_and_point_fields(app, admin_client):
    from practice.extensions import db
    from practice.library.models import ContentItem, ContentSource

    response = upload(admin_client, page_text("en_acupressure_three_points").encode(),
                      "points.html")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Review the import" in page
    assert 'value="Hannah Brooks"' in page and 'value="Willow Lane Acupuncture"' in page
    assert 'value="2024-10-14"' in page
    assert 'value="LI 4"' in page and 'value="Di 4"' in page and 'value="Hé Gǔ"' in page
    assert "For the practitioner only" in page and "we also needle" in page
    for furniture in ("We use cookies", "Leave a Reply", "12 Willow Lane", "6 min read"):
        assert furniture not in page, furniture
    form = next(f for f in forms_of(page, "/library/import") if f.action.endswith("/save"))
    response = admin_client.post(form.action, data=form.data())
    assert response.status_code == 302
    with app.app_context():
        source = db.session.scalar(sa.select(ContentSource).where(
            ContentSource.title == "Three acupressure points for lower back pain"))
        assert (source.author, source.publisher, source.published) == (
            "Hannah Brooks", "Willow Lane Acupuncture", "2024-10-14")
        point = db.session.scalar(sa.select(ContentItem).where(
            ContentItem.point_code_who == "LI 4"))
        assert point.kind == "acupressure" and point.point_code_de == "Di 4"
        texts = point.current.texts["en"]
        assert "between thumb and index finger" in texts["location"]
        assert "pregnancy" in texts["cautions"] and texts["application"].startswith("Press")
        assert not db.session.scalar(sa.select(sa.func.count()).select_from(ContentItem).where(
            ContentItem.title_en.like("%appointment%")))


def test_exercise_steps_are_saved_and_flags_survive_a_field_error(app, admin_client):
    from practice.extensions import db
    from practice.library.models import ContentItem

    german(admin_client)
    response = submit(admin_client, "/library/import",
                      {"text": page_text("de_uebungen_fitnessblog"), "language": "de"},
                      headers=DE)
    page = response.get_data(as_text=True)
    assert "Anrede" in page  # the "du" flag, in German
    form = next(f for f in forms_of(page, "/library/import") if f.action.endswith("/save"))
    title = next(name for name, value in form.values if value.startswith("Übung 2"))
    index = title.rsplit("_", 1)[1]
    again = admin_client.post(form.action, data=form.data(source_author="x" * 201), headers=DE)
    assert again.status_code == 200 and "Anrede" in again.get_data(as_text=True)
    saved = admin_client.post(form.action, data=form.data())
    assert saved.status_code == 302
    with app.app_context():
        bridge = db.session.scalar(sa.select(ContentItem).where(
            ContentItem.title_de == "Übung 2: Die Brücke"))
        assert bridge.kind == "movement"
        assert len(bridge.current.texts["de"]["steps"]) == 4, index


def test_other_language_than_chosen_is_shown(admin_client):
    response = submit(admin_client, "/library/import",
                      {"text": page_text("en_nutrition_blog"), "language": "de"}, headers=EN)
    page = response.get_data(as_text=True)
    assert "The article looks like English, but it was read as German." in page


def test_bad_input_gets_a_message_not_a_500(admin_client):
    cases = [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "photo.html",
         "This file is not text"),
        (b"   \n\n ", "empty.txt", "The file is empty."),
        (bytes(range(1, 32)) * 400, "garbage.txt", "does not look like text"),
        (b"<html><body><div><p>Unclosed <b>bold <div></span></table>" * 3, "broken.html",
         None),
        (b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>",
         "nav.html", "No article text was found"),
    ]
    for data, name, message in cases:
        response = upload(admin_client, data, name)
        assert response.status_code == 200, name
        if message:
            assert message in response.get_data(as_text=True), name
    huge = submit(admin_client, "/library/import", {"text": "a " * 200_000, "language": "en"},
                  headers=EN)
    assert huge.status_code == 200 and "Review the import" not in huge.get_data(as_text=True)


def test_bad_input_message_in_german(admin_client):
    german(admin_client)
    response = upload(admin_client, b"\x00\x01\x02binary", "x.txt", headers=DE)
    assert response.status_code == 200
    assert "keine Textdatei" in response.get_data(as_text=True)


def test_cli_imports_a_saved_page_with_metadata_and_flags(app, practice_set_up):
    from practice.extensions import db
    from practice.library.models import ContentItem, ContentSource

    path = PAGES / "de_akupressur_drei_punkte.html"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Author: Claudia Herbst" in result.output and "Date: 2025-01-20" in result.output
    assert "point: LI 4 / Di 4 Hégǔ" in result.output
    assert "flag promotion: Unser Tipp" in result.output
    result = runner.invoke(args=["content", "import", str(path), "--lang", "en", "--dry-run"])
    assert "Note: read as en, but the text looks like de." in result.output
    result = runner.invoke(args=["content", "import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        source = db.session.scalar(sa.select(ContentSource).where(
            ContentSource.publisher == "Naturheilpraxis Lindenhof"))
        assert source.author == "Claudia Herbst" and source.published == "2025-01-20"
        codes = set(db.session.scalars(sa.select(ContentItem.point_code_de).where(
            ContentItem.source_id == source.id, ContentItem.point_code_de != "")))
        assert codes == {"Di 4", "Ma 36", "Bl 23"}


def test_cli_refuses_binary_files_clearly(app, tmp_path):
    path = tmp_path / "image.html"
    path.write_bytes(b"\x00\x01\x02" * 100)
    result = app.test_cli_runner().invoke(args=["content", "import", str(path)])
    assert result.exit_code != 0
    # In the practice's default language (German unless configured otherwise).
    assert ("image.html: Diese Datei ist keine Textdatei" in result.output
            or "image.html: This file is not text" in result.output), result.output
    assert "Traceback" not in result.output
