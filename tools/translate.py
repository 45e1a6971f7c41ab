"""Merge new texts into the German catalogue and fill in translations from a Python dict.

Usage: .venv/bin/python tools/translate.py TRANSLATIONS.py
TRANSLATIONS.py defines DE = {"English text": "deutscher Text", ("one", "many"): ("ein", "viele")}.
Texts already translated in the catalogue keep their translation unless the dict gives a new one.
"""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "practice/translations/de/LC_MESSAGES/messages.po"
POT = ROOT / "practice/translations/messages.pot"


def main() -> None:
    """Extract, merge, fill, write; report texts still without a translation."""
    given = runpy.run_path(sys.argv[1]).get("DE", {}) if len(sys.argv) > 1 else {}
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "--no-location",
                    "-o", str(POT), str(ROOT)], check=True, capture_output=True)
    with POT.open("rb") as handle:
        template = read_po(handle)
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    catalog.update(template, no_fuzzy_matching=True)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        if message.id in given:
            message.string = given[message.id]
        elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            missing.append(message.id)
        message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, ignore_obsolete=True)
    POT.unlink()
    print("still untranslated:", missing or "none")


if __name__ == "__main__":
    main()
