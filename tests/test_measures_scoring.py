"""Scoring of the outcome instruments at their boundaries, and the minimal important change."""

from __future__ import annotations

import pytest

from practice.measures import scoring
from practice.measures.change import Change, between
from practice.measures.instruments import INSTRUMENTS, ODI, PSFS, RMDQ, START_BACK, odi_band


def test_odi_with_all_sections_and_with_skipped_ones():
    assert scoring.odi({n: 0 for n in range(1, 11)}).score == 0
    assert scoring.odi({n: 5 for n in range(1, 11)}).score == 100
    assert scoring.odi({n: 2 for n in range(1, 11)}).score == 40
    # Nine answered: 20 / 45 = 44.4 %, a whole percent on the page.
    nine = {**{n: 2 for n in range(1, 10)}, 10: None}
    nine[1] = 4
    result = scoring.odi(nine)
    assert result.score == 44 and result.values["answered"] == 9
    assert result.values["sections"]["10"] is None
    # Eight answered, rounding half up: 19 / 40 = 47.5 % -> 48.
    eight = {1: 5, 2: 5, 3: 5, 4: 4, 5: 0, 6: 0, 7: 0, 8: 0, 9: None, 10: None}
    assert scoring.odi(eight).score == 48


def test_odi_refuses_too_few_sections_and_out_of_range_values():
    seven = {n: 3 for n in range(1, 8)}
    with pytest.raises(scoring.ScoreError) as error:
        scoring.odi(seven)
    assert error.value.errors == {"odi": "too_few"}
    for bad in (6, -1, 2.5, "3", True):
        with pytest.raises(scoring.ScoreError) as error:
            scoring.odi({**{n: 1 for n in range(1, 11)}, 4: bad})
        assert error.value.errors == {"odi4": "range"}
    with pytest.raises(scoring.ScoreError):
        scoring.odi({**{n: 1 for n in range(1, 11)}, 11: 1})


def test_odi_bands_at_their_edges():
    assert [odi_band(v)[0] for v in (0, 20, 21, 40, 41, 60, 61, 80, 81, 100)] == [
        "minimal", "minimal", "moderate", "moderate", "severe", "severe", "very_severe",
        "very_severe", "extreme", "extreme"]


def test_rmdq_zero_and_twenty_four_and_nothing_outside():
    assert scoring.rmdq(0).score == 0 and scoring.rmdq(24).score == 24
    for bad in (-1, 25, None, 3.5, "7"):
        with pytest.raises(scoring.ScoreError):
            scoring.rmdq(bad)


def test_psfs_with_three_and_five_activities():
    three = scoring.psfs([("Socks", 3), ("Garden", 4), ("Film", 4)])
    assert three.score == 3.7  # 11 / 3 = 3.67, one decimal
    five = scoring.psfs([("a", 0), ("b", 10), ("c", 10), ("d", 10), ("e", 10)])
    assert five.score == 8.0 and len(five.values["activities"]) == 5
    assert scoring.psfs([("a", 0)] * 3).score == 0
    assert scoring.psfs([("a", 10)] * 3).score == 10


def test_psfs_refuses_too_few_or_many_activities_and_bad_ratings():
    with pytest.raises(scoring.ScoreError) as error:
        scoring.psfs([("a", 3), ("b", 4)])
    assert error.value.errors == {"psfs": "count"}
    with pytest.raises(scoring.ScoreError):
        scoring.psfs([("a", 3)] * 6)
    with pytest.raises(scoring.ScoreError) as error:
        scoring.psfs([("a", 3), ("b", 11), ("", 2)])
    assert error.value.errors == {"rating2": "range", "activity3": "required"}
    with pytest.raises(scoring.ScoreError):
        scoring.psfs([("x" * 101, 3), ("b", 1), ("c", 1)])


