"""Scoring of the instruments: pure functions on typed values, strict about their ranges.

Each function returns a :class:`Scored` (the score and the values as stored) or raises
:class:`ScoreError` naming the field and the problem, so that the desk form, the phone and the
service refuse the same things. STarT Back is scored by the intake's one rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from practice.intake import scoring as intake_scoring
from practice.intake.questions import START_BACK as START_BACK_ITEMS
from practice.measures.instruments import (
    ODI, ODI_MIN_ANSWERED, ODI_SECTIONS, PSFS, PSFS_ACTIVITY_LENGTH, PSFS_MAX_ACTIVITIES,
    PSFS_MIN_ACTIVITIES, RMDQ, START_BACK, odi_band)


class ScoreError(ValueError):
    """Values that cannot be scored: ``errors`` maps a field name to a problem code."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Scored:
    """A computed score with the values it was computed from (as stored in the record)."""

    score: float
    values: dict = field(default_factory=dict)


def _round(value: float, decimals: int = 0) -> float:
    # Half up, as people round (Python's round() goes to even: 44.5 would become 44).
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP))


def _whole(value, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def odi(sections: dict[int, int | None]) -> Scored:
    """ODI 2.1a: ten sections scored 0-5, some may be skipped (None).

    Score = sum / (5 x sections answered) x 100, rounded half up to a whole percent; at least
    :data:`ODI_MIN_ANSWERED` sections must be answered.
    """
    errors, answered = {}, {}
    for number in range(1, ODI_SECTIONS + 1):
        value = sections.get(number)
        if value is None:
            continue
        if _whole(value, 0, 5) is None:
            errors[f"odi{number}"] = "range"
        else:
            answered[number] = value
    unknown = set(sections) - set(range(1, ODI_SECTIONS + 1))
    if unknown:
        errors["odi"] = "unknown"
    if not errors and len(answered) < ODI_MIN_ANSWERED:
        errors["odi"] = "too_few"
    if errors:
        raise ScoreError(errors)
    score = _round(sum(answered.values()) / (5 * len(answered)) * 100)
    band, _label = odi_band(score)
    return Scored(score, {"sections": {str(n): answered.get(n) for n in
                                       range(1, ODI_SECTIONS + 1)},
                          "answered": len(answered), "band": band})


def rmdq(total) -> Scored:
    """RMDQ-24: the number of statements ticked on the licensed form, 0-24."""
    if _whole(total, 0, 24) is None:
        raise ScoreError({"rmdq_total": "range"})
    return Scored(float(total), {"total": total})


def psfs(activities: list[tuple[str, int]]) -> Scored:
    """PSFS: 3-5 activities the client names, each rated 0 (unable) to 10 (as before the
    problem); the score is their mean, to one decimal."""
    errors = {}
    cleaned = []
    for index, (name, rating) in enumerate(activities, start=1):
        name = (name or "").strip()
        if not name:
            errors[f"activity{index}"] = "required"
        elif len(name) > PSFS_ACTIVITY_LENGTH:
            errors[f"activity{index}"] = "too_long"
        if _whole(rating, 0, 10) is None:
            errors[f"rating{index}"] = "range"
        cleaned.append({"activity": name, "rating": rating})
    if not errors and not PSFS_MIN_ACTIVITIES <= len(cleaned) <= PSFS_MAX_ACTIVITIES:
        errors["psfs"] = "count"
    if errors:
        raise ScoreError(errors)
    mean = sum(a["rating"] for a in cleaned) / len(cleaned)
    return Scored(_round(mean, 1), {"activities": cleaned})


def start_back(answers: dict) -> Scored:
    """STarT Back by the intake's rule: all nine answered, each a listed choice."""
    errors = {}
    for question in START_BACK_ITEMS.questions:
        allowed = {key for key, _label in question.choices}
        if answers.get(question.key) not in allowed:
            errors[question.key] = "required"
    if errors:
        raise ScoreError(errors)
    result = intake_scoring.start_back(answers)
    return Scored(float(result.total), {
        "answers": {q.key: answers[q.key] for q in START_BACK_ITEMS.questions},
        "subscore": result.subscore, "risk": result.risk})


def score(instrument: str, values: dict) -> Scored:
    """Score ``values`` as the record keeps them for ``instrument`` (a correction rescored)."""
    if instrument == ODI:
        sections = values.get("sections", {})
        return odi({int(k): v for k, v in sections.items()})
    if instrument == RMDQ:
        return rmdq(values.get("total"))
    if instrument == PSFS:
        return psfs([(a.get("activity", ""), a.get("rating"))
                     for a in values.get("activities", [])])
    if instrument == START_BACK:
        return start_back(values.get("answers", {}))
    raise ScoreError({"instrument": "unknown"})
