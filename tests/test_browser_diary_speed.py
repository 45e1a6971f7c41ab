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
        page.get_by_role("link", name="Morning enter now").tap()
        taps += 1
        form_taps = 0
        page.locator("label", has_text="4").filter(
            has=page.locator("input[name=pain]")).first.tap()
        page.get_by_text("No, none of these", exact=True).tap()
        page.get_by_role("button", name="Save").tap()
        form_taps += 3
        expect(page.get_by_text("Saved. Thank you!")).to_be_visible()
        taps += form_taps

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
        assert len(entries[1].plan_done) == 3
        report_figure("morning entry", f"{taps} taps from the diary home ({form_taps} on the "
                                       "entry page: pain, the warning question, Save)")
        report_figure("evening entry", f"with three plan steps in {evening:.1f} s at 390 px "
                                       "(scripted taps, no reading time)")
        context.close()
