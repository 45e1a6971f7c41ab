"""In Chromium at 390 px, as a client on the phone: how many taps a morning entry takes and how
long an evening entry with three plan steps takes, printed as figures (no timing asserted)."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from browser import live_server
from conftest import SETUP_FORM, login, submit
from diary_helpers import create_link
from figures import report_figure
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page

pytestmark = pytest.mark.browser


def test_logging_a_day_is_quick_on_a_phone(app, client, browser):
    from playwright.sync_api import expect

    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    cid = client_id(new_client(client, first_name="Tara", last_name="Tempo", language="en"))
    html = visit_page(client, cid)
    items = item_ids(html)
    steps = [items[t] for t in ("Kidney rubbing", "Warmth for the lower back",
                                "Gentle movement")[:3] if t in items]
    if len(steps) < 3:
        steps = list(items.values())[:3]
    data = {"pain_now": "5", "add": [str(i) for i in steps]}
    assert record_visit(client, cid, data, html).status_code == 302
    link = create_link(client, cid)
    with live_server(app) as base:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB",
                                      is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(base + link)
        taps = 0
        # From the diary home: the morning's pain on the home page, the warning question, Save.
        page.locator(".diary-quick").get_by_role("link", name="4", exact=True).tap()
        taps += 1
        assert page.locator("input[name=pain][value='4']").is_checked()
        page.get_by_text("No, none of these", exact=True).tap()
        page.get_by_role("button", name="Save").tap()
        taps += 2
        expect(page.get_by_text("Saved. Thank you!")).to_be_visible()
        expect(page.locator(".diary-quick")).to_have_count(0)  # done for today
        assert taps == 3

        started = time.monotonic()
        page.get_by_role("link", name="Evening enter now").tap()
        page.locator("fieldset", has_text="Pain right now").get_by_text("3", exact=True).tap()
        plan = page.locator("fieldset", has_text="What did you do from your plan today?")
        boxes = plan.locator("input[type=checkbox]")
        assert boxes.count() == 3
        for n in range(3):
            plan.locator("label").nth(n).tap()
        page.get_by_text("No, none of these", exact=True).tap()
        page.get_by_role("button", name="Save").tap()
        expect(page.get_by_text("Saved. Thank you!")).to_be_visible()
        evening = time.monotonic() - started
        with app.app_context():
            entries = db.session.scalars(sa.select(DiaryEntry).order_by(DiaryEntry.id)).all()
        assert [e.slot for e in entries] == ["morning", "evening"]
        assert entries[0].pain == 4
        assert len(entries[1].plan_done) == 3
        report_figure("morning entry", f"{taps} taps from the diary home (the pain on the "
                                       "home page, the warning question, Save)")
        report_figure("evening entry", f"with three plan steps in {evening:.1f} s at 390 px "
                                       "(scripted taps, no reading time)")
        context.close()
