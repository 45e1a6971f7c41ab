"""Where a request's time goes: cProfile of the benchmark's pages through the WSGI app.

Fills a temporary practice (``bench/fill.py``), signs in as the admin, then calls each page of
``bench/http_pages.py`` N times in-process and prints the hottest functions per page with its
mean time. Not a benchmark (the HTTP one is), a magnifying glass for the per-request work.

Usage: .venv/bin/python bench/profile_pages.py [--size 1000] [--calls 200] [--top 25] [--page NAME]
"""

from __future__ import annotations

import argparse
from urllib.parse import urlencode
import contextlib
import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from fill import ADMIN_EMAIL, PASSWORD, fill, set_up  # noqa: E402


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@contextlib.contextmanager
def statements(app, show: bool, name: str):
    """Print the SQL statements run inside the block (with ``show``)."""
    import sqlalchemy as sa

    from practice.extensions import db

    seen: list[str] = []
    began: list[float] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        began.append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        took = (time.perf_counter() - began.pop()) * 1000
        seen.append(f"{took:7.2f} ms  " + " ".join(statement.split())[:int(os.environ.get("SQL_WIDTH", 150))])
        if took > 5 and conn.engine.dialect.name == "sqlite" and statement.startswith("SELECT"):
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            seen.extend(f"             plan: {row[-1]}" for row in plan)

    with app.app_context():
        engine = db.engine
    if show:
        sa.event.listen(engine, "before_cursor_execute", before)
        sa.event.listen(engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        if show:
            sa.event.remove(engine, "before_cursor_execute", before)
            sa.event.remove(engine, "after_cursor_execute", after)
            print(f"\n----- {name}: {len(seen)} statements")
            for line in seen:
                print("   ", line)


def measure(args, name: str, calls: list) -> None:
    """Run ``calls`` (profiled unless --time-only) and print the mean and the hottest functions."""
    profile = cProfile.Profile()
    cpu = time.process_time()
    began = time.perf_counter()
    if not args.time_only:
        profile.enable()
    for call in calls:
        call()
    profile.disable()
    mean = (time.perf_counter() - began) / len(calls) * 1000
    cpu = (time.process_time() - cpu) / len(calls) * 1000
    if args.time_only:  # CPU time too: steadier where other machines share the host
        print(f"{name.split(' /')[0]:12} {mean:7.2f} ms  (cpu {cpu:.2f} ms)")
        return
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
    if args.callees:
        (stats.print_callers if args.callees.startswith("<") else stats.print_callees)(args.callees.lstrip("<"))
    else:
        stats.print_stats(*([args.match] if args.match else []), args.top)
    print(f"\n===== {name}: {mean:.2f} ms per request (profiled)")
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--page", default="", help="only this page (name as in the table)")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--database", default="sqlite",
                        help="sqlite, or a PostgreSQL URL whose database is emptied first")
    parser.add_argument("--match", default="",
                        help="only functions whose file matches (e.g. 'practice/|templates/')")
    parser.add_argument("--callees", default="", help="print what this function calls instead")
    parser.add_argument("--sql", action="store_true", help="print each page's statements once")
    parser.add_argument("--keep", default="",
                        help="a folder where fills are kept and reused on the same day")
    parser.add_argument("--search", default="jana mei", help="the search page's words")
    parser.add_argument("--time-only", action="store_true",
                        help="no profiler: mean milliseconds per request, in-process")
    args = parser.parse_args()
    import pyotp

    sys.path.insert(0, str(ROOT / "tests"))
    from practices import practice_of

    with practice_of(args.size, args) as (folder, url, env, secret, ids, _seconds):
        from serve_bench import bench_app

        app = bench_app()
        web = app.test_client()
        page = web.get("/login").get_data(as_text=True)
        web.post("/login", data={"csrf_token": csrf(page), "email": ADMIN_EMAIL,
                                 "password": PASSWORD})
        page = web.get("/login/code").get_data(as_text=True)
        web.post("/login/code", data={"csrf_token": csrf(page),
                                      "code": pyotp.TOTP(secret).now()})
        headers = {"Accept-Language": "de"}
        pages = {"bare read": "/_bench/read", "start page": "/", "client list": "/clients/",
                 "search": "/clients/?" + urlencode({"q": args.search}),
                 "client page": f"/clients/{ids['demo_client']}"}
        for name, path in pages.items():
            if args.page and args.page != name:
                continue
            with statements(app, args.sql, name):
                assert web.get(path, headers=headers).status_code == 200, name
            measure(args, f"{name} {path}",
                    [lambda: web.get(path, headers=headers)] * args.calls)
            if name == "start page":
                from practice.core.views import START_LISTS
                print(f"  start page lists: {START_LISTS.hits} reused, "
                      f"{START_LISTS.misses} rendered")
        if not args.page or args.page == "diary post":
            diary = app.test_client()
            slots = list(ids["free_slots"])
            link, day, part = slots[0]
            diary.set_cookie("practice_diary", ids["diary_cookies"][link])
            token = csrf(diary.get(f"/diary/{day}/morning").get_data(as_text=True))
            link, day, part = slots.pop()
            diary.set_cookie("practice_diary", ids["diary_cookies"][link])
            with statements(app, args.sql, "diary post"):
                assert diary.post(f"/diary/{day}/{part}", headers=headers, data={
                    "csrf_token": token, "pain": "4", "warning": "no"}).status_code == 302
            def post(link, day, part):
                diary.set_cookie("practice_diary", ids["diary_cookies"][link])
                response = diary.post(f"/diary/{day}/{part}", headers=headers, data={
                    "csrf_token": token, "pain": "4", "warning": "no"})
                assert response.status_code == 302, response.status_code

            calls = min(args.calls, len(slots) - 1)
            measure(args, "diary post", [lambda s=slot: post(*s) for slot in slots[1:calls + 1]])
            # The HTTP benchmark's yardstick for writes, for the same ratio in-process.
            bare = app.test_client()
            measure(args, "bare insert",
                    [lambda: bare.post("/_bench/insert")] * min(args.calls, calls))


if __name__ == "__main__":
    main()
