"""Reading the audit trail: the access log admins filter and export, and "who opened this
record" on the client page. Reading the log is itself audited (it says who looked at whom)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from practice.accounts.models import Practitioner
from practice.audit import service as audit
from practice.audit.models import AuditEvent
from practice.clients.models import Client
from practice.exports import write_csv
from practice.extensions import db
from practice.i18n import practice_zone

PAGE_SIZE = 100
EXPORT_LIMIT = 100_000  # one CSV; a narrower filter for more

# The actions a person reads in the log, in words; any other shows its code.
ACTION_LABELS = {
    "client.view": _l("opened the record"), "client.view_details": _l("opened the details"),
    "client.create": _l("created the record"), "client.update": _l("changed the details"),
    "client.archive": _l("archived the record"), "client.unarchive": _l("restored the record"),
    "intake.view": _l("opened the intake"), "intake.view_history": _l("opened the intake history"),
    "intake.save": _l("saved the intake"), "visit.form": _l("opened the visit form"),
    "visit.view": _l("opened a visit"), "visit.create": _l("recorded a visit"),
    "visit.correct": _l("corrected a visit"), "plan.view_history": _l("opened the plan history"),
    "recommendation.start": _l("added to the plan"),
    "recommendation.stop": _l("stopped a plan item"),
    "recommendation.adjust": _l("adjusted a plan item"),
    "diary.view": _l("opened the diary"), "diary.save": _l("saved a diary entry"),
    "diary.export": _l("exported the diary"), "diary_link.create": _l("created the diary link"),
    "diary_link.revoke": _l("revoked the diary link"),
    "diary_link.open": _l("opened the diary link"),
    "diary_link.refused": _l("diary link refused"),
    "handout.issue": _l("issued a handout"), "handout.download": _l("downloaded a handout"),
    "alert.raise": _l("notice raised"), "alert.acknowledge": _l("acknowledged a notice"),
    "consent.give": _l("consent recorded"), "consent.withdraw": _l("consent withdrawn"),
    "record.copy": _l("made a complete copy"),
    "record.copy_download": _l("downloaded the complete copy"),
    "letter.print": _l("printed a letter to the doctor"),
    "measure.export": _l("exported the scores"),
    "record.erasure_request": _l("carried out an erasure request"),
    "record.open_restricted": _l("opened the restricted record"),
    "record.retention_set": _l("set the end of treatment"), "record.purge": _l("record deleted"), "access_log.view": _l("read the access log"),
    "access_log.export": _l("exported the access log"),
    "job.start": _l("started a background job"), "job.download": _l("downloaded its result"),
    "account.login": _l("signed in"), "account.logout": _l("signed out"),
    "account.login_failed": _l("sign-in failed"),
    "measure.form": _l("opened a questionnaire form"),
    "measure.record": _l("recorded a questionnaire"),
    "measure.view": _l("opened a questionnaire score"),
    "measure.correct": _l("corrected a questionnaire score"),
    "measure_request.create": _l("asked for a questionnaire"),
    "measure_request.withdraw": _l("no longer asked for a questionnaire"),
}
ACTOR_KINDS = {"practitioner": _l("practitioner"), "client": _l("client (diary)"),
               "system": _l("system"), "anonymous": _l("anonymous")}


@dataclass(frozen=True)
class LogFilter:
    """What the admin narrowed the log to (each part optional)."""

    client_id: int | None = None
    actor_id: int | None = None
    action: str = ""
    since: date | None = None
    until: date | None = None

    def is_empty(self) -> bool:
        return not (self.client_id or self.actor_id or self.action or self.since or self.until)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=practice_zone())


def _query(chosen: LogFilter):
    statement = sa.select(AuditEvent)
    if chosen.client_id:
        statement = statement.where(AuditEvent.client_id == chosen.client_id)
    if chosen.actor_id:
        statement = statement.where(AuditEvent.actor_id == chosen.actor_id)
    if chosen.action:
        statement = statement.where(AuditEvent.action == chosen.action)
    if chosen.since:  # days in the practice's zone, times stored in UTC
        statement = statement.where(AuditEvent.at >= _local_midnight(chosen.since))
    if chosen.until:
        statement = statement.where(
            AuditEvent.at < _local_midnight(chosen.until + timedelta(days=1)))
    return statement


def page(chosen: LogFilter, *, before: int | None = None, actor) -> tuple[list, int | None]:
    """One page of events, newest first, and the id to continue before (keyset paging: the
    same cost on page 1 and page 1,000). Audited as a read of the log."""
    statement = _query(chosen)
    if before:
        statement = statement.where(AuditEvent.id < before)
    rows = list(db.session.scalars(statement.order_by(AuditEvent.id.desc())
                                   .limit(PAGE_SIZE + 1)))
    more = rows[PAGE_SIZE].id + 1 if len(rows) > PAGE_SIZE else None
    audit.record("access_log.view", "audit_log", None, actor=actor, client=chosen.client_id)
    return rows[:PAGE_SIZE], more


def names(events: list, *, clients: bool = True) -> tuple[dict, dict]:
    """The practitioners' and (with ``clients``) the clients' names the events refer to (two
    queries per page)."""
    actor_ids = {e.actor_id for e in events if e.actor_id}
    client_ids = {e.client_id for e in events if e.client_id} if clients else set()
    actors = dict(db.session.execute(sa.select(Practitioner.id, Practitioner.name)
                                     .where(Practitioner.id.in_(actor_ids))).all()) if actor_ids else {}
    people = {row.id: f"{row.first_name} {row.last_name}" for row in db.session.execute(
        sa.select(Client.id, Client.first_name, Client.last_name)
        .where(Client.id.in_(client_ids)))} if client_ids else {}
    return actors, people


def action_label(action: str) -> str:
    """The action in words, or its code when it has none."""
    label = ACTION_LABELS.get(action)
    return str(label) if label else action


def known_actions() -> list[str]:
    """Every action the log holds, for the filter (read through the action index)."""
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct()
                                   .order_by(AuditEvent.action)))


_OPENED = (sa.select(AuditEvent.id, AuditEvent.at, AuditEvent.actor_id, AuditEvent.actor_kind,
                     AuditEvent.action, AuditEvent.client_id)
           .where(AuditEvent.client_id == sa.bindparam("client"))
           .order_by(AuditEvent.id.desc()).limit(sa.bindparam("limit")))


def opened_record(client_id: int, limit: int = 10) -> list:
    """The newest events on one record, for "who opened this record" on the client page (plain
    rows with the events' attributes: built once, read on the connection)."""
    return db.session.connection().execute(_OPENED, {"client": client_id, "limit": limit}).all()


CSV_COLUMNS = ("time_utc", "actor_kind", "actor_id", "actor", "action", "object_type",
               "object_id", "client_id")


def export_csv(chosen: LogFilter, *, actor) -> str:
    """The filtered log as CSV (ISO 8601 UTC times), newest first; audited as an export."""
    events = list(db.session.scalars(_query(chosen).order_by(AuditEvent.id.desc())
                                     .limit(EXPORT_LIMIT)))
    actors, _people = names(events)
    audit.record("access_log.export", "audit_log", None, actor=actor, client=chosen.client_id)
    return write_csv(CSV_COLUMNS, ([e.at, e.actor_kind, e.actor_id, actors.get(e.actor_id, ""),
                                    e.action, e.object_type, e.object_id, e.client_id]
                                   for e in events))
