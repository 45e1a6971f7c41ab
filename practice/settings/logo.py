"""Checking an uploaded practice logo: PNG, JPEG or a plain SVG, at most 512 kB.

The checks themselves live in :mod:`practice.images`, shared with the library's illustrations.
"""

from __future__ import annotations

from practice import images

MAX_BYTES = 512 * 1024

LogoError = images.ImageError  # the name the settings page has always caught


def check(data: bytes) -> str:
    """The logo's media type, or :class:`LogoError`. A PNG or JPEG is taken by its signature, as
    before the checks were shared (the illustrations' check also decodes it)."""
    return images.check(data, MAX_BYTES, decode=False)
