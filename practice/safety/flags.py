"""Warning signs from intake answers: those ticked, and those that follow from other answers."""

from __future__ import annotations

from practice.safety.signs import INTAKE_SIGNS

INTAKE_KEYS = tuple(sign.key for sign in INTAKE_SIGNS)


def onset_age(answers: dict) -> int | None:
    """The age at which back pain first began, if answered."""
    value = answers.get("onset_age")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def derived(answers: dict) -> list[str]:
    """Signs that answers elsewhere in the intake already give, ticked or not:

    - a fall or an accident as the trigger: a fracture must be ruled out (major trauma), and
      with osteoporosis or long-term cortisone even a minor one counts;
    - pain at night that changing position does not help;
    - back pain for the first time before 20 or after 50.
    """
    found = []
    trauma = set(answers.get("trigger") or []) & {"fall", "accident"}
    if trauma:
        found.append("rf_major_trauma")
        if answers.get("osteoporosis") == "yes" or answers.get("steroids") == "yes":
            found.append("rf_minor_trauma_bone")
    if answers.get("night_pain") == "yes" and answers.get("position_helps") == "no":
        found.append("rf_night_pain")
    age = onset_age(answers)
    if age is not None and (age < 20 or age > 50):
        found.append("rf_age_onset")
    return found


def intake_flags(answers: dict) -> list[str]:
    """Every warning sign the intake answers give, in catalogue order."""
    present = {key for key in INTAKE_KEYS if answers.get(key)} | set(derived(answers))
    return [key for key in INTAKE_KEYS if key in present]
