"""A client's scores as data: one listing for the scores CSV, the record copy (JSON, PDF, CSV)
and the FHIR export, so they all say the same.

JSON-ready: times ISO 8601 in UTC, objects by id, practitioners by name only; for the ODI only
the section numbers and their scores, never an item text.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from practice.audit import service as audit
from practice.clients.models import Client
from practice.exports import write_csv
from practice.extensions import db
from practice.measures import service
from practice.measures.instruments import INSTRUMENTS
from practice.measures.models import MeasureRequest

CSV_COLUMNS = ("instrument", "taken_at", "score", "scale", "detail", "source", "object_id",
               "place", "filled_by", "visit_id", "corrected")


def _iso(value):
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value


def score_rows(client: Client, visits: list | None = None) -> list[dict]:
    """Every score of the client, oldest first (intake, visits, recorded), as plain data."""
    return [{"instrument": row.instrument, "taken_at": _iso(row.taken_at), "score": row.score,
             "scale": INSTRUMENTS[row.instrument].out_of(row.score), "detail": row.detail,
             "source": row.source, "object_id": row.object_id, "place": row.place,
             "filled_by": row.filled_by, "visit_id": row.visit_id, "corrected": row.corrected}
            for row in service.scores_of(client, visits)]


def recorded_rows(client: Client, name) -> dict:
    """The scores recorded here with every version of their values, and the questionnaires
    asked; ``name(practitioner_id)`` gives a practitioner's name."""
    requests = db.session.scalars(sa.select(MeasureRequest).where(
        MeasureRequest.client_id == client.id).order_by(MeasureRequest.asked_at,
                                                        MeasureRequest.id))
    return {
        "measures": [{
            "id": m.id, "instrument": m.instrument, "taken_at": _iso(m.taken_at),
            "score": m.score, "place": m.place, "filled_by": m.filled_by,
            "recorded_by": name(m.recorded_by_id), "visit_id": m.visit_id,
            "versions": [{"number": v.number, "score": v.score, "values": v.data,
                          "changed_keys": v.changed_keys, "created_at": _iso(v.created_at),
                          "created_by": name(v.created_by_id)} for v in m.versions]}
            for m in service.recorded(client)],
        "measure_requests": [{
            "id": r.id, "instrument": r.instrument, "asked_at": _iso(r.asked_at),
            "asked_by": name(r.asked_by_id), "answered_at": _iso(r.answered_at),
            "withdrawn_at": _iso(r.withdrawn_at), "measure_id": r.measure_score_id}
            for r in requests]}


def scores_csv(rows: list[dict]) -> str:
    """The listing of :func:`score_rows` as CSV, through the one spreadsheet-safe writer."""
    return write_csv(CSV_COLUMNS, ([row[column] for column in CSV_COLUMNS] for row in rows))


def export_csv(client: Client, *, actor) -> str:
    """The client's scores as CSV for the practitioner; audited as an export."""
    body = scores_csv(score_rows(client))
    audit.record("measure.export", "client", client.id, actor=actor)
    return body
