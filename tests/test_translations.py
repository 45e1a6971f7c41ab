"""Every text shown in the interface has a German translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def _source_messages() -> set:
    found = set()
    for directory, method in (("practice", "python"), ("templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / directory, method_map=[(pattern, method)], keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_interface_text_is_translated_into_german():
    with open(ROOT / "practice/translations/de/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="de")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and m.string and (isinstance(m.string, str) or all(m.string))
        and not m.fuzzy
    }
    messages = _source_messages()
    assert len(messages) > 50
    assert sorted(messages - translated) == []
