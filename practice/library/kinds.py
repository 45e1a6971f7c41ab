"""Guessing an imported section's kind from its words, in German or English.

Word lists, not a trained model: the starter library has about forty items, too few to train a
classifier that would beat lists a practitioner can read and extend. Each kind has stems in both
languages (matched at word starts, so "übung" finds "Übungen" and "Rückenübung" does not need its
own entry); the title counts three times. Structure decides before words do: a section that names
an acupressure point is a point, numbered steps make an exercise unless the words clearly say
rest or self-massage. What scores too little stays background.
"""

from __future__ import annotations

import re

COMMON = "common"

# Stems per kind and language; "common" stems count whatever the language.
WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "warning_signs": {
        "en": ("warning", "red flag", "see a doctor", "see your doctor", "doctor", "gp ",
               "emergency", "numb", "tingling", "bladder", "bowel", "urine", "fever",
               "weight loss", "after a fall", "accident", "paralys", "weakness", "get checked",
               "medical check", "straight away", "when to stop", "not to ignore", "diagnos"),
        "de": ("warnzeichen", "warnsignal", "arzt", "ärzt", "notfall", "notruf", "notaufnahme",
               "taub", "kribbel", "lähmung", "wasserlassen", "stuhlgang", "fieber",
               "schüttelfrost", "gewicht verlier", "gewichtsverlust", "sturz", "unfall",
               "abklären", "hausarzt", "ernst nehmen", "hinweis", "diagnose", "ersetzt keine"),
    },
    "acupressure": {
        "en": ("acupressure", "point", "press", "thumb", "meridian", "fingertip"),
        "de": ("akupressur", "punkt", "drück", "daumen", "meridian", "querfinger"),
        COMMON: ("wěi", "guān", "tài", "hé gǔ", "pinyin"),
    },
    "liver_support": {
        "en": ("liver", "bitter", "bile", "milk thistle", "dandelion", "artichoke", "detox"),
        "de": ("leber", "bitter", "galle", "mariendistel", "löwenzahn", "artischocke",
               "entgift"),
    },
    "nutrition": {
        "en": ("food", "eat", "meal", "diet", "plate", "breakfast", "lunch", "dinner",
               "vegetable", "fruit", "berries", "fish", "omega", "oil", "nuts", "walnut",
               "sesame", "beans", "lentil", "grain", "sugar", "alcohol", "drink", "tea", "soup",
               "porridge", "congee", "ginger", "cinnamon", "turmeric", "fried", "cooked"),
        "de": ("ernährung", "essen", "lebensmittel", "mahlzeit", "frühstück", "abendessen",
               "gemüse", "obst", "fisch", "nüsse", "walnüss", "sesam", "bohnen", "linsen",
               "getreide", "zucker", "alkohol", "trinken", "tee", "suppe", "brei", "ingwer",
               "zimt", "kurkuma", "frittiert", "salat", "rucola", "speise", "kost"),
    },
    "warmth": {
        "en": ("heat", "warm", "hot water bottle", "kidney warmer", "cold", "bath", "vest"),
        "de": ("wärme", "warm", "wärmflasche", "nierenwärmer", "kälte", "kalt", "heiß",
               "bad"),
    },
    "self_massage": {
        "en": ("massage", "rub", "knead", "friction", "palms"),
        "de": ("massage", "massier", "reib", "knet", "handflächen", "handrücken"),
    },
    "rest": {
        "en": ("rest", "lie on your back", "relax", "let go", "breathe slowly", "calm",
               "pause", "constructive"),
        "de": ("ruhe", "ruhig", "entspann", "liegen", "loslassen", "pause", "ruhelage"),
    },
    "movement": {
        "en": ("exercise", "movement", "move", "yoga", "qi gong", "stretch", "swim", "walk",
               "training", "strengthen", "mobilis", "repeat", "repetition", "all fours",
               "pelvic", "bridge", "plank", "kneel", "knees", "hold for", "cat-cow", "active"),
        "de": ("übung", "bewegung", "beweg", "yoga", "qi gong", "qi-gong", "dehn", "schwimm",
               "spazier", "training", "train", "kräftig", "mobilis", "wiederhol",
               "vierfüßler", "becken", "brücke", "knie", "halte", "katze", "aktiv"),
    },
    "lifestyle": {
        "en": ("sitting", "desk", "stress", "sleep", "habit", "daily life", "posture",
               "lifestyle", "stand up", "breaks", "work"),
        "de": ("sitzen", "schreibtisch", "stress", "schlaf", "gewohnheit", "alltag",
               "haltung", "lebensstil", "aufstehen", "pausen", "arbeit", "atmung"),
    },
}

MINIMUM = 3  # a kind needs at least this score, or the section stays background
# The opening paragraphs before the first heading usually introduce the whole article; they
# are background unless their own words (not the article's title) say clearly otherwise.
INTRODUCTION_MINIMUM = 8


def _score(text: str, stems: tuple[str, ...]) -> int:
    return sum(len(re.findall(r"(?<![\wäöüß])" + re.escape(stem), text)) for stem in stems)


def scores(title: str, body: str, language: str) -> dict[str, int]:
    """Each kind's score for a section (title three times, body once)."""
    title, body = title.casefold(), body.casefold()
    result = {}
    for kind, lists in WORDS.items():
        stems = lists.get(language, ()) + lists.get(COMMON, ())
        result[kind] = 3 * _score(title, stems) + _score(body, stems)
    return result


def guess(title: str, body: str, language: str = "de", *, point: bool = False,
          steps: bool = False, introduction: bool = False) -> str:
    """The kind of a section: a named acupressure point is ``acupressure``; otherwise the kind
    whose words score highest (numbered steps count towards an exercise); background when
    nothing scores at least :data:`MINIMUM`. An ``introduction`` (the text before the first
    heading, titled by the article) is scored on its body alone, against a higher minimum."""
    if point:
        return "acupressure"
    result = scores("" if introduction else title, body,
                    language if language in ("de", "en") else "de")
    if steps:
        result["movement"] += 4
    best = max(result, key=result.get)
    return best if result[best] >= (INTRODUCTION_MINIMUM if introduction else MINIMUM) \
        else "background"
