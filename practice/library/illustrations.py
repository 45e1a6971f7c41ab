"""Pictures for library items: the drawings shipped with the app and the practice's own uploads.

A picture is checked like the practice logo (PNG, JPEG or a plain SVG, see
:mod:`practice.images`), stored once by its SHA-256 and never changed; each item version points
at the one it shows. Services flush; views and commands commit.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import sqlalchemy as sa
from flask import abort, make_response
from flask_babel import gettext as _

from practice import images
from practice.extensions import db
from practice.library.models import Illustration

MAX_BYTES = 512 * 1024
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "static" / "illustrations"
# Nothing inside the picture may run or load anything, even when it is opened on its own.
CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

IllustrationError = images.ImageError


def store(data: bytes, media_type: str, *, name: str = "") -> Illustration:
    """The stored picture with these bytes (added when new); the caller checked them."""
    digest = hashlib.sha256(data).hexdigest()
    found = db.session.scalar(sa.select(Illustration).where(Illustration.sha256 == digest))
    if found is not None:
        return found
    illustration = Illustration(sha256=digest, media_type=media_type, data=data, name=name[:120])
    db.session.add(illustration)
    db.session.flush()
    return illustration


def from_upload(data: bytes) -> Illustration:
    """Check and store an uploaded picture; :class:`IllustrationError` when it is refused."""
    return store(data, images.check(data, MAX_BYTES))


def shipped(name: str) -> Illustration:
    """A drawing from ``practice/static/illustrations/``, checked as an upload would be."""
    path = (SHIPPED_DIR / name).resolve()
    if not path.is_relative_to(SHIPPED_DIR) or path.suffix != ".svg":
        raise ValueError(f"not a shipped drawing: {name!r}")
    data = path.read_bytes()
    return store(data, images.check(data, MAX_BYTES), name=name)


def shipped_digest(name: str) -> str:
    """The SHA-256 of a shipped drawing's current file (to tell an earlier drawing by)."""
    path = (SHIPPED_DIR / name).resolve()
    if not path.is_relative_to(SHIPPED_DIR):
        raise ValueError(f"not a shipped drawing: {name!r}")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shipped_names() -> list[str]:
    """The file names of the shipped drawings."""
    return sorted(path.name for path in SHIPPED_DIR.glob("*.svg"))


def message(code: str) -> str:
    """Why an upload was refused, in the reader's language."""
    return {
        "too_large": _("The picture may be at most 512 kB."),
        "svg_unsafe": _("This SVG contains scripts or outside references; please export it as "
                        "a plain SVG or PNG."),
        "empty": _("The file is empty. Please choose a PNG, JPEG or SVG image."),
    }.get(code, _("Please upload a PNG, JPEG or SVG image."))


def get(illustration_id: int) -> Illustration:
    """A stored picture, or 404."""
    illustration = db.session.get(Illustration, illustration_id)
    if illustration is None:
        abort(404)
    return illustration


def response(illustration: Illustration):
    """The picture as an HTTP response that can run nothing, whatever it contains."""
    reply = make_response(illustration.data)
    reply.headers["Content-Type"] = illustration.media_type
    reply.headers["Content-Security-Policy"] = CSP
    reply.headers["Content-Disposition"] = "inline"
    # Like every page but the static files: never kept in a shared or back-button cache.
    reply.headers["Cache-Control"] = "no-store"
    return reply


def data_uri(illustration_id: int | None) -> str | None:
    """The picture as a data: URI for the handout PDF (an SVG stays vectors there)."""
    if illustration_id is None:
        return None
    illustration = db.session.get(Illustration, illustration_id)
    if illustration is None:
        return None
    encoded = base64.b64encode(illustration.data).decode()
    return f"data:{illustration.media_type};base64,{encoded}"
