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
from practice.intake.questions import QUESTIONS, display
from practice.measures import service as measures
from practice.measures.change import between
from practice.measures.instruments import INSTRUMENTS
from practice.measures.pages import detail_label
from practice.safety import notices
from practice.settings.service import get_settings
from practice.visits.service import current_plan, visits_of

RECIPIENT_LIMIT, NOTE_LIMIT = 500, 2000


@dataclass(frozen=True)
class ScoreRow:
    """One measurement as the letter lists it."""

    instrument: str
    on: date | datetime
    value: str
    change: str = ""


def _score_rows(client: Client, visits) -> list[ScoreRow]:
    """Every score oldest first (pain and STarT Back from the intake and the visits, and the
    questionnaires), each with its change since the instrument's first score and whether that
    reaches the minimal important change (practice.measures: one definition)."""
    rows, firsts = [], {}
    for row in measures.scores_of(client, visits):
        instrument = INSTRUMENTS[row.instrument]
        first = firsts.setdefault(row.instrument, row)
        detail = detail_label(row.detail)
        value = instrument.out_of(row.score) + (f" ({detail})" if detail else "")
        if row is first:
            change = _("at intake") if row.source == "intake" else _("first score")
        else:
            found = between(instrument, first.score, row.score)
            change = found.signed() + (f" · {found.label('first')}" if instrument.mic else "")
        rows.append(ScoreRow(str(instrument.name), row.taken_at, value, change))
    return rows


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
        "scores": _score_rows(client, visits),
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
