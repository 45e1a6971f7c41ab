"""The main pages ask the database a fixed number of questions, whatever the size of the
record: no query per visit, handout, notice or diary entry (the N+1 pattern that makes a page
slow as a record grows)."""

from __future__ import annotations

import re
from contextlib import contextmanager

import sqlalchemy as sa

from conftest import submit
from diary_helpers import create_link, enter, today_of
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page

EN = {"Accept-Language": "en"}


@contextmanager
def counted(app):
    """Count the SQL statements sent meanwhile."""
    from practice.extensions import db

    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def grow(app, admin_client, cid: int, phone, today: str) -> None:
    """One more of everything: a visit with a new plan item, a handout, an acknowledged notice,
    a diary entry."""
    html = visit_page(admin_client, cid)
    planned = set(re.findall(r'name="plan-(\d+)-how_often"', html))
    free = [i for title, i in item_ids(html).items() if str(i) not in planned]
    assert record_visit(admin_client, cid, {"pain_now": "4", "add": str(free[0]),
                                            "notice_decision": "proceed"}, html).status_code == 302
    page = admin_client.get(f"/clients/{cid}").get_data(as_text=True)
    submit(admin_client, f"/clients/{cid}/handouts", {"language": "en"}, page=f"/clients/{cid}")
    alert = re.search(r"/alerts/(\d+)/acknowledge", page)
    if alert:
        submit(admin_client, f"/clients/{cid}/alerts/{alert.group(1)}/acknowledge",
               {"note": "GP informed", "confirmed": "1"}, page=f"/clients/{cid}")
    enter(phone, today, "evening" if phone.entries else "morning", pain=5)
    phone.entries += 1


def test_client_page_and_lists_need_the_same_queries_for_a_small_and_a_grown_record(
        app, admin_client):
    cid = client_id(new_client(admin_client, rf_fever="y", language="en"))
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    phone.entries = 0
    today = today_of(phone)
    pages = (f"/clients/{cid}", f"/clients/{cid}/diary/", f"/clients/{cid}/visits/new", "/",
             "/clients/", "/clients/?q=sch")
    counts = []
    for _ in range(2):
        grow(app, admin_client, cid, phone, today)
        admin_client.get("/")  # the sign-in's last-seen write happens here, not below
        found = {}
        for path in pages:
            with counted(app) as statements:
                assert admin_client.get(path, headers=EN).status_code == 200, path
            found[path] = len(statements)
        counts.append(found)
    small, grown = counts
    assert grown == small, {path: (small[path], grown[path]) for path in pages}
