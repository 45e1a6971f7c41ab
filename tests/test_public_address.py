"""The practice's public address: every link a client receives uses it, the pages warn while it
is unset or local, and the on-screen QR code shows whole and decodes to it."""

from __future__ import annotations

import io
import re

import pytest

from conftest import submit
from diary_helpers import create_link
from intake_helpers import client_id, new_client

EN = {"Accept-Language": "en"}
SETTINGS = {"name": "Praxis Lindenhof", "timezone": "Europe/Berlin", "default_language": "de"}


def text(response) -> str:
    return response.get_data(as_text=True)


def diary_url(admin_client, cid) -> str:
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    return re.search(r'diary-link-url">([^<]+)<', page).group(1)


def test_unset_public_address_is_said_plainly_where_links_are_handed_out(admin_client):
    cid = client_id(new_client(admin_client))
    create_link(admin_client, cid)
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert page.count("Phones outside this computer cannot open this link.") == 2
    assert "Set the public address in Settings" in page
    assert diary_url(admin_client, cid).startswith("http://localhost/d/")


def test_the_setting_makes_every_client_link_public(app, admin_client):
    cid = client_id(new_client(admin_client))
    create_link(admin_client, cid)
    bad = submit(admin_client, "/settings", {**SETTINGS, "public_url": "praxis"}, headers=EN)
    assert bad.status_code == 200 and "Please give the full address" in text(bad)
    local = submit(admin_client, "/settings", {**SETTINGS, "public_url": "http://192.168.1.5:5000"})
    assert local.status_code == 302
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "points at this computer or the local network" in page
    ok = submit(admin_client, "/settings", {**SETTINGS, "public_url": "https://praxis.example.de/"})
    assert ok.status_code == 302
    url = diary_url(admin_client, cid)
    assert url.startswith("https://praxis.example.de/d/")
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Phones outside this computer" not in page
    # The link works (the address is only the base; the path is the app's own).
    phone = app.test_client()
    assert phone.get(url.split("praxis.example.de", 1)[1]).location == "/diary/"


def test_environment_sets_the_address_and_the_handout_qr_carries_it(app, database_url):
    # (the app fixture empties the PostgreSQL tables afterwards; this test makes its own app)
    pytest.importorskip("weasyprint")
    import pypdfium2 as pdfium
    import zxingcpp

    from conftest import SETUP_FORM, base_config, login
    from practice import create_app
    from visit_helpers import item_ids, record_visit, visit_page

    public_app = create_app({**base_config(database_url),
                             "PUBLIC_URL": "https://rücken.example.org"})
    desk = public_app.test_client()
    submit(desk, "/setup", SETUP_FORM, headers=EN)
    login(desk, SETUP_FORM["admin_email"])
    cid = client_id(new_client(desk))
    create_link(desk, cid)
    html = visit_page(desk, cid)
    record_visit(desk, cid, {"add": str(item_ids(html)["Kidney rubbing"])}, html)
    response = submit(desk, f"/clients/{cid}/handouts", {"language": "de"}, page=f"/clients/{cid}")
    pdf = desk.get(response.location).data
    found = [r.text for page in pdfium.PdfDocument(io.BytesIO(pdf))
             for r in zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())]
    # The personal link and the calendar reminders' page, both at the public address.
    assert sorted(found) == sorted([diary_url(desk, cid),
                                    "https://rücken.example.org/diary/remind"])
    assert diary_url(desk, cid).startswith("https://rücken.example.org/d/")
    from practice.extensions import db

    with public_app.app_context():
        db.engine.dispose()  # so that the fixture can empty the tables
