"""record.pdf: the collected record (practice/records/collect.py) as a document a person reads,
in the record's language. Everything shown comes from that one dict, never from the database
again, so the PDF and the JSON beside it say the same."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

from flask import render_template
from flask_babel import force_locale, gettext as _

from practice import formats
from practice.clients.forms import SEX_CHOICES
from practice.diary.chart import render as render_chart
from practice.diary.client_views import chart_text
from practice.diary.forms import MOVEMENT, SLEEP
from practice.handouts.render import font_urls, render_pdf
from practice.i18n import FORMAT_LOCALES, LANGUAGE_NAMES, practice_zone
from practice.intake.overview import answered_sections
from practice.intake.questions import START_BACK
from practice.intake.service import SCREEN_DONE, changes as intake_changes
from practice.library.labels import KIND_LABELS
from practice.measures.instruments import INSTRUMENTS, PLACE_LABELS
from practice.measures.pages import detail_label
from practice.safety.signs import BY_KEY, URGENCY_LABELS
from practice.visits.forms import METHODS, record_labels
from practice.visits.service import VISIT_FIELDS


def moment(value: str | None) -> str:
    """An ISO time of the record as people read it (practice time zone)."""
    return formats.moment(datetime.fromisoformat(value)) if value else ""


def day(value: str | None) -> str:
    """An ISO day of the record as people read it."""
    return formats.day(date.fromisoformat(value)) if value else ""


def _intake(intake: dict | None) -> list[dict]:
    """Each version: the first with all its answers, the later ones with what they changed."""
    if not intake:
        return []
    shown, previous = [], None
    for version in intake["versions"]:
        current = SimpleNamespace(answers=version["answers"],
                                  changed_keys=version["changed_keys"])
        shown.append({**version, "sections": [] if previous else
                      answered_sections(version["answers"]),
                      "changes": intake_changes(current, previous) if previous else [],
                      "screen_done": bool(version["answers"].get(SCREEN_DONE))})
        previous = current
    return shown


def _visit_value(key: str, value) -> str:
    if value in (None, "", []):
        return "–"
    if key == "pain_now":
        return f"{value}/10"
    if key == "points":
        return ", ".join(value)
    if key == "methods":
        names = dict(METHODS)
        return ", ".join(str(names.get(m, m)) for m in value)
    question = next((q for q in START_BACK.questions if q.key == key), None)
    if question is not None:
        return dict((k, str(v)) for k, v in question.choices).get(value, value)
    return str(value)


def _visits(visits: list[dict], plan: list[dict]) -> list[dict]:
    """Each visit with its newest record, what it changed in the plan and, per correction,
    what changed from what."""
    labels = record_labels()
    labels["visited_at"] = _("Date and time")
    shown = []
    for visit in visits:
        versions = visit["versions"]
        data = versions[-1]["data"]
        rows = [(labels[key], _visit_value(key, data.get(key)))
                for key in VISIT_FIELDS if data.get(key) not in (None, "", [])]
        corrections = []
        for before, after in zip(versions, versions[1:]):
            lines = []
            for key in after["changed_keys"]:
                if key == "visited_at":
                    lines.append((labels[key], moment(before["visited_at"]),
                                  moment(after["visited_at"])))
                else:
                    lines.append((labels.get(key, key), _visit_value(key, before["data"].get(key)),
                                  _visit_value(key, after["data"].get(key))))
            corrections.append({**after, "lines": lines})
        shown.append({**visit, "rows": rows, "corrections": corrections,
                      "plan_given": [p for p in plan if p["visit_id"] == visit["id"]],
                      # An adjustment stops the old row too: it shows once, as "adjusted".
                      "plan_stopped": [p for p in plan if p["stopped_visit_id"] == visit["id"]
                                       and p["stop_reason"] == "stopped"]})
    return shown


def _diary(record: dict) -> tuple[list[dict], object]:
    """The entries as table rows (details in words) and the chart over the whole diary."""
    titles = {r["id"]: r["title"] for r in record["plan"]}
    sleep = {c.value: str(c.label) for c in SLEEP}
    movement = {c.value: str(c.label) for c in MOVEMENT}
    rows = []
    for entry in record["diary"]:
        details = []
        if entry["stiffness_minutes"] is not None:
            details.append(_("Stiffness: %(minutes)d min", minutes=entry["stiffness_minutes"]))
        if entry["sleep"]:
            details.append(_("Sleep: %(quality)s", quality=sleep.get(entry["sleep"],
                                                                     entry["sleep"])))
        if entry["woke_at_night"]:
            details.append(_("Woke at night") + (f" ({entry['woke_at']})" if entry["woke_at"]
                                                 else ""))
        if entry["stress"] is not None:
            details.append(_("Stress: %(n)d/10", n=entry["stress"]))
        if entry["sitting_hours"] is not None:
            details.append(_("Sitting: %(hours)d h", hours=entry["sitting_hours"]))
        if entry["movement"]:
            details.append(_("Movement: %(amount)s",
                             amount=movement.get(entry["movement"], entry["movement"])))
        if entry["warmth"]:
            details.append(_("Warmth on the lower back"))
        if entry["plan_done"]:
            details.append(_("Done from the plan: %(steps)s", steps=", ".join(
                titles.get(i, f"#{i}") for i in entry["plan_done"])))
        signs = [str(BY_KEY[s].lay) if s in BY_KEY else s for s in entry["warning_signs"]]
        rows.append({**entry, "date": date.fromisoformat(entry["day"]), "details": details,
                     "signs": signs})
    chart = None
    if rows:
        first, last = rows[0]["date"], rows[-1]["date"]
        zone = practice_zone()
        chart = render_chart(
            [SimpleNamespace(day=r["date"], slot=r["slot"], pain=r["pain"]) for r in rows],
            # From the first entry, a week at least, so a young diary fills the width.
            min(first, last - timedelta(days=6)), last, chart_text(),
            visits=[datetime.fromisoformat(v["visited_at"]).astimezone(zone).date()
                    for v in record["visits"]],
            starts=[(date.fromisoformat(r["starts_on"]), r["title"]) for r in record["plan"]],
            element_id="record-chart", width=680, height=240, font_family="Handout Sans")
    return rows, chart


def _scores(record: dict) -> tuple[list[dict], list[dict]]:
    """Each score as the PDF lists it, and the PSFS's activities with their ratings."""
    places = PLACE_LABELS
    rows = []
    for row in record.get("scores", []):
        instrument = INSTRUMENTS[row["instrument"]]
        detail = detail_label(row["detail"])
        where = {"intake": _("at intake"), "visit": _("at the visit")}.get(
            row["source"], str(places.get(row["place"], row["place"])))
        rows.append({**row, "name": str(instrument.name), "shown": row["scale"],
                     "detail": detail, "where": where})
    measured = [{"taken_at": m["taken_at"],
                 "activities": m["versions"][-1]["values"].get("activities", [])}
                for m in record.get("measures", []) if m["versions"]]
    return rows, measured


def render_html(record: dict) -> str:
    """The record's HTML in its language."""
    language = record["language"]
    with force_locale(FORMAT_LOCALES.get(language, language)):
        diary_rows, chart = _diary(record)
        scores, measured = _scores(record)
        return render_template(
            "records/copy.html", r=record, fonts=font_urls(), moment=moment, day=day,
            intake=_intake(record["intake"]), visits=_visits(record["visits"], record["plan"]),
            diary=diary_rows, chart=chart, kind_labels=KIND_LABELS,
            scores=scores, measured=measured,
            urgency_labels=URGENCY_LABELS, sexes=dict(SEX_CHOICES),
            languages=LANGUAGE_NAMES, created=datetime.fromisoformat(record["created_at"]))


def render(record: dict) -> tuple[bytes, int]:
    """record.pdf: its bytes and page count."""
    pdf, pages, _refused = render_pdf(render_html(record))
    return pdf, pages
