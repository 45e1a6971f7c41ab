"""Honest flags for the review of an imported article.

Each flag names what the practitioner should look at before saving, with the words that raised
it: promotion (shops, booking, contact details, prices, brands, "link below"), medication advice
and drug names, needling and other work that belongs to the practitioner, strong efficacy
claims, a form of address other than the practice's ("Sie"), and text in another language.
Flags are hints for a person, never a reason to drop text without showing it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l

PROMOTION, MEDICATION, PRACTITIONER, CLAIM, ADDRESS, LANGUAGE = (
    "promotion", "medication", "practitioner", "claim", "address", "language")

FLAG_LABELS = {
    PROMOTION: _l("Advertising"),
    MEDICATION: _l("Medication"),
    PRACTITIONER: _l("For the practitioner only"),
    CLAIM: _l("Strong claim"),
    ADDRESS: _l("Form of address"),
    LANGUAGE: _l("Other language"),
}
FLAG_HINTS = {
    PROMOTION: _l("Products, shop, booking, contact details or prices. Handouts carry none of "
                  "that."),
    MEDICATION: _l("Medication advice or drug names. Handouts give no medication advice; leave "
                   "it to the doctor."),
    PRACTITIONER: _l("Needling, cupping, moxa, injections or manipulation belong in the "
                     "practice, not in home care."),
    CLAIM: _l("Promises a cure or a certain result. Please word it carefully or leave it out."),
    ADDRESS: _l("Addresses the reader as \"du\"; the practice's handouts use \"Sie\"."),
    LANGUAGE: _l("Part of the text is in another language than the article."),
}

# The practice addresses clients with "Sie" in German (see the product brief).
PRACTICE_ADDRESS = "Sie"

_SHOP = (r"/produkt|/product|/shop|/cart|/checkout|/booking|/book-online|/kurse?/|newsletter|"
         r"register now|jetzt anmelden|jetzt kaufen|\bbuy\b|\bkaufen\b|\bshop\b|rabatt|"
         r"discount|gutschein|coupon|product of the month|produkt des monats|massagesessel|"
         r"massage chair|akupen|start now|jetzt starten|free tca?m analysis|"
         r"kostenlose? (tcm-)?analyse|in meiner praxis|bei mir genau richtig|our practice|"
         r"in our clinic|at our clinic|unsere[nm]? (praxis|produkte?)|trusted companions|"
         r"unsere massagesessel|learn more:|mehr erfahren:|subscribe|sign up|abonnier|"
         r"affiliate|provision|sponsored|gesponsert|\banzeige\b|\bwerbung\b|link below|"
         r"links? unten|unten verlinkt|im (praxis-)?shop|shop now|order now|jetzt bestellen|"
         r"solange der vorrat|our pick|unser tipp|use code|mit dem code|rabattcode|"
         r"in (ihrer|der) apotheke|erhältlich")
_BOOKING = (r"book (an |your )?(appointment|session|now|online|a place)|book online|"
            r"booking|buche\w*|jetzt buchen|termin (vereinbaren|buchen)|"
            r"vereinbaren sie (gern |gerne )?(einen|ein) (termin|erstgespräch)|erstgespräch|"
            r"make an appointment|schedule (a|your) (visit|session)|initial assessment|"
            r"call us|contact us|kontaktieren sie|rufen sie (uns )?an|telefonisch unter|"
            r"per e-?mail an|e-?mail us|whatsapp")
PROMOTION_WORDS = re.compile(rf"({_SHOP}|{_BOOKING})", re.I)
PHONE = re.compile(r"(?<![\w/.,])(?:\+\d{1,3}[\s/.-]?\(?0?\d{1,4}\)?|\(?0\d{1,5}\)?)"
                   r"(?:\s?[/.-]?\s?\d{2,4}){1,4}(?![\w.,]\d)")
DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PRICE = re.compile(r"(?:[€$£]\s?\d+(?:[.,]\d{1,2})?|\b\d+(?:[.,]\d{1,2})?\s?(?:€|eur\b|euro\b"
                   r"|\$|£|dollars?\b|pounds?\b))", re.I)
BRAND = re.compile(r"\w[\w-]*\s?[®™]")
MEDICATION_WORDS = re.compile(
    r"\b(ibuprofen|ibu\b|diclofenac|voltaren|naproxen|paracetamol|acetaminophen|aspirin|"
    r"acetylsalicyl\w*|metamizol\w*|novalgin|tramadol|tilidin\w*|codein\w*|morphin\w*|"
    r"oxycodon\w*|kortison|cortison\w*|prednisolon\w*|methocarbamol|tolperison|diazepam|"
    r"tetrazepam|pregabalin|gabapentin|amitriptylin\w*|celecoxib|etoricoxib|arcoxia|"
    r"schmerzmittel\w*|schmerztablette\w*|painkillers?|pain relievers?|nsaids?|nsar|"
    r"muskelrelax\w*|muscle relaxants?|\d+\s?mg\b|tablett\w*|tablets?|pills?)", re.I)
PRACTITIONER_WORDS = re.compile(
    r"(needl(e|ed|es|ing) (these|the|this|trigger|a|your)|dry needling|we (also )?needle|"
    r"nadeln setzen|genadelt|akupunktiert|nadelung|schröpf\w*|cupping|moxa\w*|moxibustion|"
    r"blutegel\w*|aderlass|baunscheidt\w*|injection|injektion\w*|spritze\w*|infiltration|"
    r"einrenken|chiropraktisch\w*|spinal manipulation|manipulation der wirbelsäule|"
    r"quaddel\w*|neuraltherapie)", re.I)
CLAIM_WORDS = re.compile(
    r"\b(cures?|cured|heilt|geheilt|guarantee\w*|garantiert\w*|100\s?%|hundertprozentig|"
    r"for good|für immer|nie wieder|never again|miracle\w*|wundermittel|wunderwaffe|"
    r"instantly|sofort schmerzfrei|pain-free after|schmerzfrei nach|eliminat\w+|beseitigt|"
    r"clinically proven|klinisch (bewiesen|erwiesen)|wissenschaftlich bewiesen|proven to)",
    re.I)
DU_WORDS = re.compile(r"(?<![\wäöüß])(du|dich|dir|dein|deine[mnrs]?)(?![\wäöüß])|"
                      r"(?<![\wäöüß])(Du|Dich|Dir|Dein|Deine[mnrs]?)(?![\wäöüß])")

GERMAN_WORDS = {"der", "die", "das", "und", "ist", "nicht", "mit", "sie", "ich", "ein", "eine",
                "auch", "bei", "für", "sich", "den", "dem", "wird", "oder", "wie", "zu", "im",
                "auf", "von", "wenn"}
ENGLISH_WORDS = {"the", "and", "is", "not", "with", "you", "your", "a", "an", "of", "to", "it",
                 "for", "this", "that", "are", "or", "be", "on", "in", "who", "after", "less"}


@dataclass(frozen=True)
class Flag:
    """What to look at (a code from :data:`FLAG_LABELS`) and the words that raised it."""

    code: str
    evidence: str = ""

    def as_dict(self) -> dict:
        """The flag as the review page keeps it."""
        return asdict(self)


def detect_language(text: str) -> str:
    """de or en, whichever's common words the text uses more."""
    words = re.findall(r"[a-zäöüß]+", text.casefold())
    german = sum(word in GERMAN_WORDS for word in words)
    english = sum(word in ENGLISH_WORDS for word in words)
    return "en" if english > german else "de"


