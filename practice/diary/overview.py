"""The diary part of the client page (chart and morning-against-evening figures), rendered
once per distinct content.

Both only change when an entry, the plan or a visit does, or the day turns; loading four weeks
of entries, summarising and drawing them was a third of the client page. The key is what the
part is made of: the entries of its weeks as read through one aggregate (how many, the newest
id, the newest change: every write of an entry sets ``updated_at``, a deletion lowers the
count), the plan and visits the page has loaded anyway, the day, the language and the zone.
Nothing to invalidate, so nothing goes stale (as ``practice.core.fragments``).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import render_template
from flask_babel import get_locale

from practice.core.fragments import FragmentCache
from practice.diary import service
from practice.diary.models import DiaryEntry
from practice.diary.views import summary_and_chart
from practice.extensions import db
from practice.i18n import practice_zone

WEEKS_SHOWN = 28  # days: the chart and the analysis read four weeks

# Client pages by what their diary part shows; a practice opens a few dozen records a day.
CLIENT_DIARY = FragmentCache(size=128)

_FINGERPRINT = sa.select(sa.func.count(), sa.func.max(DiaryEntry.id),
                         sa.func.max(DiaryEntry.updated_at)).where(
    DiaryEntry.client_id == sa.bindparam("client"), DiaryEntry.day >= sa.bindparam("since"),
    DiaryEntry.day <= sa.bindparam("until"))


def client_page_part(client, today: date, *, plan, visits) -> dict:
    """``diary_overview`` (the chart and figures, as HTML) and ``has_entries`` for the client
    page, from the four weeks up to ``today``."""
    since = today - timedelta(days=WEEKS_SHOWN - 1)
    count, newest_id, newest_change = db.session.execute(
        _FINGERPRINT, {"client": client.id, "since": since, "until": today}).one()
    older = None if count else service.last_entry_day(client)  # only older weeks written
    if not count and older is None:
        return {"has_entries": False, "diary_overview": ""}
    zone = practice_zone()
    key = (client.id, client.language, str(get_locale()), str(zone), today, count, newest_id,
           newest_change, older, client.intake.baseline_pain if client.intake else None,
           tuple((r.id, r.starts_on, r.item.title(client.language)) for r in plan),
           tuple((v.id, v.visited_at, v.pain_now) for v in visits))

    def draw() -> str:
        entries = service.entries(client, since=since, until=today)
        summary, chart = summary_and_chart(client, entries, today, today - timedelta(
            days=WEEKS_SHOWN - 1), plan=plan, visits=visits, last_day=(
                entries[-1].day if entries else older))
        return render_template("diary/_overview.html", analysis=summary, chart=chart)

    return {"has_entries": True, "diary_overview": CLIENT_DIARY.get(key, draw)}
