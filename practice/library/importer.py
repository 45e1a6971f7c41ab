"""Splitting an article into proposed library items.

Plain text (as in the seed articles), Markdown or HTML, German or English. HTML goes through the
main-content extractor first (:mod:`practice.library.extract`); text and Markdown are read line by
line (:mod:`practice.library.blocks`). Headings start sections, and so does a paragraph that opens
with an acupressure point's name. Reference lists, comment forms and "more articles / products"
blocks end the useful part and are left out; promotional sections and paragraphs are flagged,
never proposed; other concerns (medication, needling, claims, form of address, language) are
flagged on the proposal (:mod:`practice.library.flags`). Points and exercises get their fields
(:mod:`practice.library.structure`); kinds come from :mod:`practice.library.kinds`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from practice.library import blocks as readers
from practice.library import extract, kinds, structure
from practice.library.blocks import CITATION, END_MATTER, METADATA, URL, Block
from practice.library.flags import PROMOTION, Flag, flags_for, promotion
from practice.library.flags import detect_language as _detect_language

PROPOSED, PROMOTIONAL, LEFT_OUT = "proposed", "promotional", "left_out"
detect_language = _detect_language


@dataclass
class Proposal:
    """A section of the article as a proposed library item, or why it is not proposed."""

    title: str
    body: str
    kind: str
    status: str = PROPOSED
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # steps, location, effect, application, cautions
    point: dict = field(default_factory=dict)  # code_who, code_de, pinyin

    @property
    def summary(self) -> str:
        """The first sentence of the body, for the item's summary (for a point: of what it
        does, else where it is)."""
        if self.point and (self.fields.get("effect") or self.fields.get("location")):
            return structure.summary(self.fields.get("effect") or self.fields["location"])
        return structure.summary(self.body)


@dataclass
class Article:
    """An article as split: metadata for the source record, the language it is read in (and
    the one it looks like), and its proposals."""

    title: str
    proposals: list[Proposal]
    language: str
    detected: str
    author: str = ""
    date: str = ""
    site: str = ""
    format: str = "text"


def detect_format(text: str) -> str:
    """html, markdown or text."""
    if re.search(r"<(p|h[1-6]|ul|ol|li|div|article|section|br|html|body)\b", text, re.I):
        return "html"
    if re.search(r"^#{1,6}\s+\S", text, re.M):
        return "markdown"
    return "text"


def read(text: str, language: str | None = None, fmt: str | None = None) -> Article:
    """The article in ``text`` split into proposals, read in ``language`` (recognised when not
    given). Raises :class:`extract.UnreadableArticle` for input that is no article."""
    text = extract.check(text)
    fmt = fmt or detect_format(text)
    page = extract.Page()
    if fmt == "html":
        page = extract.page(text)
        blocks = page.blocks
    else:
        blocks = (readers.from_markdown if fmt == "markdown" else readers.from_text)(text)
    title = page.title or next((b.text for b in blocks if b.kind == "title"), "")
    detected = detect_language(" ".join(b.text for b in blocks))
    language = language if language in ("de", "en") else detected
    proposals = _proposals(title, blocks, language)
    return Article(title=title, proposals=proposals, language=language, detected=detected,
                   author=page.author, date=page.date, site=page.site, format=fmt)


def split(text: str, fmt: str | None = None,
          language: str | None = None) -> tuple[str, list[Proposal]]:
    """The article's title and its sections as proposals (left-out parts included, marked)."""
    article = read(text, language, fmt)
    return article.title, article.proposals


def guess_kind(title: str, body: str, language: str = "de") -> str:
    """The kind a section's words suggest (see :mod:`practice.library.kinds`)."""
    return kinds.guess(title, body, language)


def _sections(blocks: list[Block]) -> list[tuple[str, list[Block]]]:
    """Sections by heading; a paragraph opening with a point's name starts one of its own."""
    sections: list[tuple[str, list[Block]]] = [("", [])]
    for block in blocks:
        if block.kind == "title":
            continue
        if block.kind == "heading":
            sections.append((block.text, []))
            continue
        led = structure.point_at_start(block.text) if block.kind == "para" else None
        heading, content = sections[-1]
        if led and (content or structure.point(heading) != structure.point(led[0])):
            sections.append((led[0], [Block("para", led[1])]))
            continue
        content.append(block)
    return sections


