"""STarT Back, ASAS, Berlin and red flags, computed from intake answers."""

from __future__ import annotations

import pytest

from practice.intake import scoring

AGREE_ALL = {f"sb{i}": "agree" for i in range(1, 9)} | {"sb9": "extremely"}


def answers_with(points_physical: int, points_psychosocial: int) -> dict:
    """STarT Back answers scoring the given points on items 1-4 and 5-9."""
    answers = {f"sb{i}": "disagree" for i in range(1, 9)} | {"sb9": "slightly"}
    for i in range(1, points_physical + 1):
        answers[f"sb{i}"] = "agree"
    for i in range(5, 5 + points_psychosocial):
        answers[f"sb{i}"] = "very_much" if i == 9 else "agree"
    return answers


@pytest.mark.parametrize("physical, psychosocial, total, risk", [
    (0, 0, 0, "low"),
    (3, 0, 3, "low"),        # total 3 is still low ...
    (0, 3, 3, "low"),
    (4, 0, 4, "medium"),     # ... 4 is not
    (1, 3, 4, "medium"),     # subscore 3: medium
    (0, 4, 4, "high"),       # subscore 4 with total 4: high
    (4, 3, 7, "medium"),
    (4, 4, 8, "high"),
    (4, 5, 9, "high"),
])
def test_start_back_boundaries(physical, psychosocial, total, risk):
    result = scoring.start_back(answers_with(physical, psychosocial))
    assert (result.total, result.subscore, result.risk) == (total, psychosocial, risk)


@pytest.mark.parametrize("answer, point", [("not_at_all", 0), ("slightly", 0), ("moderately", 0),
                                           ("very_much", 1), ("extremely", 1)])
def test_start_back_item_9_counts_only_very_much_and_extremely(answer, point):
    answers = answers_with(0, 0) | {"sb9": answer}
    assert scoring.start_back(answers).total == point


def test_start_back_needs_all_nine_answers():
    incomplete = dict(AGREE_ALL)
    del incomplete["sb7"]
    assert scoring.start_back(incomplete) is None
    assert scoring.start_back(AGREE_ALL).total == 9


INFLAMMATORY = {"onset_age": 28, "onset": "gradual", "better_with": "movement",
                "night_pain": "yes", "night_eases_on_rising": "yes", "duration": "chronic"}


def test_asas_needs_four_of_five():
    hint = scoring.inflammatory_hint(INFLAMMATORY)
    assert hint.asas == ["onset_before_40", "insidious_onset", "better_with_exercise",
                         "not_better_with_rest", "night_pain_eases_on_rising"]
    assert hint.asas_met
    three = scoring.inflammatory_hint({"onset_age": 44, "onset": "sudden",
                                       "better_with": "movement", "night_pain": "yes",
                                       "night_eases_on_rising": "yes", "duration": "chronic"})
    assert len(three.asas) == 3 and not three.asas_met and not three.suggest_review
    # "Better with rest" counts against both rest and exercise criteria.
    rest = scoring.asas_criteria(INFLAMMATORY | {"better_with": "rest"})
    assert "better_with_exercise" not in rest and "not_better_with_rest" not in rest
    assert scoring.asas_criteria({"onset_age": 40}) == []  # "before 40" means under 40


def test_berlin_needs_two_of_four():
    assert scoring.berlin_criteria({"morning_stiffness": 30}) == []  # over 30, not 30
    one = {"morning_stiffness": 31, "duration": "chronic"}
    assert scoring.berlin_criteria(one) == ["morning_stiffness_over_30"]
    assert not scoring.inflammatory_hint(one).berlin_met
    two = one | {"alternating_buttock": "yes"}
    hint = scoring.inflammatory_hint(two)
    assert hint.berlin_met and hint.suggest_review and not hint.asas_met
    four = two | {"better_with": "movement", "wakes_second_half": "yes"}
    assert len(scoring.berlin_criteria(four)) == 4


def test_red_flags_ticked_and_derived():
    assert scoring.red_flags({}) == []
    assert scoring.red_flags({"rf_fever": True, "rf_saddle_numbness": True}) == [
        "rf_saddle_numbness", "rf_fever"]
    derived = scoring.red_flags({"trigger": ["fall"], "osteoporosis": "yes"})
    assert derived == ["rf_major_trauma", "rf_minor_trauma_bone"]
    assert scoring.red_flags({"trigger": ["accident"]}) == ["rf_major_trauma"]
    assert scoring.red_flags({"trigger": ["lifting"], "steroids": "yes"}) == []
    assert scoring.red_flags({"night_pain": "yes", "position_helps": "no"}) == ["rf_night_pain"]
    assert scoring.red_flags({"night_pain": "yes", "position_helps": "yes"}) == []
    assert scoring.red_flags({"onset_age": 55}) == ["rf_age_onset"]
    assert scoring.red_flags({"onset_age": 19}) == ["rf_age_onset"]
    assert scoring.red_flags({"onset_age": 35}) == []
    from practice.safety.signs import categories

    assert categories(["rf_bladder_bowel", "rf_weight_loss"]) == ["cauda_equina", "tumour"]


def test_inflammatory_criteria_count_only_where_they_are_defined():
    # Both need back pain of three months or more; ASAS also a start before 45.
    for duration in ("acute", "subacute", None):
        hint = scoring.inflammatory_hint(INFLAMMATORY | {"duration": duration,
                                                         "morning_stiffness": 45})
        assert len(hint.asas) == 5 and len(hint.berlin) == 2
        assert not hint.asas_met and not hint.berlin_met and not hint.suggest_review
    late = scoring.inflammatory_hint(INFLAMMATORY | {"onset_age": 46})
    assert len(late.asas) == 4 and not late.asas_met  # began at 46: ASAS does not apply
    assert scoring.inflammatory_hint(INFLAMMATORY | {"onset_age": 39}).asas_met
