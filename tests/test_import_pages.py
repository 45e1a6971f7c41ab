"""Saved web pages (tests/fixtures/import_pages, written for these tests in the style real CMSs
produce) import with every real section proposed, no page furniture, every promotional passage
flagged, points and exercises structured, and kinds right. Each page has an expected-answers
file beside it; the figures are printed as a table at the end of the run."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from figures import report_figure
from practice.library import importer

PAGES = Path(__file__).parent / "fixtures" / "import_pages"


def _plain(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def _pages():
    return sorted(PAGES.glob("*.html"))


def score(path: Path) -> dict:
    """Compare one page's import with its expected answers."""
    expected = tomllib.loads(path.with_suffix(".expected.toml").read_text(encoding="utf-8"))
    article = importer.read(path.read_text(encoding="utf-8"))
    proposed = [p for p in article.proposals if p.status == importer.PROPOSED]
    flagged = [p for p in article.proposals if p.status == importer.PROMOTIONAL]
    shown = proposed + flagged
    result = {"page": path.stem, "sections": len(expected["sections"]), "found": 0,
              "kinds": 0, "structured": 0, "to_structure": 0, "extra": [], "furniture": [],
              "promotions": len(expected.get("promotions", [])), "promo_flagged": 0,
              "flags": 0, "flags_expected": 0, "unexpected": [], "problems": [],
              "article": article}
    matched = set()
    for section in expected["sections"]:
        match = next((p for p in proposed if id(p) not in matched
                      and _plain(p.title).casefold().startswith(section["title"].casefold())),
                     None)
        wanted = set(section.get("flags", []))
        result["flags_expected"] += len(wanted)
        structured = "point" in section or "steps" in section
        result["to_structure"] += structured
        if match is None:
            result["problems"].append(f"not proposed: {section['title']}")
            continue
        matched.add(id(match))
        result["found"] += 1
        if match.kind == section["kind"]:
            result["kinds"] += 1
        else:
            result["problems"].append(f"kind of {section['title']}: {match.kind}, "
                                      f"expected {section['kind']}")
        codes = {flag.code for flag in match.flags}
        result["flags"] += len(wanted & codes)
        result["unexpected"] += [f"{section['title']}: {code}" for code in codes - wanted]
        if wanted - codes:
            result["problems"].append(f"flags missing on {section['title']}: {wanted - codes}")
        if "point" in section:
            ok = (match.point.get("code_who") == section["point"]
                  and all(match.fields.get(name) for name in section.get("fields", [])))
            result["structured"] += ok
            if not ok:
                result["problems"].append(f"point {section['title']}: {match.point} "
                                          f"{sorted(match.fields)}")
        elif "steps" in section:
            ok = len(match.fields.get("steps", [])) == section["steps"]
            result["structured"] += ok
            if not ok:
                result["problems"].append(f"steps of {section['title']}: "
                                          f"{match.fields.get('steps')}")
    result["extra"] = [p.title for p in proposed if id(p) not in matched]
    for promo in expected.get("promotions", []):
        words = promo["text"].casefold()
        holder = next((p for p in flagged if words in _plain(p.body + " " + p.title).casefold()),
                      None)
        in_proposed = any(words in _plain(p.body).casefold() for p in proposed)
        wanted = set(promo.get("flags", []))
        result["flags_expected"] += len(wanted)
        if holder is not None and not in_proposed:
            result["promo_flagged"] += 1
            codes = {flag.code for flag in holder.flags} - {"promotion"}
            result["flags"] += len(wanted & codes)
            result["unexpected"] += [f"{promo['text']}: {code}" for code in codes - wanted]
        else:
            result["problems"].append(f"promotion not flagged: {promo['text']}")
    for words in expected.get("furniture", []):
        if any(words.casefold() in (p.title + "\n" + p.body).casefold() for p in shown):
            result["furniture"].append(words)
    for name in ("title", "author", "site", "date"):
        if getattr(article, name) != expected[name]:
            result["problems"].append(f"{name}: {getattr(article, name)!r}")
    if article.language != expected["language"]:
        result["problems"].append(f"language: {article.language}")
    return result


def _table(results: list[dict]) -> str:
    rows = [("page", "real sections", "proposed correctly", "furniture proposed",
             "promotions flagged", "other flags", "unexpected flags", "structured",
             "kinds right")]
    for r in results:
        rows.append((r["page"], str(r["sections"]), str(r["found"]),
                     str(len(r["furniture"]) + len(r["extra"])),
                     f"{r['promo_flagged']}/{r['promotions']}",
                     f"{r['flags']}/{r['flags_expected']}", str(len(r["unexpected"])),
                     f"{r['structured']}/{r['to_structure']}",
                     f"{r['kinds']}/{r['found']}"))
    total = {key: sum(r[key] for r in results) for key in
             ("sections", "found", "promotions", "promo_flagged", "flags", "flags_expected",
              "structured", "to_structure", "kinds")}
    furniture = sum(len(r["furniture"]) + len(r["extra"]) for r in results)
    rows.append((f"all {len(results)} pages", str(total["sections"]), str(total["found"]),
                 str(furniture), f"{total['promo_flagged']}/{total['promotions']}",
                 f"{total['flags']}/{total['flags_expected']}",
                 str(sum(len(r["unexpected"]) for r in results)),
                 f"{total['structured']}/{total['to_structure']}",
                 f"{100 * total['kinds'] / max(1, total['found']):.0f} %"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                     for row in rows)


def test_saved_pages_import_as_expected():
    pages = _pages()
    assert len(pages) >= 8
    assert {p.stem[:2] for p in pages} == {"de", "en"}
    results = [score(path) for path in pages]
    table = _table(results)
    print("\n" + table)
    report_figure("test_saved_pages_import_as_expected", "\n" + table)
    sections = sum(r["sections"] for r in results)
    found = sum(r["found"] for r in results)
    assert found == sections, [r["problems"] for r in results]
    assert not any(r["furniture"] or r["extra"] for r in results), [
        (r["page"], r["furniture"], r["extra"]) for r in results if r["furniture"] or r["extra"]]
    assert all(r["promo_flagged"] == r["promotions"] for r in results), [
        r["problems"] for r in results]
    assert all(r["structured"] == r["to_structure"] for r in results), [
        r["problems"] for r in results]
    assert sum(r["kinds"] for r in results) >= 0.9 * found, [r["problems"] for r in results]
    assert sum(r["flags"] for r in results) == sum(r["flags_expected"] for r in results), [
        r["problems"] for r in results]
    assert sum(len(r["unexpected"]) for r in results) <= 2, [r["unexpected"] for r in results]
    metadata = [p for r in results for p in r["problems"]
                if p.split(":")[0] in ("title", "author", "site", "date", "language")]
    assert not metadata, metadata


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.stem)
def test_each_page_keeps_its_metadata_and_language(path):
    result = score(path)
    article = result["article"]
    assert article.format == "html"
    assert article.language == article.detected  # each page is in one language


def test_language_given_drives_kinds_and_is_reported():
    path = PAGES / "de_akupressur_drei_punkte.html"
    article = importer.read(path.read_text(encoding="utf-8"), language="en")
    assert article.language == "en" and article.detected == "de"
