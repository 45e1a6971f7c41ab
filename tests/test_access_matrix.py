"""The access matrix: every route and method of the URL map, tried by six actors with the real
ids of two clients' records, against a rule table derived from the access principles.

Actors: anonymous, client A's phone and client B's phone (a diary cookie each), practitioner P
(owns A), practitioner Q (owns B), the admin. Principles:

* public pages (login, set-up, second step, language, static, the personal link) are open;
* the client's diary pages open with a diary cookie only, each on its own client's data;
* every other page needs a practitioner's sign-in (anonymous and phones go to /login);
* ``admin_required`` pages are 403 for practitioners who are not admins;
* a practitioner reaches own clients only: another practitioner's are 404 (ids stay unknown);
* an object id that does not belong to the client in the same address is 404 for everybody.

Refused requests must store nothing, a POST without a CSRF token must store nothing, and every
response carries the protective headers. The requests are generated from ``app.url_map``, so a
new route is in the matrix the moment it exists.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from conftest import csrf_token, login, second_practitioner, submit
from diary_helpers import create_link, enter, today_of
from figures import report_figure
from intake_helpers import client_id, new_client
from measure_helpers import ODI_ALL, ask, record_at_desk
from practice.security import ALWAYS_OPEN
from visit_helpers import item_ids, record_visit, visit_page

pytestmark = [pytest.mark.hostile, pytest.mark.slow]

EN = {"Accept-Language": "en"}

# Rules left out of the matrix, endpoint -> reason. Keep it short: everything else is in
# (even ``static``, tried with a real file and checked for every header but no-store).
EXCLUDED_ENDPOINTS: dict[str, str] = {}

# The personal link is the key of the diary itself: open to whoever holds the token.
DIARY_ENTRY = {"diary.open_link"}
# The installable diary's manifest and service worker: fetched by the browser without the
# cookie, the same for everybody, nothing personal in them.
DIARY_APP_FILES = {"diary.manifest", "diary.service_worker"}
# The blueprint of the client's own pages: no sign-in, but closed without the diary cookie.
DIARY_BLUEPRINT = "diary"
# Requests that end the actor's own session (sign-in or diary cookie): tried last by the actor.
SESSION_ENDERS = {"accounts.logout", "diary.forget"}
# Arguments naming an object of a practitioner's own (the side's owner); others are 404.
OWNED_ARGUMENTS = {"client_id", "practitioner_id"}
# Arguments naming something personal to the practitioner who made it (a background job):
# nobody else, admins included, may open it.
PERSONAL_ARGUMENTS = {"job_id"}
# Diary addresses naming something of the client's own plan (a step's picture): the phone
# whose plan holds it gets it, another phone a 404.
DIARY_OWN_ARGUMENTS = {"illustration_id", "request_id"}
# Arguments naming an object inside a client's record (must belong to the client in the URL).
CHILD_ARGUMENTS = {"visit_id", "handout_id", "alert_id", "score_id"}
# Tables a refusal is expected to write to (the audit trail, failed attempts / throttling).
REFUSAL_LOGS = {"audit_events", "failed_logins"}
# What a GET may write: the audit event of a read (or of a refused diary link), nothing else.
READ_ACTIONS = {"client.view", "client.view_details", "intake.view", "intake.view_history",
                "plan.view_history", "visit.view", "visit.form", "diary.view", "diary.export",
                "handout.download", "job.download", "diary_link.open", "diary_link.refused",
                "access_log.view", "access_log.export", "record.copy_download",
                "measure.form", "measure.view", "measure.export"}
# Columns left out of the comparison: stamps that every read updates (sign-in last seen, diary
# link last used), and the stored PDF bytes (kept as they are; their SHA-256 is compared).
SKIPPED_COLUMNS = {"last_seen_at", "last_used_at", "pdf"}

NAMES = {"A": ("Adelheid", "Achterberg"), "B": ("Bertolda", "Brinkmann")}

ALLOW, LOGIN, CLOSED, FORBIDDEN, NOT_FOUND = "allow", "login", "closed", "403", "404"

MIN_REQUESTS_PER_ACTOR = 100


@dataclass
class Actor:
    name: str
    kind: str  # anonymous, diary, practitioner, admin
    browser: object
    side: str | None = None  # the client whose data is the actor's own (A or B)
    token: str = ""  # a CSRF token of the actor's session


@dataclass
class Attempt:
    actor: Actor
    rule: object
    method: str
    side: str | None
    url: str
    expected: str


# -- the world, built through the real pages ---------------------------------------------------

def add_practitioner(app, admin_client, name: str, email: str, password: str):
    """A practitioner (not an admin) added by the admin and signed in on a browser of their
    own, the way ``second_practitioner`` adds Ben."""
    response = submit(admin_client, "/practitioners/new", {
        "name": name, "email": email, "role": "practitioner",
        "password": password, "confirm": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    browser = app.test_client()
    assert login(browser, email, password).location == "/"
    return browser


def practitioner_id(app, email: str) -> int:
    from practice.accounts.models import Practitioner
    from practice.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(Practitioner.id).where(Practitioner.email == email))


def build_record(app, practitioner, owner_id: int, side: str, item_title: str) -> dict:
    """A client of ``practitioner`` with an intake, a red-flag notice, a visit with a plan, a
    handout, a diary link opened on a phone and diary entries; returns its ids and the phone."""
    first, last = NAMES[side]
    cid = client_id(new_client(practitioner, first_name=first, last_name=last,
                               practitioner_id=str(owner_id), rf_fever="y"))
    html = visit_page(practitioner, cid)
    item = item_ids(html)[item_title]
    assert record_visit(practitioner, cid, {
        "pain_now": "5", "add": str(item), "notice_decision": "proceed",
        "practitioner_id": str(owner_id)}, html).status_code == 302
    # An ODI typed in at the desk, and a PSFS asked for the phone (the questionnaire's address).
    assert record_at_desk(practitioner, cid, "odi", ODI_ALL).status_code == 302
    assert ask(practitioner, cid, "psfs").status_code == 302
    ids = record_ids(app, cid)
    issued = submit(practitioner, f"/clients/{cid}/handouts", {
        "language": "en", "visit_id": str(ids["visit_id"]), "notice_decision": "proceed"},
        page=f"/clients/{cid}")
    assert issued.status_code == 302, issued.get_data(as_text=True)[:2000]
    job = submit(practitioner, "/handouts/day/", {"visit": str(ids["visit_id"])},
                 page="/handouts/day/")
    assert job.status_code == 302 and job.location.startswith("/jobs/"), job.location
    phone = app.test_client()
    link = create_link(practitioner, cid)
    assert phone.get(link).status_code == 302
    day = today_of(phone)
    yesterday = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    for when, slot in ((yesterday, "evening"), (day, "morning")):
        assert enter(phone, when, slot, pain=4).status_code == 302, (side, when, slot)
    return {**record_ids(app, cid), "item_id": item, "practitioner_id": owner_id,
            "illustration_id": illustration_of(app, item),
            "job_id": int(job.location.rsplit("/", 1)[1]),
            "token": link.rsplit("/", 1)[1], "day": day,
            "slot": "morning" if side == "A" else "evening", "phone": phone}


def illustration_of(app, item_id: int) -> int:
    """The picture of a library item (every exercise of the starter library has one)."""
    from practice.extensions import db
    from practice.library.models import ContentItem

    with app.app_context():
        return db.session.get(ContentItem, item_id).illustration_id


def record_ids(app, cid: int) -> dict:
    """The ids of the objects in a client's record, read from the tables."""
    from practice.clients.models import ClientAlert
    from practice.diary.models import DiaryEntry
    from practice.extensions import db
    from practice.handouts.models import Handout
    from practice.measures.models import MeasureRequest, MeasureScore
    from practice.visits.models import Visit

    with app.app_context():
        def first(model):
            return db.session.scalar(sa.select(model.id).where(model.client_id == cid)
                                     .order_by(model.id))

        # Keys are the URL map's argument names; the diary entry is taken by no route (the
        # diary's addresses are day and slot), but the world must hold one.
        return {"client_id": cid, "visit_id": first(Visit), "handout_id": first(Handout),
                "alert_id": first(ClientAlert), "diary_entry": first(DiaryEntry),
                "score_id": first(MeasureScore), "request_id": first(MeasureRequest)}


