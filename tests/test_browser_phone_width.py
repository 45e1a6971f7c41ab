"""Every practitioner page is usable at 390 px (a phone at the desk or on a house call): nothing
wider than the screen, so no page scrolls sideways and no table hides its last column."""

from __future__ import annotations

import pytest

from browser import live_server, sign_in
from conftest import PASSWORD, SECOND_FACTORS, SETUP_FORM, login, submit
from diary_helpers import create_link, enter, today_of
from figures import report_figure
from intake_helpers import client_id, new_client
from measure_helpers import psfs_data, record_at_desk
from visit_helpers import item_ids, record_visit, visit_page

pytestmark = pytest.mark.browser

# Wider than the viewport: the page itself, or any table (also inside a scrolling wrapper).
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width + 1) {
    // Name the outermost element that sticks out, so the failure says where to look.
    const out = [...document.body.querySelectorAll("*")].find((e) =>
      e.getBoundingClientRect().right > width + 1 && !e.closest(".table-wrap"));
    found.push("page " + document.documentElement.scrollWidth + " px" + (out ?
      ", from " + out.tagName.toLowerCase() + "." + String(out.className).replace(/ /g, ".") : ""));
  }
  document.querySelectorAll("table").forEach((table) => {
    const box = table.getBoundingClientRect();
    // A data grid may scroll inside its own wrapper (keyboard-focusable), never the page.
    const wrapper = table.closest(".table-wrap.scrolls");
    if (wrapper && wrapper.getBoundingClientRect().width <= width + 1) { return; }
    if (box.width > width + 1 && table.offsetParent !== null) {
      found.push("table." + table.className.replace(/ /g, ".") + " " + Math.round(box.width) + " px");
    }
  });
  return found;
}"""


def test_practitioner_pages_fit_a_phone(app, client, browser):
    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    cid = client_id(new_client(client, rf_fever="y", last_name="Müller-Lüdenscheid-Oberhausen"))
    html = visit_page(client, cid)
    record_visit(client, cid, {"pain_now": "5", "add": str(item_ids(html)["Kidney rubbing"]),
                               "notice_decision": "proceed"}, html)
    phone_client = app.test_client()
    phone_client.get(create_link(client, cid))
    enter(phone_client, today_of(phone_client), "morning", pain=4)
    record_at_desk(client, cid, "psfs", psfs_data(3, 4, 4))  # a score, its chart and page
    pages = ["/", "/clients/", f"/clients/{cid}", f"/clients/{cid}/visits/new",
             f"/clients/{cid}/visits/1", f"/clients/{cid}/plan", "/clients/new",
             f"/clients/{cid}/intake/", f"/clients/{cid}/intake/history",
             f"/clients/{cid}/diary/", "/library/", "/library/1", "/library/import",
             "/handouts/day/", "/settings", "/practitioners", "/practitioners/1", "/account",
             f"/clients/{cid}/measures/new/odi", f"/clients/{cid}/measures/new/psfs",
             f"/clients/{cid}/measures/new/start_back", f"/clients/{cid}/measures/1",
             f"/clients/{cid}/measures/1/correct"]
    problems, checked = [], 0
    with live_server(app) as base:
        for language in ("de", "en"):
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale=language)
            sign_in(page, base, SETUP_FORM["admin_email"], PASSWORD,
                    SECOND_FACTORS.setdefault(app, {}))
            page.goto(f"{base}/")
            page.locator(f"form.langswitch button[value={language}]").click()
            for path in pages:
                response = page.goto(base + path)
                assert response.status == 200, (path, response.status)
                problems += [f"{language} {path}: {p}" for p in page.evaluate(TOO_WIDE)]
                checked += 1
            page.close()
    report_figure("phone width", f"{checked} practitioner pages at 390 px, "
                  f"{len(problems)} wider than the screen")
    assert not problems, "\n".join(problems)
