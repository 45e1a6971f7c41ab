"""Screenshots of the main pages at desk and phone width, for looking at what we build.

Usage: .venv/bin/python tools/screenshots.py [OUTPUT_DIR]   (default: screenshots/)
Runs the app on a throw-away database in a temporary instance folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

SEED = Path(__file__).resolve().parents[2] / "shared/seeds/000_7e76f89078dc4750.txt"
PAGES = Path(__file__).resolve().parent.parent / "tests/fixtures/import_pages"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PASSWORD = "correct horse battery staple"


def add_client(page, base: str) -> None:
    """A client with a red flag and inflammatory-looking answers, then one correction."""
    page.fill("#first_name", "Jana")
    page.fill("#last_name", "Schäfer")
    page.fill("#date_of_birth", "1984-04-02")
    for selector in ("#location-0", "#radiation-0", "#onset-1", "#character-1", "#better_with-0",
                     "#night_pain-0", "#night_eases_on_rising-0", "#wakes_second_half-0",
                     "#worse_with-0", "#helps-0", "#rf_night_pain", "#red_flag_screen_done",
                     "#consent", "#sb1-0", "#sb2-1", "#sb3-0", "#sb4-0", "#sb5-1", "#sb6-0",
                     "#sb7-1", "#sb8-1", "#sb9-2"):
        # Set directly: the pills' labels lie over the inputs (a person clicks the label).
        page.eval_on_selector(selector, "e => { e.checked = true; "
                              "e.dispatchEvent(new Event('change', {bubbles: true})); }")
    page.fill("#since", "October 2026")
    page.fill("#onset_age", "38")
    page.fill("#pain_now", "6")
    page.fill("#morning_stiffness", "45")
    page.click("button[value=complete]")
    for number in range(2, 30):  # some more clients for the list
        page.goto(base + "/clients/new")
        page.fill("#first_name", ["Lena", "Tom", "Aylin", "Peter", "Ute"][number % 5])
        page.fill("#last_name", f"Beispiel {number}")
        page.fill("#pain_now", str(number % 10))
        page.click("button[value=draft]")
    page.goto(base + "/clients/1/intake/")
    page.fill("#pain_now", "5")
    page.fill("#tongue", "pale, thin white coat")
    page.click("button[value=draft]")


def add_visits(page, base: str) -> None:
    """Two visits for the first client: three recommendations, then one stopped, one added."""
    page.goto(base + "/clients/1/visits/new")
    page.fill("#pain_now", "6")
    page.fill("#findings", "Lower back tense and cool, left more than right.")
    page.fill("#treatment", "Acupuncture, warming needle on BL 23; gentle massage.")
    page.fill("#points", "BL 23, BL 40, KI 3")
    page.check("#methods-0")
    page.check("#methods-2")
    for title in ("Keep the lower back warm", "Kidney rubbing", "Glute bridge"):
        row = page.locator("li.pick", has=page.get_by_text(title, exact=True))
        row.locator("input[type=checkbox]").check()
        if title == "Kidney rubbing":
            row.locator("input[name$=how_often]").fill("morning and evening")
    # The client has an open notice (night pain): the first visit proceeds with it open,
    # the second acknowledges it.
    page.check("input[name=notice_decision][value=proceed]")
    page.click("button[type=submit].primary")
    page.goto(base + "/clients/1/visits/new")
    page.check("input[name=notice_decision][value=acknowledge]")
    page.fill("#notice_note", "Advised to see the GP this week.")
    page.fill("#pain_now", "4")
    page.locator("li.plan-row", has_text="Glute bridge").locator("label.pill-stop").click()
    page.locator("li.pick", has=page.get_by_text("Constructive rest position", exact=True)) \
        .locator("input[type=checkbox]").check()
    page.click("button[type=submit].primary")


def main() -> None:
    """Set up a practice through the pages and photograph each step in both widths."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance:
        os.environ["PRACTICE_INSTANCE_PATH"] = instance
        from flask_migrate import upgrade

        from browser import chromium, live_server, sign_in
        from practice import create_app

        app = create_app({"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8,
                          "ARGON2_PARALLELISM": 1, "JOBS_IN_PROCESS": True})
        with app.app_context():
            upgrade()
        second_factors: dict = {}  # the admin's authenticator, shared by every page
        with live_server(app) as base, chromium() as browser:
            for language in ("en", "de"):
                for name, (width, height) in WIDTHS.items():
                    page = browser.new_page(viewport={"width": width, "height": height},
                                            locale=language)
                    page.goto(base + "/setup")
                    page.screenshot(path=out / f"setup-{language}-{name}.png", full_page=True)
                    page.close()
            for language in ("en", "de"):
                for name, (width, height) in WIDTHS.items():
                    page = browser.new_page(viewport={"width": width, "height": height},
                                            locale=language)
                    shoot = lambda step: page.screenshot(  # noqa: E731
                        path=out / f"{step}-{language}-{name}.png", full_page=True)
                    page.goto(base + "/setup")
                    if page.url.endswith("/setup"):
                        page.fill("#name", "Praxis am Park")
                        page.fill("#address", "Parkweg 2\n80331 München")
                        page.fill("#phone", "+49 89 123456")
                        page.fill("#email", "praxis@example.com")
                        page.fill("#admin_name", "Mara Müller")
                        page.fill("#admin_email", "mara@example.com")
                        page.fill("#password", "short")
                        page.fill("#confirm", "other")
                        page.click("button[type=submit].primary")
                        shoot("setup-errors")
                        page.fill("#password", PASSWORD)
                        page.fill("#confirm", PASSWORD)
                        page.click("button[type=submit].primary")
                    page.context.clear_cookies()
                    page.goto(base + "/login")
                    shoot("login")
                    page.fill("#email", "mara@example.com")
                    page.fill("#password", PASSWORD)
                    page.click("button[type=submit].primary")
                    if page.url.endswith("/login/enrol"):
                        shoot("second-factor-setup")
                        page.context.clear_cookies()  # sign in again through the helper
                    sign_in(page, base, "mara@example.com", PASSWORD, second_factors)
                    page.click(f"form.langswitch button[value={language}]")
                    shoot("start")
                    page.goto(base + "/clients/new")
                    shoot("intake-new")
                    if language == "en" and name == "desktop":
                        add_client(page, base)
                    page.goto(base + "/clients/")
                    shoot("clients")
                    if language == "en" and name == "desktop":
                        add_visits(page, base)
                    page.goto(base + "/clients/1/visits/new")
                    shoot("visit-new")
                    page.goto(base + "/clients/1/visits/1")
                    shoot("visit")
                    page.goto(base + "/clients/1/plan")
                    shoot("plan-history")
                    page.goto(base + "/clients/1")
                    shoot("client")
                    page.goto(base + "/clients/1/intake/history")
                    shoot("intake-history")
                    page.goto(base + "/")
                    shoot("start-attention")
                    page.goto(base + "/handouts/day/")
                    shoot("handouts-day")
                    page.click("form[action='/handouts/day/'] button.primary")
                    shoot("job-progress")
                    page.wait_for_selector("a[href$='/result']", timeout=60_000)
                    shoot("job-ready")
                    page.goto(base + "/library/")
                    shoot("library")
                    page.click("ul.item-list a >> text=/BL 40|Bl 40/")
                    shoot("library-item")
                    page.goto(base + "/library/import")
                    page.fill("#text", SEED.read_text(encoding="utf-8"))
                    page.click("button[type=submit].primary")
                    shoot("library-review")
                    page.goto(base + "/library/import")  # a saved web page: flags, a point
                    page.set_input_files("#upload", str(PAGES / "en_acupressure_three_points.html"))
                    page.click("button[type=submit].primary")
                    shoot("library-review-page")
                    for path, step in (("/practitioners/new", "new-practitioner"),
                                       ("/settings", "settings"), ("/account", "account"),
                                       ("/nowhere", "404")):
                        page.goto(base + path)
                        shoot(step)
                    # The record's duties: access log, register, an erasure request (asked on
                    # client 3, carried out once on client 2) and opening a restricted record.
                    for path, step in (("/access-log/", "access-log"),
                                       ("/access-log/?client=1", "access-log-client"),
                                       ("/settings/register/", "register")):
                        page.goto(base + path)
                        shoot(step)
                    page.goto(base + "/clients/3/erasure")
                    if page.locator("#delete_phone").count():
                        page.check("#delete_phone")
                    shoot("erasure")
                    page.click("form.card button.danger")
                    shoot("erasure-confirm")
                    if language == "en" and name == "desktop":
                        page.goto(base + "/clients/2/erasure")
                        page.click("form.card button.danger")
                        page.click("button[type=submit].danger")
                    page.goto(base + "/clients/2/restricted")
                    shoot("restricted")
                    page.fill("#reason", "Copy requested by the client")
                    page.click("button[type=submit].primary")
                    shoot("client-restricted")
                    page.close()
    print(f"screenshots in {out}/")


if __name__ == "__main__":
    main()
