"""``practice demo``: synthetic clients with intakes, visits, plans and diaries, for trying the
app and for benchmarks. Every demo client is marked as demo and named so."""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime, time, timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from practice.accounts.models import Practitioner
from practice.audit import service as audit
from practice.clients import consent
from practice.clients.models import Client
from practice.clients import service as clients
from practice.diary import attention
from practice.diary.models import DiaryEntry
from practice.extensions import db
from practice.i18n import practice_zone
from practice.intake import service as intake
from practice.library.models import ContentItem
from practice.visits import service as visits

FIRST = ["Anna", "Ben", "Clara", "Deniz", "Emil", "Frieda", "Jana", "Jonas", "Lena", "Mehmet",
         "Nora", "Paul", "Rosa", "Sven", "Ute", "Yasmin"]
LAST = ["Adler", "Becker", "Demir", "Fischer", "Hoffmann", "Keller", "Lang", "Meyer", "Novak",
        "Richter", "Schulz", "Vogel", "Wagner", "Zimmer"]
# Morning-dominant (easing through the day), evening-dominant (sitting, stress), mixed.
PATTERNS = ("morning", "evening", "mixed")


def _pain(rng, pattern: str, slot: str, progress: float) -> int:
    base = 6.5 - 3.0 * progress + rng.uniform(-1, 1)
    shift = {"morning": 1.5, "evening": -1.5, "mixed": 0.0}[pattern]
    value = base + (shift if slot == "morning" else -shift)
    return max(0, min(10, round(value)))


def make_demo(count: int, days: int, seed: int = 1) -> int:
    """Create ``count`` demo clients with ``days`` days of diary each; returns entries made."""
    rng = random.Random(seed)
    actor = db.session.scalar(sa.select(Practitioner).order_by(Practitioner.id))
    if actor is None:
        raise click.ClickException("set the practice up first (no account yet)")
    items = list(db.session.scalars(sa.select(ContentItem).where(
        ContentItem.is_active.is_(True),
        ContentItem.kind.not_in(("background", "warning_signs")))))
    zone = practice_zone()
    today = datetime.now(zone).date()
    made = 0
    for number in range(count):
        pattern = PATTERNS[number % 3]
        client = clients.create({"first_name": rng.choice(FIRST),
                                 "last_name": f"{rng.choice(LAST)} (Demo)",
                                 "language": rng.choice(["de", "en"]),
                                 "practitioner_id": actor.id}, actor=actor)
        client.is_demo = True
        consent.give(client, language=client.language, actor=actor)
        answers = {"pain_now": rng.randint(5, 8), "red_flag_screen_done": True,
                   "morning_stiffness": 45 if pattern == "morning" else 10,
                   "better_with": "movement" if pattern == "morning" else "rest",
                   "worse_with": ["cold"] if pattern == "morning" else ["sitting", "stress"],
                   "stress": 7 if pattern == "evening" else 4, "location": ["centre"]}
        intake.save(client, answers, complete=True, actor=actor)
        start = today - timedelta(days=days - 1)
        visit_days = [start + timedelta(days=d) for d in range(0, days, 14)]
        for visit_day in visit_days:
            when = datetime.combine(visit_day, time(10, 0), tzinfo=zone).astimezone(UTC)
            plan = visits.current_plan(client, visit_day)
            planned = {r.item_id for r in plan}
            fresh = [i for i in items if i.id not in planned]
            picks = rng.sample(fresh, k=min(2, len(fresh))) if fresh else []
            visits.record_visit(
                client, {"pain_now": _pain(rng, pattern, "evening",
                                           (visit_day - start).days / max(days, 1))},
                visited_at=when, day=visit_day, practitioner=actor, actor=actor,
                changes=[visits.PlanChange(r, "continue", r.how_often, r.how_long, r.notes)
                         for r in plan],
                additions=[visits.NewRecommendation(item=i) for i in picks])
        rows = []
        plan_ids = [r.id for r in visits.current_plan(client, today)]
        for offset in range(days):
            day = start + timedelta(days=offset)
            if rng.random() < 0.1:
                continue  # a missed day now and then
            progress = offset / max(days, 1)
            for slot in ("morning", "evening"):
                rows.append(DiaryEntry(
                    client_id=client.id, day=day, slot=slot,
                    pain=_pain(rng, pattern, slot, progress),
                    stiffness_minutes=(rng.randint(30, 60) if pattern == "morning"
                                       else rng.randint(0, 15)) if slot == "morning" else None,
                    sleep=rng.choice(["good", "fair", "poor"]) if slot == "morning" else None,
                    stress=(rng.randint(5, 9) if pattern == "evening" else rng.randint(1, 5))
                    if slot == "evening" else None,
                    sitting_hours=(rng.randint(6, 10) if pattern == "evening"
                                   else rng.randint(2, 6)) if slot == "evening" else None,
                    plan_done=[i for i in plan_ids if rng.random() < 0.7]
                    if slot == "evening" else [],
                    source="client"))
        db.session.add_all(rows)
        made += len(rows)
        db.session.flush()
        attention.refresh(client, today)
    return made


DEMO_ADMIN = "demo-admin@example.invalid"


def demo_practice() -> str | None:
    """On an empty database: a demo practice and its admin; returns the password (shown once),
    or None when the practice exists already."""
    from practice.accounts.service import account_count
    from practice.settings.service import setup_practice

    if account_count() > 0:
        return None
    password = "-".join(secrets.token_hex(3) for _ in range(4))
    setup_practice(practice={"name": "Demo-Praxis (Demo)", "address": "Musterstraße 1\n12345 "
                             "Musterstadt", "phone": "", "email": "", "default_language": "de"},
                   admin={"name": "Demo Admin", "email": DEMO_ADMIN, "password": password,
                          "language": "de"})
    return password


def remove_demo() -> int:
    """Delete every demo client with all of its record (nothing else); returns how many."""
    ids = list(db.session.scalars(sa.select(Client.id).where(Client.is_demo.is_(True))))
    if ids:
        # The database cascades to intakes, visits, plans, diaries, notices and handouts.
        db.session.execute(sa.delete(Client).where(Client.id.in_(ids)))
        for client_id in ids:
            audit.record("client.delete_demo", "client", client_id)
    return len(ids)


@click.command("demo")
@click.option("--clients", "count", default=12, show_default=True, help="How many demo clients")
@click.option("--days", default=42, show_default=True, help="Days of diary for each")
@click.option("--seed", default=1, show_default=True, help="Random seed (same data each time)")
@click.option("--remove", is_flag=True, help="Delete every demo client instead")
@with_appcontext
def demo(count: int, days: int, seed: int, remove: bool):
    """Create synthetic demo clients (marked "Demo") with intakes, visits, plans and diaries.

    On an empty database it first sets up a demo practice and prints its sign-in.
    """
    if remove:
        removed = remove_demo()
        db.session.commit()
        click.echo(f"{removed} demo clients deleted with their records.")
        return
    if not 0 < count <= 100_000 or not 0 < days <= 3650:
        raise click.BadParameter("use 1 to 100000 clients and 1 to 3650 days")
    password = demo_practice()
    made = make_demo(count, days, seed)
    db.session.commit()
    click.echo(f"{count} demo clients with {made} diary entries created.")
    if password:
        click.echo(f"Demo practice set up. Sign in as {DEMO_ADMIN} with the password {password} "
                   "(shown only now).")

