"""Reading an article's text, Markdown or (without the extractor) HTML into blocks: the title,
headings, paragraphs, bullets and numbered steps, in order.

Headings (Markdown, HTML, emoji-led, numbered, or short lines that stand alone) start sections;
bullet lists are kept as lists.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

URL = re.compile(r"(https?://|www\.)\S+", re.I)
CITATION = re.compile(r"【\d+】|\[\d+\](?!\()")
BULLET = re.compile(r"^\s*(?:[•·▪●◦‣*+\-–]|\d+[.)])\s+")
NUMBERED_HEADING = re.compile(r"^\d{1,2}\.\s+\S")
METADATA = re.compile(r"^(aktualisiert:|updated:|author:|autor(in)?:|\d+\s+min\.?\s"
                      r"(lesezeit|read)|lesetipp|reading tip|read more|mehr dazu|"
                      r".*in unserem artikel)", re.I)
# Byline lines right under the title: "- Matthias Hirsch", "- 26. Mai", "- 2 Min. Lesezeit".
BYLINE = re.compile(r"^-\s+\S.{0,40}$")
CLOSERS = re.compile(r"[“”\"»«„')\]]+$")
# Headings after which nothing of the article is useful any more.
END_MATTER = re.compile(
    r"^(comments?|kommentare?|write a comment|leave a (comment|reply)|kommentar schreiben|"
    r"\d+ (comments?|kommentare?|thoughts on)|kommentare \(\d+\)|"
    r"more (interesting )?(tips|articles)|more from|read more|recent posts|weitere artikel|"
    r"weiterführende artikel|related (posts|articles)|ähnliche (artikel|beiträge)|"
    r"das könnte (dich|sie) auch interessieren|you might also like|meistgelesen|most read|"
    r"(popular|beliebte|empfohlene) produkte?|popular products|about the author|"
    r"über (den|die) autor(in)?|share this|teilen|"
    r"references|sources|quellen(verzeichnis)?|literatur(verzeichnis)?|bibliography)\b", re.I)


@dataclass
class Block:
    """A heading, paragraph or bullet of the article."""

    kind: str  # title, heading, para, bullet, step
    text: str
    promo_link: bool = False  # a link to a shop, booking or product page was removed


def is_emoji(char: str) -> bool:
    """Whether ``char`` is an emoji or a similar pictograph."""
    return unicodedata.category(char) == "So" or 0x1F000 <= ord(char) <= 0x1FAFF


def strip_emoji(text: str) -> str:
    """``text`` without emoji (headings keep their words only)."""
    return "".join(ch for ch in text if not is_emoji(ch) and ch != "\ufe0f").strip()


def _ends_open(line: str) -> bool:
    return not re.search(r"[.:,;!…]\s*$", CLOSERS.sub("", line))


def from_text(text: str) -> list[Block]:
    """Blocks of a plain-text article (as copied from a web page or a newsletter)."""
    lines = [line.rstrip() for line in text.splitlines()]
    blocks: list[Block] = []
    in_list = False

    def next_line(index: int) -> str:
        for later in lines[index + 1:]:
            if later.strip():
                return later.strip()
        return ""

    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        following = next_line(index)
        if not blocks:
            blocks.append(Block("title", strip_emoji(line)))
            continue
        if len(blocks) < 6 and all(b.kind == "title" for b in blocks) and (
                BYLINE.match(line) or METADATA.match(line)):
            continue  # the byline under the title
        if END_MATTER.match(strip_emoji(line)) and len(line) <= 80:
            blocks.append(Block("heading", strip_emoji(line)))
            in_list = False
            continue
        if METADATA.match(line) or URL.search(line):
            blocks.append(Block("para", line))  # dropped or flagged later, never a heading
            in_list = False
            continue
        if BULLET.match(line) and (not NUMBERED_HEADING.match(line) or raw.startswith(" ")):
            blocks.append(Block("bullet", BULLET.sub("", line)))
            continue
        short = len(line) <= 100 and not URL.search(line)
        heading = False
        if is_emoji(line[0]) and short and _ends_open(line):
            heading = True
        elif NUMBERED_HEADING.match(line) and short and _ends_open(line):
            heading = True
        elif line.endswith("?") and len(line) <= 75:
            heading = True
        elif short and _ends_open(line) and (len(following) > 120 or BULLET.match(following)):
            heading = not in_list or len(line.split()) <= 3 or bool(BULLET.match(following))
        if heading:
            in_list = False
            blocks.append(Block("heading", strip_emoji(line)))
        elif in_list and len(line) <= 120 and _ends_open(line):
            blocks.append(Block("bullet", line))
        else:
            blocks.append(Block("para", line))
            in_list = (line.endswith(":") and bool(following) and not BULLET.match(following)
                       and not URL.search(following))
    # A short line right under the title is its subtitle.
    if len(blocks) > 1 and blocks[0].kind == "title" and blocks[1].kind in ("para", "heading") \
            and len(blocks[1].text) <= 80 and _ends_open(blocks[1].text):
        blocks[0] = Block("title", f"{blocks[0].text} – {blocks[1].text}")
        del blocks[1]
    return blocks


def from_markdown(text: str) -> list[Block]:
    """Blocks of a Markdown article."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush():
        if paragraph:
            blocks.append(Block("para", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            flush()
            blocks.append(Block("title" if not blocks and len(heading.group(1)) == 1
                                else "heading", strip_emoji(heading.group(2).strip("# "))))
        elif BULLET.match(line):
            flush()
            blocks.append(Block("bullet", BULLET.sub("", line)))
        elif not line:
            flush()
        else:
            paragraph.append(line)
    flush()
    return blocks


class _HTMLBlocks(HTMLParser):
    SKIP = {"head", "script", "style", "form", "nav", "footer", "button", "select", "textarea",
            "aside", "noscript", "iframe", "svg"}
    KINDS = {"h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
             "h6": "heading", "p": "para", "li": "bullet", "blockquote": "para", "dt": "para",
             "dd": "para"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.skipping = 0
        self.current: str | None = None
        self.buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.KINDS and not self.skipping:
            self._flush()
            has_title = any(block.kind == "title" for block in self.blocks)
            self.current = "title" if tag == "h1" and not has_title else self.KINDS[tag]
        elif tag == "br":
            self.buffer.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.KINDS and not self.skipping:
            self._flush()

    def handle_data(self, data):
        if not self.skipping:
            self.buffer.append(data)

    def _flush(self):
        text = " ".join("".join(self.buffer).split())
        if text:
            self.blocks.append(Block(self.current or "para", strip_emoji(text)
                                     if self.current in ("heading", "title") else text))
        self.buffer = []
        self.current = None

    def close(self):
        super().close()
        self._flush()


def from_html(text: str) -> list[Block]:
    """Blocks of an HTML fragment read tag by tag (when the main-content extractor finds
    nothing, for example in a short pasted snippet)."""
    parser = _HTMLBlocks()
    parser.feed(text)
    parser.close()
    return parser.blocks
