"""One way to write a date per language: the main pages and a handout, in German and English,
show only that language's formats (practice/formats.py), never another's."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from conftest import submit
from practice.intake.questions import START_BACK_NOTICE
from diary_helpers import create_link, enter, today_of
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page

pytest.importorskip("weasyprint")

EN_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
DE_MONTHS = "Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez"
# Anything that looks like a date written with digits and separators: 1.12. / 01.12.26 /
# 12/01/2026 / 2026-12-01 / 1.12.2026.
NUMERIC = re.compile(r"(?<![\d.\-/])(\d{1,4}[./-]\d{1,2}[./-]\d{0,4}|\d{1,2}\.\d{1,2}\.)(?![\d/])")
ALLOWED_NUMERIC = {"de": re.compile(r"\d{2}\.\d{2}\.\d{4}"), "en": None}
# Month names in the other language's order (German "1. Dez.", English "1 Dec", US "Dec 1, 2026").
FOREIGN = {
    "de": re.compile(rf"\b\d{{1,2}} ({EN_MONTHS})\b|\b({EN_MONTHS}) \d{{1,2}}\b|"
                     r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    "en": re.compile(rf"\b\d{{1,2}}\. ({DE_MONTHS})|\b(Montag|Dienstag|Mittwoch|Donnerstag|"
                     r"Freitag|Samstag|Sonntag)\b|\b({EN_MONTHS}) \d{{1,2}}, \d{{4}}"),
}
# What each language's dates do look like (at least one of these on the pages).
OWN = {"de": re.compile(r"\d{2}\.\d{2}\.\d{4}|\d{1,2}\. (Dez|Nov)\."),
       "en": re.compile(r"\d{1,2} (Nov|Dec) \d{4}|\d{1,2} (Nov|Dec)\b")}


def visible(page: str) -> str:
    """The text a person reads: no tags, attributes, scripts; file names left out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    text = html_lib.unescape(page)
    # The STarT Back licence asks for its notice verbatim, date included.
    text = text.replace(START_BACK_NOTICE, " ")
    return re.sub(r"[\w.-]+\.(pdf|csv|zip|json)\b", " ", text)


def problems(text: str, language: str, where: str) -> list[str]:
    found = []
    for token in NUMERIC.findall(text):
        allowed = ALLOWED_NUMERIC[language]
        if allowed is None or not allowed.fullmatch(token):
            found.append(f"{where}: {token!r}")
    found += [f"{where}: {m.group(0)!r}" for m in FOREIGN[language].finditer(text)]
    return found


@pytest.fixture
def record(app, admin_client):
    """A client with an intake, two visits, a week of diary, a handout and a notice."""
    cid = client_id(new_client(admin_client, language="en", rf_fever="y"))
    page = visit_page(admin_client, cid)
    kidney = item_ids(page)["Kidney rubbing"]
    record_visit(admin_client, cid, {"pain_now": "6", "add": str(kidney),
                                     "notice_decision": "proceed"}, page)
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    today = date.fromisoformat(today_of(phone))
    for offset in range(6):
        day = (today - timedelta(days=offset)).isoformat()
        enter(phone, day, "morning", pain=5)
        enter(phone, day, "evening", pain=3)
    record_visit(admin_client, cid, {"pain_now": "4", "notice_decision": "proceed"})
    return cid, phone, today


def test_pages_and_handouts_write_dates_one_way_per_language(app, admin_client, record):
    cid, phone, today = record
    pages = ["/", "/clients/", f"/clients/{cid}", f"/clients/{cid}/visits/1",
             f"/clients/{cid}/visits/new", f"/clients/{cid}/diary/", f"/clients/{cid}/plan",
             f"/clients/{cid}/diary/paper", "/library/1",
             f"/clients/{cid}/intake/history", "/handouts/day/", "/account", "/practitioners"]
    found, own_seen = [], {"de": 0, "en": 0}
    for language in ("de", "en"):
        headers = {"Accept-Language": language}
        # The practitioner's own language decides the desk pages: set it like a user would.
        submit(admin_client, "/language", {"language": language, "next": "/"}, page="/")
        for path in pages:
            response = admin_client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code)
            text = visible(response.get_data(as_text=True))
            found += problems(text, language, f"{language} {path}")
            own_seen[language] += len(OWN[language].findall(text))
        issued = submit(admin_client, f"/clients/{cid}/handouts",
                        {"language": language, "notice_decision": "proceed"},
                        page=f"/clients/{cid}")
        pdf = admin_client.get(issued.location).data
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        found += problems(text, language, f"{language} handout")
        own_seen[language] += len(OWN[language].findall(text))
    # The client's own pages speak the client's language (English here).
    for path in ("/diary/", f"/diary/{today.isoformat()}/morning"):
        text = visible(phone.get(path).get_data(as_text=True))
        found += problems(text, "en", f"diary {path}")
        own_seen["en"] += len(OWN["en"].findall(text))
    assert not found, "\n".join(found)
    assert own_seen["de"] > 20 and own_seen["en"] > 20, own_seen  # the check saw dates
