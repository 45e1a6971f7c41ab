"""A saved web page's main content and metadata, through trafilatura.

trafilatura (a maintained main-content extractor) leaves out navigation, cookie banners, share
bars, comments, related-article blocks and footers, and reads the title, author, date and site.
Around it: text in bare ``<div>`` boxes becomes paragraphs first (the extractor would drop a
callout or a call-to-action box unseen, and a flag can only be raised on text that is kept),
headings the extractor dropped are put back in front of the paragraph that follows them in the
page, and bylines, reading times, image credits and cookie lines are removed. Bad input (binary
data, an empty or a far too long file) raises :class:`UnreadableArticle` with a message for the
person who gave it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from flask_babel import lazy_gettext as _l
from lxml import etree

from practice.library.blocks import Block, from_html, strip_emoji
from practice.library.flags import PROMOTION_WORDS

MAX_CHARS = 1_000_000
BLOCK_TAGS = {"div", "p", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
              "section", "article", "header", "footer", "nav", "aside", "form", "figure",
              "blockquote", "dl", "pre", "main", "button", "select", "textarea"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
OUTSIDE = {"nav", "footer", "aside", "form", "header", "button", "figcaption"}
FURNITURE_CLASS = re.compile(r"cookie|consent|comment|share|sharing|social|related|sidebar|"
                             r"newsletter|menu|breadcrumb|banner|widget|author-box|recent|"
                             r"teaser|advert|\bad\b|ad-", re.I)
FURNITURE = re.compile(
    r"^(?:(updated|last updated|published|posted|veröffentlicht|aktualisiert|stand:)"
    r"(\s+(on|am|at))?\b.{0,80}$|"
    r".{0,80}\b\d+\s*(min\.?|minutes?|minuten)\s*(read|lesezeit|lesedauer)\b.{0,40}$|"
    r".{0,80}\b(lesezeit|lesedauer|reading time)\b.{0,40}$|"
    r"(foto|fotos|bild|bilder|image|images|photo|picture|abbildung|bildnachweis|"
    r"photo credit|image credit|credit)s?\s*:.{0,120}$|photo by .{0,80}$|.{0,120}©.{0,80}$|"
    r".{0,200}\bcookies?\b.{0,200}$|(share|teilen|beitrag teilen)\b.{0,60}$|"
    r"zum inhalt springen|skip to content)", re.I)


class UnreadableArticle(ValueError):
    """The input cannot be read as an article; ``message`` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Page:
    """What the extractor found: metadata and the main content as blocks."""

    title: str = ""
    author: str = ""
    date: str = ""
    site: str = ""
    blocks: list[Block] = field(default_factory=list)


