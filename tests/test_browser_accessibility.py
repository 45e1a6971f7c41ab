"""axe-core (WCAG 2.1 A and AA rules) in Chromium: the main desk pages at 1280 px and the diary
pages at 390 px, in German and English, without a serious or critical violation."""

from __future__ import annotations

import pytest

from browser import live_server, sign_in
from conftest import PASSWORD, SECOND_FACTORS, SETUP_FORM, login, submit
from diary_helpers import create_link, enter, today_of
from figures import report_figure
from intake_helpers import client_id, new_client
from measure_helpers import ask, psfs_data, questionnaire_links, record_at_desk
from visit_helpers import item_ids, record_visit, visit_page

pytestmark = pytest.mark.browser
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
         "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}


def test_desk_and_diary_pages_pass_axe(app, client, browser):
    pytest.importorskip("axe_playwright_python")
    from axe_playwright_python.sync_playwright import Axe

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    cid = client_id(new_client(client, rf_fever="y"))
    html = visit_page(client, cid)
    record_visit(client, cid, {"pain_now": "5", "add": str(item_ids(html)["Kidney rubbing"]),
                               "notice_decision": "proceed"}, html)
    links, questionnaires = {}, {}
    record_at_desk(client, cid, "psfs", psfs_data(3, 4, 4))
    for language, person in (("de", cid), ("en", client_id(new_client(
            client, first_name="Erin", last_name="English", language="en")))):
        links[language] = create_link(client, person)  # the diary speaks the client's language
        ask(client, person, "psfs", "start_back", "odi")
        phone_client = app.test_client()
        phone_client.get(links[language])
        day = today_of(phone_client)
        enter(phone_client, day, "morning", pain=4)
        questionnaires[language] = questionnaire_links(phone_client)
    desk = ["/", "/clients/", f"/clients/{cid}", f"/clients/{cid}/visits/new",
            f"/clients/{cid}/visits/1", "/clients/new", f"/clients/{cid}/diary/",
            "/library/", "/library/1", "/handouts/day/", "/settings", "/practitioners",
            "/account", f"/clients/{cid}/measures/new/odi", f"/clients/{cid}/measures/new/psfs",
            f"/clients/{cid}/measures/new/start_back", f"/clients/{cid}/measures/1"]
    diary = ["/diary/", f"/diary/{day}/evening", f"/diary/{day}/morning"]
    axe = Axe()
    found, checked = [], 0
    with live_server(app) as base:
        for language in ("de", "en"):
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale=language)
            sign_in(page, base, SETUP_FORM["admin_email"], PASSWORD,
                    SECOND_FACTORS.setdefault(app, {}))
            page.goto(f"{base}/")
            page.locator(f"form.langswitch button[value={language}]").click()
            for path in desk:
                page.goto(base + path)
                found += violations(axe, page, f"{language} 1280 {path}")
                checked += 1
            page.close()
            phone = browser.new_page(viewport={"width": 390, "height": 844}, locale=language)
            phone.goto(base + links[language])
            for path in diary + questionnaires[language]:
                phone.goto(base + path)
                found += violations(axe, phone, f"{language} 390 {path}")
                checked += 1
            phone.close()
    report_figure("accessibility", f"{checked} pages checked with axe-core (WCAG 2.1 A/AA), "
                  f"{len(found)} serious or critical violations")
    assert not found, "\n".join(found)


def violations(axe, page, where: str) -> list[str]:
    results = axe.run(page, options=RULES)
    return [f"{where}: {v['id']} ({v['impact']}): {v['help']} — "
            f"{', '.join(n['target'][0] for n in v['nodes'][:3])}"
            for v in results.response["violations"] if v.get("impact") in BLOCKING]
