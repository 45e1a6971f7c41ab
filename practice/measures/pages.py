"""What the practitioner's pages show of the outcome measures: the client page's scores with
their charts and the questionnaires asked, the visit form's fresh scores, the visit page's
meaningful changes. Reads only (the pages' own audit events cover these reads)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import get_locale, gettext as _

from practice import formats
from practice.clients.models import Client
from practice.core.fragments import FragmentCache
from practice.i18n import practice_zone
from practice.measures import chart, progress, service
from practice.measures.instruments import (AT_HOME, ODI_BANDS, ODI_MIN_ANSWERED, ODI_SECTIONS,
                                           PLACE_LABELS, RECORDED, get)


def _chart(series: progress.Series, element_id: str):
    instrument = series.instrument
    text = chart.ScoreChartText(
        title=_("%(name)s over time", name=instrument.short),
        description=_("%(count)d scores from %(first)s to %(last)s.", count=len(series.rows),
                      first=formats.day(series.first.taken_at),
                      last=formats.day(series.latest.taken_at))
        + (" " + _("The dashed line marks the minimal important change from the first score.")
           if instrument.mic is not None else ""),
        mic=_("MIC"), date_label=formats.day)
    return chart.render(instrument, series.rows, text, element_id=element_id)


# Drawn charts by what they show (practice.core.fragments): the scores, the language and the
# zone their dates are written in.
CHARTS = FragmentCache(size=256)


def _kept_chart(series: progress.Series, element_id: str):
    key = (element_id, series.instrument.key, series.rows, str(get_locale()), str(practice_zone()))
    return CHARTS.get(key, lambda: _chart(series, element_id))


def client_measures(client: Client, visits: list) -> dict:
    """The client page's outcome measures: each instrument's series with its chart, what can
    be recorded, and the questionnaires asked before the next visit."""
    series = progress.series_of(service.scores_of(client, visits))
    asked = service.open_requests(client)
    return {"measure_series": [(s, _kept_chart(s, f"score-{client.id}-{s.instrument.key}"))
                               for s in series],
            "measure_recordable": RECORDED, "measure_home": {i.key for i in AT_HOME},
            "measure_asked": {r.instrument: r for r in asked},
            "measure_place_labels": PLACE_LABELS, "instrument_of": get,
            "measure_details": _details()}


def _details() -> dict:
    """Words for a score's detail: STarT Back's risk group, the ODI band."""
    from practice.intake.overview import RISK_LABELS

    return {**{key: label for key, label in RISK_LABELS.items()},
            **{key: label for _upper, key, label in ODI_BANDS}}


def detail_label(detail: str) -> str:
    """A score's detail key (a risk group, an ODI band) in words; "" when it has none."""
    label = _details().get(detail) if detail else None
    return str(label) if label is not None else ""


def visit_measures(client: Client, visits: list) -> dict:
    """The visit form's outcome measures: each series with whether its newest score came
    after the last visit, and the questionnaires still open (home ones not answered yet, paper
    ones to type in now)."""
    series = progress.series_of(service.scores_of(client, visits))
    last_visit = max((v.visited_at for v in visits), default=None)
    asked = service.open_requests(client)
    return {"measure_series": series, "measure_last_visit": last_visit,
            "measure_open": asked, "instrument_of": get, "odi_min": ODI_MIN_ANSWERED,
            "odi_sections": ODI_SECTIONS}


def as_of_visit(client: Client, visit, visits: list) -> list[progress.Series]:
    """The series as they stood on the day of ``visit`` (scores typed in later that day
    count), for the visit page's "meaningful improvement since the first score"."""
    zone = practice_zone()
    local_day = visit.visited_at.astimezone(zone).date()
    until = datetime.combine(local_day + timedelta(days=1), time(0), tzinfo=zone)
    rows = [r for r in service.scores_of(client, visits) if r.taken_at < until]
    return progress.series_of(rows)
