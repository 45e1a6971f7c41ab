"""In Chromium at phone size: the diary is installable (manifest, icons, service worker), an
entry saved with no connection is kept on the phone, survives a reload, and is stored exactly
once when the connection returns."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from browser import live_server
from conftest import SETUP_FORM, login, submit
from diary_helpers import create_link
from intake_helpers import client_id, new_client

pytestmark = pytest.mark.browser


def test_an_entry_saved_offline_is_sent_once_when_the_connection_returns(app, client, browser):
    from playwright.sync_api import expect

    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    cid = client_id(new_client(client, first_name="Olga", last_name="Offline", language="en"))
    link = create_link(client, cid)
    with live_server(app) as base:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB",
                                      is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(base + link)
        # Installable: the manifest with its icons, and the service worker for /diary/.
        manifest = page.evaluate("""fetch(document.querySelector('link[rel=manifest]').href)
                                    .then(r => r.json())""")
        assert manifest["start_url"] == "/diary/" and manifest["display"] == "standalone"
        assert manifest["name"] == "My pain diary"
        sizes = {icon["sizes"] for icon in manifest["icons"]}
        assert {"192x192", "512x512"} <= sizes
        for icon in manifest["icons"]:
            kind = page.evaluate(f"fetch('{icon['src']}').then(r => r.headers.get('content-type'))")
            assert kind == "image/png"
        scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
        assert scope == base + "/diary/"
        page.reload()  # now controlled by the worker, which keeps the pages it sees

        page.get_by_role("link", name="Morning enter now").click()
        context.set_offline(True)
        page.locator("label", has_text="6").filter(
            has=page.locator("input[name=pain]")).first.click()
        page.get_by_text("No, none of these", exact=True).click()
        page.get_by_role("button", name="Save").click()
        status = page.locator("#diary-offline-status")
        expect(status).to_contain_text("your entry is kept on this phone (1 waiting)")
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(DiaryEntry)) == 0
        page.reload()  # offline: the worker's copy of the page, and the entry still waiting
        expect(status).to_contain_text("1 waiting")
        # ... with what was typed still in the form, so nobody enters it twice
        assert page.locator("input[name=pain][value='6']").is_checked()
        assert page.locator("input[name=entry_key]").input_value()

        context.set_offline(False)
        expect(status).to_contain_text("have been sent and saved", timeout=20000)
        with app.app_context():
            entries = db.session.scalars(sa.select(DiaryEntry)).all()
        assert len(entries) == 1 and entries[0].pain == 6 and entries[0].slot == "morning"
        assert entries[0].entry_key and not entries[0].is_late
        page.goto(base + "/diary/")
        expect(page.get_by_text("✓ pain 6")).to_be_visible()
        assert page.evaluate("localStorage.getItem('practice-diary-queue')") == "[]"
        context.close()
