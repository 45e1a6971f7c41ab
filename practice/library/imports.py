"""Saving an imported article: the review form read field by field, and sources that are
recognised when the same article comes again (its items get new versions, nothing fails).

Services flush; views and commands commit.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from practice.accounts.models import Practitioner
from practice.clients.service import fold
from practice.extensions import db
from practice.forms import too_long
from practice.library import service
from practice.library.flags import FLAG_LABELS
from practice.library.importer import PROPOSED, Article, Proposal
from practice.library.models import KINDS, ContentItem, ContentSource

# Field limits of the review form (the columns and versions they end up in).
SOURCE_LIMITS = {"source_title": 300, "source_author": 200, "source_publisher": 200,
                 "source_published": 40}
TEXT_LIMITS = {"title": 200, "summary": 1000, "body": 20000}
# What a point or an exercise has besides (own language only: the translation is done later
# in the item's editor).
STRUCTURE_LIMITS = {"location": 2000, "effect": 2000, "application": 2000, "cautions": 2000,
                    "steps": 5000}
POINT_LIMITS = {"code_who": 20, "code_de": 20, "pinyin": 60}
MAX_PROPOSALS = 200
MAX_FLAGS = 20


@dataclass
class Review:
    """The review form as typed: source fields, one row per proposal, messages by field."""

    language: str
    source: dict
    rows: list[dict]
    errors: dict = field(default_factory=dict)
    detected: str = ""  # the language the article looks like, when it differs

    @property
    def other(self) -> str:
        """The language the translation fields are in."""
        return "en" if self.language == "de" else "de"


@dataclass
class ImportResult:
    """What saving did: the source, and how many items were added, got a new version or were
    already as imported."""

    source: ContentSource | None
    existing_source: bool
    added: int = 0
    new_versions: int = 0
    unchanged: int = 0


def source_key(title: str) -> str:
    """The key an article's source is recognised by (its title, folded; as keys were always
    made, so that articles imported before are recognised too)."""
    return service.slug("import " + title)


def existing_source(title: str) -> ContentSource | None:
    """The source imported earlier under the same title, if any."""
    if not title.strip():
        return None
    return db.session.scalar(sa.select(ContentSource).where(
        ContentSource.key == source_key(title)))


def item_count(source: ContentSource) -> int:
    """How many library items come from ``source``."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(ContentItem).where(
        ContentItem.source_id == source.id)) or 0


def _items_by_title(source: ContentSource | None, language: str) -> dict[str, ContentItem]:
    if source is None:
        return {}
    column = ContentItem.title_de if language == "de" else ContentItem.title_en
    items = db.session.scalars(sa.select(ContentItem).where(ContentItem.source_id == source.id))
    return {fold(getattr(item, column.key)): item for item in items if getattr(item, column.key)}


def rows_from(proposals: list[Proposal], title: str, language: str) -> list[dict]:
    """Review rows for freshly split proposals; an item already imported from the same article
    keeps the kind it was given then."""
    known = _items_by_title(existing_source(title), language)
    rows = []
    for index, proposal in enumerate(proposals):
        match = known.get(fold(proposal.title[:200]))
        fields = {name: "\n".join(value) if isinstance(value, list) else value
                  for name, value in proposal.fields.items()}
        rows.append({"index": index, "status": proposal.status, "reason": proposal.reason,
                     "notes": proposal.notes, "keep": True,
                     "flags": [flag.as_dict() for flag in proposal.flags],
                     "fields": fields, "point": dict(proposal.point),
                     "kind": match.kind if match else proposal.kind,
                     "existing": match is not None, "title": proposal.title[:200],
                     "summary": proposal.summary, "body": proposal.body,
                     "other_title": "", "other_summary": "", "other_body": ""})
    return rows


