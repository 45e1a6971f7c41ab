"""Outcome measures through the real pages, for tests."""

from __future__ import annotations

import re

from conftest import csrf_token

EN = {"Accept-Language": "en"}


def desk_page(client, cid: int, instrument: str) -> str:
    """The desk form of ``instrument`` for client ``cid``."""
    return client.get(f"/clients/{cid}/measures/new/{instrument}", headers=EN).get_data(
        as_text=True)


def record_at_desk(client, cid: int, instrument: str, data: dict, html: str | None = None):
    """Post the desk form with its own date, time and place, and ``data``."""
    html = html or desk_page(client, cid, instrument)
    when = re.search(r'id="taken_at"[^>]*value="([^"]+)"', html).group(1)
    place = re.search(r'<option selected value="([^"]+)"|<option value="([^"]+)" selected', html)
    form = {"csrf_token": csrf_token(html), "taken_at": when,
            "place": (place.group(1) or place.group(2)) if place else "desk"}
    form.update({k: str(v) for k, v in data.items()})
    return client.post(f"/clients/{cid}/measures/new/{instrument}", data=form, headers=EN)


def ask(client, cid: int, *instruments: str):
    """Tick exactly ``instruments`` to ask before the next visit."""
    html = client.get(f"/clients/{cid}", headers=EN).get_data(as_text=True)
    token = csrf_token(html)
    return client.post(f"/clients/{cid}/measures/ask", headers=EN,
                       data={"csrf_token": token, "ask": list(instruments)})


def questionnaire_links(phone) -> list[str]:
    """The questionnaire addresses on the diary's home page."""
    html = phone.get("/diary/", headers=EN).get_data(as_text=True)
    return re.findall(r'href="(/diary/questionnaires/\d+)"', html)


def psfs_data(*ratings: int, names=("Putting on socks", "Gardening", "Sitting through a film",
                                    "Carrying shopping", "Cycling")) -> dict:
    """PSFS answers: one activity per rating."""
    data = {}
    for n, rating in enumerate(ratings, start=1):
        data[f"activity{n}"] = names[n - 1]
        data[f"rating{n}"] = str(rating)
    return data


ODI_ALL = {f"odi{n}": 2 for n in range(1, 11)}  # 20 of 50: 40 %
