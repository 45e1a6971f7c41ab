"""Regression tests for the defects hostile and careless input found (issue 18), each through
the HTTP request that broke it, and for the mechanisms that stop their kind."""

from __future__ import annotations

import base64
import csv
import io
import re
from datetime import date, timedelta

import sqlalchemy as sa

from conftest import csrf_token, h1, submit
from diary_helpers import create_link, enter, today_of
from intake_helpers import client_id, new_client
from visit_helpers import record_visit, visit_page

EN = {"Accept-Language": "en"}
DE = {"Accept-Language": "de"}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
SETTINGS = {"name": "Praxis Lindenhof", "address": "Lindenstraße 4", "phone": "+49 30 1234567",
            "email": "praxis@example.com", "timezone": "Europe/Berlin", "default_language": "de"}


def text(response) -> str:
    return response.get_data(as_text=True)


def settings_row(app):
    from practice.extensions import db
    from practice.settings.models import PracticeSettings

    with app.app_context():
        row = db.session.get(PracticeSettings, 1)
        return row.name, row.address, row.logo, row.logo_type


def post_settings(admin_client, data, files=None):
    token = csrf_token(text(admin_client.get("/settings")))
    return admin_client.post("/settings", data={"csrf_token": token, **data, **(files or {})},
                             content_type="multipart/form-data", headers=EN)


# --- Settings with a stored logo -----------------------------------------------------------

def test_settings_save_again_once_a_logo_is_stored(app, admin_client):
    upload = {"logo_file": (io.BytesIO(PNG), "logo.png")}
    assert post_settings(admin_client, SETTINGS, upload).status_code == 302
    # Saving again without choosing a new file keeps the logo and saves the address.
    response = post_settings(admin_client, {**SETTINGS, "address": "Neue Straße 1"},
                             {"logo_file": (io.BytesIO(b""), "")})
    assert response.status_code == 302, text(response)[:300]
    assert settings_row(app) == ("Praxis Lindenhof", "Neue Straße 1", PNG, "image/png")
    # Leaving the file part out altogether, as a script or an old browser might.
    response = post_settings(admin_client, {**SETTINGS, "address": "Dritte Straße 3"})
    assert response.status_code == 302
    assert settings_row(app)[1:] == ("Dritte Straße 3", PNG, "image/png")
    # Removing it still works.
    assert post_settings(admin_client, {**SETTINGS, "remove_logo": "y"}).status_code == 302
    assert settings_row(app)[2] is None


def test_svg_with_nested_data_url_or_outside_reference_is_refused(app, admin_client):
    inner = (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
             b'<image href="http://169.254.169.254/x.png"/></svg>')
    nested = (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,'
              + base64.b64encode(inner) + b'"/></svg>')
    deep_src = (b'<svg xmlns="http://www.w3.org/2000/svg"><g><g><g><image src="logo.png"/>'
                b'</g></g></g></svg>')
    xlink = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
             b'<g><use xlink:href="data:image/svg+xml,%3Csvg/%3E"/></g></svg>')
    for svg in (nested, deep_src, xlink):
        response = post_settings(admin_client, SETTINGS, {"logo_file": (io.BytesIO(svg), "l.svg")})
        assert response.status_code == 200
        assert "scripts or outside references" in text(response)
        assert settings_row(app)[2] is None
    plain = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs>'
             b'<linearGradient id="g"/></defs><rect style="fill:url(#g)" width="10" height="10"/>'
             b'<use href="#g"/></svg>')
    response = post_settings(admin_client, SETTINGS, {"logo_file": (io.BytesIO(plain), "l.svg")})
    assert response.status_code == 302
    assert settings_row(app)[3] == "image/svg+xml"


# --- Ids out of range ----------------------------------------------------------------------

def test_handout_with_a_huge_visit_id_is_not_found(admin_client):
    cid = client_id(new_client(admin_client))
    for visit_id in ("99999999999999999999999", str(2**63), "-1", "0", "abc", "１２"):
        response = submit(admin_client, f"/clients/{cid}/handouts",
                          {"language": "de", "visit_id": visit_id}, page=f"/clients/{cid}")
        assert response.status_code == 404, visit_id


