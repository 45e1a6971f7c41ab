"""Fill a migrated database with a practice of N clients by bulk insert (for the HTTP benchmark).

A few clients are made through the real services (``practice demo``: intake, visits, plan, four
weeks of diary), the rest by bulk inserts shaped like them: an intake, consent, two visits,
audit events; a fifth with a diary link and two weeks of entries (some gone silent, some
rising), three in a hundred with an open red-flag notice, five in a hundred archived.
"""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

ADMIN_EMAIL = "anna@example.com"
PASSWORD = "correct horse battery staple"
FIRST = ["Anna", "Ben", "Clara", "Deniz", "Emil", "Frieda", "Jana", "Jörg", "Lena", "Ute",
         "Mehmet", "Nora", "Paul", "Rosa", "Sven", "Yasmin", "Aylin", "Bernd", "Carla", "Dieter",
         "Elif", "Fabian", "Greta", "Hanna", "Ingo", "Jonas", "Karin", "Lukas", "Maja", "Nils",
         "Olga", "Petra", "Rainer", "Sabine", "Tobias", "Uwe", "Vera", "Wiebke", "Yusuf", "Zoe"]
COMMON = ["Müller", "Schmidt", "Schäfer", "Weber", "Meier", "Wagner", "Becker", "Hoffmann",
          "Koch", "Richter", "Yılmaz", "Nguyen", "Adler", "Demir", "Keller", "Vogel"]
# Names spread like real ones: a few common, most rare (here 375 made of two parts).
LAST = COMMON + [a + b for a in ("Bau", "Brink", "Dor", "Eh", "Feld", "Gart", "Hal", "Hein",
                                 "Kirch", "Kling", "Lin", "Loh", "Mar", "Neu", "Ost", "Rein",
                                 "Ro", "Sand", "Schön", "Stein", "Tann", "Vos", "Wal", "Wink",
                                 "Zie")
                 for b in ("mann", "er", "berg", "feld", "hoff", "ler", "ner", "rich", "sen",
                           "stedt", "ter", "ke", "mayer", "horst", "bach")]
BATCH = 2000
# Who the benchmark's name search ("jana mei") is looking for.
SEARCHED = ("Jana", "Meier")


def set_up(app) -> str:
    """Set the practice up through its real set-up page; enrol the admin's second factor
    directly and return its TOTP secret (the benchmark signs in with it)."""
    import pyotp

    from practice.accounts.models import Practitioner
    from practice.extensions import db

    client = app.test_client()
    page = client.get("/setup").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/setup", data={
        "csrf_token": token, "name": "Praxis Lindenhof", "address": "Lindenstraße 4\n10969 Berlin",
        "phone": "+49 30 1234567", "email": "praxis@example.com", "admin_name": "Anna Admin",
        "admin_email": ADMIN_EMAIL, "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302, response.status_code
    secret = pyotp.random_base32()
    with app.app_context():
        admin = db.session.scalar(sa.select(Practitioner).where(Practitioner.email == ADMIN_EMAIL))
        admin.totp_secret, admin.totp_enabled_at = secret, datetime.now(UTC)
        db.session.commit()
    return secret


