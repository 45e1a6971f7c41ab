"""The content library: listing, searching, creating and versioning items.

Services flush; views and commands commit.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from practice.accounts.models import Practitioner
from practice.audit import service as audit
from practice.clients.service import fold
from practice.database import utcnow
from practice.extensions import db
from practice.library.models import (DOSES, KINDS, TEXT_FIELDS, ContentItem, ContentSource,
                                     ContentVersion, Illustration)

LANGUAGES = ("de", "en")
# For ``illustration=``: the new version shows the picture the newest one shows.
KEEP = "keep"


def clean_texts(texts: dict) -> dict:
    """Keep the known fields of both languages, trimmed; steps as a list of non-empty lines."""
    result = {}
    for language in LANGUAGES:
        given = texts.get(language) or {}
        own = {}
        for field in TEXT_FIELDS:
            value = given.get(field)
            if field == "steps":
                lines = value.splitlines() if isinstance(value, str) else (value or [])
                own[field] = [line.strip() for line in lines if line and line.strip()]
            else:
                own[field] = (value or "").strip()
        result[language] = own
    return result


def _refresh_copies(item: ContentItem, texts: dict) -> None:
    item.title_de = texts["de"]["title"][:200]
    item.title_en = texts["en"]["title"][:200]
    words = [item.point_code_who, item.point_code_de, item.pinyin]
    for language in LANGUAGES:
        own = texts[language]
        words += [own["title"], own["summary"], own["body"], own["how"]]
    item.search_text = fold(" ".join(w for w in words if w))
    item.updated_at = utcnow()


def _illustration_id(item: ContentItem, illustration) -> int | None:
    if illustration == KEEP:
        return item.current.illustration_id if item.current is not None else None
    return illustration.id if illustration is not None else None


def create_item(*, key: str, kind: str, texts: dict, tags: list | None = None,
                source: ContentSource | None = None, point: dict | None = None,
                active: bool = True, actor: Practitioner | None = None,
                note: str = "", dose: str = "none",
                illustration: Illustration | None = None) -> ContentItem:
    """Create an item with its first version. ``dose`` says where its dose comes from (the
    source article, the practice's default, or none); ``illustration`` is its picture."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if dose not in DOSES:
        raise ValueError(f"unknown dose origin {dose!r}")
    point = point or {}
    item = ContentItem(key=key, kind=kind, tags=list(tags or []), source=source,
                       is_active=active, version_count=0, dose=dose,
                       point_code_who=point.get("code_who", ""),
                       point_code_de=point.get("code_de", ""), pinyin=point.get("pinyin", ""))
    db.session.add(item)
    add_version(item, texts, actor=actor, note=note, illustration=illustration)
    audit.record("content.create", "content_item", item.id, actor=actor)
    return item


def add_version(item: ContentItem, texts: dict, *, actor: Practitioner | None = None,
                note: str = "", illustration=KEEP) -> ContentVersion | None:
    """Save ``texts`` and ``illustration`` (an :class:`Illustration`, None for none, or
    :data:`KEEP` for the newest version's) as the item's new version, unless nothing changed.
    Earlier versions stay, each with its own picture."""
    texts = clean_texts(texts)
    illustration_id = _illustration_id(item, illustration)
    current = item.current
    if (current is not None and current.texts == texts
            and current.illustration_id == illustration_id):
        return None
    item.version_count = (item.version_count or 0) + 1
    version = ContentVersion(item=item, number=item.version_count, texts=texts,
                             created_by_id=getattr(actor, "id", None), note=note[:300],
                             created_at=utcnow(), illustration_id=illustration_id)
    db.session.add(version)
    _refresh_copies(item, texts)
    item.illustration_id = illustration_id
    db.session.flush()
    if item.version_count > 1:
        audit.record("content.edit", "content_item", item.id, actor=actor)
    return version


def update_item(item: ContentItem, *, kind: str, tags: list, point: dict, texts: dict,
                actor: Practitioner, note: str = "", dose: str | None = None,
                illustration=KEEP) -> ContentVersion | None:
    """Change an item: its attributes directly, its texts and picture as a new version."""
    item.kind = kind
    if dose in DOSES:
        item.dose = dose
    item.tags = list(tags)
    item.point_code_who = point.get("code_who", "")
    item.point_code_de = point.get("code_de", "")
    item.pinyin = point.get("pinyin", "")
    version = add_version(item, texts, actor=actor, note=note, illustration=illustration)
    if version is None:
        _refresh_copies(item, item.current.texts)
    return version


def set_active(item: ContentItem, active: bool, *, actor: Practitioner) -> None:
    """Retire an item (no longer offered) or bring it back."""
    item.is_active = active
    audit.record("content.activate" if active else "content.retire", "content_item", item.id,
                 actor=actor)


def get(item_id: int) -> ContentItem:
    """An item, or 404."""
    item = db.session.get(ContentItem, item_id)
    if item is None:
        abort(404)
    return item


def search(*, query: str = "", kind: str = "", status: str = "active",
           source: ContentSource | None = None) -> list[ContentItem]:
    """Items matching every word of ``query`` in either language (and from ``source``), by
    kind and title."""
    statement = sa.select(ContentItem)
    if source is not None:
        statement = statement.where(ContentItem.source_id == source.id)
    if status == "active":
        statement = statement.where(ContentItem.is_active.is_(True))
    elif status == "retired":
        statement = statement.where(ContentItem.is_active.is_(False))
    if kind in KINDS:
        statement = statement.where(ContentItem.kind == kind)
    for word in fold(query).split()[:6]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(ContentItem.search_text.like(f"%{escaped}%", escape="\\"))
    statement = statement.options(sa.orm.selectinload(ContentItem.source))
    items = list(db.session.scalars(statement))
    items.sort(key=lambda i: (KINDS.index(i.kind), fold(i.title_de or i.title_en)))
    return items


def slug(base: str) -> str:
    """``base`` as a key: folded words joined by hyphens, at most 60 characters."""
    return "-".join("".join(ch if ch.isalnum() else " " for ch in fold(base)).split())[:60]


def unique_key(base: str) -> str:
    """An item key not used yet, from ``base``."""
    slug_ = slug(base) or "item"
    key, number = slug_, 2
    while db.session.scalar(sa.select(ContentItem.id).where(ContentItem.key == key)):
        key, number = f"{slug_}-{number}", number + 1
    return key


def counts_by_kind() -> dict[str, int]:
    """How many active items each kind has."""
    rows = db.session.execute(
        sa.select(ContentItem.kind, sa.func.count()).where(ContentItem.is_active.is_(True))
        .group_by(ContentItem.kind)
    )
    return dict(rows.all())