def test_start_back_reuses_the_intake_rule():
    answers = {f"sb{n}": "agree" for n in range(1, 9)} | {"sb9": "extremely"}
    result = scoring.start_back(answers)
    assert result.score == 9 and result.values["risk"] == "high"
    low = {f"sb{n}": "disagree" for n in range(1, 9)} | {"sb9": "slightly"}
    assert scoring.start_back(low).values["risk"] == "low"
    with pytest.raises(scoring.ScoreError):
        scoring.start_back({**answers, "sb3": "maybe"})


def test_the_minimal_important_change_in_each_direction():
    odi, psfs, rmdq, nrs = (INSTRUMENTS[k] for k in (ODI, PSFS, RMDQ, "nrs"))
    assert (odi.mic, rmdq.mic, psfs.mic, nrs.mic) == (10, 5, 2, 2)
    assert Change(odi, 44, 34).meaningful_improvement  # lower is better, exactly 10
    assert not Change(odi, 44, 35).reaches_mic
    assert Change(odi, 30, 40).direction == "worse"
    assert Change(rmdq, 12, 7).meaningful_improvement and not Change(rmdq, 12, 8).reaches_mic
    assert Change(psfs, 3.7, 5.7).meaningful_improvement  # higher is better, float-safe
    assert Change(psfs, 6.0, 4.0).direction == "worse"
    assert Change(psfs, 3.7, 5.6).direction == "steady"
    assert Change(nrs, 6, 4).meaningful_improvement
    assert between(odi, None, 3) is None
    start_back = INSTRUMENTS[START_BACK]
    assert start_back.mic is None and Change(start_back, 9, 0).direction == "steady"
    assert Change(odi, 44, 34).signed() == "−10" and Change(psfs, 3.7, 5.7).signed() == "+2.0"


def test_instrument_definitions():
    assert INSTRUMENTS[ODI].loinc == "97909-6" and INSTRUMENTS["nrs"].loinc == "72514-3"
    assert not INSTRUMENTS[ODI].shows_items and not INSTRUMENTS[RMDQ].shows_items
    assert INSTRUMENTS[PSFS].at_home and INSTRUMENTS[START_BACK].at_home
    assert INSTRUMENTS[ODI].paper_only and INSTRUMENTS[RMDQ].paper_only
    assert INSTRUMENTS[PSFS].better == "higher" and INSTRUMENTS[ODI].better == "lower"


def test_the_chart_marks_the_minimal_important_change_in_the_better_direction():
    import re
    from datetime import UTC, datetime, timedelta

    from practice.measures.chart import ScoreChartText, render
    from practice.measures.service import ScoreRow

    text = ScoreChartText("t", "d", "MIC", lambda when: when.date().isoformat())
    start = datetime(2026, 10, 1, 9, tzinfo=UTC)

    def rows(*values):
        return [ScoreRow("x", start + timedelta(days=14 * n), v, "measure", n, "paper",
                         "practitioner") for n, v in enumerate(values)]

    def mic_y(svg):
        return float(re.search(r'<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"[^>]*class="mic-line"',
                               svg).group(1))

    def grid_y(svg, label):  # the y of an axis label's grid line
        return float(re.search(rf'y="([\d.]+)" text-anchor="end" fill="#4a5559">{label}<', svg)
                     .group(1)) - 3

    odi = render(INSTRUMENTS[ODI], rows(40, 30, 20), text, element_id="o")
    # Lower is better: the line sits 10 points below the first score (30 on 0-100).
    zero, fifty = grid_y(odi, "0"), grid_y(odi, "50")
    assert abs(mic_y(odi) - (zero + (fifty - zero) * 30 / 50)) < 0.2
    psfs = render(INSTRUMENTS[PSFS], rows(3.7, 6.0), text, element_id="p")
    zero, five = grid_y(psfs, "0.0"), grid_y(psfs, "5.0")
    assert abs(mic_y(psfs) - (zero + (five - zero) * 5.7 / 5)) < 0.2  # higher is better
    assert psfs.count("<circle") == 2 and "<script" not in psfs and "http" not in psfs.replace(
        "http://www.w3.org/2000/svg", "")
    start_back = render(INSTRUMENTS[START_BACK], rows(5), text, element_id="s")
    assert "mic-line" not in start_back  # no MIC: nothing marked
