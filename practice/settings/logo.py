"""Checking an uploaded practice logo: PNG, JPEG or a plain SVG, at most 512 kB."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

MAX_BYTES = 512 * 1024


class LogoError(ValueError):
    """Why a logo was refused (a code the form turns into a message)."""


def check(data: bytes) -> str:
    """The logo's media type, or :class:`LogoError`."""
    if not data:
        raise LogoError("empty")
    if len(data) > MAX_BYTES:
        raise LogoError("too_large")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg"):
        _check_svg(data)
        return "image/svg+xml"
    raise LogoError("format")


def _check_svg(data: bytes) -> None:
    lowered = data.lower()
    # No DTDs (entity tricks), scripts, embedded HTML, event handlers or outside references.
    if re.search(rb"<!doctype|<!entity|<script|foreignobject|\son\w+\s*=", lowered):
        raise LogoError("svg_unsafe")
    for href in re.findall(rb"(?:xlink:)?href\s*=\s*[\"']([^\"']*)", lowered):
        if not (href.startswith(b"#") or href.startswith(b"data:image/")):
            raise LogoError("svg_unsafe")
    if re.search(rb"url\(\s*[\"']?(?!#)", lowered) or b"@import" in lowered:
        raise LogoError("svg_unsafe")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise LogoError("format") from None
    if not root.tag.endswith("svg"):
        raise LogoError("format")