def _reset_sequences(connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    for table in ("clients", "intakes", "intake_versions", "consents", "diary_links",
                  "diary_entries", "visits", "visit_versions", "client_alerts", "audit_events"):
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")


def fill(app, count: int, seed: int = 7) -> dict:
    """Add ``count`` clients; returns ids the benchmark opens (a demo client, diary clients)."""
    from practice.audit.models import AuditEvent
    from practice.clients.consent import CURRENT_VERSION
    from practice.clients.models import (Client, ClientAlert, ClientNamePair, ClientNameToken,
                                         Consent)
    from practice.clients.service import fold, name_pairs, name_tokens
    from practice.diary.attention import refresh_all
    from practice.diary import links
    from practice.diary.demo import make_demo
    from practice.diary.models import DiaryEntry, DiaryLink
    from practice.extensions import db
    from practice.i18n import practice_zone
    from practice.intake.models import Intake, IntakeVersion
    from practice.visits.models import Visit, VisitVersion

    rng = random.Random(seed)
    with app.app_context():
        make_demo(3, 28, seed=seed)
        db.session.commit()
        demo_id = db.session.scalar(sa.select(sa.func.min(Client.id)))
        today = datetime.now(practice_zone()).date()
        now = datetime.now(UTC)
        ids = {"demo_client": demo_id, "diary_links": [], "free_slots": []}
        next_id = {name: (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
                   for name, model in (("client", Client), ("intake", Intake),
                                       ("intake_version", IntakeVersion), ("consent", Consent),
                                       ("link", DiaryLink), ("entry", DiaryEntry),
                                       ("visit", Visit), ("visit_version", VisitVersion),
                                       ("alert", ClientAlert), ("audit", AuditEvent))}

        def take(name: str) -> int:
            value = next_id[name]
            next_id[name] += 1
            return value

        made = 0
        while made < count - 3:
            rows: dict[type, list[dict]] = {}
            for _ in range(min(BATCH, count - 3 - made)):
                made += 1
                cid = take("client")
                first = rng.choice(FIRST)
                last = rng.choice(COMMON) if rng.random() < 0.2 else rng.choice(LAST)
                if made == 1:  # the person the benchmark searches for is there at every size
                    first, last = SEARCHED
                created = now - timedelta(days=rng.randint(15, 900))
                rows.setdefault(Client, []).append(dict(
                    id=cid, first_name=first, last_name=last, search_name=fold(f"{first} {last}"),
                    language=rng.choice(("de", "de", "en")), practitioner_id=1, sex="not_stated",
                    email="", phone="", is_archived=rng.random() < 0.05, is_demo=False,
                    created_at=created, updated_at=created, open_alert_at=None,
                    last_activity_at=now - timedelta(minutes=rng.randint(1, 900 * 1440))))
                rows.setdefault(ClientNameToken, []).extend(
                    {"client_id": cid, "token": token} for token in name_tokens(f"{first} {last}"))
                rows.setdefault(ClientNamePair, []).extend(
                    {"client_id": cid, "pair": pair} for pair in name_pairs(f"{first} {last}"))
                iid = take("intake")
                pain = rng.randint(2, 9)
                rows.setdefault(Intake, []).append(dict(
                    id=iid, client_id=cid, status="complete", version_count=1, baseline_pain=pain,
                    start_back_total=rng.randint(0, 9), start_back_risk=rng.choice(("low", "medium", "high")),
                    created_at=created, completed_at=created))
                rows.setdefault(IntakeVersion, []).append(dict(
                    id=take("intake_version"), intake_id=iid, number=1, status="complete",
                    answers={"pain_now": pain, "red_flag_screen_done": True}, changed_keys=[],
                    created_at=created, created_by_id=1))
                rows.setdefault(Consent, []).append(dict(
                    id=take("consent"), client_id=cid, text_version=CURRENT_VERSION,
                    language="de", given_at=created, recorded_by_id=1))
                for number in range(2):
                    vid = take("visit")
                    at = created + timedelta(days=7 * number, hours=2)
                    rows.setdefault(Visit, []).append(dict(
                        id=vid, client_id=cid, practitioner_id=1, visited_at=at,
                        pain_now=max(0, pain - number), version_count=1, created_at=at))
                    rows.setdefault(VisitVersion, []).append(dict(
                        id=take("visit_version"), visit_id=vid, number=1,
                        data={"pain_now": max(0, pain - number), "treatment": "Massage"},
                        changed_keys=[], created_at=at, created_by_id=1))
                if rng.random() < 0.03:
                    rows.setdefault(ClientAlert, []).append(dict(
                        id=take("alert"), client_id=cid, kind="red_flag", source="intake",
                        reasons=["rf_fever"], raised_at=created, acknowledgement_note=""))
                    rows[Client][-1]["open_alert_at"] = created
                for action in ("client.view", "client.view", "visit.create"):
                    rows.setdefault(AuditEvent, []).append(dict(
                        id=take("audit"), at=created, actor_id=1, actor_kind="practitioner",
                        action=action, object_type="client", object_id=str(cid)))
                if rng.random() < 0.2:
                    lid = take("link")
                    nonce = secrets.token_hex(16)
                    link = DiaryLink(id=lid, nonce=nonce)
                    rows.setdefault(DiaryLink, []).append(dict(
                        id=lid, client_id=cid, nonce=nonce,
                        token_hash=links._sha256(links.token_for(link)),
                        created_at=now - timedelta(days=30), created_by_id=1))
                    silent = rng.random() < 0.2
                    if len(ids["diary_links"]) < 3000 and not rows[Client][-1]["is_archived"]:
                        # Slots the benchmark may fill, one new row each: today's two, and
                        # the late week of a client who went silent.
                        ids["diary_links"].append(lid)
                        days = range(8) if silent else range(1)
                        ids["free_slots"] += [(lid, (today - timedelta(days=d)).isoformat(), s)
                                              for d in days for s in ("morning", "evening")]
                    rising = rng.random() < 0.2
                    for back in range(14 if silent else 0, 30 if silent else 14):
                        day = today - timedelta(days=back + 1)
                        if rng.random() < 0.1:
                            continue
                        for slot in ("morning", "evening"):
                            level = pain - (back * 0.3 if rising else -back * 0.1)
                            rows.setdefault(DiaryEntry, []).append(dict(
                                id=take("entry"), client_id=cid, day=day, slot=slot,
                                pain=max(0, min(10, round(level + rng.uniform(-1, 1)))),
                                woke_at="", plan_done=[], note="", warning=False,
                                warning_signs=[], is_late=False, source="client",
                                created_at=datetime.combine(day, time(8), tzinfo=UTC),
                                updated_at=datetime.combine(day, time(8), tzinfo=UTC)))
            for model in (Client, ClientNameToken, ClientNamePair, Intake, IntakeVersion, Consent,
                          Visit, VisitVersion, ClientAlert, AuditEvent, DiaryLink, DiaryEntry):
                if rows.get(model):
                    db.session.execute(sa.insert(model), rows[model])
            db.session.commit()
        _reset_sequences(db.session.connection())
        db.session.commit()
        refresh_all(today)  # the attention state the diary keeps (bulk rows bypassed it)
        db.session.commit()
        ids["diary_cookies"] = {lid: links.cookie_value(db.session.get(DiaryLink, lid))
                                for lid in ids["diary_links"]}
        return ids
