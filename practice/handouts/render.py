"""HTML to PDF with WeasyPrint, allowed to read nothing but the app's own files and data: URIs.

Every text in a handout is escaped by the template; on top of that the fetcher refuses any URL
that is not a file inside the app's asset folders (fonts, static files) or a data: URI, and never
follows redirects. So neither a hostile note nor a library text can make the PDF load or embed
anything.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import font_source_sans_pro

PACKAGE_DIR = Path(__file__).resolve().parent.parent
FONT_DIR = Path(font_source_sans_pro.__file__).resolve().parent / "files"
ASSET_DIRS = (FONT_DIR, PACKAGE_DIR / "static")
FONTS = {"regular": "SourceSansPro-Regular.ttf", "semibold": "SourceSansPro-Semibold.ttf",
         "bold": "SourceSansPro-Bold.ttf", "italic": "SourceSansPro-It.ttf"}


class BlockedURL(ValueError):
    """A handout tried to load something from outside the app."""


def font_urls() -> dict[str, str]:
    """file:// URLs of the bundled TTF fonts (TTF loads much faster than woff2)."""
    return {weight: (FONT_DIR / name).as_uri() for weight, name in FONTS.items()}


def _allowed_file(url: str) -> bool:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return any(path.is_relative_to(folder) and path.is_file() for folder in ASSET_DIRS)


def make_fetcher():
    """A WeasyPrint URL fetcher for file: (inside the asset folders) and data: only."""
    from weasyprint.urls import URLFetcher

    class AppFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False,
                             timeout=2)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:") or (url.startswith("file:") and _allowed_file(url)):
                return super().fetch(url, headers)
            self.refused.append(url[:200])
            raise BlockedURL("blocked")

    return AppFetcher()


def render_pdf(html: str) -> tuple[bytes, int, list[str]]:
    """Render ``html``: the PDF bytes, its page count and the URLs that were refused."""
    from weasyprint import HTML

    fetcher = make_fetcher()
    document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher).render()
    return document.write_pdf(), len(document.pages), fetcher.refused


def html_to_pdf(html: str) -> tuple[bytes, list[str]]:
    """Render ``html`` to PDF bytes; also returns the URLs that were refused."""
    pdf, _pages, refused = render_pdf(html)
    return pdf, refused
