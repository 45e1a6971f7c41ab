"""Each instrument's scores over time with their change: for the client page, the visit form,
the visit page, and the one-line progress summary the handout and the letter can print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from practice.clients.models import Client
from practice.measures import service
from practice.measures.change import Change, between
from practice.measures.instruments import INSTRUMENTS, Instrument
from practice.measures.service import ScoreRow


@dataclass(frozen=True)
class Series:
    """One instrument's scores, oldest first, and the changes that matter."""

    instrument: Instrument
    rows: tuple[ScoreRow, ...]

    @property
    def first(self) -> ScoreRow:
        return self.rows[0]

    @property
    def latest(self) -> ScoreRow:
        return self.rows[-1]

    @property
    def previous(self) -> ScoreRow | None:
        return self.rows[-2] if len(self.rows) > 1 else None

    @property
    def since_first(self) -> Change | None:
        """From the first score to the newest (None with a single score)."""
        if len(self.rows) < 2:
            return None
        return between(self.instrument, self.first.score, self.latest.score)

    @property
    def since_previous(self) -> Change | None:
        """From the score before the newest to the newest."""
        previous = self.previous
        return between(self.instrument, previous.score, self.latest.score) if previous else None

    def fresh(self, since: datetime | None) -> bool:
        """The newest score came after ``since`` (the last visit), or there was no visit."""
        return since is None or self.latest.taken_at > since


def series_of(rows: list[ScoreRow]) -> list[Series]:
    """A series per instrument that has scores, in the instruments' order."""
    return [Series(INSTRUMENTS[key], tuple(found))
            for key, found in service.by_instrument(rows).items()]


def meaningful_since_first(series: list[Series]) -> list[Series]:
    """The series whose change since the first score reaches the minimal important change in
    the better direction (the visit page says "meaningful improvement since the first
    score")."""
    return [s for s in series if s.since_first and s.since_first.meaningful_improvement]


def progress_line(client: Client, visits: list | None = None) -> str:
    """One line in the current language: each instrument from its first to its newest score,
    and whether the change reaches its minimal important change ("" without two scores)."""
    parts = []
    for s in series_of(service.scores_of(client, visits)):
        change = s.since_first
        if change is None:
            continue
        text = f"{s.instrument.short} {s.instrument.out_of(change.before)} → " \
               f"{s.instrument.out_of(change.after)}"
        if change.meaningful_improvement:
            text += f" ({_('meaningful improvement')})"
        elif change.direction == "worse":
            text += f" ({_('meaningful worsening')})"
        parts.append(text)
    return "; ".join(parts)
