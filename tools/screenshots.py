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

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PASSWORD = "correct horse battery staple"


def main() -> None:
    """Set up a practice through the pages and photograph each step in both widths."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance:
        os.environ["PRACTICE_INSTANCE_PATH"] = instance
        from flask_migrate import upgrade

        from browser import chromium, live_server
        from practice import create_app

        app = create_app({"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8,
                          "ARGON2_PARALLELISM": 1})
        with app.app_context():
            upgrade()
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
                    page.click(f"form.langswitch button[value={language}]")
                    shoot("start")
                    for path, step in (("/practitioners/new", "new-practitioner"),
                                       ("/settings", "settings"), ("/account", "account"),
                                       ("/nowhere", "404")):
                        page.goto(base + path)
                        shoot(step)
                    page.close()
    print(f"screenshots in {out}/")


if __name__ == "__main__":
    main()