# A 1x1 PNG: the practice's logo, so that its preview has something to show.
LOGO = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
        b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18"
        b"\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def build_world(app, admin_client):
    from practice.extensions import db
    from practice.settings import service as settings

    with app.app_context():
        settings.set_logo(settings.get_settings(), LOGO, "image/png")
        db.session.commit()
    p_browser = second_practitioner(app, admin_client)  # Ben
    q_browser = add_practitioner(app, admin_client, "Cleo", "cleo@example.com",
                                 "yet another long password")
    p_id, q_id = practitioner_id(app, "ben@example.com"), practitioner_id(app, "cleo@example.com")
    assert None not in (p_id, q_id) and p_id != q_id
    sides = {"A": build_record(app, p_browser, p_id, "A", "Kidney rubbing"),
             "B": build_record(app, q_browser, q_id, "B", "Pelvic tilt lying down")}
    for side in sides.values():
        missing = [name for name, value in side.items() if value is None]
        assert not missing, f"the world lacks {missing}"
    actors = [
        Actor("anonymous", "anonymous", app.test_client()),
        Actor("phone A", "diary", sides["A"]["phone"], "A"),
        Actor("phone B", "diary", sides["B"]["phone"], "B"),
        Actor("practitioner P", "practitioner", p_browser, "A"),
        Actor("practitioner Q", "practitioner", q_browser, "B"),
        Actor("admin", "admin", admin_client),
    ]
    for actor in actors:
        # A token from a page the actor may open: the login page, the diary, the start page.
        page = {"anonymous": "/login", "diary": f"/diary/{sides['A']['day']}/morning"}.get(
            actor.kind, "/")
        response = actor.browser.get(page, headers=EN)
        assert response.status_code == 200, (actor.name, page, response.status_code)
        actor.token = csrf_token(response.get_data(as_text=True))
    return sides, actors


