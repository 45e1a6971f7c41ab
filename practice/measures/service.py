"""Recording scores, correcting them, asking for questionnaires before the next visit, and
reading a client's scores in time order. Services flush and audit; views commit.

The audit trail names the action and the score's id, never an answer or a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import abort

from practice.accounts.models import Practitioner
from practice.audit import service as audit
from practice.clients import service as clients
from practice.clients.models import Client
from practice.clients.record_state import require_open
from practice.database import utcnow
from practice.extensions import db
from practice.i18n import practice_zone
from practice.measures import scoring
from practice.measures.instruments import (CLIENT, DESK, HOME, INSTRUMENTS, NRS, PAPER, PLACES,
                                           PRACTITIONER, PSFS, RECORDED, START_BACK, get)
from practice.measures.models import MeasureRequest, MeasureScore, MeasureScoreVersion


@dataclass(frozen=True)
class ScoreRow:
    """One score of a client, whatever recorded it: ``source`` is intake, visit or measure
    (``object_id`` the intake's, visit's or score's id). The exports and the letter read these."""

    instrument: str
    taken_at: datetime
    score: float
    source: str
    object_id: int
    place: str
    filled_by: str
    visit_id: int | None = None
    detail: str = ""  # STarT Back's risk group, the ODI band
    corrected: bool = False


def _require_recordable(instrument: str) -> None:
    found = get(instrument)
    if found is None or not found.recorded_here:
        raise scoring.ScoreError({"instrument": "unknown"})


def record(client: Client, instrument: str, scored: scoring.Scored, *, taken_at: datetime,
           place: str, filled_by: str, actor: Practitioner | None = None,
           visit_id: int | None = None, request: MeasureRequest | None = None) -> MeasureScore:
    """Store a scored instrument for ``client`` (consent and an active record checked here).

    An open request for the same instrument counts as answered by it.
    """
    require_open(client)
    _require_recordable(instrument)
    if place not in PLACES or filled_by not in (PRACTITIONER, CLIENT):
        raise scoring.ScoreError({"place": "unknown"})
    if visit_id is None and place != HOME:
        visit_id = _visit_on_day_of(client, taken_at)
    row = MeasureScore(client_id=client.id, instrument=instrument, taken_at=taken_at,
                       filled_by=filled_by, place=place, recorded_by_id=getattr(actor, "id", None),
                       visit_id=visit_id, score=scored.score, version_count=1,
                       created_at=utcnow())
    db.session.add(row)
    db.session.add(MeasureScoreVersion(measure_score=row, number=1, data=scored.values,
                                       score=scored.score, changed_keys=[],
                                       created_by_id=getattr(actor, "id", None),
                                       created_at=utcnow()))
    db.session.flush()
    answered = [request] if request is not None else open_requests(client, instrument)
    for open_request in answered:
        if open_request.is_open:
            open_request.answered_at = row.created_at
            open_request.measure_score_id = row.id
    clients.touch(client)
    kind = "client" if filled_by == CLIENT and actor is None else "practitioner"
    audit.record("measure.record", "measure_score", row.id, actor=actor, actor_kind=kind,
                 client=client.id)
    return row


def _day_bounds(when: datetime) -> tuple[datetime, datetime]:
    """The practice's local day around ``when``, as UTC bounds."""
    zone = practice_zone()
    day = when.astimezone(zone).date()
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def _visit_on_day_of(client: Client, when: datetime) -> int | None:
    """The visit a desk score belongs to: the client's visit on the same local day."""
    from practice.visits.models import Visit  # visits import this module

    start, end = _day_bounds(when)
    return db.session.scalar(
        sa.select(Visit.id).where(Visit.client_id == client.id, Visit.visited_at >= start,
                                  Visit.visited_at < end)
        .order_by(Visit.visited_at.desc()).limit(1))


def attach_to_visit(client: Client, visit_id: int, visited_at: datetime) -> int:
    """Scores typed in at the desk on the visit's day, not yet tied to a visit, belong to it
    (the paper form filled in at the visit, typed in before the visit was saved). Returns how
    many."""
    start, end = _day_bounds(visited_at)
    result = db.session.execute(
        sa.update(MeasureScore).where(
            MeasureScore.client_id == client.id, MeasureScore.visit_id.is_(None),
            MeasureScore.place != HOME, MeasureScore.taken_at >= start,
            MeasureScore.taken_at < end).values(visit_id=visit_id)
        .execution_options(synchronize_session="fetch"))
    return result.rowcount or 0


def correct(row: MeasureScore, scored: scoring.Scored, *, actor: Practitioner
            ) -> MeasureScoreVersion | None:
    """Correct a recorded score: a new version when a value changed; the original stays."""
    require_open(row.client)
    previous = row.current.data
    changed = sorted(k for k in set(scored.values) | set(previous)
                     if scored.values.get(k) != previous.get(k))
    if not changed:
        return None
    row.version_count += 1
    version = MeasureScoreVersion(measure_score=row, number=row.version_count,
                                  data=scored.values, score=scored.score, changed_keys=changed,
                                  created_by_id=actor.id, created_at=utcnow())
    db.session.add(version)
    row.score = scored.score
    db.session.flush()
    audit.record("measure.correct", "measure_score", row.id, actor=actor, client=row.client_id)
    return version


def get_for(user: Practitioner, client_id: int, score_id: int, *, action: str = "measure.view"
            ) -> tuple[Client, MeasureScore]:
    """A client's recorded score if ``user`` may see the client, else 404; audits the read."""
    client = clients.get_for(user, client_id, action=None)
    row = db.session.get(MeasureScore, score_id)
    if row is None or row.client_id != client.id:
        abort(404)
    audit.record(action, "measure_score", row.id, actor=user, client=client.id)
    return client, row


def scores_of(client: Client, visits: list | None = None) -> list[ScoreRow]:
    """Every score of the client in time order, oldest first: pain (NRS) and STarT Back from
    the intake and the visits, and everything recorded here. ``visits`` may be passed when the
    caller has loaded them (any order)."""
    rows: list[ScoreRow] = []
    intake = client.intake
    if intake is not None:
        when = intake.completed_at or intake.created_at
        if intake.baseline_pain is not None:
            rows.append(ScoreRow(NRS, when, float(intake.baseline_pain), "intake", intake.id,
                                 DESK, PRACTITIONER))
        if intake.start_back_total is not None:
            rows.append(ScoreRow(START_BACK, when, float(intake.start_back_total), "intake",
                                 intake.id, DESK, PRACTITIONER,
                                 detail=intake.start_back_risk or ""))
    if visits is None:
        from practice.visits.models import Visit  # the visits' figures; visits import us

        visits = list(db.session.scalars(sa.select(Visit).where(Visit.client_id == client.id)))
    for visit in visits:
        if visit.pain_now is not None:
            rows.append(ScoreRow(NRS, visit.visited_at, float(visit.pain_now), "visit",
                                 visit.id, DESK, PRACTITIONER, visit_id=visit.id))
        if visit.start_back_total is not None:
            rows.append(ScoreRow(START_BACK, visit.visited_at, float(visit.start_back_total),
                                 "visit", visit.id, DESK, PRACTITIONER, visit_id=visit.id,
                                 detail=visit.start_back_risk or ""))
    for row in recorded(client):
        rows.append(ScoreRow(row.instrument, row.taken_at, row.score, "measure", row.id,
                             row.place, row.filled_by, visit_id=row.visit_id,
                             detail=_detail(row), corrected=row.version_count > 1))
    # The intake is the baseline, even where a visit typed in with the same minute or a
    # score from the paper form brought along carries an earlier time.
    rows.sort(key=lambda r: (r.source != "intake", r.taken_at, r.object_id))
    return rows


def _detail(row: MeasureScore) -> str:
    data = row.values
    return str(data.get("risk") or data.get("band") or "")


_RECORDED = (sa.select(MeasureScore).where(MeasureScore.client_id == sa.bindparam("client"))
             .options(sa.orm.selectinload(MeasureScore.versions))
             .order_by(MeasureScore.taken_at, MeasureScore.id))


def recorded(client: Client) -> list[MeasureScore]:
    """The scores recorded through this package, oldest first, with their versions (one
    query for the scores, one for all their versions; built once)."""
    return list(db.session.scalars(_RECORDED, {"client": client.id}))


def by_instrument(rows: list[ScoreRow]) -> dict[str, list[ScoreRow]]:
    """The rows of each instrument (in the instruments' order), each oldest first."""
    grouped: dict[str, list[ScoreRow]] = {key: [] for key in INSTRUMENTS}
    for row in rows:
        grouped[row.instrument].append(row)
    return {key: found for key, found in grouped.items() if found}


def open_requests(client: Client, instrument: str | None = None) -> list[MeasureRequest]:
    """The questionnaires asked for and not yet answered or withdrawn, oldest first."""
    if instrument is None:  # the client page's: built once
        return list(db.session.scalars(_OPEN_REQUESTS, {"client": client.id}))
    statement = sa.select(MeasureRequest).where(
        MeasureRequest.client_id == client.id, MeasureRequest.answered_at.is_(None),
        MeasureRequest.withdrawn_at.is_(None), MeasureRequest.instrument == instrument)
    return list(db.session.scalars(statement.order_by(MeasureRequest.asked_at,
                                                      MeasureRequest.id)))


_OPEN_REQUESTS = (sa.select(MeasureRequest).where(
    MeasureRequest.client_id == sa.bindparam("client"), MeasureRequest.answered_at.is_(None),
    MeasureRequest.withdrawn_at.is_(None)).order_by(MeasureRequest.asked_at, MeasureRequest.id))


def ask(client: Client, wanted: set[str], *, actor: Practitioner) -> tuple[list, list]:
    """Make the open requests exactly ``wanted`` (instrument keys): new ones are asked, open
    ones no longer ticked are withdrawn. Returns (asked, withdrawn)."""
    require_open(client)
    known = {i.key for i in RECORDED}
    wanted = wanted & known
    current = {r.instrument: r for r in open_requests(client)}
    asked, withdrawn = [], []
    now = utcnow()
    for key in sorted(wanted - set(current)):
        request = MeasureRequest(client_id=client.id, instrument=key, asked_at=now,
                                 asked_by_id=actor.id)
        db.session.add(request)
        asked.append(request)
    for key in sorted(set(current) - wanted):
        current[key].withdrawn_at = now
        withdrawn.append(current[key])
    db.session.flush()
    for request in asked:
        audit.record("measure_request.create", "measure_request", request.id, actor=actor,
                     client=client.id)
    for request in withdrawn:
        audit.record("measure_request.withdraw", "measure_request", request.id, actor=actor,
                     client=client.id)
    return asked, withdrawn


def home_request(client: Client, request_id: int) -> MeasureRequest | None:
    """The client's own open request that can be filled in at home, or None (another
    client's, answered, withdrawn or paper-only: all look the same from outside)."""
    request = db.session.get(MeasureRequest, request_id)
    if request is None or request.client_id != client.id:
        return None
    if request.withdrawn_at is not None and request.answered_at is None:
        return None  # no longer asked: as if it had never been
    instrument = get(request.instrument)
    if instrument is None or not instrument.at_home:
        return None
    return request


def fill_at_home(client: Client, request: MeasureRequest, scored: scoring.Scored
                 ) -> MeasureScore:
    """The client's answers from the phone, through the personal diary link."""
    if request.client_id != client.id or not request.is_open:
        raise scoring.ScoreError({"request": "closed"})
    return record(client, request.instrument, scored, taken_at=utcnow(), place=HOME,
                  filled_by=CLIENT, request=request)


def last_activities(client: Client) -> list[str]:
    """The activities named in the client's newest PSFS (to fill in again), else none."""
    newest = db.session.scalar(
        sa.select(MeasureScore).where(MeasureScore.client_id == client.id,
                                      MeasureScore.instrument == PSFS)
        .order_by(MeasureScore.taken_at.desc(), MeasureScore.id.desc()).limit(1))
    if newest is None:
        return []
    return [a.get("activity", "") for a in newest.values.get("activities", [])]


def places_for(instrument: str) -> tuple[str, ...]:
    """Where the practice may say it filled ``instrument`` in at the desk (home is the
    phone's)."""
    found = get(instrument)
    return tuple(p for p in (found.places if found else ()) if p in (DESK, PAPER))
