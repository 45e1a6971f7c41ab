"""Recording visits through the real visit page in tests."""

from __future__ import annotations

import re

from conftest import csrf_token

EN = {"Accept-Language": "en"}


def visit_page(client, cid: int):
    """The new-visit page's HTML."""
    return client.get(f"/clients/{cid}/visits/new", headers=EN).get_data(as_text=True)


def item_ids(html: str) -> dict[str, int]:
    """Library item ids on the visit page, by their English title."""
    return {title: int(item_id) for item_id, title in re.findall(
        r'name="add" value="(\d+)"[^>]*>\s*<span><strong>([^<]+)</strong>', html)}


def plan_ids(html: str) -> dict[str, int]:
    """Active recommendation ids on the visit page, by title."""
    return {title: int(rec_id) for title, rec_id in re.findall(
        r'<strong>([^<]+)</strong>\s*<span class="small muted">[^<]*</span>\s*<fieldset[^>]*>'
        r'<legend[^>]*>[^<]*</legend>\s*<label class="pill"><input type="radio" '
        r'name="plan-(\d+)-action"', html)}


def record_visit(client, cid: int, data: dict, html: str | None = None):
    """Post the visit page with the default date and time and ``data``."""
    html = html or visit_page(client, cid)
    when = re.search(r'id="visited_at"[^>]*value="([^"]+)"', html).group(1)
    form = {"csrf_token": csrf_token(html), "visited_at": when, "practitioner_id": "1"}
    for rec_id, title in ((v, k) for k, v in plan_ids(html).items()):
        for name in ("how_often", "how_long", "notes"):
            value = re.search(rf'name="plan-{rec_id}-{name}" value="([^"]*)"', html)
            form[f"plan-{rec_id}-{name}"] = value.group(1) if value else ""
    form.update(data)
    return client.post(f"/clients/{cid}/visits/new", data=form, headers=EN)