# -- the rule table ----------------------------------------------------------------------------

def _admin_only(view) -> bool:
    """Whether ``view`` is wrapped by ``admin_required`` (recognised by its code, not a name)."""
    from practice.security import admin_required

    marker = admin_required(lambda: None).__code__
    while view is not None:
        if getattr(view, "__code__", None) is marker:
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def expectation(app, actor: Actor, rule, side: str | None) -> str:
    """What the principles say ``actor`` gets from ``rule`` filled with ``side``'s ids."""
    endpoint = rule.endpoint
    view = app.view_functions[endpoint]
    if endpoint in ALWAYS_OPEN or endpoint in DIARY_ENTRY or endpoint in DIARY_APP_FILES:
        return ALLOW
    if endpoint.partition(".")[0] == DIARY_BLUEPRINT:
        # The cookie decides whose diary it is: the address carries no client.
        if actor.kind != "diary":
            return CLOSED
        if DIARY_OWN_ARGUMENTS & set(rule.arguments) and side != actor.side:
            return NOT_FOUND
        return ALLOW
    if getattr(view, "is_public", False):
        return ALLOW
    if actor.kind not in ("practitioner", "admin"):
        return LOGIN
    if _admin_only(view):
        return ALLOW if actor.kind == "admin" else FORBIDDEN
    if side == "mixed":
        return NOT_FOUND
    if PERSONAL_ARGUMENTS & set(rule.arguments):
        return ALLOW if actor.kind == "practitioner" and side == actor.side else NOT_FOUND
    if actor.kind != "admin" and OWNED_ARGUMENTS & set(rule.arguments) and side != actor.side:
        return NOT_FOUND
    return ALLOW


def sides_of(rule) -> list[str | None]:
    arguments = set(rule.arguments)
    if not arguments:
        return [None]
    sides = ["A", "B"]
    if "client_id" in arguments and arguments & CHILD_ARGUMENTS:
        sides.append("mixed")  # A's client with B's visit, handout or notice
    return sides