# --- Redirect targets ----------------------------------------------------------------------

def test_language_switch_with_a_line_break_in_next_goes_home(app, admin_client):
    for target in ("/login\nenv;", "/login%0Aenv;", "/\r\nSet-Cookie: x=1", "//evil.example",
                   "https://evil.example/", "/\\evil", "/clients\t/"):
        page = text(admin_client.get("/"))
        response = admin_client.post("/language", data={"csrf_token": csrf_token(page),
                                                        "language": "en", "next": target})
        assert response.status_code == 302, target
        assert response.location in ("/", "/login%0Aenv;"), (target, response.location)
        assert "\n" not in response.location and "\r" not in response.location
    stranger = app.test_client()
    response = stranger.post("/language", data={"language": "de", "next": "/login\nenv;"})
    assert response.status_code in (302, 400) and "\n" not in (response.location or "")
    # A good target still works.
    page = text(admin_client.get("/"))
    response = admin_client.post("/language", data={"csrf_token": csrf_token(page),
                                                    "language": "de", "next": "/clients/?q=x"})
    assert response.location == "/clients/?q=x"


def test_login_next_with_control_characters_is_dropped(client, practice_set_up):
    page = text(client.get("/login?next=/clients/%0D%0ALocation:%20https://evil.example"))
    assert re.search(r'<input id="next" name="next" type="hidden" value="">', page)
    page = text(client.get("/login?next=/clients/%3Fq%3Dx"))
    assert re.search(r'<input id="next" name="next" type="hidden" value="/clients/\?q=x">', page)


# --- Dates ---------------------------------------------------------------------------------

def visit_of(app, cid):
    from practice.extensions import db
    from practice.visits.models import Visit

    with app.app_context():
        visit = db.session.scalar(sa.select(Visit).where(Visit.client_id == cid))
        return visit.id, visit.visited_at


def test_visit_correction_refuses_implausible_times(app, admin_client):
    cid = client_id(new_client(admin_client))
    assert record_visit(admin_client, cid, {"pain_now": "5"}).status_code == 302
    vid, before = visit_of(app, cid)
    url = f"/clients/{cid}/visits/{vid}/correct"
    for when, message in (("0001-01-01T10:00", "from 1990 on"),
                          ("0001-01-01T00:10", "from 1990 on"),
                          ("1800-01-01T10:00", "from 1990 on"),
                          ("1989-12-31T23:59", "from 1990 on"),
                          ("2999-01-01T10:00", "cannot lie in the future"),
                          ("10000-01-01T10:00", "date")):
        page = text(admin_client.get(url, headers=EN))
        response = admin_client.post(url, headers=EN, data={
            "csrf_token": csrf_token(page), "visited_at": when, "practitioner_id": "1",
            "pain_now": "4", "notes": "typed before the mistake"})
        body = text(response)
        assert response.status_code == 200, when
        assert message in body, when
        assert "typed before the mistake" in body  # nothing typed is lost
        assert visit_of(app, cid)[1] == before


def test_new_visit_refuses_implausible_times_at_the_field(app, admin_client):
    cid = client_id(new_client(admin_client))
    html = visit_page(admin_client, cid)
    response = record_visit(admin_client, cid, {"visited_at": "0001-01-01T00:10",
                                                "pain_now": "5", "findings": "kept"}, html)
    assert response.status_code == 200
    assert "from 1990 on" in text(response) and "kept" in text(response)
    response = record_visit(admin_client, cid, {"visited_at": "1995-03-01T10:00",
                                                "pain_now": "5"}, html)
    assert response.status_code == 302  # an old visit typed in from paper is fine


def test_birth_date_before_1900_gets_a_message_in_german(admin_client):
    response = new_client(admin_client, date_of_birth="1850-05-01", complete=False)
    assert response.status_code == 200 and "from 1900 on" in text(response)
    submit(admin_client, "/language", {"language": "de", "next": "/"}, page="/")
    html = submit(admin_client, "/clients/new",
                  {"first_name": "A", "last_name": "B", "date_of_birth": "1850-05-01",
                   "sex": "female", "language": "de", "practitioner_id": "1",
                   "action": "draft"}, headers=DE)
    assert "ab 1900" in text(html)


