"""Recording visits, correcting them, and keeping the home-care plan. Services flush; views commit."""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from practice.clients.record_state import require_open
from practice.accounts.models import Practitioner
from practice.audit import service as audit
from practice.clients import service as clients
from practice.clients.models import Client
from practice.clients.service import ShownClient
from practice.database import utcnow
from practice.extensions import db
from practice.intake import scoring
from practice.library.models import ContentItem
from practice.measures import service as measures
from practice.visits.models import Recommendation, Visit, VisitVersion

VISIT_FIELDS = ("pain_now", "findings", "treatment", "points", "methods", "notes") + tuple(
    f"sb{i}" for i in range(1, 10))
INSTRUCTION_FIELDS = ("how_often", "how_long", "notes")


@dataclass
class PlanChange:
    """What happens to an active recommendation at this visit."""

    recommendation: Recommendation
    action: str  # continue, stop
    how_often: str = ""
    how_long: str = ""
    notes: str = ""


@dataclass
class NewRecommendation:
    """An item picked at this visit, with the client's own instructions."""

    item: ContentItem
    how_often: str = ""
    how_long: str = ""
    notes: str = ""
    ends_on: date | None = None


@dataclass
class PlanResult:
    """What a visit did to the plan."""

    continued: list = field(default_factory=list)
    adjusted: list = field(default_factory=list)
    stopped: list = field(default_factory=list)
    added: list = field(default_factory=list)


# "Seen recently" on the start page: visits of the last weeks, newest first.
RECENT_DAYS = 21
RECENT_VISITS = 300  # the practice's newest visits looked at (a colleague's count too)


def recently_seen(user: Practitioner, limit: int = 8) -> list[tuple[ShownClient, datetime]]:
    """The clients ``user`` may see with a visit in the last weeks, newest visit first, each
    once (for "Start visit" on the start page).

    The newest visits come from their time index alone; joined to the clients, SQLite started
    from the clients instead and sorted every visit of the practice (358 ms at 100,000)."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    latest: dict[int, datetime] = {}
    # Read row by row and closed once enough: a busy practice's 300 newest visits are mostly
    # a few dozen clients, and converting every row's time cost more than the query. On the
    # connection, not the session: the ORM fetches and converts every row before the first.
    newest = db.session.connection().execute(
        sa.select(Visit.client_id, Visit.visited_at).where(Visit.visited_at >= since)
        .order_by(Visit.visited_at.desc()).limit(RECENT_VISITS))
    for client_id, visited_at in newest:
        latest.setdefault(client_id, visited_at)
        if len(latest) == 3 * limit:  # enough, even if some are archived or a colleague's
            break
    newest.close()
    if not latest:
        return []
    # By primary key only, checked here: with "not archived" in the query SQLite walked the
    # archive flag's index over every client (70 % of the start page at 100,000).
    # Plain rows, not objects: a page of names needs no unit of work.
    found = db.session.execute(sa.select(
        Client.id, Client.first_name, Client.last_name, Client.is_archived,
        Client.practitioner_id).where(Client.id.in_(list(latest)))).all()
    by_id = {row.id: ShownClient(row.id, row.first_name, row.last_name) for row in found
             if not row.is_archived and clients.may_see(user, row)}
    return [(by_id[i], at) for i, at in latest.items() if i in by_id][:limit]


def current_plan(client: Client, day: date, *, texts: bool = True) -> list[Recommendation]:
    """The home-care plan on ``day``: recommendations started, not stopped, not yet ended.
    ``texts=False`` leaves the given version's texts unloaded (the client page shows titles)."""
    return plans_on(client, [day], texts=texts)[day]


def _running_on(recommendation: Recommendation, day: date) -> bool:
    return (recommendation.stopped_on is None and recommendation.starts_on <= day
            and (recommendation.ends_on is None or recommendation.ends_on >= day))


def _running_between(client_id, first, last):
    """SQL for "running on some day from ``first`` to ``last``" (:func:`_running_on`)."""
    return sa.and_(Recommendation.client_id == client_id, Recommendation.stopped_on.is_(None),
                   Recommendation.starts_on <= last,
                   sa.or_(Recommendation.ends_on.is_(None), Recommendation.ends_on >= first))


# Built once: the diary's evening entry reads it on every view and post.
_PLAN_TITLES = (sa.select(Recommendation.id, ContentItem.title_de, ContentItem.title_en)
                .join(ContentItem, ContentItem.id == Recommendation.item_id)
                .where(_running_between(sa.bindparam("client"), sa.bindparam("day"),
                                        sa.bindparam("day")))
                .order_by(Recommendation.starts_on, Recommendation.id))


