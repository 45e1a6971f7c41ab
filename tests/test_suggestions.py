"""Suggestion rules: which library items the visit form proposes, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from practice.visits.suggestions import suggest


@dataclass
class Item:
    id: int
    kind: str
    tags: list = field(default_factory=list)
    is_active: bool = True


LIBRARY = [
    Item(1, "warmth", ["cold", "morning_stiffness"]),
    Item(2, "warmth", ["cold"]),
    Item(3, "warmth", []),
    Item(4, "self_massage", ["morning_stiffness"]),
    Item(5, "movement", ["eases_with_movement"]),
    Item(6, "movement", ["chronic"]),
    Item(7, "liver_support", ["liver"]),
    Item(8, "lifestyle", ["sitting"]),
    Item(9, "lifestyle", ["stress"]),
    Item(10, "rest", ["stress", "sitting"]),
    Item(11, "warning_signs", ["radiating"]),
    Item(12, "background", ["morning_stiffness", "stress", "sitting"]),
    Item(13, "movement", ["radiating"]),
    Item(14, "lifestyle", ["sleep"]),
    Item(15, "warmth", ["cold"], is_active=False),
]


def picked(answers, exclude=frozenset()):
    return {s.item.id: s.reason for s in suggest(answers, LIBRARY, exclude)}


def test_nothing_without_a_pattern():
    assert picked({}) == {}
    assert picked({"morning_stiffness": 40, "better_with": "rest"}) == {}


def test_morning_stiffness_that_eases_with_movement():
    result = picked({"morning_stiffness": 45, "better_with": "movement"})
    assert set(result) == {1, 2, 4, 5, 7}  # warmth (two), kidney rubbing, gentle movement, liver
    assert set(result.values()) == {"Morning stiffness that eases with movement."}
    assert set(picked({"worst_time": "morning", "better_with": "movement"})) == {1, 2, 4, 5, 7}


def test_long_sitting_and_stress():
    result = picked({"worse_with": ["sitting"], "stress": 7})
    assert set(result) == {8, 9, 10}
    assert picked({"sitting_hours": 8, "worse_with": ["stress"]}).keys() == {8, 9, 10}
    assert picked({"sitting_hours": 8, "stress": 3}) == {}  # sitting without stress


def test_cold_makes_it_worse():
    assert set(picked({"worse_with": ["cold"]})) == {1, 2}
    assert set(picked({"cold_sensitive": "yes"})) == {1, 2}


def test_red_flags_propose_the_warning_signs_first():
    result = suggest({"rf_fever": True, "worse_with": ["cold"]}, LIBRARY)
    assert result[0].item.id == 11
    assert result[0].reason.startswith("Warning signs were reported")


def test_radiating_and_sleep():
    assert set(picked({"radiation": ["thigh"]})) == {11, 13}
    assert set(picked({"sleep": "poor"})) == {14}


def test_each_item_once_never_planned_retired_or_background():
    both = picked({"morning_stiffness": 45, "better_with": "movement", "worse_with": ["cold"]})
    assert list(both).count(1) == 1
    assert 12 not in both and 15 not in both
    without_planned = picked({"worse_with": ["cold"]}, exclude={1})
    assert set(without_planned) == {2, 3}


def test_diary_patterns():
    assert set(picked({"diary_hints": {"morning_dominant"}})) == {1, 2, 4, 5, 7}
    assert set(picked({"diary_hints": {"evening_dominant_sitting_stress"}})) == {8, 9, 10}
    assert picked({"diary_hints": set()}) == {}