def test_plan_end_far_in_the_future_gets_a_message(admin_client):
    from visit_helpers import item_ids

    cid = client_id(new_client(admin_client))
    html = visit_page(admin_client, cid)
    item = item_ids(html)["Kidney rubbing"]
    response = record_visit(admin_client, cid, {"add": str(item),
                                                f"add-{item}-ends_on": "9999-12-31"}, html)
    assert response.status_code == 200 and "within two years" in text(response)


def test_paper_diary_days_stay_within_a_year(app, admin_client):
    cid = client_id(new_client(admin_client))
    long_ago = (date.today() - timedelta(days=400)).isoformat()
    for day in (long_ago, "0001-01-01", "1800-02-03"):
        response = admin_client.get(f"/clients/{cid}/diary/paper?day={day}&slot=morning",
                                    headers=EN)
        assert response.status_code == 200
        assert "for the last 12 months" in text(response), day


# --- Limits have messages ------------------------------------------------------------------

def test_diary_too_long_note_or_time_gets_a_message_and_keeps_the_answers(app, admin_client):
    cid = client_id(new_client(admin_client, language="de"))
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    today = today_of(phone)
    response = enter(phone, today, "morning", pain=6, stiffness_minutes=30,
                     note="n" * 2001, woke_at="um drei Uhr morgens ungefähr")
    body = text(response)
    assert response.status_code == 200
    assert "höchstens 2000 Zeichen" in body and "höchstens 20 Zeichen" in body
    assert "Noch nicht gespeichert" in body
    assert '<input checked id="pain-6"' in body and 'value="30"' in body  # the answers are kept
    assert "n" * 2001 in body
    response = enter(phone, today, "evening", pain=3, note="x" * 2500)
    assert response.status_code == 200 and "höchstens 2000 Zeichen" in text(response)
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DiaryEntry)) == 0


ARTICLE = """# Gentle help for a stiff back

## Warmth in the morning

A warm shower or a hot water bottle on the lower back eases the first steps of the day. Keep it
pleasant, never hot, for ten to fifteen minutes.

## Three small exercises

Lie on your back, knees bent, and tilt the pelvis gently ten times. Then pull one knee to the
chest and hold for a breath. Finish with a slow cat and cow on all fours.
"""


def review_page(admin_client):
    response = submit(admin_client, "/library/import", {"text": ARTICLE, "language": "en"},
                      headers=EN)
    assert response.status_code == 200
    return text(response)


def review_data(page: str, **changes) -> dict:
    data = {"csrf_token": csrf_token(page), "language": "en",
            "count": re.search(r'name="count" value="(\d+)"', page).group(1),
            "source_title": re.search(r'name="source_title" value="([^"]*)"', page).group(1)}
    for index in re.findall(r'name="title_(\d+)"', page):
        data.update({f"keep_{index}": "1",
                     f"kind_{index}": re.search(
                         rf'name="kind_{index}">.*?<option value="(\w+)" selected', page,
                         re.S).group(1),
                     f"title_{index}": re.search(rf'name="title_{index}" value="([^"]*)"',
                                                 page).group(1),
                     f"summary_{index}": "A summary.", f"body_{index}": "A body."})
    data.update(changes)
    return data


def test_import_review_over_long_fields_are_named_and_kept(app, admin_client):
    page = review_page(admin_client)
    first = re.findall(r'name="title_(\d+)"', page)[0]
    data = review_data(page, **{f"summary_{first}": "s" * 1001, f"body_{first}": "b" * 20001,
                                f"other_title_{first}": "Wärme am Morgen"})
    response = admin_client.post("/library/import/save", data=data, headers=EN)
    body = text(response)
    assert response.status_code == 200, body[:300]
    assert "at most 1000 characters (this has 1001)" in body
    assert "at most 20000 characters (this has 20001)" in body
    assert "s" * 1001 in body and "b" * 20001 in body and "Wärme am Morgen" in body
    assert "Please check the marked fields" in body