def build_url(rule, side: str, sides: dict) -> str:
    shared = {"filename": "css/app.css", "instrument": "psfs"}
    values = {}
    for name in rule.arguments:
        if side == "mixed":
            source = sides["B"] if name in CHILD_ARGUMENTS else sides["A"]
        else:
            source = sides[side]
        value = source.get(name, shared.get(name))
        assert value is not None, (f"{rule.rule}: no real id for argument {name!r}; add the "
                                   "object to the world so the route stays in the matrix")
        values[name] = value
    return rule.build(values)[1]


def plan(app, sides, actors) -> tuple[list[Attempt], list]:
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in EXCLUDED_ENDPOINTS]
    attempts = []
    for rule in rules:
        urls = {}
        for side in sides_of(rule):
            urls.setdefault(build_url(rule, side, sides), side)  # one try per distinct address
        for url, side in urls.items():
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for actor in actors:
                    attempts.append(Attempt(actor, rule, method, side, url,
                                            expectation(app, actor, rule, side)))
    return attempts, rules


# -- observing ---------------------------------------------------------------------------------

def state(app) -> dict:
    """Per table: row count and a digest of the rows (logs and read stamps left out)."""
    from practice.extensions import db

    result = {}
    with app.app_context():
        with db.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                if table.name in REFUSAL_LOGS:
                    continue
                columns = ", ".join(f'"{c.name}"' for c in table.columns
                                    if c.name not in SKIPPED_COLUMNS)
                order = ", ".join(f'"{c.name}"' for c in table.primary_key)
                # Plain driver values: no type processing, so a check per request stays cheap.
                rows = tuple(connection.exec_driver_sql(
                    f'SELECT {columns} FROM "{table.name}" ORDER BY {order}').fetchall())
                try:
                    digest = hash(rows)
                except TypeError:  # a driver that returns JSON as dicts
                    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
                result[table.name] = (len(rows), digest)
    return result


def newest_audit_event(app) -> int:
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0


def audit_actions_since(app, event_id: int) -> list[str]:
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.id > event_id)))


