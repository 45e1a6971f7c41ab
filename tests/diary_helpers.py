"""Diary links and entries through the real pages, for tests."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from conftest import csrf_token, submit


def create_link(practitioner_client, cid: int) -> str:
    """Create (or renew, confirmed) the client's diary link on the client page; returns its
    path /d/<token>."""
    submit(practitioner_client, f"/clients/{cid}/diary/link", {"confirmed": "1"},
           page=f"/clients/{cid}")
    page = practitioner_client.get(f"/clients/{cid}").get_data(as_text=True)
    url = re.search(r'diary-link-url">([^<]+)<', page).group(1)
    return urlsplit(url).path


def today_of(phone) -> str:
    """Today's diary date as the diary's home page shows it."""
    page = phone.get("/diary/").get_data(as_text=True)
    return re.search(r'/diary/(\d{4}-\d\d-\d\d)/morning', page).group(1)


def enter(phone, day: str, slot: str, **values):
    """Post a diary entry with the page's CSRF token."""
    page = phone.get(f"/diary/{day}/{slot}").get_data(as_text=True)
    data = {"warning": "no", **{k: str(v) for k, v in values.items()}}
    return phone.post(f"/diary/{day}/{slot}", data={"csrf_token": csrf_token(page), **data})
