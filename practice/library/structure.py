"""The library's structure in an imported section: acupressure points with their codes in both
conventions, pinyin, location, effect and application; exercises with their steps; lead-ins
("**Location:**", "📍 Where:", "Step 2:") read as labels, never as headings that cut a sentence;
sentences split without breaking at "1." or "z. B.".
"""

from __future__ import annotations

import re

from practice.library.blocks import Block, is_emoji

TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ"

# Meridians: WHO code, German code, names (English and German) as articles write them.
MERIDIANS = (
    ("LU", "Lu", r"lungs?|lunge"),
    ("LI", "Di", r"large intestine|dickdarm"),
    ("ST", "Ma", r"stomach|magen"),
    ("SP", "MP", r"spleen|milz(?:-pankreas)?"),
    ("HT", "He", r"heart|herz"),
    ("SI", "Dü", r"small intestine|dünndarm"),
    ("BL", "Bl", r"(?:urinary )?bladder|blase"),
    ("KI", "Ni", r"kidney|niere"),
    ("PC", "KS", r"pericardium|perikard|kreislauf-sexus"),
    ("TE", "3E", r"triple (?:energi[sz]er|burner|warmer)|san jiao|dreifache[rn]? erwärmer"),
    ("GB", "Gb", r"gall ?bladder|gallenblase"),
    ("LR", "Le", r"liver|leber"),
    ("GV", "LG", r"governing vessel|lenkergefä(?:ß|ss)|du mai"),
    ("CV", "KG", r"conception vessel|konzeptionsgefä(?:ß|ss)|ren mai"),
)
ALIASES = {"lu": 0, "li": 1, "di": 1, "st": 2, "ma": 2, "sp": 3, "mp": 3, "mi": 3, "ht": 4,
           "he": 4, "si": 5, "dü": 5, "bl": 6, "ub": 6, "ki": 7, "ni": 7, "pc": 8, "pe": 8,
           "ks": 8, "te": 9, "sj": 9, "tw": 9, "3e": 9, "gb": 10, "lr": 11, "liv": 11,
           "le": 11, "gv": 12, "du": 12, "lg": 12, "cv": 13, "ren": 13, "kg": 13}
# Aliases that are also everyday words: only as a code when written with a capital.
WORDLIKE = {"du", "le", "ma", "di", "he", "mi", "pe", "li", "st"}
CODE = re.compile(r"(?<![\w-])(" + "|".join(sorted(ALIASES, key=len, reverse=True)) +
                  r")[\s-]?0?(\d{1,2})(?![\w,.]\d|\s?(?:min|sek|sec|mal|x\b|%))", re.I)
NAME = re.compile(r"(?<![\w-])(" + "|".join(f"(?:{names})" for _w, _d, names in MERIDIANS) +
                  r")[\s-]?(\d{1,2})\b", re.I)
PINYIN_RUN = re.compile(rf"[A-Za-zü{TONES}]+(?:[\s-][A-Za-zü{TONES}]+)*")
PAREN = re.compile(r"\(([^()]{2,60})\)")

FIELD_LEADS = {
    "location": r"location|where|where to find it|finding the point|lage|lokalisation|wo|"
                r"wo liegt (er|der punkt)|so finden sie (ihn|den punkt)|position",
    "effect": r"effects?|what it does|benefits?|indications?|wirkung|wirkt|indikation(en)?|"
              r"hilft bei|anwendungsgebiete?|wofür",
    "application": r"how to apply|application|how to|how|technique|anwendung|so geht'?s|"
                   r"so wenden sie (ihn|den punkt) an|technik|durchführung|ausführung",
    "cautions": r"cautions?|careful|vorsicht|achtung|bitte beachten",
}
FIELD_LEAD = {name: re.compile(rf"^({words})$", re.I) for name, words in FIELD_LEADS.items()}
STEP_LEAD = re.compile(r"^(?:step|schritt)\s*(\d{1,2})$", re.I)
LEAD = re.compile(r"^\*\*(?P<lead>[^*]{1,80}?)\*\*\s*(?P<rest>.*)$", re.S)
PLAIN_LEAD = re.compile(r"^(?P<lead>[A-Za-zÄÖÜäöüß'’ ]{2,30}?)\s*:\s+(?P<rest>\S.*)$", re.S)
INLINE_NUMBER = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\.\s+(?=[A-ZÄÖÜ])")
ABBREVIATIONS = re.compile(r"(?:\b(?:z|d|u|s|o|e|i|ca|bzw|evtl|ggf|inkl|usw|vgl|Dr|Prof|Nr|St|"
                           r"etc|e\.g|i\.e|approx|min|max)|\b\d{1,2}|\b[A-Z])\.$")

