"""Screenshots of the diary: the client's phone pages and the practitioner's analysis.

Usage: .venv/bin/python tools/diary_screenshots.py [OUTPUT_DIR]
Uses `practice demo` data in a throw-away instance.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
PASSWORD = "correct horse battery staple"


def main() -> None:
    """Demo data, then phone and desktop screenshots."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance:
        os.environ["PRACTICE_INSTANCE_PATH"] = instance
        from flask_migrate import upgrade

        from browser import chromium, live_server, sign_in
        from conftest import SECOND_FACTORS, SETUP_FORM, submit
        from practice import create_app
        from practice.diary import links
        from practice.diary.demo import make_demo
        from practice.extensions import db

        app = create_app({"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8,
                          "ARGON2_PARALLELISM": 1, "SERVER_NAME": None})
        with app.app_context():
            upgrade()
        client = app.test_client()
        submit(client, "/setup", {**SETUP_FORM, "password": PASSWORD, "confirm": PASSWORD},
               headers={"Accept-Language": "de"})
        with app.test_request_context():
            make_demo(3, 42, seed=3)
            from practice.accounts.models import Practitioner
            from practice.clients.models import Client

            admin = db.session.get(Practitioner, 1)
            paths = {}
            for person in db.session.query(Client).all():
                person.language = "en" if person.id == 2 else "de"  # the phone pages in both
                paths[person.id] = "/d/" + links.token_for(links.create(person, actor=admin))
            # The English client has not written this morning yet: its home shows the quick scale.
            from practice.diary.models import DiaryEntry

            newest = db.session.query(sa.func.max(DiaryEntry.day)).scalar()
            db.session.query(DiaryEntry).filter_by(client_id=2, day=newest,
                                                   slot="morning").delete()
            db.session.commit()
        with live_server(app) as base, chromium() as browser:
            # The client with pictures in the plan, in English and in German; then the first.
            for cid, suffix, language in ((2, "-en", "en"), (2, "-de", "de"), (1, "", "de")):
                with app.app_context():
                    db.session.get(Client, cid).language = language
                    db.session.commit()
                phone = browser.new_page(viewport={"width": 390, "height": 844},
                                         locale="de-DE" if language == "de" else "en-GB")
                phone.goto(base + paths[cid])
                # The plan's pictures load lazily: scroll through once, as a reader would.
                for y in range(0, 4000, 600):
                    phone.evaluate(f"window.scrollTo(0, {y})")
                    phone.wait_for_timeout(100)
                phone.evaluate("window.scrollTo(0, 0)")
                phone.wait_for_function("[...document.images].every(i => i.complete)")
                phone.screenshot(path=out / f"diary-home-phone{suffix}.png", full_page=True)
                today = re.search(r"/diary/(\d{4}-\d\d-\d\d)/morning", phone.content()).group(1)
                phone.goto(base + "/diary/remind")
                phone.screenshot(path=out / f"diary-remind-phone{suffix}.png", full_page=True)
            phone.goto(f"{base}/diary/{today}/morning")
            phone.screenshot(path=out / "diary-morning-phone.png", full_page=True)
            phone.goto(f"{base}/diary/{today}/evening")
            phone.screenshot(path=out / "diary-evening-phone.png", full_page=True)
            desk = browser.new_page(viewport={"width": 1280, "height": 900})
            sign_in(desk, base, SETUP_FORM["admin_email"], PASSWORD,
                    SECOND_FACTORS.setdefault(app, {}))
            for cid in (1, 2):
                desk.goto(f"{base}/clients/{cid}/diary/")
                desk.screenshot(path=out / f"diary-practitioner-{cid}.png", full_page=True)
            desk.goto(f"{base}/clients/1")
            desk.screenshot(path=out / "diary-client-page.png", full_page=True)
            desk.goto(base + "/")
            desk.screenshot(path=out / "diary-start.png", full_page=True)
    print(f"screenshots in {out}/")


if __name__ == "__main__":
    main()
