"""Splitting a pasted article into proposed library items.

Plain text (as in the seed articles), Markdown or HTML, German or English. Headings (Markdown,
HTML, emoji-led, numbered, or short lines that stand alone) start sections; bullet lists are kept
as lists. Reference lists, comment forms and "more articles / products" blocks end the useful part
and are left out; promotional sections and paragraphs are flagged, never proposed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

PROPOSED, PROMOTIONAL, LEFT_OUT = "proposed", "promotional", "left_out"

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
    r"^(comments?|kommentare?|write a comment|leave a comment|kommentar schreiben|"
    r"more (interesting )?(tips|articles)|weitere artikel|weiterführende artikel|"
    r"related (posts|articles)|ähnliche artikel|das könnte (dich|sie) auch interessieren|"
    r"(popular|beliebte|empfohlene) produkte?|popular products|you might also like|"
    r"references|sources|quellen(verzeichnis)?|literatur(verzeichnis)?|bibliography)\b", re.I)
PROMOTION = re.compile(
    r"(/produkt|/product|/shop|newsletter|register now|jetzt anmelden|jetzt kaufen|\bbuy\b|"
    r"\bkaufen\b|\bshop\b|rabatt|discount|gutschein|coupon|product of the month|"
    r"produkt des monats|massagesessel|massage chair|akupen|start now|jetzt starten|"
    r"free tca?m analysis|kostenlose? (tcm-)?analyse|in meiner praxis|bei mir genau richtig|"
    r"our practice|unsere[nm]? (praxis|produkte?)|trusted companions|unsere massagesessel|"
    r"learn more:|mehr erfahren:)", re.I)

KIND_WORDS = {
    "warning_signs": ("warning", "warnzeichen", "warn", "doctor", "arzt", "ärzt", "numbness",
                      "taub", "fever", "fieber", "bladder", "blase", "diagnos", "hinweis"),
    "acupressure": ("acupressure", "akupressur", "akupunktur", "point", "punkt", "bl 40",
                    "kg 4", "ni 3", "wěi", "guān", "tài"),
    "liver_support": ("leber", "liver", "bitter", "mariendistel", "milk thistle", "löwenzahn",
                      "dandelion", "artischocke", "artichoke"),
    "warmth": ("heat", "warm", "wärme", "hot water", "wärmflasche", "kidney warmer", "cold",
               "kälte"),
    "self_massage": ("massage", "rub", "reib", "friction", "kneten"),
    "rest": ("rest", "ruhe", "resting position", "relax", "entspann", "lie down", "liegen",
             "kindhaltung", "child"),
    "nutrition": ("food", "ernährung", "essen", "diet", "sesame", "sesam", "walnut", "broth",
                  "congee", "beans", "bohnen", "zucker", "sugar", "alkohol", "alcohol"),
    "movement": ("exercise", "übung", "bewegung", "movement", "yoga", "qi gong", "qigong",
                 "stretch", "dehn", "swimming", "schwimm", "walk", "spazier", "training"),
    "lifestyle": ("sitting", "sitzen", "stress", "sleep", "schlaf", "alltag", "lifestyle",
                  "lebensstil", "atmung", "breath"),
}


@dataclass
class Block:
    """A heading, paragraph or bullet of the article."""

    kind: str  # heading, para, bullet
    text: str


@dataclass
class Proposal:
    """A section of the article as a proposed library item, or why it is not proposed."""

    title: str
    body: str
    kind: str
    status: str = PROPOSED
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The first sentence of the body, for the item's summary."""
        text = re.sub(r"^[-*]\s+", "", self.body.strip().split("\n")[0])
        sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
        return sentence[:300]


def detect_format(text: str) -> str:
    """html, markdown or text."""
    if re.search(r"<(p|h[1-6]|ul|ol|li|div|article|section|br)\b", text, re.I):
        return "html"
    if re.search(r"^#{1,6}\s+\S", text, re.M):
        return "markdown"
    return "text"


GERMAN_WORDS = {"der", "die", "das", "und", "ist", "nicht", "mit", "sie", "ich", "ein", "eine",
                "auch", "bei", "für", "sich", "den", "dem", "wird", "oder", "wie"}
ENGLISH_WORDS = {"the", "and", "is", "not", "with", "you", "your", "a", "an", "of", "to", "it",
                 "for", "this", "that", "are", "or", "be", "on", "in"}


def detect_language(text: str) -> str:
    """de or en, whichever's common words the text uses more."""
    words = re.findall(r"[a-zäöüß]+", text.casefold())
    german = sum(word in GERMAN_WORDS for word in words)
    english = sum(word in ENGLISH_WORDS for word in words)
    return "en" if english > german else "de"


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) == "So" or 0x1F000 <= ord(char) <= 0x1FAFF


