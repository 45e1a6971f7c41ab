"""Pictures of the library's drawings where they are shown, for looking at them.

Usage: .venv/bin/python tools/illustration_shots.py [OUTPUT_DIR]   (default: screenshots/pictures)
On a throw-away database: a client whose plan holds every pictured starter item; writes the
handout's pages as PNG (German and English), the library's item page and list, and the diary's
plan, at desk (1280 px) and phone width (390 px).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def build(app, out: Path):
    """Set up the practice, a client and a plan through the pages; returns (admin, phone,
    item ids by key, handout PDFs by language)."""
    import sqlalchemy as sa
    from conftest import SETUP_FORM, login, submit
    from diary_helpers import create_link
    from intake_helpers import client_id, new_client
    from visit_helpers import item_ids, record_visit, visit_page

    from practice.extensions import db
    from practice.library.models import ContentItem

    admin = app.test_client()
    submit(admin, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(admin, SETUP_FORM["admin_email"])
    with app.app_context():
        keys = {i.key: i.id for i in db.session.scalars(
            sa.select(ContentItem).where(ContentItem.illustration_id.is_not(None)))}
    pdfs = {}
    phones = {}
    for language in ("de", "en"):
        cid = client_id(new_client(admin, language=language))
        phone = app.test_client()
        phone.get(create_link(admin, cid))
        page = visit_page(admin, cid)
        ids = item_ids(page)
        wanted = [i for i in ids.values() if i in keys.values()]
        record_visit(admin, cid, {"pain_now": "5", "add": [str(i) for i in wanted]}, page)
        response = submit(admin, f"/clients/{cid}/handouts", {"language": language},
                          page=f"/clients/{cid}")
        pdfs[language] = admin.get(response.location).data
        phones[language] = phone
    return admin, phones, keys, pdfs


def pdf_pages(pdf: bytes, stem: Path) -> None:
    """Every page of ``pdf`` as a PNG at 150 dpi."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    for number in range(len(document)):
        document[number].render(scale=150 / 72).to_pil().save(f"{stem}-{number + 1}.png")


def cookies(test_client, base: str) -> list[dict]:
    """The test client's cookies, for the browser."""
    return [{"name": c.key, "value": c.value, "url": base} for c in test_client._cookies.values()]


def main() -> None:
    """Render, serve, photograph."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots/pictures")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PRACTICE_INSTANCE_PATH"] = folder
        from browser import chromium, live_server
        from conftest import base_config, migrate_to_head

        from practice import create_app

        url = f"sqlite:///{folder}/shots.sqlite3"
        migrate_to_head(url)
        app = create_app(base_config(url))
        admin, phones, keys, pdfs = build(app, out)
        for language, pdf in pdfs.items():
            pdf_pages(pdf, out / f"handout-{language}")
        with live_server(app) as base, chromium() as browser:
            for width_name, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                context.add_cookies(cookies(admin, base))
                page = context.new_page()
                for key in ("exercise-cat-cow", "acupressure-ki-3-tai-xi"):
                    page.goto(f"{base}/library/{keys[key]}?lang=de")
                    page.screenshot(path=str(out / f"library-{key}-{width_name}.png"),
                                    full_page=True)
                page.goto(f"{base}/library/?kind=movement")
                page.screenshot(path=str(out / f"library-list-{width_name}.png"), full_page=True)
                context.close()
                for language, phone in phones.items():
                    context = browser.new_context(viewport={"width": width, "height": height})
                    context.add_cookies(cookies(phone, base))
                    page = context.new_page()
                    page.goto(f"{base}/diary/")
                    for img in page.locator("img[loading=lazy]").all():
                        img.scroll_into_view_if_needed()  # the plan's pictures load lazily
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(out / f"diary-plan-{language}-{width_name}.png"),
                                    full_page=True)
                    context.close()
    print(f"written to {out}/")


if __name__ == "__main__":
    main()
