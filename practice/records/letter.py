"""A short progress letter for the client's doctor: the practice's letterhead, the scores with
their dates, the current plan and the history of warning signs, as a PDF.

Printed on demand and not stored: the audit trail records who printed it for whom and when
(a disclosure to a third party), never its content. Factual, in the doctor's language: what was
measured and recorded, never a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import render_template
from flask_babel import force_locale, gettext as _

from practice.audit import service as audit
from practice.clients.models import Client
from practice.clients.record_state import NO_CONSENT, RESTRICTED, WITHDRAWN, RecordClosed, closed_reason
from practice.diary import analysis, service as diary
from practice.handouts.render import font_urls, render_pdf
from practice.handouts.service import logo_uri
from practice.i18n import FORMAT_LOCALES, local_today
from practice.intake import scoring
from practice.intake.overview import RISK_LABELS
from practice.intake.questions import QUESTIONS, display
from practice.safety import notices
from practice.settings.service import get_settings
from practice.visits.service import current_plan, visits_of

RECIPIENT_LIMIT, NOTE_LIMIT = 500, 2000
NRS_MEANINGFUL = 2  # points on the 0-10 scale (practice.visits: outcome)


@dataclass(frozen=True)
class ScoreRow:
    """One measurement as the letter lists it."""

    instrument: str
    on: date | datetime
    value: str
    change: str = ""


def _nrs_rows(client: Client, visits) -> list[ScoreRow]:
    """Pain (NRS 0-10) at intake and at each visit, oldest first, with the change since intake."""
    rows, baseline = [], client.intake.baseline_pain if client.intake else None
    if baseline is not None and client.intake.completed_at:
        rows.append(ScoreRow(_("Pain (NRS 0–10)"), client.intake.completed_at,
                             f"{baseline}/10", _("at intake")))
    for visit in sorted(visits, key=lambda v: v.visited_at):
        if visit.pain_now is None:
            continue
        change = ""
        if baseline is not None:
            delta = visit.pain_now - baseline
            change = _("%(change)+d since intake", change=delta)
            if abs(delta) >= NRS_MEANINGFUL:
                change += " · " + _("meaningful (2 or more points)")
        rows.append(ScoreRow(_("Pain (NRS 0–10)"), visit.visited_at,
                             f"{visit.pain_now}/10", change))
    return rows


def _start_back_rows(client: Client, visits) -> list[ScoreRow]:
    rows = []
    result = scoring.start_back(client.intake.answers) if client.intake else None
    if result and client.intake.completed_at:
        rows.append(ScoreRow("STarT Back", client.intake.completed_at,
                             _start_back_value(result.total, result.risk), _("at intake")))
    for visit in sorted(visits, key=lambda v: v.visited_at):
        if visit.start_back_total is not None:
            rows.append(ScoreRow("STarT Back", visit.visited_at,
                                 _start_back_value(visit.start_back_total, visit.start_back_risk)))
    return rows


def _start_back_value(total: int, risk: str | None) -> str:
    return f"{total}/9" + (f" ({RISK_LABELS[risk]})" if risk in RISK_LABELS else "")


def require_letter_allowed(client: Client) -> None:
    """A report goes out only with consent in force (an archived record may still have its
    closing report); :class:`RecordClosed` otherwise."""
    reason = closed_reason(client)
    if reason in (WITHDRAWN, NO_CONSENT, RESTRICTED):
        raise RecordClosed(client, reason)


def letter_data(client: Client, *, recipient: str, note: str, actor) -> dict:
    """Everything the letter shows, read once; audited as the letter's printing."""
    require_letter_allowed(client)
    today = local_today()
    visits = visits_of(client)
    answers = client.intake.answers if client.intake else {}
    entries = diary.entries(client, since=today - timedelta(days=27), until=today)
    summary = analysis.summarise(entries, today) if entries else None
    warnings = [notices.read(alert) for alert in sorted(client.alerts, key=lambda a: a.raised_at)]
    audit.record("letter.print", "client", client.id, actor=actor)
    return {
        "settings": get_settings(), "client": client, "today": today, "actor": actor,
        "recipient": recipient.strip(), "note": note.strip(),
        "complaint": [(label, display(QUESTIONS[key], answers.get(key))) for key, label in (
            ("location", _("Where")), ("radiation", _("Radiates")), ("since", _("Since")),
            ("character", _("Character")), ("worst_time", _("Worst time")))
            if display(QUESTIONS[key], answers.get(key))],
        "first_visit": min((v.visited_at for v in visits), default=None),
        "visit_count": len(visits),
        "scores": _nrs_rows(client, visits) + _start_back_rows(client, visits),
        "diary": summary, "diary_days": len({e.day for e in entries}),
        "plan": current_plan(client, today), "warnings": warnings,
    }


def render_letter(client: Client, *, language: str, recipient: str, note: str,
                  actor) -> tuple[bytes, dict]:
    """The letter as PDF bytes in ``language`` (the data read in that language too), with
    the data it shows."""
    with force_locale(FORMAT_LOCALES.get(language, language)):
        data = letter_data(client, recipient=recipient, note=note, actor=actor)
        html = render_template("records/letter.html", d=data, language=language,
                               logo=logo_uri(), fonts=font_urls())
        pdf, _pages, _refused = render_pdf(html)
    return pdf, data
