"""Loading the starter library shipped with the app (practice/library/data/*.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import sqlalchemy as sa

from practice.extensions import db
from practice.library import service
from practice.library.models import ContentItem, ContentSource

DATA_DIR = Path(__file__).resolve().parent / "data"


def shipped_files() -> list[Path]:
    """The data files that come with the app."""
    return sorted(DATA_DIR.glob("*.toml"))


def read(path: Path) -> dict:
    """One data file, parsed."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_shipped(actor=None) -> int:
    """Add every shipped item whose key is not in the library yet; returns how many were added.

    Items already present are left alone: the practice may have edited or retired them.
    """
    added = 0
    existing = set(db.session.scalars(sa.select(ContentItem.key)))
    for path in shipped_files():
        data = read(path)
        source_data = data["source"]
        source = db.session.scalar(
            sa.select(ContentSource).where(ContentSource.key == source_data["key"]))
        if source is None:
            source = ContentSource(key=source_data["key"], title=source_data["title"],
                                   publisher=source_data.get("publisher", ""),
                                   author=source_data.get("author", ""),
                                   language=source_data.get("language", "de"))
            db.session.add(source)
        for entry in data["items"]:
            if entry["key"] in existing:
                continue
            service.create_item(key=entry["key"], kind=entry["kind"],
                                texts={"de": entry["de"], "en": entry["en"]},
                                tags=entry.get("tags", []), source=source,
                                point=entry.get("point"), actor=actor,
                                note="shipped with the app", dose=entry.get("dose", "none"))
            existing.add(entry["key"])
            added += 1
    db.session.flush()
    return added
