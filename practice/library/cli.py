"""``practice content ...``: load the starter library, import an article."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from practice.extensions import db
from practice.library import importer, imports, seed


@click.group()
def content():
    """The content library."""


@content.command("load")
@with_appcontext
def load():
    """Add the starter library shipped with the app (existing items are left alone)."""
    added = seed.load_shipped()
    drawings = seed.add_shipped_drawings()
    db.session.commit()
    click.echo(f"{added} items added.")
    if drawings:
        click.echo(f"{drawings} items got their shipped drawing (as a new version).")


@content.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", "language", type=click.Choice(["de", "en"]), default="de",
              show_default=True, help="Language of the article")
@click.option("--dry-run", is_flag=True, help="Only show what would be proposed")
@with_appcontext
def import_article(file: Path, language: str, dry_run: bool):
    """Split FILE (text, Markdown or HTML) into proposed items.

    Without --dry-run the proposals are saved as retired items, to be reviewed, translated and
    offered in the library's pages. Promotional and left-out parts are listed, never saved.
    """
    title, proposals = importer.split(file.read_text(encoding="utf-8"))
    click.echo(f"Article: {title or file.name}")
    for proposal in proposals:
        marker = {"proposed": "+", "promotional": "!", "left_out": "-"}[proposal.status]
        reason = f" ({proposal.reason})" if proposal.reason else ""
        click.echo(f"{marker} [{proposal.kind}] {proposal.title}{reason}")
    kept = [p for p in proposals if p.status == importer.PROPOSED]
    click.echo(f"{len(kept)} proposed, "
               f"{sum(p.status == importer.PROMOTIONAL for p in proposals)} promotional (flagged), "
               f"{sum(p.status == importer.LEFT_OUT for p in proposals)} left out.")
    if dry_run:
        return
    result = imports.save(imports.review_of(proposals, title or file.stem, language), actor=None)
    db.session.commit()
    if result.existing_source:
        click.echo(f"Already in the library as \"{result.source.title}\": {result.added} added, "
                   f"{result.new_versions} saved as a new version, {result.unchanged} unchanged.")
    else:
        click.echo(f"Saved {result.added} items as retired, for review in the library.")
