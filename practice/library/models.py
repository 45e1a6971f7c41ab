"""The content library: items drawn from the practice's articles, each kept in versions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.accounts.models import Practitioner
from practice.database import UTCDateTime, utcnow
from practice.extensions import db

KINDS = ("warmth", "self_massage", "rest", "nutrition", "movement", "acupressure",
         "liver_support", "lifestyle", "warning_signs", "background")
DOSES = ("article", "practice", "none")
TEXT_FIELDS = ("title", "summary", "body", "how", "how_long", "how_often", "cautions", "steps",
               "location", "effect", "application")


class ContentSource(db.Model):
    """An article the library draws on, attributed as the article gives it."""

    __tablename__ = "content_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    publisher: Mapped[str] = mapped_column(sa.String(200), default="")
    author: Mapped[str] = mapped_column(sa.String(200), default="")
    language: Mapped[str] = mapped_column(sa.String(5), default="de")
    # The article's date as the page gives it (ISO date from the page's metadata, or typed).
    published: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")

    @property
    def attribution(self) -> str:
        """Title, then author and publisher where known."""
        by = ", ".join(part for part in (self.author, self.publisher) if part)
        return f"{self.title} ({by})" if by else self.title


class Illustration(db.Model):
    """A picture for library items (a shipped drawing or the practice's own upload): checked
    PNG, JPEG or SVG bytes, stored once however many versions show them, and never changed."""

    __tablename__ = "content_illustrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    media_type: Mapped[str] = mapped_column(sa.String(40))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    # The shipped drawing's file name, or "" for an upload.
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContentItem(db.Model):
    """A recommendation, exercise, acupressure point, warning or background text."""

    __tablename__ = "content_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    source_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_sources.id", ondelete="SET NULL"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    point_code_who: Mapped[str] = mapped_column(sa.String(20), default="")
    point_code_de: Mapped[str] = mapped_column(sa.String(20), default="")
    pinyin: Mapped[str] = mapped_column(sa.String(60), default="")
    # Where the dose (how long, how often, repetitions) comes from: the source article, the
    # practice's own default (printed as such), or no dose at all.
    dose: Mapped[str] = mapped_column(sa.String(10), default="none")
    # Copies of the newest version's titles, folded text and picture, for listing and searching.
    title_de: Mapped[str] = mapped_column(sa.String(200), default="")
    title_en: Mapped[str] = mapped_column(sa.String(200), default="")
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    illustration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_illustrations.id", ondelete="SET NULL"))
    version_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[ContentSource | None] = relationship()
    versions: Mapped[list[ContentVersion]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ContentVersion.number"
    )

    __table_args__ = (sa.CheckConstraint(f"kind IN {KINDS!r}", name="kind_known"),
                      sa.CheckConstraint(f"dose IN {DOSES!r}", name="dose_known"))

    @property
    def current(self) -> ContentVersion | None:
        """The newest version."""
        return self.versions[-1] if self.versions else None

    def title(self, language: str) -> str:
        """The title in ``language``, or in the other language when it is not translated."""
        own = self.title_de if language == "de" else self.title_en
        return own or self.title_en or self.title_de


class ContentVersion(db.Model):
    """One state of an item's texts in both languages. Issued handouts point here, so what a
    client was given never changes when the library is edited."""

    __tablename__ = "content_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("content_items.id", ondelete="CASCADE"),
                                         index=True)
    number: Mapped[int]
    texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {"de": {...}, "en": {...}}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practitioners.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    # The picture shown with this version (kept with it, like its texts); None for none.
    illustration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_illustrations.id", ondelete="RESTRICT"), index=True)

    item: Mapped[ContentItem] = relationship(back_populates="versions")
    created_by: Mapped[Practitioner | None] = relationship()
    illustration: Mapped[Illustration | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("item_id", "number", name="uq_content_versions_number"),)

    def text(self, language: str) -> dict:
        """The texts in ``language`` (empty fields where not translated)."""
        return {field: (self.texts.get(language) or {}).get(field, [] if field == "steps" else "")
                for field in TEXT_FIELDS}

    def is_translated(self, language: str) -> bool:
        """Whether ``language`` has at least a title and a summary."""
        texts = self.texts.get(language) or {}
        return bool(texts.get("title") and texts.get("summary"))
