"""In Chromium, as at the desk: an unchanged follow-up visit from the start page to the stored
handout PDF, counting the actions that submit or navigate (typing is not counted)."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from browser import live_server, sign_in
from conftest import PASSWORD, SECOND_FACTORS, SETUP_FORM, login, submit
from diary_helpers import create_link, enter, today_of
from figures import report_figure
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page

pytestmark = pytest.mark.browser
MAX_ACTIONS = 3


def test_an_unchanged_follow_up_takes_three_actions(app, client, browser):
    from playwright.sync_api import expect
    from practice.extensions import db
    from practice.handouts.models import Handout
    from practice.visits.models import Visit

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    cid = client_id(new_client(client, first_name="Folke", last_name="Follow", language="en"))
    page_html = visit_page(client, cid)
    kidney = item_ids(page_html)["Kidney rubbing"]
    assert record_visit(client, cid, {"pain_now": "6", "add": str(kidney),
                                      f"add-{kidney}-how_often": "morning and evening"},
                        page_html).status_code == 302
    phone = app.test_client()
    phone.get(create_link(client, cid))
    assert enter(phone, today_of(phone), "morning", pain=4).status_code == 302

    with live_server(app) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        sign_in(page, base, SETUP_FORM["admin_email"], PASSWORD, SECOND_FACTORS.setdefault(app, {}))
        page.goto(f"{base}/")
        actions = 0
        started = time.monotonic()

        # 1. Start visit, from the start page ("Seen recently").
        seen = page.locator("section", has=page.get_by_role("heading", name="Seen recently"))
        # (The name's second half is visually hidden: Chromium reads "Start visit : Folke Follow".)
        seen.get_by_role("link", name=re.compile(r"^Start visit\s*:\s*Folke Follow$")).click()
        actions += 1
        # The plan is continued and today's pain comes from the diary.
        assert page.get_by_label("Pain now (0-10)").input_value() == "4"
        expect(page.locator("body")).to_contain_text("From the diary this morning: 4")
        plan = page.locator("li.plan-row", has_text="Kidney rubbing")
        assert plan.locator("input[value=continue]").is_checked()
        # Typing what was done (not counted).
        page.get_by_label("Treatment given", exact=True).fill("Massage, moxa on the lower back")
        # 2. Save and print.
        with page.expect_response(lambda r: r.url.endswith(".pdf")) as answer:
            page.get_by_role("button", name="Save and print handout").click()
        actions += 1
        seconds = time.monotonic() - started
        response = answer.value
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        # (Chromium shows the PDF in its viewer; the bytes are fetched again, signed in.)
        pdf = page.request.get(response.url).body()

    with app.app_context():
        visits = db.session.scalars(sa.select(Visit).where(Visit.client_id == cid)
                                    .order_by(Visit.id)).all()
        assert len(visits) == 2 and visits[-1].pain_now == 4
        handout = db.session.scalar(sa.select(Handout).where(Handout.visit_id == visits[-1].id))
        assert handout is not None and pdf == handout.pdf
    report_figure("follow-up visit", f"{actions} actions from the start page to the stored "
                  f"handout PDF (at most {MAX_ACTIONS}), {seconds:.1f} s in Chromium")
    assert actions <= MAX_ACTIONS
