"""The German catalogue keeps to the project's glossary (practice/translations/glossary.toml).

Every German text uses the glossary's term, never a listed variant, and addresses the reader as
"Sie"; every English msgid avoids the English variants. Where an English msgid uses a term, its
German must show the German term. A failure names each offending msgid.

GLOSSARY_PO points the checks at another catalogue (e.g. a copy with proposed changes).
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "practice/translations/glossary.toml"
PO = Path(os.environ.get("GLOSSARY_PO")
          or ROOT / "practice/translations/de/LC_MESSAGES/messages.po")

# Babel/Python placeholders such as %(count)d, %(slope)+.1f or %(name)s: never words.
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%%")
TERM_KEYS = {"en", "de", "note", "forbidden_de", "allowed_de", "forbidden_en", "en_match",
             "required_de", "forbidden_de_if_en", "ignore_case", "case_sensitive_en"}
LIST_KEYS = {"forbidden_de", "allowed_de", "forbidden_en", "en_match", "required_de",
             "forbidden_de_if_en"}

with GLOSSARY.open("rb") as _handle:
    GLOSSARY_DATA = tomllib.load(_handle)
TERMS = GLOSSARY_DATA.get("term", [])
ADDRESS = GLOSSARY_DATA.get("address", {})


def _phrase(text: str, *, ignore_case: bool) -> re.Pattern:
    """A whole-word (or whole-phrase) pattern: no letter or digit may touch either end."""
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)", re.IGNORECASE if ignore_case else 0)


def _without(text: str, phrases) -> str:
    for phrase in phrases:
        text = text.replace(phrase, " ")
    return text


def _messages():
    """(msgid as named in failures, English texts, German texts) per catalogue entry; each
    text as a pair (as written, with placeholders blanked out for matching)."""
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    found = []
    for message in catalog:
        if not message.id:
            continue
        english = [message.id] if isinstance(message.id, str) else list(message.id)
        german = [message.string] if isinstance(message.string, str) else list(message.string)
        found.append((english[0],
                      [(text, PLACEHOLDER.sub(" ", text)) for text in english],
                      [(text, PLACEHOLDER.sub(" ", text)) for text in german if text]))
    return found


MESSAGES = _messages()


def _report(title: str, problems: list[str]) -> str:
    return f"{title} ({len(problems)}):\n" + "\n".join(f"  - {p}" for p in problems)


def test_the_glossary_is_well_formed():
    problems = []
    assert ADDRESS.get("form") == "Sie" and ADDRESS.get("forbidden_de"), "[address] is missing"
    seen = set()
    for term in TERMS:
        name = term.get("en")
        if not isinstance(name, str) or not isinstance(term.get("de"), str):
            problems.append(f"{term!r}: en and de must be texts")
            continue
        if name in seen:
            problems.append(f"{name}: listed twice")
        seen.add(name)
        if set(term) - TERM_KEYS:
            problems.append(f"{name}: unknown keys {sorted(set(term) - TERM_KEYS)}")
        for key in LIST_KEYS & set(term):
            if not all(isinstance(v, str) and v.strip() for v in term[key]):
                problems.append(f"{name}: {key} must list non-empty texts")
        if bool(term.get("en_match")) != bool(term.get("required_de")
                                               or term.get("forbidden_de_if_en")):
            problems.append(f"{name}: en_match needs required_de or forbidden_de_if_en")
        # The preferred German must not itself break the term's own rule.
        own = _without(term["de"], term.get("allowed_de", []))
        for variant in term.get("forbidden_de", []):
            if _phrase(variant, ignore_case=term.get("ignore_case", False)).search(own):
                problems.append(f"{name}: its German term contains the forbidden {variant!r}")
    assert not problems, _report("Glossary problems", problems)


@pytest.mark.parametrize("term", TERMS, ids=[t.get("en", "?") for t in TERMS])
def test_german_texts_use_the_glossary_term(term):
    ignore_case = term.get("ignore_case", False)
    forbidden = [(v, _phrase(v, ignore_case=ignore_case)) for v in term.get("forbidden_de", [])]
    forbidden_if_en = [(v, _phrase(v, ignore_case=ignore_case))
                       for v in term.get("forbidden_de_if_en", [])]
    matches = [_phrase(v, ignore_case=True) for v in term.get("en_match", [])]
    required = [v.lower() for v in term.get("required_de", [])]
    allowed = term.get("allowed_de", [])
    problems = []
    for msgid, english, german in MESSAGES:
        uses_term = any(p.search(bare) for p in matches for _text, bare in english)
        for text, bare in german:
            checked = _without(bare, allowed)
            for variant, pattern in forbidden + (forbidden_if_en if uses_term else []):
                if pattern.search(checked):
                    problems.append(f"{msgid!r}: {variant!r} in {text!r}")
            if uses_term and required and not any(r in bare.lower() for r in required):
                problems.append(f"{msgid!r}: no {' / '.join(term['required_de'])} in {text!r}")
    assert not problems, _report(
        f"German texts not using the term {term['en']!r} = {term['de']!r}", problems)


def test_german_texts_address_the_reader_as_sie():
    patterns = [(v, _phrase(v, ignore_case=ADDRESS.get("ignore_case", True)))
                for v in ADDRESS.get("forbidden_de", [])]
    problems = [f"{msgid!r}: {variant!r} in {text!r}"
                for msgid, _english, german in MESSAGES for text, bare in german
                for variant, pattern in patterns if pattern.search(bare)]
    assert not problems, _report('German texts not in the "Sie" form', problems)


@pytest.mark.parametrize("term", [t for t in TERMS if t.get("forbidden_en")],
                         ids=[t["en"] for t in TERMS if t.get("forbidden_en")])
def test_english_texts_use_the_glossary_term(term):
    ignore_case = not term.get("case_sensitive_en", False)
    patterns = [(v, _phrase(v, ignore_case=ignore_case)) for v in term["forbidden_en"]]
    problems = [f"{msgid!r}: {variant!r} in {text!r}"
                for msgid, english, _german in MESSAGES for text, bare in english
                for variant, pattern in patterns if pattern.search(bare)]
    assert not problems, _report(f"English msgids not using the term {term['en']!r}", problems)


# The starter library (practice/library/data/*.toml) keeps to the same terms. Its texts have no
# English msgid beside them, so the rules that hang on one (en_match, required_de,
# forbidden_de_if_en) do not apply; every other rule does, to every text field of every item.
LIBRARY = ROOT / "practice/library/data"
LIBRARY_FIELDS = ("title", "summary", "body", "how", "how_long", "how_often", "cautions", "steps",
                  "location", "effect", "application")
LIBRARY_FILES = sorted(LIBRARY.glob("*.toml"))


def _library_texts(path: Path, language: str):
    """(item key, field as named in failures, text) for each text of one language in one file;
    each step of "steps" on its own, as steps[1], steps[2] ..."""
    with path.open("rb") as handle:
        items = tomllib.load(handle).get("items", [])
    for item in items:
        own = item.get(language) or {}
        for field in LIBRARY_FIELDS:
            value = own.get(field)
            if isinstance(value, str):
                yield item.get("key", "?"), field, value
            elif isinstance(value, list):
                for number, step in enumerate(value, start=1):
                    yield item.get("key", "?"), f"{field}[{number}]", str(step)


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=[p.stem for p in LIBRARY_FILES])
def test_library_texts_keep_to_the_glossary(path):
    german_rules = [(term["en"], term.get("allowed_de", []),
                     [(v, _phrase(v, ignore_case=term.get("ignore_case", False)))
                      for v in term.get("forbidden_de", [])])
                    for term in TERMS if term.get("forbidden_de")]
    german_rules.append(('"Sie"', [],
                         [(v, _phrase(v, ignore_case=ADDRESS.get("ignore_case", True)))
                          for v in ADDRESS.get("forbidden_de", [])]))
    english_rules = [(term["en"],
                      [(v, _phrase(v, ignore_case=not term.get("case_sensitive_en", False)))
                       for v in term["forbidden_en"]])
                     for term in TERMS if term.get("forbidden_en")]
    problems = []
    for key, field, text in _library_texts(path, "de"):
        for name, allowed, patterns in german_rules:
            checked = _without(text, allowed)
            for variant, pattern in patterns:
                for _hit in pattern.finditer(checked):
                    problems.append(f"{key} de.{field}: {variant!r} (use {name!r})")
    for key, field, text in _library_texts(path, "en"):
        for name, patterns in english_rules:
            for variant, pattern in patterns:
                for _hit in pattern.finditer(text):
                    problems.append(f"{key} en.{field}: {variant!r} (use {name!r})")
    assert not problems, _report(f"Library texts in {path.name} not using the glossary terms",
                                 problems)
