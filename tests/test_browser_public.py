"""In Chromium: the QR code on the client page is shown whole and decodes to the diary link at
the practice's public address, at desk and phone width."""

from __future__ import annotations

import io

import pytest

from browser import live_server, sign_in
from conftest import PASSWORD, SECOND_FACTORS, SETUP_FORM, login, submit
from diary_helpers import create_link
from intake_helpers import client_id, new_client

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_on_screen_qr_decodes_to_the_public_link(app, client, browser, width, height):
    import zxingcpp
    from PIL import Image

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    submit(client, "/settings", {"name": "Praxis Lindenhof", "timezone": "Europe/Berlin",
                                 "default_language": "de",
                                 "public_url": "https://praxis.example.de"})
    cid = client_id(new_client(client))
    path = create_link(client, cid)
    with live_server(app) as base:
        page = browser.new_page(viewport={"width": width, "height": height}, locale="en-GB")
        sign_in(page, base, SETUP_FORM["admin_email"], PASSWORD, SECOND_FACTORS.setdefault(app, {}))
        page.goto(base + f"/clients/{cid}")
        qr = page.locator(".diary-link-box svg")
        qr.scroll_into_view_if_needed()
        box = qr.bounding_box()
        assert box["width"] >= 100 and abs(box["width"] - box["height"]) < 2  # whole and square
        image = Image.open(io.BytesIO(qr.screenshot()))
        found = [r.text for r in zxingcpp.read_barcodes(image)]
        assert found == ["https://praxis.example.de" + path]
        page.close()