def _proposals(title: str, blocks: list[Block], language: str) -> list[Proposal]:
    proposals: list[Proposal] = []
    ended = False
    for heading, content in _sections(blocks):
        if not heading and not content:
            continue
        name = heading or title or "Introduction"
        if ended or END_MATTER.match(heading):
            ended = True
            proposals.append(Proposal(name, "", "background", LEFT_OUT, "end_matter"))
            continue
        proposals += _section(name, heading, content, language)
    return proposals


def _clean_line(text: str) -> str:
    return " ".join(CITATION.sub("", text).split())


def _section(name: str, heading: str, content: list[Block], language: str) -> list[Proposal]:
    kept, promo, notes = [], [], []
    evidence, promo_link = "", False
    for block in content:
        line = _clean_line(block.text)
        if METADATA.match(line) or extract.FURNITURE.match(line.replace("**", "")):
            continue
        if URL.search(line):
            if promotion(line):
                promo.append(block)
                evidence, promo_link = evidence or promotion(line), True
            else:
                notes.append("link_removed")
            if kept and kept[-1].kind == "para" and kept[-1].text.endswith(":"):
                kept.pop()  # "Detailed instructions:" with nothing left to introduce
            continue
        found = promotion(line) or ("link" if block.promo_link else "")
        if found:
            promo.append(block)
            evidence = evidence or found
            continue
        kept.append(Block(block.kind, line))
    kept = _without_teasers(kept)
    body = _markdown(kept)
    promo_text = _markdown(promo)
    promo_share = len(promo_text) / max(1, len(promo_text) + len(body))
    heading_promo = promotion(heading) if heading else ""
    if heading_promo or promo_link or promo_share >= 0.6:
        whole = _markdown(promo + kept)
        return [Proposal(name, whole, kinds.guess(name, body, language), PROMOTIONAL,
                         "promotion", flags=[Flag(PROMOTION, heading_promo or evidence),
                                             *flags_for(whole, language)])]
    result = []
    if len(body) < 40:
        result.append(Proposal(name, body, "background", LEFT_OUT, "too_short"))
    else:
        result.append(_structured(name, heading, kept, body, language, sorted(set(notes))))
    if promo:
        result.append(Proposal(f"{name} …", promo_text, "background", PROMOTIONAL, "promotion",
                               flags=[Flag(PROMOTION, evidence),
                                      *flags_for(promo_text, language)]))
    return result


def _structured(name: str, heading: str, kept: list[Block], body: str, language: str,
                notes: list[str]) -> Proposal:
    point = structure.point(heading) if heading else {}
    fields: dict = {}
    if point:
        fields = structure.point_fields(kept)
    steps = [] if point else structure.steps(kept)
    kind = kinds.guess(name, body, language, point=bool(point), steps=bool(steps),
                       introduction=not heading)
    if steps and kind in ("movement", "rest", "self_massage"):
        fields["steps"] = steps
    return Proposal(name, body, kind, PROPOSED, "", notes, flags=flags_for(body, language),
                    fields=fields, point=point)


def _without_teasers(blocks: list[Block]) -> list[Block]:
    """Drop a shortened teaser ("... ...") that a later paragraph repeats in full."""
    result = []
    for block in blocks:
        stem = block.text.rstrip(".… ")
        if block.kind == "para" and block.text.endswith(("...", "…")) and any(
                other is not block and other.text.startswith(stem[:120]) for other in blocks):
            continue
        result.append(block)
    return result


def _markdown(blocks: list[Block]) -> str:
    parts: list[str] = []
    number = 0
    for block in blocks:
        if block.kind in ("bullet", "step"):
            number = number + 1 if block.kind == "step" else 0
            marker = f"{number}." if block.kind == "step" else "-"
            if parts and re.match(r"^(- |\d+\. )", parts[-1].rsplit("\n", 1)[-1]):
                parts[-1] += f"\n{marker} {block.text}"
            else:
                parts.append(f"{marker} {block.text}")
        else:
            number = 0
            parts.append(block.text)
    return "\n\n".join(parts)
