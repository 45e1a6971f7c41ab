"""Library items proposed at a visit, each with a one-line reason. Hints only: nothing is
applied unless the practitioner picks it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from practice.intake import scoring


@dataclass(frozen=True)
class Rule:
    """When ``applies`` to the answers, items that ``fits`` are proposed with ``reason`` (a
    text, or a function of the answers giving one)."""

    key: str
    reason: object
    applies: Callable[[dict], bool]
    fits: Callable[[object], bool]
    limit: int = 5

    def reason_for(self, answers: dict) -> str:
        """The one-line reason shown with the suggestion."""
        return str(self.reason(answers) if callable(self.reason) else self.reason)


def _int(answers: dict, key: str) -> int:
    value = answers.get(key)
    return value if isinstance(value, int) else 0


def _has(answers: dict, key: str, value: str) -> bool:
    return value in (answers.get(key) or [])


def _warning_signs(answers: dict) -> bool:
    return bool(scoring.red_flags(answers) or answers.get("diary_warnings")
                or answers.get("notice_open"))


def _morning_reason(answers: dict) -> str:
    reason = str(_l("Morning stiffness that eases with movement."))
    if scoring.inflammatory_hint(answers).suggest_review:
        reason += " " + str(_l("The criteria for inflammatory back pain are met: consider a "
                               "rheumatology review."))
    return reason


def _morning_eases(answers: dict) -> bool:
    morning = _int(answers, "morning_stiffness") >= 15 or answers.get("worst_time") == "morning"
    return morning and answers.get("better_with") == "movement"


def _sitting_stress(answers: dict) -> bool:
    sitting = _has(answers, "worse_with", "sitting") or _int(answers, "sitting_hours") >= 6
    stress = _has(answers, "worse_with", "stress") or _int(answers, "stress") >= 6
    return sitting and stress


def _cold(answers: dict) -> bool:
    return _has(answers, "worse_with", "cold") or answers.get("cold_sensitive") == "yes"


def _tagged(*tags: str, kinds: tuple[str, ...] = ()):
    def fits(item) -> bool:
        return item.kind in kinds or bool(set(item.tags or []) & set(tags))
    return fits


RULES: tuple[Rule, ...] = (
    Rule("warning_signs", _l("Warning signs were reported: give the warning-signs sheet."),
         _warning_signs, _tagged(kinds=("warning_signs",)), limit=2),
    Rule("morning_eases", _morning_reason,
         _morning_eases,
         lambda i: i.kind in ("warmth", "self_massage", "liver_support") or (
             i.kind == "movement" and bool({"morning_stiffness", "eases_with_movement"}
                                           & set(i.tags or []))), limit=8),
    Rule("sitting_stress", _l("Pain after long sitting, and stress."),
         _sitting_stress,
         lambda i: i.kind in ("lifestyle", "rest") and bool({"sitting", "stress"}
                                                            & set(i.tags or [])), limit=6),
    Rule("diary_morning", _l("Diary: mornings worse than evenings, easing through the day."),
         lambda a: "morning_dominant" in a.get("diary_hints", ()),
         lambda i: i.kind in ("warmth", "self_massage", "liver_support") or (
             i.kind == "movement" and "eases_with_movement" in (i.tags or [])), limit=6),
    Rule("diary_evening", _l("Diary: evenings worse, after sitting or stress."),
         lambda a: "evening_dominant_sitting_stress" in a.get("diary_hints", ()),
         lambda i: i.kind in ("lifestyle", "rest") and bool({"sitting", "stress"}
                                                            & set(i.tags or [])), limit=6),
    Rule("cold", _l("Cold makes it worse."), _cold, _tagged(kinds=("warmth",)), limit=4),
    Rule("radiating", _l("Pain radiates into the buttock or leg."),
         lambda a: bool(a.get("radiation")),
         lambda i: "radiating" in (i.tags or []) and i.kind != "background", limit=3),
    Rule("sleep", _l("Poor sleep."), lambda a: a.get("sleep") == "poor",
         lambda i: "sleep" in (i.tags or []) and i.kind != "background", limit=2),
)


@dataclass(frozen=True)
class Suggestion:
    """A proposed item and why."""

    item: object
    reason: str
    rule: str


def suggest(answers: dict, items: list, exclude_ids: set[int] = frozenset(),
            notice_open: bool = False) -> list[Suggestion]:
    """Items proposed by the rules that apply, in rule order, each once, never an excluded
    (already planned) or retired item; background texts are never proposed. While a notice
    is open the warning-signs sheet comes first and no exercise is proposed."""
    answers = {**answers, "notice_open": notice_open}
    seen = set(exclude_ids)
    result = []
    for rule in RULES:
        if not rule.applies(answers):
            continue
        picked, per_kind = 0, {}
        for item in items:
            if picked >= rule.limit:
                break
            if item.id in seen or not item.is_active or item.kind == "background":
                continue
            if notice_open and item.kind == "movement":
                continue  # no exercises before a doctor has seen the client
            # At most two of a kind per reason: a varied proposal, not five warmth sheets.
            if per_kind.get(item.kind, 0) >= 2 or not rule.fits(item):
                continue
            result.append(Suggestion(item=item, reason=rule.reason_for(answers), rule=rule.key))
            seen.add(item.id)
            per_kind[item.kind] = per_kind.get(item.kind, 0) + 1
            picked += 1
    return result
