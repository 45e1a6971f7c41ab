"""``practice content ...``: load the starter library, import an article."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from practice.extensions import db
from practice.library import importer, seed, service
from practice.library.models import ContentSource


@click.group()
def content():
    """The content library."""


@content.command("load")
@with_appcontext
def load():
    """Add the starter library shipped with the app (existing items are left alone)."""
    added = seed.load_shipped()
    db.session.commit()
    click.echo(f"{added} items added.")


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
    source = ContentSource(key=service.unique_key("import " + (title or file.stem)),
                           title=title or file.stem, language=language)
    db.session.add(source)
    for proposal in kept:
        service.create_item(key=service.unique_key(proposal.title), kind=proposal.kind,
                            texts={language: {"title": proposal.title[:200],
                                              "summary": proposal.summary,
                                              "body": proposal.body}},
                            source=source, active=False, note="imported")
    db.session.commit()
    click.echo(f"Saved {len(kept)} items as retired, for review in the library.")