def test_saving_the_same_article_twice_adds_a_version_not_an_error(app, admin_client):
    from practice.extensions import db
    from practice.library.models import ContentItem, ContentSource

    page = review_page(admin_client)
    first = admin_client.post("/library/import/save", data=review_data(page), headers=EN)
    assert first.status_code == 302
    again_page = review_page(admin_client)
    assert "This article is in the library already" in again_page
    assert "Open the existing items" in again_page
    second = admin_client.post("/library/import/save", data=review_data(again_page), headers=EN)
    assert second.status_code == 302, text(second)[:300]
    assert "2 unchanged" in text(admin_client.get(second.location, headers=EN))
    index = re.findall(r'name="title_(\d+)"', again_page)[0]
    third = admin_client.post("/library/import/save", headers=EN, data=review_data(
        again_page, **{f"summary_{index}": "A better summary."}))
    assert third.status_code == 302
    listing = text(admin_client.get(third.location, headers=EN))
    assert "1 saved as a new version" in listing and "Only items from" in listing
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContentSource).where(
            ContentSource.title == "Gentle help for a stiff back")) == 1
        items = db.session.scalars(sa.select(ContentItem).join(ContentSource).where(
            ContentSource.title == "Gentle help for a stiff back")).all()
        assert sorted(i.version_count for i in items) == [1, 2]


def test_cli_import_twice_never_fails(app, practice_set_up, tmp_path):
    article = tmp_path / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["content", "import", str(article), "--lang", "en"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["content", "import", str(article), "--lang", "en"])
    assert second.exit_code == 0, second.output
    assert "Already in the library" in second.output and "2 unchanged" in second.output


# --- Safe exports --------------------------------------------------------------------------

def test_diary_csv_neutralises_formulas_and_stays_readable(app, admin_client):
    cid = client_id(new_client(admin_client, language="en"))
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    notes = ['=HYPERLINK("http://evil.example","click")', "+49 30 123", "-5 after the walk",
             "@SUM(A1)", "Knees fine; \"better\" today"]
    for offset, note in enumerate(notes):
        day = (today - timedelta(days=offset)).isoformat()
        assert enter(phone, day, "morning", pain=offset + 1, note=note).status_code == 302
    body = text(admin_client.get(f"/clients/{cid}/diary/export.csv"))
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    header, data = rows[0], rows[1:]
    cells = sorted(row[header.index("note")] for row in data)
    assert cells == sorted(["'" + n if n[0] in "=+-@" else n for n in notes])
    assert sorted(int(row[header.index("pain")]) for row in data) == [1, 2, 3, 4, 5]
    assert '"\'=HYPERLINK(' in body  # quoted as well as prefixed


def test_nul_characters_are_taken_out_of_every_value(app, admin_client):
    """PostgreSQL refuses NUL in text (a 500 before); SQLite would store it. Found by fuzzing."""
    cid = client_id(new_client(admin_client))
    response = submit(admin_client, f"/clients/{cid}/details", {
        "first_name": "Jo\x00na", "last_name": "Schä\x00fer", "sex": "female", "language": "en",
        "practitioner_id": "1"})
    assert response.status_code == 302
    assert h1(admin_client.get(f"/clients/{cid}")) == "Jona Schäfer"
    assert admin_client.get("/library/?q=%00").status_code == 200
    assert admin_client.get("/clients/?q=sch%00%C3%A4").status_code == 200


def test_every_error_of_a_form_is_listed_at_the_top_with_a_link_to_its_field(admin_client):
    """Issue 19: all errors at once, each at its field and in a summary at the top."""
    from visit_helpers import item_ids

    cid = client_id(new_client(admin_client))
    html = visit_page(admin_client, cid)
    item = item_ids(html)["Kidney rubbing"]
    response = record_visit(admin_client, cid, {
        "visited_at": "0001-01-01T00:10", "pain_now": "5", "findings": "kept",
        "add": str(item), f"add-{item}-ends_on": "9999-12-31"}, html)
    page = text(response)
    assert response.status_code == 200 and "kept" in page
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [target for target, _ in links] == ["visited_at", f"add-{item}-ends_on"], links
    assert "from 1990 on" in links[0][1] and "within two years" in links[1][1]
    assert f'id="add-{item}-ends_on"' in page and 'id="visited_at"' in page  # the targets
