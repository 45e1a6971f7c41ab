"""``practice content ...``: load the starter library, import an article."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from practice.extensions import db
from practice.library import extract, importer, imports, seed


@click.group()
def content():
    """The content library."""


@content.command("load")
@with_appcontext
def load():
    """Add the starter library shipped with the app (existing items are left alone) and bring
    its drawings up to date."""
    added = seed.load_shipped()
    drawings = seed.add_shipped_drawings()
    db.session.commit()
    click.echo(f"{added} items added.")
    if drawings:
        click.echo(f"{drawings} items got their shipped drawing (as a new version).")


@content.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", "language", type=click.Choice(["de", "en"]), default=None,
              help="Language of the article (drives splitting and kinds; recognised when not "
                   "given)")
@click.option("--dry-run", is_flag=True, help="Only show what would be proposed")
@with_appcontext
def import_article(file: Path, language: str | None, dry_run: bool):
    """Split FILE (text, Markdown or HTML) into proposed items.

    Without --dry-run the proposals are saved as retired items, to be reviewed, translated and
    offered in the library's pages. Promotional and left-out parts are listed, never saved;
    flags (medication, needling, claims, form of address, language) are listed with the words
    that raised them.
    """
    if file.stat().st_size > 2 * extract.MAX_CHARS:
        raise click.ClickException(f"{file.name}: the file is too large for an article.")
    try:
        article = importer.read(extract.decode(file.read_bytes()), language)
    except extract.UnreadableArticle as problem:
        with current_app.test_request_context():  # the message is translated lazily
            raise click.ClickException(f"{file.name}: {problem.message}") from None
    click.echo(f"Article: {article.title or file.name}")
    for label, value in (("Author", article.author), ("Site", article.site),
                         ("Date", article.date)):
        if value:
            click.echo(f"{label}: {value}")
    if article.detected != article.language:
        click.echo(f"Note: read as {article.language}, but the text looks like "
                   f"{article.detected}.")
    proposals = article.proposals
    for proposal in proposals:
        marker = {"proposed": "+", "promotional": "!", "left_out": "-"}[proposal.status]
        reason = f" ({proposal.reason})" if proposal.reason else ""
        click.echo(f"{marker} [{proposal.kind}] {proposal.title}{reason}")
        if proposal.point:
            click.echo(f"    point: {proposal.point['code_who']} / {proposal.point['code_de']}"
                       f"{' ' + proposal.point['pinyin'] if proposal.point['pinyin'] else ''}"
                       f"; {', '.join(sorted(proposal.fields))}")
        elif proposal.fields.get("steps"):
            click.echo(f"    {len(proposal.fields['steps'])} steps")
        for flag in proposal.flags:
            click.echo(f"    flag {flag.code}: {flag.evidence}")
    kept = [p for p in proposals if p.status == importer.PROPOSED]
    click.echo(f"{len(kept)} proposed, "
               f"{sum(p.status == importer.PROMOTIONAL for p in proposals)} promotional (flagged), "
               f"{sum(p.status == importer.LEFT_OUT for p in proposals)} left out.")
    if dry_run:
        return
    result = imports.save(imports.review_of(article, file.stem), actor=None)
    db.session.commit()
    if result.existing_source:
        click.echo(f"Already in the library as \"{result.source.title}\": {result.added} added, "
                   f"{result.new_versions} saved as a new version, {result.unchanged} unchanged.")
    else:
        click.echo(f"Saved {result.added} items as retired, for review in the library.")
