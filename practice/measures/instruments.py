"""The outcome instruments, defined once: every page, export and test reads them from here.

Licensing decides what the app may show. STarT Back is free for non-commercial use with its
notice kept (its items live in practice.intake.questions). The ODI 2.1a is copyrighted
(Fairbank/Mapi): the app holds no item text at all, the practice types the ten section scores
from its licensed paper form. The RMDQ-24's terms of use do not let us ship its statements:
the practice enters the total from its licensed form. The PSFS asks the client to name the
activities, and its instructions here are our own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

NRS, START_BACK, RMDQ, ODI, PSFS = "nrs", "start_back", "rmdq", "odi", "psfs"
LOWER, HIGHER = "lower", "higher"  # which direction is better
DESK, HOME, PAPER = "desk", "home", "paper"  # where a score was filled in
PLACES = (DESK, HOME, PAPER)
PRACTITIONER, CLIENT = "practitioner", "client"  # who filled it in
FILLERS = (PRACTITIONER, CLIENT)


@dataclass(frozen=True)
class Instrument:
    """One outcome measure.

    ``mic``: the change that counts as meaningful (for the PSFS the minimal detectable
    change); ``places``: where it can be filled in; ``shows_items``: whether the app may show
    its item texts; ``recorded_here``: scores are entered through this package (NRS comes from
    the intake, the visits and the diary instead).
    """

    key: str
    short: str
    name: object  # proper names of published instruments stay in their own language
    minimum: float
    maximum: float
    better: str
    mic: float | None
    places: tuple[str, ...]
    shows_items: bool
    loinc: str | None = None
    decimals: int = 0
    unit: str = ""
    recorded_here: bool = True
    mic_is_detectable: bool = False

    @property
    def at_home(self) -> bool:
        """The client may fill it in on the phone before a visit."""
        return HOME in self.places

    @property
    def paper_only(self) -> bool:
        """Only from the practice's licensed paper form, typed in at the visit."""
        return not self.at_home

    def shown(self, value: float | None) -> str:
        """A score as written on pages: whole numbers, or one decimal (PSFS means)."""
        if value is None:
            return "–"
        if self.decimals:
            return f"{value:.{self.decimals}f}"
        return f"{value:.0f}"

    def out_of(self, value: float | None) -> str:
        """A score with its scale: "44 %", "12/24", "6.3/10"."""
        if value is None:
            return "–"
        if self.unit == "%":
            return f"{self.shown(value)} %"
        return f"{self.shown(value)}/{self.maximum:.0f}"


INSTRUMENTS: dict[str, Instrument] = {i.key: i for i in (
    Instrument(NRS, "NRS", _l("Pain (NRS 0-10)"), 0, 10, LOWER, 2, (DESK,), True,
               loinc="72514-3", recorded_here=False),
    Instrument(START_BACK, "STarT Back", _l("STarT Back screening"), 0, 9, LOWER, None,
               (DESK, HOME, PAPER), True, loinc="91351-7"),
    Instrument(RMDQ, "RMDQ", "Roland-Morris Disability Questionnaire (RMDQ-24)", 0, 24,
               LOWER, 5, (PAPER,), False),
    Instrument(ODI, "ODI", "Oswestry Disability Index (ODI 2.1a)", 0, 100, LOWER, 10,
               (PAPER,), False, loinc="97909-6", unit="%"),
    Instrument(PSFS, "PSFS", "Patient-Specific Functional Scale (PSFS)", 0, 10, HIGHER, 2,
               (DESK, HOME), True, decimals=1, mic_is_detectable=True),
)}
# The ones typed in through this package, in the order the pages offer them.
RECORDED = tuple(i for i in INSTRUMENTS.values() if i.recorded_here)
AT_HOME = tuple(i for i in RECORDED if i.at_home)

# LOINC codes beyond the one score per instrument (the FHIR export reads these).
START_BACK_PANEL_LOINC = "91349-1"
START_BACK_RISK_LOINC = "91352-5"

PLACE_LABELS = {DESK: _l("at the desk"), HOME: _l("at home"), PAPER: _l("from the paper form")}
FILLER_LABELS = {PRACTITIONER: _l("practitioner"), CLIENT: _l("client")}

ODI_SECTIONS = 10
# A score from fewer sections rests on too little to compare over time; the published rule
# (sum / 5 x answered) allows skipped sections, and two is where common guidance stops.
ODI_MIN_ANSWERED = 8
# The commonly published bands, in calm words (upper bound inclusive, whole percent).
ODI_BANDS = ((20, "minimal", _l("minimal limitation")),
             (40, "moderate", _l("moderate limitation")),
             (60, "severe", _l("severe limitation")),
             (80, "very_severe", _l("very severe limitation")),
             (100, "extreme", _l("extreme limitation")))

PSFS_MIN_ACTIVITIES, PSFS_MAX_ACTIVITIES = 3, 5
PSFS_ACTIVITY_LENGTH = 100


def get(key: str) -> Instrument | None:
    """The instrument of ``key``, or None for an unknown key."""
    return INSTRUMENTS.get(key)


def odi_band(score: float) -> tuple[str, object]:
    """The band key and its label for an ODI score (0-100)."""
    for upper, key, label in ODI_BANDS:
        if score <= upper:
            return key, label
    return ODI_BANDS[-1][1], ODI_BANDS[-1][2]
