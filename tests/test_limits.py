"""Every length limit the server enforces (the maxlength a page announces) answers with a
message at the field, in the user's language, and keeps everything typed; nothing is stored."""

from __future__ import annotations

from conftest import csrf_token
from html_forms import forms_of
from test_out_of_range_ids import counts, record, text  # noqa: F401 (record is a fixture)

EN = {"Accept-Language": "en"}
TEXT_TYPES = {"text", "email", "tel", "search", "textarea", "password"}


def limited_fields(html: str, action: str) -> list[tuple[str, int, str]]:
    """(name, maxlength, type) of the text fields of the form posting to ``action``."""
    from html.parser import HTMLParser

    found, inside = [], [False]

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                inside[0] = (a.get("action") or action) == action
            elif inside[0] and tag in ("input", "textarea") and a.get("maxlength") and "name" in a:
                kind = "textarea" if tag == "textarea" else (a.get("type") or "text")
                if kind in TEXT_TYPES:
                    found.append((a["name"], int(a["maxlength"]), kind))

        def handle_endtag(self, tag):
            if tag == "form":
                inside[0] = False

    Parser().feed(html)
    return found


def pages(record):
    cid, phone, today, kidney = (record["client"], record["phone"], record["today"],
                                 record["kidney"])
    return [
        ("/account", None, "/account", {}),
        ("/practitioners/new", None, "/practitioners/new",
         {"name": "Cleo", "email": "cleo@example.com", "password": "a long enough password",
          "confirm": "a long enough password"}),
        ("/settings", None, "/settings", {}),
        ("/clients/new", None, "/clients/new",
         {"first_name": "Ida", "last_name": "Ost", "consent": "y", "red_flag_screen_done": "y",
          "pain_now": "4"}),
        (f"/clients/{cid}/details", None, f"/clients/{cid}/details", {}),
        (f"/clients/{cid}/intake/", None, f"/clients/{cid}/intake/", {}),
        (f"/clients/{cid}/visits/new", None, f"/clients/{cid}/visits/new",
         {"pain_now": "4", "add": str(kidney), "notice_decision": "proceed"}),
        (f"/clients/{cid}/visits/1/correct", None, f"/clients/{cid}/visits/1/correct", {}),
        (f"/clients/{cid}", None, f"/clients/{cid}/alerts/1/acknowledge", {}),
        ("/library/new", None, "/library/new",
         {"title_de": "Wärme", "title_en": "Warmth", "summary_de": "Kurz.", "summary_en": "Short."}),
        (f"/library/{kidney}/edit", None, f"/library/{kidney}/edit", {}),
        (f"/clients/{cid}/diary/paper?day={today}&slot=morning", None,
         f"/clients/{cid}/diary/paper?day={today}&slot=morning", {"pain": "4", "warning": "no"}),
        (f"/diary/{today}/morning", phone, f"/diary/{today}/morning",
         {"pain": "4", "warning": "no"}),
        (f"/diary/{today}/evening", phone, f"/diary/{today}/evening",
         {"pain": "4", "warning": "no"}),
    ]


def test_every_length_limit_has_a_message_and_keeps_the_text(app, admin_client, record):
    tried = 0
    for url, who, action, valid in pages(record):
        browser = who or admin_client
        html = text(browser.get(url, headers=EN))
        form = next(f for f in forms_of(html, url) if f.action == action)
        fields = limited_fields(html, action)
        assert fields, url
        for name, limit, kind in fields:
            if name.startswith("add-") and not name.startswith(f"add-{record['kidney']}-"):
                continue  # instructions of an item not ticked are not read
            value = ("ab@example.com" + "x" * limit) if kind == "email" else "x" * (limit + 1)
            before = counts(app)
            page = text(browser.get(url, headers=EN))
            data = form.data(**{**valid, name: value, "csrf_token": csrf_token(page)})
            if kind == "password" and name == "password" and "confirm" in form.names:
                data["confirm"] = [value]
            response = browser.post(action, data=data, headers=EN)
            body = text(response)
            assert response.status_code == 200, (url, name, response.status_code)
            assert 'class="errors"' in body, (url, name)
            # In the reader's language: the practitioner's English, the client's German.
            said = f"at most {limit} characters" in body or f"höchstens {limit} Zeichen" in body
            assert said or kind == "email", (url, name)
            if kind != "password":
                assert value in body, (url, name)  # nothing typed is lost
            assert counts(app) == before, (url, name)
            tried += 1
    assert tried >= 50