CAUTION = re.compile(r"\b(do not|don't|avoid|never|not during|pregnan\w*|schwanger\w*|"
                     r"nicht (anwenden|drücken)|vermeiden|verzichten)\b", re.I)
APPLY_START = re.compile(r"^(press|hold|massage|rub|circle|repeat|use|apply|place|drücken|"
                         r"drück|halten|massieren|kreisen|wiederholen|legen|reiben)\b", re.I)
APPLY = re.compile(r"(press|drück|massier|minute|second|sekunde|circl|kreis)", re.I)
LOCATE = re.compile(r"\b(located|lies|sits|is found|you can find|between|above|below|next to|"
                    r"finger ?widths?|liegt|befindet|sitzt|zwischen|oberhalb|unterhalb|neben|"
                    r"querfinger\w*|fingerbreit)\b", re.I)


def sentences(text: str) -> list[str]:
    """``text`` split into sentences; "1.", "z. B." or "Dr." do not end a sentence."""
    parts = re.split(r"(?<=[.!?…])\s+(?=[\"„“'(]?[A-ZÄÖÜ0-9])", " ".join(text.split()))
    result: list[str] = []
    for part in parts:
        if result and ABBREVIATIONS.search(result[-1]):
            result[-1] = f"{result[-1]} {part}"
        else:
            result.append(part)
    return [part for part in result if part]


def plain(text: str) -> str:
    """``text`` without Markdown bold markers, list markers and leading emoji."""
    text = re.sub(r"^\s*(?:[-*]|\d{1,2}\.)\s+", "", text)
    text = text.replace("**", "")
    return "".join(ch for ch in text if not is_emoji(ch) and ch != "\ufe0f").strip()


def summary(body: str) -> str:
    """The first sentence of a body (a numbered step or an abbreviation does not end it)."""
    first = plain(body.strip().split("\n")[0]) if body.strip() else ""
    found = sentences(first)
    return (found[0] if found else first)[:300]


def lead_in(text: str) -> tuple[str, str] | None:
    """A paragraph's bold or "Label:" lead-in and the rest, e.g. ("Location", "in the …")."""
    stripped = text.lstrip()
    while stripped and (is_emoji(stripped[0]) or stripped[0] in "\ufe0f "):
        stripped = stripped[1:]
    found = LEAD.match(stripped)
    if found:
        return found.group("lead").strip().rstrip(":.").strip(), found.group("rest").strip()
    found = PLAIN_LEAD.match(stripped)
    if found and field_of(found.group("lead")):
        return found.group("lead").strip(), found.group("rest").strip()
    return None


def field_of(label: str) -> str:
    """The library field a lead-in names ("Lage" is location, "Step 2" a step), or ""."""
    label = " ".join(label.strip(" :.").split())
    if STEP_LEAD.match(label):
        return "steps"
    return next((name for name, pattern in FIELD_LEAD.items() if pattern.match(label)), "")


def point(text: str) -> dict:
    """The acupressure point ``text`` names (both codes and the pinyin it gives), or {}."""
    meridian, number = None, None
    for found in CODE.finditer(text):
        alias = found.group(1)
        if alias.casefold() in WORDLIKE and not alias[0].isupper():
            continue
        meridian, number = ALIASES[alias.casefold()], int(found.group(2))
        break
    if meridian is None:
        found = NAME.search(text)
        if not found:
            return {}
        name = found.group(1).casefold()
        meridian = next(i for i, (_w, _d, names) in enumerate(MERIDIANS)
                        if re.fullmatch(names, name, re.I))
        number = int(found.group(2))
    if not 0 < number < 68:
        return {}
    who, german, _names = MERIDIANS[meridian]
    return {"code_who": f"{who} {number}", "code_de": f"{german} {number}",
            "pinyin": pinyin(text)}