def plan_titles(client: Client, day: date, language: str) -> list[tuple[int, str]]:
    """The plan on ``day`` as (recommendation id, title): what the diary's evening asks about,
    without loading the items' texts."""
    return [(row.id, (row.title_de if language == "de" else row.title_en)
             or row.title_en or row.title_de)
            for row in db.session.connection().execute(_PLAN_TITLES, {"client": client.id, "day": day})]


def _plans(texts: bool):
    loads = [sa.orm.joinedload(Recommendation.item)]
    if texts:  # both languages' texts of every step: most of this query's time
        loads.append(sa.orm.joinedload(Recommendation.content_version))
    return (sa.select(Recommendation)
            .where(_running_between(sa.bindparam("client"), sa.bindparam("first"),
                                    sa.bindparam("last")))
            .options(*loads).order_by(Recommendation.starts_on, Recommendation.id))


_PLANS = {texts: _plans(texts) for texts in (False, True)}


def plans_on(client: Client, days: list[date], *,
             texts: bool = True) -> dict[date, list[Recommendation]]:
    """The plan of each of ``days`` (a paper diary's two weeks) from one query."""
    rows = list(db.session.scalars(_PLANS[texts], {
        "client": client.id, "first": min(days), "last": max(days)}))
    return {day: [r for r in rows if _running_on(r, day)] for day in days}


def plan_history(client: Client) -> list[Recommendation]:
    """Every recommendation ever given to the client, newest first."""
    return list(db.session.scalars(
        sa.select(Recommendation).where(Recommendation.client_id == client.id)
        .options(sa.orm.joinedload(Recommendation.item))
        .order_by(Recommendation.starts_on.desc(), Recommendation.id.desc())))


# Built once, with the client as a parameter: the client page reads several such lists, and
# building each statement cost about as much as running it.
_VISITS_OF = (sa.select(Visit).where(Visit.client_id == sa.bindparam("client"))
              .options(sa.orm.joinedload(Visit.practitioner))
              .order_by(Visit.visited_at.desc(), Visit.id.desc()))


def visits_of(client: Client) -> list[Visit]:
    """The client's visits, newest first."""
    return list(db.session.scalars(_VISITS_OF, {"client": client.id}))


_USAGE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> (when, counts)
USAGE_SECONDS = 600


def usage_counts() -> dict[int, int]:
    """How often each library item has been recommended in the practice (most used first).

    Counting every recommendation ever given grows with the practice, and the answer only
    orders the picker: it is counted once every ten minutes per worker and database.
    """
    key = db.engine
    counted_at, counts = _USAGE.get(key, (0.0, {}))
    if time.monotonic() - counted_at > USAGE_SECONDS:
        counts = dict(db.session.execute(
            sa.select(Recommendation.item_id, sa.func.count())
            .group_by(Recommendation.item_id)).all())
        _USAGE[key] = (time.monotonic(), counts)
    return counts


def _clean(values: dict) -> dict:
    data = {}
    for key in VISIT_FIELDS:
        value = values.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            continue
        data[key] = value
    return data


def _figures(visit: Visit, data: dict) -> None:
    visit.pain_now = data.get("pain_now")
    result = scoring.start_back(data)
    visit.start_back_total = result.total if result else None
    visit.start_back_risk = result.risk if result else None


def record_visit(client: Client, values: dict, *, visited_at: datetime, day: date,
                 practitioner: Practitioner, actor: Practitioner,
                 changes: list[PlanChange] = (), additions: list[NewRecommendation] = (),
                 scores: list = ()) -> tuple[Visit, PlanResult]:
    """Record a visit and, in the same step, continue, adjust or stop the plan and add to it,
    and store the paper questionnaires typed in with it (``scores``: (instrument, scored)).

    ``day`` is the visit's date in the practice's time zone: the date recommendations start or
    stop on.
    """
    require_open(client)
    data = _clean(values)
    visit = Visit(client=client, practitioner_id=practitioner.id, visited_at=visited_at,
                  version_count=1)
    _figures(visit, data)
    db.session.add(visit)
    db.session.add(VisitVersion(visit=visit, number=1, data=data, changed_keys=[],
                                created_by_id=actor.id, created_at=utcnow()))
    db.session.flush()
    result = PlanResult()
    for change in changes:
        old = change.recommendation
        wanted = {k: getattr(change, k).strip() for k in INSTRUCTION_FIELDS}
        if change.action == "stop":
            _stop(old, day, visit, actor, "stopped")
            result.stopped.append(old)
        elif any(getattr(old, k) != v for k, v in wanted.items()):
            _stop(old, day, visit, actor, "adjusted")
            new = _start(client, old.item, day, visit, actor, replaces=old, ends_on=old.ends_on,
                         **wanted)
            result.adjusted.append(new)
        else:
            result.continued.append(old)
    for addition in additions:
        result.added.append(_start(client, addition.item, day, visit, actor,
                                   how_often=addition.how_often.strip(),
                                   how_long=addition.how_long.strip(),
                                   notes=addition.notes.strip(), ends_on=addition.ends_on))
    for instrument, scored in scores:
        measures.record(client, instrument, scored, taken_at=visited_at, place="paper",
                        filled_by="practitioner", actor=actor, visit_id=visit.id)
    # Questionnaires typed in at the desk that day belong to this visit.
    measures.attach_to_visit(client, visit.id, visited_at)
    clients.touch(client)
    audit.record("visit.create", "visit", visit.id, actor=actor, client=visit.client_id)
    return visit, result


