"""Markdown to safe HTML: no raw HTML, no images, no links, no attributes at all.

markdown-it renders CommonMark with raw HTML switched off; nh3 (ammonia) then keeps only a few
plain tags, so nothing in a text can run a script or make a page or PDF load anything.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "h3", "h4", "blockquote", "br", "code"}

_renderer = MarkdownIt("commonmark", {"html": False}).disable(["image"])


def render(text: str) -> Markup:
    """Render ``text`` as sanitised HTML (links become their plain text)."""
    if not text:
        return Markup("")
    html = _renderer.render(text)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, url_schemes=set(),
                            strip_comments=True))