def read_review(form) -> Review:
    """Read the posted review form. Over-long fields become messages at the field (with
    everything typed kept); only what no review page could send is a bad request."""
    language = form.get("language")
    if language not in service.LANGUAGES:
        raise BadRequest("language")
    try:
        count = int(form.get("count", ""))
    except ValueError:
        raise BadRequest("count") from None
    if not 0 <= count <= MAX_PROPOSALS:
        raise BadRequest("count")
    errors: dict[str, str] = {}

    def value(name: str, limit: int) -> str:
        text = (form.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = too_long(limit, len(text))
        return text

    source = {name: value(name, limit) for name, limit in SOURCE_LIMITS.items()}
    rows = []
    for index in range(count):
        if f"title_{index}" not in form:
            continue  # a left-out or promotional part: shown, never posted
        kind = form.get(f"kind_{index}")
        if kind not in KINDS:
            raise BadRequest("kind")
        row = {"index": index, "status": PROPOSED, "reason": "", "notes": [],
               "keep": form.get(f"keep_{index}") == "1", "kind": kind,
               "existing": form.get(f"existing_{index}") == "1",
               "flags": _flags(form.getlist(f"flag_{index}")),
               "fields": {name: value(f"{name}_{index}", limit)
                          for name, limit in STRUCTURE_LIMITS.items()
                          if f"{name}_{index}" in form},
               "point": {name: value(f"{name}_{index}", limit)
                         for name, limit in POINT_LIMITS.items() if f"{name}_{index}" in form}}
        for name, limit in TEXT_LIMITS.items():
            row[name] = value(f"{name}_{index}", limit)
            row[f"other_{name}"] = value(f"other_{name}_{index}", limit)
        rows.append(row)
    detected = form.get("detected", "")
    return Review(language=language, source=source, rows=rows, errors=errors,
                  detected=detected if detected in service.LANGUAGES else "")


def _flags(values: list[str]) -> list[dict]:
    """The flags a review page carried along (code and the words that raised them)."""
    if len(values) > MAX_FLAGS:
        raise BadRequest("flags")
    flags = []
    for value in values:
        code, _sep, evidence = value.partition("|")
        if code not in FLAG_LABELS:
            raise BadRequest("flag")
        flags.append({"code": code, "evidence": evidence[:300]})
    return flags


def save(review: Review, *, actor: Practitioner | None) -> ImportResult:
    """Save the kept rows. An article imported before (same title) is not a second source:
    its items get a new version where the import changed them, new sections are added."""
    language, other = review.language, review.other
    title = review.source["source_title"]
    source = existing_source(title)
    result = ImportResult(source=source, existing_source=source is not None)
    known = _items_by_title(source, language)
    for row in review.rows:
        if not (row["keep"] and row["title"]):
            continue
        own = {name: row[name] for name in TEXT_LIMITS} | row.get("fields", {})
        translated = {name: row[f"other_{name}"] for name in TEXT_LIMITS}
        item = known.get(fold(row["title"]))
        if item is not None:
            texts = copy.deepcopy(item.current.texts)
            texts.setdefault(language, {}).update(own)
            # An empty translation field keeps what was translated since the first import.
            texts.setdefault(other, {}).update({k: v for k, v in translated.items() if v})
            item.kind = row["kind"]
            _set_point(item, row.get("point", {}))
            if service.add_version(item, texts, actor=actor, note="imported again"):
                result.new_versions += 1
            else:
                result.unchanged += 1
            continue
        if result.source is None:
            result.source = _new_source(review, title)
        service.create_item(key=service.unique_key(row["title"]), kind=row["kind"],
                            texts={language: own, other: translated}, source=result.source,
                            point=row.get("point") or None,
                            active=bool(translated["title"] and translated["summary"]),
                            actor=actor, note="imported")
        result.added += 1
    db.session.flush()
    return result


def _set_point(item: ContentItem, point: dict) -> None:
    for name, column in (("code_who", "point_code_who"), ("code_de", "point_code_de"),
                         ("pinyin", "pinyin")):
        if point.get(name):
            setattr(item, column, point[name])


def _new_source(review: Review, title: str) -> ContentSource:
    base = source_key(title) if title.strip() else "import-article"
    key, number = base, 2
    while db.session.scalar(sa.select(ContentSource.id).where(ContentSource.key == key)):
        key, number = f"{base}-{number}", number + 1
    source = ContentSource(key=key, title=title or _("Imported article"),
                           publisher=review.source["source_publisher"],
                           author=review.source["source_author"], language=review.language,
                           published=review.source.get("source_published", ""))
    db.session.add(source)
    return source


def review_from(article: Article) -> Review:
    """The review page's first state for a freshly split article: the source filled from the
    page's metadata (title, author, site as publisher, date)."""
    return Review(language=article.language,
                  rows=rows_from(article.proposals, article.title, article.language),
                  source=_source_of(article),
                  detected=article.detected if article.detected != article.language else "")


def _source_of(article: Article) -> dict:
    return {"source_title": article.title[:300], "source_author": article.author[:200],
            "source_publisher": article.site[:200], "source_published": article.date[:40]}


def review_of(article: Article, fallback_title: str = "") -> Review:
    """A review as the command line takes it: every proposed section kept, as split."""
    title = article.title or fallback_title
    rows = [row for row in rows_from(article.proposals, title, article.language)
            if row["status"] == PROPOSED]
    return Review(language=article.language, rows=rows,
                  source=_source_of(article) | {"source_title": title[:300]})
