"""Scores and hints computed from intake answers. Pure functions: hints for the practitioner,
never diagnoses."""

from __future__ import annotations

from dataclasses import dataclass

from practice.intake.questions import START_BACK
from practice.safety.flags import intake_flags, onset_age


@dataclass(frozen=True)
class StartBackResult:
    """STarT Back: total 0-9, psychosocial subscore (items 5-9) 0-5, and the risk group."""

    total: int
    subscore: int
    risk: str  # low, medium, high


def start_back(answers: dict) -> StartBackResult | None:
    """Score the STarT Back tool by the published rule, or None until all nine are answered.

    Items 1-8 score 1 for "agree"; item 9 scores 1 for "very much" or "extremely".
    Total <= 3: low risk. Otherwise a psychosocial subscore >= 4: high, else medium.
    """
    keys = [q.key for q in START_BACK.questions]
    if any(answers.get(key) in (None, "") for key in keys):
        return None
    points = [1 if answers[key] == "agree" else 0 for key in keys[:8]]
    points.append(1 if answers[keys[8]] in ("very_much", "extremely") else 0)
    total = sum(points)
    subscore = sum(points[4:9])
    if total <= 3:
        risk = "low"
    elif subscore >= 4:
        risk = "high"
    else:
        risk = "medium"
    return StartBackResult(total=total, subscore=subscore, risk=risk)


def asas_criteria(answers: dict) -> list[str]:
    """The ASAS inflammatory back pain criteria that the answers meet (met when 4 or more)."""
    met = []
    age = onset_age(answers)
    if age is not None and age < 40:
        met.append("onset_before_40")
    if answers.get("onset") == "gradual":
        met.append("insidious_onset")
    if answers.get("better_with") == "movement":
        met.append("better_with_exercise")
    if answers.get("better_with") in ("movement", "neither"):
        met.append("not_better_with_rest")
    if answers.get("night_pain") == "yes" and answers.get("night_eases_on_rising") == "yes":
        met.append("night_pain_eases_on_rising")
    return met


def berlin_criteria(answers: dict) -> list[str]:
    """The Berlin inflammatory back pain criteria that the answers meet (met when 2 or more)."""
    met = []
    stiffness = answers.get("morning_stiffness")
    if isinstance(stiffness, int) and stiffness > 30:
        met.append("morning_stiffness_over_30")
    if answers.get("better_with") == "movement":
        met.append("better_with_exercise_not_rest")
    if answers.get("wakes_second_half") == "yes":
        met.append("wakes_second_half")
    if answers.get("alternating_buttock") == "yes":
        met.append("alternating_buttock_pain")
    return met


@dataclass(frozen=True)
class InflammatoryHint:
    """Whether to suggest a rheumatology review, with the criteria behind it.

    Both sets of criteria are defined for back pain of three months or more, ASAS also only
    for back pain that began before 45: outside that they are not counted.
    """

    asas: list[str]
    berlin: list[str]
    chronic: bool = False
    onset_before_45: bool = False

    @property
    def asas_applies(self) -> bool:
        return self.chronic and self.onset_before_45

    @property
    def asas_met(self) -> bool:
        return self.asas_applies and len(self.asas) >= 4

    @property
    def berlin_met(self) -> bool:
        return self.chronic and len(self.berlin) >= 2

    @property
    def suggest_review(self) -> bool:
        return self.asas_met or self.berlin_met


def inflammatory_hint(answers: dict) -> InflammatoryHint:
    """ASAS and Berlin criteria together, with their preconditions."""
    age = onset_age(answers)
    return InflammatoryHint(asas=asas_criteria(answers), berlin=berlin_criteria(answers),
                            chronic=answers.get("duration") == "chronic",
                            onset_before_45=age is not None and age < 45)


def red_flags(answers: dict) -> list[str]:
    """Red-flag keys that apply: those ticked and those that follow from other answers."""
    return intake_flags(answers)
