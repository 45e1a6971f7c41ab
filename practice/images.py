"""Checking an uploaded image (the practice logo, a library illustration): PNG, JPEG or a plain
SVG, within a size limit.

One check for every image the app stores and prints: a raster image must decode (where the
caller asks for it); an SVG must be well-formed XML with no scripts, no event handlers, no DTD and
no reference to anything outside the file itself (so neither a browser nor WeasyPrint ever loads
or runs anything from it).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree

# Larger raster images are refused: a small file can still unpack to a huge bitmap.
MAX_PIXELS = 25_000_000


class ImageError(ValueError):
    """Why an image was refused: ``empty``, ``too_large``, ``format`` or ``svg_unsafe``."""


def check(data: bytes, max_bytes: int, *, decode: bool = True) -> str:
    """The image's media type (``image/png``, ``image/jpeg``, ``image/svg+xml``), or
    :class:`ImageError` with a code the form turns into a message. ``decode=False`` takes a PNG
    or JPEG by its signature alone (as the logo always has been)."""
    if not data:
        raise ImageError("empty")
    if len(data) > max_bytes:
        raise ImageError("too_large")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if decode:
            _check_raster(data, "PNG")
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        if decode:
            _check_raster(data, "JPEG")
        return "image/jpeg"
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg"):
        check_svg(data)
        return "image/svg+xml"
    raise ImageError("format")


def _check_raster(data: bytes, expected: str) -> None:
    """A PNG or JPEG that Pillow can read to the end: a truncated or forged file is refused."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected or image.width * image.height > MAX_PIXELS:
                raise ImageError("format")
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except ImageError:
        raise
    except Exception:  # Pillow raises many kinds for broken files; each means "not an image"
        raise ImageError("format") from None


# Attributes that make an SVG load something; only a fragment of the same file (#id) may stand
# there. A data: URL is refused too: it can carry another SVG with scripts or references.
REFERENCE_ATTRIBUTES = {"href", "src"}


def check_svg(data: bytes) -> None:
    """Refuse (:class:`ImageError`) an SVG that is not plain: scripts, handlers, DTDs, HTML
    inside, or any reference that is not a fragment of the file itself."""
    lowered = data.lower()
    # No DTDs (entity tricks), scripts, embedded HTML or event handlers, spelled any way.
    if re.search(rb"<!doctype|<!entity|<\?xml-stylesheet|<script|foreignobject|\son\w+\s*=", lowered):
        raise ImageError("svg_unsafe")
    if re.search(rb"url\(\s*[\"']?(?!#)", lowered) or b"@import" in lowered:
        raise ImageError("svg_unsafe")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise ImageError("format") from None
    if not root.tag.endswith("svg"):
        raise ImageError("format")
    # The parsed tree, at every depth: entities and odd quoting are resolved by now.
    for element in root.iter():
        if _local(element.tag) in ("script", "foreignobject"):
            raise ImageError("svg_unsafe")
        for name, value in element.attrib.items():
            local = _local(name)
            if local.startswith("on"):
                raise ImageError("svg_unsafe")
            if local in REFERENCE_ATTRIBUTES and not value.strip().startswith("#"):
                raise ImageError("svg_unsafe")
            _check_urls(value)
        _check_urls(element.text or "")


def _check_urls(text: str) -> None:
    """CSS ``url(...)`` in attributes and style sheets may only name a fragment."""
    for target in re.findall(r"url\(\s*['\"]?([^'\")]*)", text, re.IGNORECASE):
        if not target.strip().startswith("#"):
            raise ImageError("svg_unsafe")


def _local(name: str) -> str:
    """``{namespace}name`` -> ``name``, lowercased."""
    return name.rsplit("}", 1)[-1].lower()
