"""Scores and hints computed from intake answers. Pure functions: hints for the practitioner,
never diagnoses."""

from __future__ import annotations

from dataclasses import dataclass

from practice.intake.questions import RED_FLAG_GROUPS, RED_FLAGS, START_BACK

RED_FLAG_KEYS = tuple(q.key for q in RED_FLAGS.questions)


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


def _onset_age(answers: dict) -> int | None:
    value = answers.get("onset_age")
    return value if isinstance(value, int) else None


def asas_criteria(answers: dict) -> list[str]:
    """The ASAS inflammatory back pain criteria that the answers meet (met when 4 or more)."""
    met = []
    age = _onset_age(answers)
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
    """Whether to suggest a rheumatology review, with the criteria behind it."""

    asas: list[str]
    berlin: list[str]

    @property
    def asas_met(self) -> bool:
        return len(self.asas) >= 4

    @property
    def berlin_met(self) -> bool:
        return len(self.berlin) >= 2

    @property
    def suggest_review(self) -> bool:
        return self.asas_met or self.berlin_met


def inflammatory_hint(answers: dict) -> InflammatoryHint:
    """ASAS and Berlin criteria together."""
    return InflammatoryHint(asas=asas_criteria(answers), berlin=berlin_criteria(answers))


def red_flags(answers: dict) -> list[str]:
    """Red-flag keys that apply: those ticked, plus those that follow from other answers
    (a fall or accident with osteoporosis or steroids; first onset before 20 or after 50)."""
    flags = [key for key in RED_FLAG_KEYS if answers.get(key)]
    trauma = set(answers.get("trigger") or []) & {"fall", "accident"}
    bone_risk = answers.get("osteoporosis") == "yes" or answers.get("steroids") == "yes"
    if trauma and bone_risk and "rf_minor_trauma_bone" not in flags:
        flags.append("rf_minor_trauma_bone")
    age = _onset_age(answers)
    if age is not None and (age < 20 or age > 50) and "rf_age_onset" not in flags:
        flags.append("rf_age_onset")
    return flags


def red_flag_groups(flags: list[str]) -> list[str]:
    """The suspected conditions behind the flags (cauda equina, infection, fracture, tumour)."""
    return [group for group, keys in RED_FLAG_GROUPS.items() if set(keys) & set(flags)]