def pinyin(text: str) -> str:
    """The pinyin name in ``text``: a run of words with tone marks, or a plain name in brackets
    beside the code ("(LI4, Hegu)")."""
    for run in PINYIN_RUN.findall(text):
        words = run.replace("-", " ").split()
        marked = [i for i, word in enumerate(words) if any(ch in TONES for ch in word)]
        if marked:
            return " ".join(words[marked[0]:marked[-1] + 1])
    for inside in PAREN.findall(text):
        for part in re.split(r"[,;/]", inside):
            part = part.strip()
            if re.fullmatch(r"[A-Z][a-zü]+(?: [A-Z][a-zü]+){0,2}", part) and not CODE.fullmatch(
                    part) and not NAME.search(part):
                return part
    return ""


def point_at_start(text: str) -> tuple[str, str] | None:
    """A paragraph that opens with a point's name ("**Large Intestine 4 – Hé Gǔ.** This point
    …" or "Dickdarm 4 – Der Punkt liegt …"): the heading written into it, and the rest."""
    lead = lead_in(text)
    if lead and point(lead[0]) and not field_of(lead[0]):
        return lead
    stripped = plain(text)
    found = NAME.match(stripped) or CODE.match(stripped)
    if not found or not point(found.group(0)):
        return None
    head = re.match(r"^(.{3,60}?)\s*(?:[–—:]|\.\s)\s*(?=[A-ZÄÖÜ])", stripped)
    if not head or not point(head.group(1)):
        return None
    return head.group(1).strip(), stripped[head.end():].strip()


def inline_steps(text: str) -> list[str]:
    """Numbered steps written inside one paragraph ("1. Kneel … 2. Lift …"), or []."""
    marks = list(INLINE_NUMBER.finditer(text))
    numbers = [int(mark.group(1)) for mark in marks]
    if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)):
        return []
    ends = [mark.start() for mark in marks[1:]] + [len(text)]
    return [text[mark.end():end].strip() for mark, end in zip(marks, ends, strict=True)]


def steps(content: list[Block]) -> list[str]:
    """An exercise's steps: a numbered list, "Step 1:" lead-ins, or numbers inside a sentence."""
    numbered = [plain(block.text) for block in content if block.kind == "step"]
    if len(numbered) >= 2:
        return numbered
    led = []
    for block in content:
        lead = lead_in(block.text) if block.kind == "para" else None
        if lead and field_of(lead[0]) == "steps":
            led.append(plain(lead[1]))
    if len(led) >= 2:
        return led
    for block in content:
        found = inline_steps(block.text.replace("**", ""))
        if found:
            return found
    return []


def point_fields(content: list[Block]) -> dict:
    """Location, effect, application and cautions of a point section, from its lead-ins or,
    where the text has none, from what each sentence says."""
    fields: dict[str, list[str]] = {"location": [], "effect": [], "application": [],
                                    "cautions": []}
    for block in content:
        lead = lead_in(block.text)
        name = field_of(lead[0]) if lead else ""
        for sentence in sentences(plain(lead[1] if name in fields else block.text)):
            if name in fields:
                fields["cautions" if CAUTION.search(sentence) else name].append(sentence)
            else:
                fields[_sentence_field(sentence)].append(sentence)
    return {name: _capital(" ".join(parts)) for name, parts in fields.items() if parts}


def _capital(text: str) -> str:
    """A field's text starting with a capital ("in the hollow …" after "Where:")."""
    return text[:1].upper() + text[1:]


def _sentence_field(sentence: str) -> str:
    if CAUTION.search(sentence):
        return "cautions"
    if APPLY_START.match(sentence):
        return "application"
    if LOCATE.search(sentence):
        return "location"
    if APPLY.search(sentence):
        return "application"
    return "effect"
