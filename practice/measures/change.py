"""Change between two scores against the instrument's minimal important change: facts for the
practitioner ("meaningful improvement since intake"), never a diagnosis."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from practice.measures.instruments import HIGHER, Instrument

IMPROVED, WORSE, STEADY = "improved", "worse", "steady"


@dataclass(frozen=True)
class Change:
    """From ``before`` to ``after`` on ``instrument``."""

    instrument: Instrument
    before: float
    after: float

    @property
    def delta(self) -> float:
        """After minus before, at the instrument's precision (6.3 - 4.3 is 2.0, not 1.99)."""
        return round(self.after - self.before, self.instrument.decimals or 0)

    @property
    def gain(self) -> float:
        """The change in the better direction: positive is better, whichever way the scale
        runs."""
        return self.delta if self.instrument.better == HIGHER else -self.delta

    @property
    def reaches_mic(self) -> bool:
        """The change, either way, is at least the minimal important change."""
        mic = self.instrument.mic
        return mic is not None and abs(self.delta) >= mic

    @property
    def direction(self) -> str:
        """improved, worse or steady (any change below the MIC is "steady")."""
        if not self.reaches_mic:
            return STEADY
        return IMPROVED if self.gain > 0 else WORSE

    @property
    def meaningful_improvement(self) -> bool:
        """Better by at least the minimal important change."""
        return self.direction == IMPROVED

    def signed(self) -> str:
        """The delta with its sign, at the instrument's precision: "+2.0", "-12", "±0"."""
        if self.delta == 0:
            return "±0"
        return ("+" if self.delta > 0 else "−") + self.instrument.shown(abs(self.delta))

    def label(self, since: str = "previous") -> str:
        """What the change means, in words ("meaningful improvement since intake")."""
        if self.instrument.mic is None:
            return ""
        words = {
            (IMPROVED, "first"): _l("meaningful improvement since the first score"),
            (WORSE, "first"): _l("meaningful worsening since the first score"),
            (STEADY, "first"): _l("less than the minimal important change since the first score"),
            (IMPROVED, "previous"): _l("meaningful improvement since the previous score"),
            (WORSE, "previous"): _l("meaningful worsening since the previous score"),
            (STEADY, "previous"): _l("less than the minimal important change since the "
                                     "previous score"),
        }
        return str(words[(self.direction, since)])


def between(instrument: Instrument, before: float | None, after: float | None) -> Change | None:
    """The change, or None when either score is missing."""
    if before is None or after is None:
        return None
    return Change(instrument, before, after)