def _stop(recommendation: Recommendation, day: date, visit: Visit, actor: Practitioner,
          reason: str) -> None:
    recommendation.stopped_on = day
    recommendation.stopped_visit_id = visit.id
    recommendation.stopped_by_id = actor.id
    recommendation.stop_reason = reason
    audit.record(f"recommendation.{'stop' if reason == 'stopped' else 'adjust'}",
                 "recommendation", recommendation.id, actor=actor,
                 client=recommendation.client_id)


def _start(client: Client, item: ContentItem, day: date, visit: Visit, actor: Practitioner, *,
           how_often: str = "", how_long: str = "", notes: str = "", ends_on: date | None = None,
           replaces: Recommendation | None = None) -> Recommendation:
    recommendation = Recommendation(
        client=client, item=item, content_version_id=item.current.id, visit_id=visit.id,
        how_often=how_often[:200], how_long=how_long[:200], notes=notes, starts_on=day,
        ends_on=ends_on, replaces_id=replaces.id if replaces else None, created_by_id=actor.id,
        created_at=utcnow())
    db.session.add(recommendation)
    db.session.flush()
    audit.record("recommendation.start", "recommendation", recommendation.id, actor=actor,
                 client=recommendation.client_id)
    return recommendation


def correct_visit(visit: Visit, values: dict, *, visited_at: datetime,
                  actor: Practitioner) -> VisitVersion | None:
    """Correct a visit record: a new version when anything changed; the original stays."""
    require_open(visit.client)
    data = _clean(values)
    previous = visit.current.data
    changed = sorted(k for k in set(data) | set(previous) if data.get(k) != previous.get(k))
    if visited_at != visit.visited_at:
        changed.append("visited_at")
        data["visited_at_before"] = visit.visited_at.isoformat()
        visit.visited_at = visited_at
    if not changed:
        return None
    visit.version_count += 1
    version = VisitVersion(visit=visit, number=visit.version_count, data=data,
                           changed_keys=changed, created_by_id=actor.id, created_at=utcnow())
    db.session.add(version)
    _figures(visit, data)
    db.session.flush()
    audit.record("visit.correct", "visit", visit.id, actor=actor, client=visit.client_id)
    return version


@dataclass(frozen=True)
class Outcome:
    """Pain at intake against pain at the latest visit (NRS 0-10)."""

    baseline: int | None
    latest: int | None
    latest_at: datetime | None

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline

    @property
    def meaningful(self) -> bool:
        """A change of 2 or more points counts as clinically meaningful."""
        return self.change is not None and abs(self.change) >= 2


def outcome(client: Client, visits: list[Visit]) -> Outcome:
    """The change in pain since intake, from the newest visit with a pain score."""
    baseline = client.intake.baseline_pain if client.intake else None
    scored = next((v for v in visits if v.pain_now is not None), None)
    return Outcome(baseline=baseline, latest=scored.pain_now if scored else None,
                   latest_at=scored.visited_at if scored else None)


@dataclass(frozen=True)
class VisitChange:
    """One corrected value of a visit, ready to show."""

    key: str
    before: object
    after: object


def visit_history(visit: Visit) -> list[tuple[VisitVersion, list[VisitChange]]]:
    """Every version of a visit record, newest first, with what it changed."""
    versions = visit.versions
    result = []
    for index, version in enumerate(versions):
        previous = versions[index - 1].data if index else {}
        result.append((version, [VisitChange(k, previous.get(k), version.data.get(k))
                                 for k in version.changed_keys if k != "visited_at"]))
    return list(reversed(result))


def client_summary(client: Client, day: date) -> dict:
    """What the client page shows about visits: the visits, the current plan, the outcome."""
    visits = visits_of(client)
    return {"visits": visits, "plan": current_plan(client, day, texts=False),
            "outcome": outcome(client, visits)}
