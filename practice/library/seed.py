"""Loading the starter library shipped with the app (practice/library/data/*.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import sqlalchemy as sa

from practice.extensions import db
from practice.library import illustrations, service
from practice.library.models import ContentItem, ContentSource, ContentVersion

DATA_DIR = Path(__file__).resolve().parent / "data"


def shipped_files() -> list[Path]:
    """The data files that come with the app."""
    return sorted(DATA_DIR.glob("*.toml"))


def read(path: Path) -> dict:
    """One data file, parsed."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_shipped(actor=None) -> int:
    """Add every shipped item whose key is not in the library yet (with its drawing); returns how
    many were added.

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
                                note="shipped with the app", dose=entry.get("dose", "none"),
                                illustration=_drawing(entry))
            existing.add(entry["key"])
            added += 1
    db.session.flush()
    return added


def _drawing(entry: dict):
    name = entry.get("illustration")
    return illustrations.shipped(name) if name else None


def add_shipped_drawings(actor=None) -> int:
    """Bring each shipped item's drawing up to date, as a new version; returns how many items
    got one.

    An item that never had a picture (a library loaded before the drawings came) gets its
    shipped drawing; an item still showing an earlier drawing shipped under the same name gets
    the redrawn one. An item whose picture the practice removed or replaced with its own is
    left alone (an upload has no shipped name).
    """
    wanted = {entry["key"]: entry["illustration"] for path in shipped_files()
              for entry in read(path)["items"] if entry.get("illustration")}
    had_one = set(db.session.scalars(
        sa.select(ContentVersion.item_id).where(ContentVersion.illustration_id.is_not(None))))
    added = 0
    for item in db.session.scalars(sa.select(ContentItem).where(ContentItem.key.in_(wanted))):
        if item.current is None:
            continue
        name, shown = wanted[item.key], item.current.illustration
        if shown is None and item.id not in had_one:
            note = "drawing shipped with the app"
        elif (shown is not None and shown.name == name
              and shown.sha256 != illustrations.shipped_digest(name)):
            note = "drawing shipped with the app, redrawn"
        else:
            continue
        service.add_version(item, item.current.texts, actor=actor, note=note,
                            illustration=illustrations.shipped(name))
        added += 1
    db.session.flush()
    return added