def _strip_emoji(text: str) -> str:
    return "".join(ch for ch in text if not _is_emoji(ch) and ch != "\ufe0f").strip()


def _ends_open(line: str) -> bool:
    return not re.search(r"[.:,;!…]\s*$", CLOSERS.sub("", line))


def _blocks_from_text(text: str) -> list[Block]:
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
            blocks.append(Block("title", _strip_emoji(line)))
            continue
        if len(blocks) < 6 and all(b.kind == "title" for b in blocks) and (
                BYLINE.match(line) or METADATA.match(line)):
            continue  # the byline under the title
        if END_MATTER.match(_strip_emoji(line)) and len(line) <= 80:
            blocks.append(Block("heading", _strip_emoji(line)))
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
        if _is_emoji(line[0]) and short and _ends_open(line):
            heading = True
        elif NUMBERED_HEADING.match(line) and short and _ends_open(line):
            heading = True
        elif line.endswith("?") and len(line) <= 75:
            heading = True
        elif short and _ends_open(line) and (len(following) > 120 or BULLET.match(following)):
            heading = not in_list or len(line.split()) <= 3 or bool(BULLET.match(following))
        if heading:
            in_list = False
            blocks.append(Block("heading", _strip_emoji(line)))
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


def _blocks_from_markdown(text: str) -> list[Block]:
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
                                else "heading", _strip_emoji(heading.group(2).strip("# "))))
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
            self.blocks.append(Block(self.current or "para", _strip_emoji(text)
                                     if self.current in ("heading", "title") else text))
        self.buffer = []
        self.current = None

    def close(self):
        super().close()
        self._flush()


def _blocks_from_html(text: str) -> list[Block]:
    parser = _HTMLBlocks()
    parser.feed(text)
    parser.close()
    return parser.blocks


def guess_kind(title: str, body: str) -> str:
    """The kind whose words appear most (the title counts three times); background otherwise."""
    text = f"{title} {title} {title} {body}".casefold()
    scores = {kind: sum(text.count(word) for word in words) for kind, words in KIND_WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 2 else "background"


def _clean_line(text: str) -> str:
    return " ".join(CITATION.sub("", text).split())


def split(text: str, fmt: str | None = None) -> tuple[str, list[Proposal]]:
    """The article's title and its sections as proposals (left-out parts included, marked)."""
    fmt = fmt or detect_format(text)
    reader = {"html": _blocks_from_html, "markdown": _blocks_from_markdown}.get(fmt, _blocks_from_text)
    blocks = reader(text)
    title = next((b.text for b in blocks if b.kind == "title"), "")
    sections: list[tuple[str, list[Block]]] = [("", [])]
    for block in blocks:
        if block.kind == "title":
            continue
        if block.kind == "heading":
            sections.append((block.text, []))
        else:
            sections[-1][1].append(block)

    proposals: list[Proposal] = []
    ended = False
    for heading, content in sections:
        if not heading and not content:
            continue
        name = heading or title or "Introduction"
        if ended or END_MATTER.match(heading):
            ended = True
            proposals.append(Proposal(name, "", "background", LEFT_OUT, "end_matter"))
            continue
        kept, promo, notes = [], [], []
        promo_link = False
        for block in content:
            line = _clean_line(block.text)
            if METADATA.match(line):
                continue
            if URL.search(line):
                if PROMOTION.search(line):
                    promo.append(block)
                    promo_link = True
                else:
                    notes.append("link_removed")
                if kept and kept[-1].kind == "para" and kept[-1].text.endswith(":"):
                    kept.pop()  # "Detailed instructions:" with nothing left to introduce
                continue
            if PROMOTION.search(line):
                promo.append(block)
                continue
            kept.append(Block(block.kind, line))
        kept = _without_teasers(kept)
        body = _markdown(kept)
        promo_share = len(_markdown(promo)) / max(1, len(_markdown(promo)) + len(body))
        if PROMOTION.search(heading) or promo_link or promo_share >= 0.6:
            proposals.append(Proposal(name, _markdown(promo + kept), guess_kind(name, body),
                                      PROMOTIONAL, "promotion"))
            continue
        if len(body) < 40:
            proposals.append(Proposal(name, body, "background", LEFT_OUT, "too_short"))
        else:
            proposals.append(Proposal(name, body, guess_kind(name, body), PROPOSED, "",
                                      sorted(set(notes))))
        if promo:
            proposals.append(Proposal(f"{name} …", _markdown(promo), "background", PROMOTIONAL,
                                      "promotion"))
    return title, proposals


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
    for block in blocks:
        if block.kind == "bullet":
            if parts and parts[-1].startswith("- "):
                parts[-1] += f"\n- {block.text}"
            else:
                parts.append(f"- {block.text}")
        else:
            parts.append(block.text)
    return "\n\n".join(parts)
