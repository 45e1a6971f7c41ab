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


# Attributes that make an SVG load something; only a fragment of the same file (#id) may stand
# there. A data: URL is refused too: it can carry another SVG with scripts or references.
REFERENCE_ATTRIBUTES = {"href", "src"}


def _check_svg(data: bytes) -> None:
    lowered = data.lower()
    # No DTDs (entity tricks), scripts, embedded HTML or event handlers, spelled any way.
    if re.search(rb"<!doctype|<!entity|<\?xml-stylesheet|<script|foreignobject|\son\w+\s*=", lowered):
        raise LogoError("svg_unsafe")
    if re.search(rb"url\(\s*[\"']?(?!#)", lowered) or b"@import" in lowered:
        raise LogoError("svg_unsafe")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise LogoError("format") from None
    if not root.tag.endswith("svg"):
        raise LogoError("format")
    # The parsed tree, at every depth: entities and odd quoting are resolved by now.
    for element in root.iter():
        if _local(element.tag) in ("script", "foreignobject"):
            raise LogoError("svg_unsafe")
        for name, value in element.attrib.items():
            local = _local(name)
            if local.startswith("on"):
                raise LogoError("svg_unsafe")
            if local in REFERENCE_ATTRIBUTES and not value.strip().startswith("#"):
                raise LogoError("svg_unsafe")
            _check_urls(value)
        _check_urls(element.text or "")


def _check_urls(text: str) -> None:
    """CSS ``url(...)`` in attributes and style sheets may only name a fragment."""
    for target in re.findall(r"url\(\s*['\"]?([^'\")]*)", text, re.IGNORECASE):
        if not target.strip().startswith("#"):
            raise LogoError("svg_unsafe")


def _local(name: str) -> str:
    """``{namespace}name`` -> ``name``, lowercased."""
    return name.rsplit("}", 1)[-1].lower()
