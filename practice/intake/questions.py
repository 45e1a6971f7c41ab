"""The intake questionnaire, defined once: the form, the record view, the change history and
the scoring all read these definitions."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from practice.safety.signs import INTAKE_SIGNS

YES_NO = (("yes", _l("Yes")), ("no", _l("No")))


@dataclass(frozen=True)
class Question:
    """One answer in the intake. ``kind``: text, textarea, integer, choice, multi, yesno, flag.
    ``after``: the yes/no question whose "yes" makes this one matter (shown after it)."""

    key: str
    label: object
    kind: str
    choices: tuple = ()
    minimum: int | None = None
    maximum: int | None = None
    hint: object = None
    unit: object = None
    after: str | None = None


@dataclass(frozen=True)
class Section:
    """A group of questions shown together."""

    key: str
    title: object
    questions: tuple[Question, ...] = field(default_factory=tuple)
    intro: object = None

    @property
    def parts(self) -> list[tuple[str, tuple[Question, ...]]]:
        """The questions in runs: ("yesno", ...) for consecutive yes/no questions, shown as one
        group with "None of these apply", and ("other", ...) for the rest."""
        runs: list[tuple[str, list[Question]]] = []
        for question in self.questions:
            kind = "yesno" if question.kind == "yesno" else "other"
            if not runs or runs[-1][0] != kind:
                runs.append((kind, []))
            runs[-1][1].append(question)
        return [(kind, tuple(questions)) for kind, questions in runs]


Q = Question

COMPLAINT = Section("complaint", _l("Complaint"), (
    Q("location", _l("Where is the pain?"), "multi",
      (("centre", _l("centre")), ("left", _l("left")), ("right", _l("right")))),
    Q("radiation", _l("Does it radiate?"), "multi",
      (("buttock", _l("to the buttock")), ("thigh", _l("to the thigh")),
       ("below_knee", _l("below the knee")))),
    Q("since", _l("Since when?"), "text", hint=_l("For example: March 2025, three weeks")),
    Q("duration", _l("How long so far?"), "choice",
      (("acute", _l("under 6 weeks")), ("subacute", _l("6 to 12 weeks")),
       ("chronic", _l("more than 12 weeks")))),
    Q("onset", _l("How did it start?"), "choice",
      (("sudden", _l("suddenly")), ("gradual", _l("gradually")))),
    Q("trigger", _l("After"), "multi",
      (("lifting", _l("lifting")), ("fall", _l("a fall")), ("accident", _l("an accident")))),
    Q("onset_age", _l("Age when back pain first began"), "integer", minimum=0, maximum=120,
      unit=_l("years")),
    Q("character", _l("What is the pain like?"), "multi",
      (("dull", _l("dull")), ("pulling", _l("pulling")), ("stabbing", _l("stabbing")),
       ("burning", _l("burning")))),
    Q("pain_now", _l("Pain now (0 = none, 10 = worst imaginable)"), "integer", minimum=0,
      maximum=10, hint=_l("The baseline for later comparison.")),
))

TIMING = Section("timing", _l("Time of day"), (
    Q("worst_time", _l("Worst time of day"), "choice",
      (("morning", _l("morning")), ("midday", _l("midday")), ("evening", _l("evening")),
       ("night", _l("night")), ("no_pattern", _l("no pattern")))),
    Q("morning_stiffness", _l("Morning stiffness"), "integer", minimum=0, maximum=720,
      unit=_l("minutes"), hint=_l("Until it eases; 0 if none.")),
    Q("better_with", _l("Better with"), "choice",
      (("movement", _l("movement")), ("rest", _l("rest")), ("neither", _l("neither")))),
    Q("worse_evening", _l("Worse in the evening"), "yesno", YES_NO),
    Q("night_pain", _l("Pain at night"), "yesno", YES_NO),
    Q("position_helps", _l("Changing position at night helps"), "yesno", YES_NO,
      after="night_pain"),
    Q("night_eases_on_rising", _l("Night pain eases on getting up"), "yesno", YES_NO,
      after="night_pain"),
    Q("wakes_second_half", _l("Wakes in the second half of the night because of the pain"),
      "yesno", YES_NO),
    Q("alternating_buttock", _l("Pain in the buttocks, alternating between sides"), "yesno",
      YES_NO),
))

INFLUENCES = Section("influences", _l("What makes it worse or better"), (
    Q("worse_with", _l("Worse with"), "multi",
      (("cold", _l("cold")), ("sitting", _l("sitting")), ("standing", _l("standing")),
       ("lifting", _l("lifting")), ("stress", _l("stress")), ("weather", _l("weather")))),
    Q("helps", _l("What helps"), "multi",
      (("warmth", _l("warmth")), ("movement", _l("movement")), ("rest", _l("rest")),
       ("massage", _l("massage")))),
))

LIFESTYLE = Section("lifestyle", _l("Lifestyle"), (
    Q("sitting_hours", _l("Hours sitting per day"), "integer", minimum=0, maximum=24,
      unit=_l("hours")),
    Q("movement", _l("Movement and sport"), "text"),
    Q("stress", _l("Stress (0 = none, 10 = extreme)"), "integer", minimum=0, maximum=10),
    Q("sleep", _l("Sleep quality"), "choice",
      (("good", _l("good")), ("fair", _l("fair")), ("poor", _l("poor")))),
    Q("diet", _l("Diet"), "text"),
    Q("alcohol", _l("Alcohol"), "choice",
      (("none", _l("none")), ("occasional", _l("occasionally")), ("regular", _l("regularly")),
       ("daily", _l("daily")))),
))

TCM = Section("tcm", _l("TCM observations"), (
    Q("cold_sensitive", _l("Sensitive to cold, cold lower back"), "yesno", YES_NO),
    Q("knee_weakness", _l("Weak knees"), "yesno", YES_NO),
    Q("fatigue", _l("Fatigue"), "yesno", YES_NO),
    Q("digestion", _l("Digestion"), "text"),
    Q("tongue", _l("Tongue"), "text"),
    Q("pulse", _l("Pulse"), "text"),
))

HISTORY = Section("history", _l("Medical history"), (
    Q("diagnoses", _l("Diagnoses"), "textarea"),
    Q("imaging", _l("Imaging (X-ray, MRI) and findings"), "textarea"),
    Q("surgeries", _l("Surgeries"), "textarea"),
    Q("medication", _l("Medication"), "textarea"),
    Q("steroids", _l("Takes steroids (cortisone) long-term"), "yesno", YES_NO),
    Q("osteoporosis", _l("Osteoporosis"), "yesno", YES_NO),
))

# Red flags: asked from the one catalogue in practice.safety.signs; any yes means "refer to a
# doctor".
RED_FLAGS = Section("red_flags", _l("Warning signs (red flags)"), tuple(
    Q(sign.key, sign.intake, "flag") for sign in INTAKE_SIGNS
), intro=_l("Tick every sign the client reports. Any tick puts a \"refer to a doctor\" notice on "
            "the record until a practitioner acknowledges it."))

AGREE = (("agree", _l("Agree")), ("disagree", _l("Disagree")))
BOTHER = (("not_at_all", _l("Not at all")), ("slightly", _l("Slightly")),
          ("moderately", _l("Moderately")), ("very_much", _l("Very much")),
          ("extremely", _l("Extremely")))

# The STarT Back Screening Tool (Keele University). Free for non-commercial use with the
# copyright notice kept; the German wording follows STarT-G and must be checked against it.
START_BACK = Section("start_back", _l("STarT Back screening"), (
    Q("sb1", _l("My back pain has spread down my leg(s) at some time in the last 2 weeks"),
      "choice", AGREE),
    Q("sb2", _l("I have had pain in the shoulder or neck at some time in the last 2 weeks"),
      "choice", AGREE),
    Q("sb3", _l("I have only walked short distances because of my back pain"), "choice", AGREE),
    Q("sb4", _l("In the last 2 weeks, I have dressed more slowly than usual because of back "
                "pain"), "choice", AGREE),
    Q("sb5", _l("It's not really safe for a person with a condition like mine to be physically "
                "active"), "choice", AGREE),
    Q("sb6", _l("Worrying thoughts have been going through my mind a lot of the time"),
      "choice", AGREE),
    Q("sb7", _l("I feel that my back pain is terrible and it's never going to get any better"),
      "choice", AGREE),
    Q("sb8", _l("In general I have not enjoyed all the things I used to enjoy"), "choice",
      AGREE),
    Q("sb9", _l("Overall, how bothersome has your back pain been in the last 2 weeks?"),
      "choice", BOTHER),
), intro=_l("Nine questions about the last two weeks, answered by the client."))

START_BACK_NOTICE = "STarT Back Screening Tool © Keele University 01/08/07"

SECTIONS: tuple[Section, ...] = (COMPLAINT, TIMING, INFLUENCES, LIFESTYLE, TCM, HISTORY,
                                 RED_FLAGS, START_BACK)
QUESTIONS: dict[str, Question] = {q.key: q for s in SECTIONS for q in s.questions}

# What "None of these apply" answers "no", by section: its yes/no questions, except those that
# matter only after a yes ("changing position helps": its "no" is a warning sign, never a
# default). The red flags are ticks, not yes/no: there the button confirms the screening.
NONE_APPLY: dict[str, tuple[str, ...]] = {
    s.key: tuple(q.key for q in s.questions if q.kind == "yesno" and q.after is None)
    for s in SECTIONS if any(q.kind == "yesno" for q in s.questions)}


def choice_label(question: Question, value: str) -> str:
    """The label of one stored choice value, in the current language."""
    for key, label in question.choices:
        if key == value:
            return str(label)
    return value


def display(question: Question, value) -> str:
    """An answer as a person reads it; empty answers give an empty string."""
    if value in (None, "", []):
        return ""
    if question.kind == "multi":
        return ", ".join(choice_label(question, v) for v in value)
    if question.kind in ("choice", "yesno"):
        return choice_label(question, value)
    if question.kind == "flag":
        return str(_l("Yes")) if value else ""
    if question.kind == "integer" and question.unit:
        return f"{value} {question.unit}"
    return str(value)