def changed(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def is_success(response) -> bool:
    status = response.status_code
    if 200 <= status < 300:
        return True
    if 300 <= status < 400:
        target = response.location or ""
        return not re.match(r"(https?://[^/]+)?/(login|setup)\b", target)
    return False


def refused_as(response, expected: str) -> bool:
    """Whether the refusal has the form the principles ask for."""
    status = response.status_code
    if expected == LOGIN:
        return status == 302 and re.match(r"(https?://[^/]+)?/login\b", response.location or "")
    if expected == CLOSED:
        return status == 403 and "This diary is not open" in response.get_data(as_text=True)
    return str(status) == expected


def header_problems(response, endpoint: str) -> list[str]:
    headers = response.headers
    problems = []
    csp = headers.get("Content-Security-Policy", "")
    if "default-src 'self'" not in csp and "default-src 'none'" not in csp:  # or stricter
        problems.append("CSP default-src 'self'")
    if "frame-ancestors 'none'" not in csp:
        problems.append("CSP frame-ancestors 'none'")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append("X-Frame-Options")
    if not headers.get("Referrer-Policy"):
        problems.append("Referrer-Policy")
    if endpoint != "static" and "no-store" not in headers.get("Cache-Control", ""):
        problems.append("Cache-Control no-store")
    return problems


def readable(response) -> str:
    """What a person reads in a response: the text of a page or CSV, the text of a PDF."""
    mimetype = response.mimetype or ""
    if mimetype.startswith("text/"):
        return response.get_data(as_text=True)
    if mimetype == "application/pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(response.data))
        return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return ""


def names_in(text: str, actor: Actor) -> tuple[list[str], bool]:
    """Names of clients not the actor's own found in ``text``, and whether its own is there."""
    others = [name for side, names in NAMES.items() if side != actor.side and actor.kind != "admin"
              for name in names if name in text]
    own = bool(actor.side) and any(name in text for name in NAMES[actor.side])
    return others, own


def send(attempt: Attempt, *, with_token: bool = True):
    from practice.diary.links import COOKIE

    actor = attempt.actor
    kept = actor.browser.get_cookie(COOKIE)
    data = None
    if attempt.method == "POST":
        data = {"csrf_token": actor.token} if with_token else {}
    response = actor.browser.open(attempt.url, method=attempt.method, data=data, headers=EN)
    if attempt.rule.endpoint in DIARY_ENTRY:
        # The link hands its cookie to whoever opens it: give the actor back its own.
        if kept is None:
            actor.browser.delete_cookie(COOKIE)
        else:
            actor.browser.set_cookie(COOKIE, kept.value)
    return response


# -- the test ----------------------------------------------------------------------------------

def test_access_matrix_over_every_route(app, admin_client):
    from practice.diary.client_views import OPEN_ENDPOINTS

    # What the diary opens without its cookie is decided here, not only in the app.
    assert OPEN_ENDPOINTS == DIARY_ENTRY | DIARY_APP_FILES
    started = time.monotonic()
    sides, actors = build_world(app, admin_client)
    attempts, rules = plan(app, sides, actors)
    order = {actor.name: n for n, actor in enumerate(actors)}

    def line(attempt, response, note=""):
        return (f"{attempt.actor.name} {attempt.method} {attempt.url} -> "
                f"{response.status_code} {response.location or ''} "
                f"(expected {attempt.expected}, ids of {attempt.side or '-'}){note}")

    unexpected: list[str] = []  # a success where the table says refused
    wrong_refusals: list[str] = []  # refused, but not the way the principles say (403 vs 404)
    missed: list[str] = []  # allowed by the table, refused by the app
    server_errors: list[str] = []
    writes: list[str] = []  # refusals (or POSTs without a token) that stored something
    get_writes: list[str] = []  # allowed GETs that stored something besides a read's audit
    headers: list[str] = []
    leaks: list[str] = []
    tried: dict[str, int] = {actor.name: 0 for actor in actors}
    covered_rules, covered = set(), {actor.name: set() for actor in actors}
    saw_own: set = set()  # (actor, type) shown their own client's name: the leak check bites

    def observe(attempt, response, note=""):
        tried[attempt.actor.name] += 1
        covered_rules.add((attempt.rule.rule, attempt.rule.endpoint))
        covered[attempt.actor.name].add((attempt.rule.endpoint, attempt.rule.rule, attempt.method))
        if response.status_code >= 500:
            server_errors.append(line(attempt, response, note))
        problems = header_problems(response, attempt.rule.endpoint)
        if problems:
            headers.append(line(attempt, response, f"{note} missing {', '.join(problems)}"))
        others, own = names_in(readable(response), attempt.actor)
        if others:
            leaks.append(line(attempt, response, f"{note} shows {', '.join(others)}"))
        if own:
            saw_own.add((attempt.actor.name, response.mimetype))

    # 1. Everything the table refuses, on the untouched world: refused, and nothing stored
    # (the state after one request is the state before the next: nothing may change at all).
    before = state(app)
    for attempt in [a for a in attempts if a.expected != ALLOW]:
        response = send(attempt)
        observe(attempt, response)
        if is_success(response):
            unexpected.append(line(attempt, response))
        elif not refused_as(response, attempt.expected):
            wrong_refusals.append(line(attempt, response))
        after = state(app)
        if tables := changed(before, after):
            writes.append(line(attempt, response, f" changed {tables}"))
        before = after

    # 2. Every POST without a CSRF token, by every actor: never a success, nothing stored.
    for attempt in [a for a in attempts if a.method == "POST"]:
        response = send(attempt, with_token=False)
        observe(attempt, response, " [no CSRF token]")
        if is_success(response):
            unexpected.append(line(attempt, response, " [no CSRF token]"))
        after = state(app)
        if tables := changed(before, after):
            writes.append(line(attempt, response, f" [no CSRF token] changed {tables}"))
        before = after

    # 3. Everything the table allows: reached (not refused). All reads first (on records no
    # allowed write has touched yet, so a leak of a name is seen), then each actor's writes,
    # signing out last: phones first, the admin last (its posts disable colleagues).
    allowed = sorted((a for a in attempts if a.expected == ALLOW), key=lambda a: (
        a.method != "GET", order[a.actor.name] if a.method != "GET" else 0,
        a.rule.endpoint in SESSION_ENDERS))
    gets = 0
    for attempt in allowed:
        last_event = newest_audit_event(app)
        response = send(attempt)
        observe(attempt, response)
        endpoint = attempt.rule.endpoint
        if attempt.method == "GET":
            # A GET (a reload, a prefetch, a crawler) stores nothing but the audit of a read.
            gets += 1
            after = state(app)
            if tables := changed(before, after):
                get_writes.append(line(attempt, response, f" changed {tables}"))
            before = after
            others = sorted(set(audit_actions_since(app, last_event)) - READ_ACTIONS)
            if others:
                get_writes.append(line(attempt, response, f" audited {others}"))
        if endpoint in SESSION_ENDERS:
            # Its success is the end of the session: the actor's own start page is closed now.
            probe, kind = (("/diary/", CLOSED) if attempt.actor.kind == "diary" else ("/", LOGIN))
            if not refused_as(attempt.actor.browser.get(probe, headers=EN), kind):
                missed.append(line(attempt, response, f" but {probe} still opens"))
            continue
        view = app.view_functions[endpoint]
        public = getattr(view, "is_public", False) or endpoint in ALWAYS_OPEN
        if not public or endpoint.partition(".")[0] == DIARY_BLUEPRINT:
            refused = (response.status_code in (401, 403, 404) or
                       (response.status_code == 302 and not is_success(response)))
            if refused:
                missed.append(line(attempt, response))

    total = sum(tried.values())
    seconds = time.monotonic() - started
    report_figure("access matrix", f"{total} requests tried ({len(rules)} rules, "
                  f"{len(actors)} actors), {len(unexpected)} unexpected successes, "
                  f"{len(server_errors)} 5xx, {len(writes)} refusals that stored something, "
                  f"{len(get_writes)} of {gets} allowed GETs that stored something, "
                  f"{len(headers)} responses missing security headers, {seconds:.1f} s")

    report = "\n\n".join(f"{len(lines)} {title}:\n" + "\n".join(lines[:60]) for title, lines in (
        ("unexpected successes", unexpected), ("server errors", server_errors),
        ("refused requests that stored something", writes),
        ("allowed GETs that stored more than a read's audit event", get_writes),
        ("refusals of the wrong kind", wrong_refusals),
        ("responses showing another client's name", leaks),
        ("allowed requests that were refused", missed),
        ("responses missing security headers", headers)) if lines)
    assert len(unexpected) == 0 and len(server_errors) == 0, report
    assert not report, report
    assert gets >= 10 * len(actors), gets  # the GET check saw the pages, not a few redirects

    # The matrix cannot shrink silently: every rule, every method, every actor.
    every_rule = list(app.url_map.iter_rules())
    excluded = [rule for rule in every_rule if rule.endpoint in EXCLUDED_ENDPOINTS]
    assert set(EXCLUDED_ENDPOINTS) <= {rule.endpoint for rule in every_rule}  # no stale entries
    assert len(covered_rules) == len(every_rule) - len(excluded) == len(rules)
    combos = {(rule.endpoint, rule.rule, method) for rule in app.url_map.iter_rules()
              if rule.endpoint not in EXCLUDED_ENDPOINTS
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    for actor in actors:
        assert covered[actor.name] == combos, actor.name
        assert tried[actor.name] >= MIN_REQUESTS_PER_ACTOR, (actor.name, tried[actor.name])
    own_pages = {name for name, mimetype in saw_own if mimetype == "text/html"}
    assert own_pages == {actor.name for actor in actors if actor.side}, saw_own
    assert {name for name, mimetype in saw_own if mimetype == "application/pdf"} == {
        actor.name for actor in actors if actor.kind == "practitioner"}, saw_own
    kinds = {a.expected for a in attempts}
    assert kinds == {ALLOW, LOGIN, CLOSED, FORBIDDEN, NOT_FOUND}, kinds