def decode(raw: bytes) -> str:
    """The text of an uploaded file; binary data and empty files are refused."""
    if not raw.strip():
        raise UnreadableArticle(_l("The file is empty."))
    if b"\x00" in raw[:100_000]:
        raise UnreadableArticle(_l("This file is not text (it looks like a program, an image "
                                   "or a document). Please upload a .txt, .md or .html file."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return check(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise UnreadableArticle(_l("The file's characters cannot be read. Please save it as "
                               "UTF-8 text."))


def check(text: str) -> str:
    """``text`` if it can be an article: not too long, not control characters."""
    if len(text) > MAX_CHARS:
        raise UnreadableArticle(_l("The article is too long (at most %(count)d characters).",
                                   count=MAX_CHARS))
    sample = text[:20_000]
    odd = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r") or ch == "\ufffd")
    if sample and odd / len(sample) > 0.01:
        raise UnreadableArticle(_l("This does not look like text. Please upload a .txt, .md or "
                                   ".html file."))
    return text


def page(html: str) -> Page:
    """The page's metadata and main content. A fragment the extractor finds nothing in is read
    tag by tag instead."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return Page(blocks=from_html(html))
    for bad in tree.xpath("//script|//style|//noscript|//template|//svg"):
        bad.drop_tree()
    _divs_as_paragraphs(tree)
    document = trafilatura.bare_extraction(
        tree, include_formatting=True, include_comments=False, include_links=True,
        include_images=False, include_tables=True, with_metadata=True, deduplicate=False)
    metadata = _meta(tree)
    found = Page(title=(document.title if document else "") or metadata.get("title", ""),
                 author=metadata.get("author") or (document.author if document else "") or "",
                 date=(document.date if document else "") or "",
                 site=metadata.get("site") or (document.sitename if document else "") or "")
    if document is None or document.body is None or not len(document.body):
        found.blocks = from_html(html)
        return found
    blocks = _blocks(document.body, found.title)
    found.blocks = _with_dropped_headings(tree, blocks)
    return found


def _meta(tree) -> dict:
    def content(xpath: str) -> str:
        values = tree.xpath(xpath)
        return " ".join(values[0].split()) if values else ""

    return {"author": content("//meta[@name='author']/@content"),
            "site": content("//meta[@property='og:site_name']/@content"),
            "title": content("//meta[@property='og:title']/@content")}


def _divs_as_paragraphs(tree) -> None:
    for div in list(tree.iter("div", "span")):
        if any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in div):
            continue
        if div.tag == "span" and (div.getparent() is None or div.getparent().tag != "div"
                                  or div.getparent().text_content().strip()
                                  != div.text_content().strip()):
            continue
        if len(" ".join(div.text_content().split())) >= 25:
            div.tag = "p"


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _paragraph(element) -> Block | None:
    text = _text(element)
    if not text:
        return None
    promo = any(PROMOTION_WORDS.search(ref.get("target", "")) for ref in element.iter("ref"))
    links = "".join(_text(ref) for ref in element.iter("ref"))
    if links and len(links) >= len(text) - 2 and len(text) < 60:
        return Block("para", text, promo_link=True) if promo else None  # a bare link
    first = element[0] if len(element) else None
    if (first is not None and first.tag == "hi" and "#b" in (first.get("rend") or "")
            and not (element.text or "").strip() and _text(first) != text):
        lead = _text(first)
        text = f"**{lead}** {text[len(lead):].strip()}"
    return Block("para", text, promo_link=promo)


def _blocks(body, title: str) -> list[Block]:
    blocks: list[Block] = []
    for element in body:
        if element.tag == "head":
            text = strip_emoji(_text(element))
            if text and text.casefold() != title.casefold():
                blocks.append(Block("heading", text))
        elif element.tag == "list":
            kind = "step" if element.get("rend") == "ol" else "bullet"
            blocks += [Block(kind, _text(item)) for item in element.iter("item") if _text(item)]
        elif element.tag == "table":
            for row in element.iter("row"):
                cells = [_text(cell) for cell in row.iter("cell") if _text(cell)]
                if cells:
                    blocks.append(Block("para", " | ".join(cells)))
        else:
            block = _paragraph(element)
            if block is not None:
                blocks.append(block)
    return [block for block in blocks if not (block.kind == "para"
                                              and FURNITURE.match(block.text.replace("**", "")))]


def _key(text: str) -> str:
    return " ".join(text.replace("**", "").split())[:60].casefold()


def _outside(element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in OUTSIDE or FURNITURE_CLASS.search(
                f"{ancestor.get('class', '')} {ancestor.get('id', '')}"):
            return True
    return False


def _with_dropped_headings(tree, blocks: list[Block]) -> list[Block]:
    """Put back a heading the extractor dropped, in front of the block that follows it in the
    page, when that block was kept."""
    kept_headings = {_key(b.text) for b in blocks if b.kind == "heading"}
    positions = {}
    for index, block in enumerate(blocks):
        positions.setdefault(_key(block.text), index)
    inserts: dict[int, str] = {}
    pending = ""
    for element in tree.iter(*HEADINGS, "p", "li"):
        text = strip_emoji(" ".join(element.text_content().split()))
        if not text:
            continue
        if element.tag in HEADINGS:
            pending = "" if _outside(element) or element.tag == "h1" else text
            continue
        if pending:
            index = positions.get(_key(text))
            if index is not None and _key(pending) not in kept_headings:
                inserts.setdefault(index, pending)
            pending = ""
    result = []
    for index, block in enumerate(blocks):
        if index in inserts:
            result.append(Block("heading", inserts[index]))
        result.append(block)
    return result
