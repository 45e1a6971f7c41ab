"""A small SVG chart of one instrument's scores over time, drawn on the server (no script, no
library, nothing loaded), with the minimal important change marked: a dashed line at the
first score moved by the MIC in the better direction, and the band short of it shaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from markupsafe import Markup

from practice.measures.instruments import HIGHER

LINE, MIC, BAND, GRID, INK = "#1e5b57", "#c4661f", "#f6e7da", "#e2dfd6", "#4a5559"


@dataclass(frozen=True)
class ScoreChartText:
    """Words on the chart, in the reader's language."""

    title: str
    description: str
    mic: str  # "minimal important change"
    date_label: object  # datetime -> short label


def render(instrument, rows, text: ScoreChartText, *, element_id: str, width: int = 300,
           height: int = 160) -> Markup:
    """The scores in ``rows`` (oldest first) on the instrument's whole scale."""
    left, right, top, bottom = 36, 10, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = instrument.minimum, instrument.maximum
    times = [r.taken_at for r in rows]
    first_at: datetime = min(times)
    span = (max(times) - first_at).total_seconds()
    by_time = span >= 2 * 86400  # within a day or two (intake and first visit): evenly
    position = {id(r): n for n, r in enumerate(rows)}

    def x(row) -> float:
        if len(rows) == 1:
            return round(left + plot_w / 2, 1)
        share = ((row.taken_at - first_at).total_seconds() / span if by_time
                 else position[id(row)] / (len(rows) - 1))
        return round(left + plot_w * min(max(share, 0.0), 1.0), 1)

    def y(value: float) -> float:
        value = min(max(value, low), high)
        return round(top + plot_h * (1 - (value - low) / (high - low)), 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-labelledby="{element_id}-t {element_id}-d" '
             f'font-family="DejaVu Sans, Noto Sans, sans-serif" font-size="12" '
             f'class="score-chart">',
             f'<title id="{element_id}-t">{escape(text.title)}</title>',
             f'<desc id="{element_id}-d">{escape(text.description)}</desc>',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    if instrument.mic is not None:
        first = rows[0].score
        target = first + instrument.mic if instrument.better == HIGHER else first - instrument.mic
        target = min(max(target, low), high)
        top_y, bottom_y = sorted((y(first), y(target)))
        parts.append(f'<rect x="{left}" y="{top_y}" width="{plot_w}" '
                     f'height="{round(bottom_y - top_y, 1)}" fill="{BAND}" class="mic-band"/>')
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(target)}" y2="{y(target)}" '
                     f'stroke="{MIC}" stroke-width="1.5" stroke-dasharray="5 3" class="mic-line">'
                     f'<title>{escape(text.mic)}: {escape(instrument.shown(target))}</title>'
                     f'</line>')
        parts.append(f'<text x="{width - right}" y="{y(target) - 3}" text-anchor="end" '
                     f'fill="{MIC}">{escape(text.mic)}</text>')
    for fraction in (0, 0.5, 1):
        value = low + (high - low) * fraction
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value)}" y2="{y(value)}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y(value) + 3}" text-anchor="end" '
                     f'fill="{INK}">{escape(instrument.shown(value))}</text>')
    labelled = [rows[0], rows[-1]] if len(rows) > 1 else [rows[0]]
    for row in labelled:
        # The first date reads from the left edge, the newest ends at the right one.
        anchor = "middle" if len(rows) == 1 else "start" if row is rows[0] else "end"
        parts.append(f'<text x="{x(row)}" y="{height - bottom + 16}" text-anchor="{anchor}" '
                     f'fill="{INK}">{escape(text.date_label(row.taken_at))}</text>')
    if len(rows) > 1:
        points = " ".join(f"{x(r)},{y(r.score)}" for r in rows)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" '
                     f'stroke-width="2" stroke-linejoin="round"/>')
    for row in rows:
        parts.append(f'<circle cx="{x(row)}" cy="{y(row.score)}" r="4" fill="{LINE}">'
                     f'<title>{escape(text.date_label(row.taken_at))}: '
                     f'{escape(instrument.out_of(row.score))}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))
