"""The diary analysis on constructed diaries with known answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from practice.diary import analysis

TODAY = date(2026, 11, 22)


@dataclass
class E:
    day: date
    slot: str
    pain: int
    stiffness_minutes: int | None = None
    stress: int | None = None
    sitting_hours: int | None = None
    plan_done: list = field(default_factory=list)


@dataclass
class Plan:
    id: int
    starts_on: date
    title: str


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_means_with_day_counts_and_paired_difference():
    entries = [E(days_ago(0), "morning", 6), E(days_ago(0), "evening", 2),
               E(days_ago(1), "morning", 8), E(days_ago(1), "evening", 4),
               E(days_ago(2), "morning", 7),                     # no evening that day
               E(days_ago(10), "morning", 2), E(days_ago(10), "evening", 2)]
    last7 = analysis.window(entries, TODAY, 7)
    assert analysis.slot_mean(last7, "morning") == analysis.Mean(7.0, 3)
    assert analysis.slot_mean(last7, "evening") == analysis.Mean(3.0, 2)
    assert analysis.paired_difference(last7) == analysis.Mean(-4.0, 2)
    last28 = analysis.window(entries, TODAY, 28)
    assert analysis.slot_mean(last28, "morning") == analysis.Mean(5.8, 4)  # (6+8+7+2)/4
    assert analysis.paired_difference(last28) == analysis.Mean(-2.7, 3)    # (-4-4+0)/3


def test_trend_slope_per_week():
    # Daily pain falls by about 0.5 per day: about -3.5 per week.
    entries = [E(days_ago(13 - n), "morning", round(9 - 0.5 * n)) for n in range(14)]
    trend = analysis.trend(entries)
    assert trend.days == 14
    assert trend.slope_per_week == pytest.approx(-3.5, abs=0.3)
    assert trend.direction == "improving"
    flat = [E(days_ago(n), "morning", 5) for n in range(6)]
    assert analysis.trend(flat).slope_per_week == 0 and analysis.trend(flat).direction == "stable"
    rising = [E(days_ago(6 - n), "evening", n) for n in range(7)]     # +1 per day
    assert analysis.trend(rising).slope_per_week == pytest.approx(7.0)
    assert analysis.trend(rising).direction == "worsening"
    assert analysis.trend(rising[:3]).direction is None  # fewer than 4 days


def test_stiffness_median():
    entries = [E(days_ago(n), "morning", 5, stiffness_minutes=m)
               for n, m in enumerate([10, 60, 45, 20, 90])]
    entries.append(E(days_ago(0), "evening", 3))
    assert analysis.stiffness_median(entries) == analysis.Mean(45, 5)


def test_adherence_counts_evenings_since_each_start():
    plan = [Plan(1, days_ago(9), "Warmth"), Plan(2, days_ago(3), "Bridge")]
    entries = [E(days_ago(n), "evening", 4, plan_done=[1] + ([2] if n < 2 else []))
               for n in range(10) if n != 5]
    result = {a.title: a for a in analysis.adherence(entries, plan)}
    assert (result["Warmth"].done, result["Warmth"].evenings) == (9, 9)
    assert (result["Bridge"].done, result["Bridge"].evenings) == (2, 4)
    assert result["Bridge"].share == 0.5


def test_pattern_hints_carry_their_numbers():
    morning = [E(days_ago(n), "morning", 7, stiffness_minutes=45) for n in range(6)]
    evening = [E(days_ago(n), "evening", 3) for n in range(6)]
    hints = {h.key: h.numbers for h in analysis.hints(morning + evening)}
    assert hints["morning_dominant"] == {"morning": 7.0, "evening": 3.0, "days": 6}
    assert hints["long_stiffness"] == {"minutes": 45.0, "days": 6}

    sitting = [E(days_ago(n), "evening", 7, sitting_hours=8, stress=6) for n in range(6)]
    light = [E(days_ago(n), "morning", 3, stiffness_minutes=5) for n in range(6)]
    hints = {h.key: h.numbers for h in analysis.hints(sitting + light)}
    assert hints["evening_dominant_sitting_stress"]["sitting"] == 8.0
    assert "long_stiffness" not in hints
    few = [E(days_ago(n), s, p) for n in range(3) for s, p in (("morning", 8), ("evening", 2))]
    assert analysis.hints(few) == []  # fewer than 5 paired days: no hint


def test_summary_changes_since_visit_and_intake():
    entries = [E(days_ago(n), s, 4) for n in range(7) for s in ("morning", "evening")]
    entries += [E(days_ago(n), s, 6) for n in range(7, 14) for s in ("morning", "evening")]
    summary = analysis.summarise(entries, TODAY, last_visit_pain=5, baseline=7)
    assert summary.week_change == -2.0
    assert summary.since_visit == -1.0 and summary.since_intake == -3.0
    assert summary.last_day == TODAY