def other_language(text: str, language: str) -> bool:
    """Whether a paragraph is clearly written in the other language (enough common words)."""
    words = re.findall(r"[a-zäöüß]+", text.casefold())
    if len(words) < 8:
        return False
    german = sum(word in GERMAN_WORDS for word in words)
    english = sum(word in ENGLISH_WORDS for word in words)
    if language == "de":
        return english >= 3 and english > 2 * german
    return german >= 3 and german > 2 * english


def promotion(text: str) -> str:
    """The words that make ``text`` look like advertising, or ""."""
    for pattern in (PROMOTION_WORDS, PHONE, EMAIL, PRICE, BRAND):
        for found in pattern.finditer(text):
            words = found.group(0).strip()
            if pattern is PHONE and (DATE.match(words) or sum(c.isdigit() for c in words) < 7):
                continue  # a date or a short number, not a telephone number
            return words
    return ""


def _first(pattern: re.Pattern, text: str) -> str:
    found = pattern.search(text)
    return found.group(0).strip() if found else ""


def flags_for(text: str, language: str) -> list[Flag]:
    """The flags (other than promotion, which moves text aside) for a proposed section."""
    result = []
    for code, pattern in ((MEDICATION, MEDICATION_WORDS), (PRACTITIONER, PRACTITIONER_WORDS),
                          (CLAIM, CLAIM_WORDS)):
        evidence = _first(pattern, text)
        if evidence:
            result.append(Flag(code, evidence))
    if language == "de" and PRACTICE_ADDRESS == "Sie":
        evidence = _first(DU_WORDS, text)
        if evidence:
            result.append(Flag(ADDRESS, evidence))
    for paragraph in re.split(r"\n\s*\n", text):
        if other_language(paragraph, language):
            result.append(Flag(LANGUAGE, " ".join(paragraph.split()[:8]) + " …"))
            break
    return result
