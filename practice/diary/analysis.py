"""What the practitioner learns from a diary: means, morning against evening, trend, stiffness,
adherence and pattern hints. Pure functions over entries; hints always carry their numbers."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

TREND_THRESHOLD = 0.5  # NRS points per week


@dataclass(frozen=True)
class Mean:
    """A mean pain and the number of days behind it."""

    value: float | None
    days: int


def _mean(values: list) -> Mean:
    return Mean(round(statistics.fmean(values), 1) if values else None, len(values))


def window(entries, today: date, days: int) -> list:
    """Entries of the last ``days`` days, today included."""
    start = today - timedelta(days=days - 1)
    return [e for e in entries if start <= e.day <= today]


def slot_mean(entries, slot: str) -> Mean:
    """Mean pain of one slot."""
    return _mean([e.pain for e in entries if e.slot == slot])


def paired_difference(entries) -> Mean:
    """Mean of evening minus morning, over days that have both."""
    by_day: dict = {}
    for e in entries:
        by_day.setdefault(e.day, {})[e.slot] = e.pain
    differences = [d["evening"] - d["morning"] for d in by_day.values()
                   if "morning" in d and "evening" in d]
    return _mean(differences)


def daily_means(entries) -> dict[date, float]:
    """Mean pain per day (morning and evening together)."""
    by_day: dict = {}
    for e in entries:
        by_day.setdefault(e.day, []).append(e.pain)
    return {day: statistics.fmean(values) for day, values in by_day.items()}


@dataclass(frozen=True)
class Trend:
    """Least-squares slope of the daily means, in points per week."""

    slope_per_week: float | None
    days: int

    @property
    def direction(self) -> str | None:
        """improving, stable or worsening (None with fewer than 4 days)."""
        if self.slope_per_week is None:
            return None
        if self.slope_per_week <= -TREND_THRESHOLD:
            return "improving"
        if self.slope_per_week >= TREND_THRESHOLD:
            return "worsening"
        return "stable"


def trend(entries) -> Trend:
    """The weekly trend of daily mean pain (needs at least 4 days)."""
    means = daily_means(entries)
    if len(means) < 4:
        return Trend(None, len(means))
    days = sorted(means)
    xs = [(d - days[0]).days for d in days]
    ys = [means[d] for d in days]
    x_mean, y_mean = statistics.fmean(xs), statistics.fmean(ys)
    denominator = sum((x - x_mean) ** 2 for x in xs)
    if denominator == 0:
        return Trend(None, len(means))
    slope = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys)) / denominator
    return Trend(round(slope * 7, 2), len(means))


def stiffness_median(entries) -> Mean:
    """Median morning stiffness in minutes, with the number of mornings."""
    values = [e.stiffness_minutes for e in entries
              if e.slot == "morning" and e.stiffness_minutes is not None]
    return Mean(statistics.median(values) if values else None, len(values))


@dataclass(frozen=True)
class Adherence:
    """How often a plan item was ticked as done, of the evenings since it started."""

    recommendation_id: int
    title: str
    done: int
    evenings: int

    @property
    def share(self) -> float | None:
        return round(self.done / self.evenings, 2) if self.evenings else None


def adherence(entries, plan) -> list[Adherence]:
    """Per active recommendation: evenings with it ticked, of evenings entered since its start."""
    result = []
    for rec in plan:
        evenings = [e for e in entries if e.slot == "evening" and e.day >= rec.starts_on]
        done = sum(1 for e in evenings if rec.id in (e.plan_done or []))
        result.append(Adherence(rec.id, rec.title, done, len(evenings)))
    return result


@dataclass
class Hint:
    """A plain-language pattern hint with the numbers behind it."""

    key: str
    numbers: dict = field(default_factory=dict)


def hints(entries) -> list[Hint]:
    """Pattern hints over the given entries (normally the last 28 days)."""
    found = []
    difference = paired_difference(entries)
    if difference.value is not None and difference.days >= 5:
        morning, evening = slot_mean(entries, "morning"), slot_mean(entries, "evening")
        if difference.value <= -1.5:
            found.append(Hint("morning_dominant", {"morning": morning.value,
                                                   "evening": evening.value,
                                                   "days": difference.days}))
        elif difference.value >= 1.5:
            evenings = [e for e in entries if e.slot == "evening"]
            sitting = [e.sitting_hours for e in evenings if e.sitting_hours is not None]
            stress = [e.stress for e in evenings if e.stress is not None]
            sitting_mean = round(statistics.fmean(sitting), 1) if sitting else None
            stress_mean = round(statistics.fmean(stress), 1) if stress else None
            key = ("evening_dominant_sitting_stress"
                   if (sitting_mean or 0) >= 6 or (stress_mean or 0) >= 6 else "evening_dominant")
            found.append(Hint(key, {"morning": morning.value, "evening": evening.value,
                                    "days": difference.days, "sitting": sitting_mean,
                                    "stress": stress_mean}))
    stiffness = stiffness_median(entries)
    if stiffness.value is not None and stiffness.days >= 5 and stiffness.value > 30:
        minutes = stiffness.value
        minutes = int(minutes) if float(minutes).is_integer() else minutes
        found.append(Hint("long_stiffness", {"minutes": minutes, "days": stiffness.days}))
    return found


@dataclass
class Summary:
    """Everything the client page and the diary page show from the numbers."""

    morning_7: Mean
    evening_7: Mean
    morning_28: Mean
    evening_28: Mean
    difference_28: Mean
    stiffness_28: Mean
    trend_28: Trend
    week_change: float | None
    since_visit: float | None
    since_intake: float | None
    adherence: list
    hints: list
    last_day: date | None


def summarise(entries, today: date, *, plan=(), last_visit_pain: int | None = None,
              baseline: int | None = None) -> Summary:
    """The analysis of a diary up to ``today``."""
    last7, last28 = window(entries, today, 7), window(entries, today, 28)
    recent = list(daily_means(last7).values())
    recent_mean = statistics.fmean(recent) if recent else None
    previous = list(daily_means(window(entries, today - timedelta(days=7), 7)).values())

    def change(reference):
        if recent_mean is None or reference is None:
            return None
        return round(recent_mean - reference, 1)

    return Summary(
        morning_7=slot_mean(last7, "morning"), evening_7=slot_mean(last7, "evening"),
        morning_28=slot_mean(last28, "morning"), evening_28=slot_mean(last28, "evening"),
        difference_28=paired_difference(last28), stiffness_28=stiffness_median(last28),
        trend_28=trend(last28),
        week_change=change(statistics.fmean(previous)) if previous else None,
        since_visit=change(last_visit_pain), since_intake=change(baseline),
        adherence=adherence(last28, plan), hints=hints(last28),
        last_day=max((e.day for e in entries), default=None))


@dataclass(frozen=True)
class Week:
    """One week of a diary as the client sees it: means, days with an entry, plan steps ticked."""

    morning: Mean
    evening: Mean
    days_logged: int
    steps_done: int


def weeks(entries, today: date) -> tuple[Week, Week]:
    """This week (the last 7 days, today included) and the 7 days before, in plain numbers:
    no score and no streak, so a bad week reads as a week, not as a failure."""

    def week(until: date) -> Week:
        days = window(entries, until, 7)
        return Week(slot_mean(days, "morning"), slot_mean(days, "evening"),
                    len({e.day for e in days}),
                    sum(len(e.plan_done or []) for e in days if e.slot == "evening"))

    return week(today), week(today - timedelta(days=7))
