"""The diary chart as SVG, drawn on the server so the page and the handout PDF show the same.

Presentation attributes only (no <style>, no scripts, nothing loaded), values readable on hover
through <title>, and an accessible title and description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

from markupsafe import Markup

MORNING, EVENING, VISIT, GRID, INK = "#2c6e9b", "#c4661f", "#1e5b57", "#e2dfd6", "#4a5559"


@dataclass(frozen=True)
class ChartText:
    """Words on the chart, in the reader's language."""

    title: str
    description: str
    morning: str
    evening: str
    visit: str
    started: str
    date_label: object  # date -> short label, e.g. "22.11."


def _attr(value) -> str:
    return escape(str(value), {'"': "&quot;"})


def render(entries, start: date, end: date, text: ChartText, *, visits=(), starts=(),
           width: int = 720, height: int = 250, element_id: str = "diary-chart",
           font_family: str = "DejaVu Sans, Noto Sans, sans-serif") -> Markup:
    """An SVG line chart of morning and evening pain from ``start`` to ``end``.

    ``visits`` are dates with a visit; ``starts`` are (date, title) of recommendations that
    started. Missing days leave gaps in the lines.
    """
    labels: dict = {}

    def day_label(day: date) -> str:  # each day's label once (morning, evening, axis, visit)
        if day not in labels:
            labels[day] = escape(text.date_label(day))
        return labels[day]

    left, right, top, bottom = 34, 14, 28, 42
    days = max(1, (end - start).days)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: date) -> float:
        return round(left + plot_w * (day - start).days / days, 1)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / 10), 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-labelledby="{element_id}-t {element_id}-d" '
             f'font-family="{_attr(font_family)}" font-size="11">',
             f'<title id="{element_id}-t">{escape(text.title)}</title>',
             f'<desc id="{element_id}-d">{escape(text.description)}</desc>',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    for value in range(0, 11, 2):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value)}" y2="{y(value)}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 8}" y="{y(value) + 4}" text-anchor="end" '
                     f'fill="{INK}">{value}</text>')
    step = max(1, round(days / 8))
    day = start
    while day <= end:
        parts.append(f'<text x="{x(day)}" y="{height - bottom + 16}" text-anchor="middle" '
                     f'fill="{INK}">{day_label(day)}</text>')
        day += timedelta(days=step)
    for visit_day in visits:
        if start <= visit_day <= end:
            parts.append(f'<line x1="{x(visit_day)}" x2="{x(visit_day)}" y1="{top - 6}" '
                         f'y2="{height - bottom}" stroke="{VISIT}" stroke-width="1.5" '
                         f'stroke-dasharray="4 3"><title>{escape(text.visit)} '
                         f'{day_label(visit_day)}</title></line>')
            parts.append(f'<text x="{x(visit_day)}" y="{top - 9}" text-anchor="middle" '
                         f'fill="{VISIT}" font-weight="bold">V</text>')
    for start_day, title in starts:
        if start <= start_day <= end:
            base = height - bottom
            parts.append(f'<path d="M{x(start_day)} {base - 7} l-5 7 h10 z" fill="{VISIT}" '
                         f'fill-opacity="0.7"><title>{escape(text.started)}: {escape(title)}'
                         f'</title></path>')
    for slot, colour, label in (("morning", MORNING, text.morning),
                                ("evening", EVENING, text.evening)):
        points = sorted((e.day, e.pain) for e in entries
                        if e.slot == slot and start <= e.day <= end)
        run: list = []
        runs = []
        for point in points:
            if run and (point[0] - run[-1][0]).days > 1:
                runs.append(run)
                run = []
            run.append(point)
        if run:
            runs.append(run)
        for segment in runs:
            if len(segment) > 1:
                path = " ".join(f"{x(d)},{y(v)}" for d, v in segment)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                             f'stroke-width="2" stroke-linejoin="round"/>')
        for d, value in points:
            shape = (f'<circle cx="{x(d)}" cy="{y(value)}" r="3.5" fill="{colour}">'
                     if slot == "morning" else
                     f'<rect x="{x(d) - 3.5}" y="{y(value) - 3.5}" width="7" height="7" '
                     f'fill="{colour}">')
            closing = "</circle>" if slot == "morning" else "</rect>"
            parts.append(f'{shape}<title>{day_label(d)}: {escape(label)} {value}'
                         f'</title>{closing}')
    legend_x = width - right - 190
    parts.append(f'<circle cx="{legend_x}" cy="12" r="4" fill="{MORNING}"/>'
                 f'<text x="{legend_x + 9}" y="16" fill="{INK}">{escape(text.morning)}</text>')
    parts.append(f'<rect x="{legend_x + 96}" y="8" width="8" height="8" fill="{EVENING}"/>'
                 f'<text x="{legend_x + 110}" y="16" fill="{INK}">{escape(text.evening)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
