"""``practice handout VISIT_ID -o FILE.pdf``: issue a visit's handout from the command line."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from practice.accounts.models import Practitioner
from practice.extensions import db
from practice.handouts import service
from practice.visits.models import Visit


@click.command("handout")
@click.argument("visit_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", "language", type=click.Choice(["de", "en"]),
              help="Language (default: the client's)")
@with_appcontext
def handout(visit_id: int, output: Path, language: str | None):
    """Issue (and store) the handout of VISIT_ID and write it to a PDF file."""
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise click.ClickException(f"no visit {visit_id}")
    actor = db.session.get(Practitioner, visit.practitioner_id) or db.session.scalar(
        sa.select(Practitioner).order_by(Practitioner.id))
    server = current_app.config.get("SERVER_NAME") or "localhost"
    with current_app.test_request_context(base_url=f"http://{server}"):
        issued = service.issue(visit.client, visit=visit,
                               language=language or visit.client.language, actor=actor)
        db.session.commit()
        output.write_bytes(issued.pdf)
    click.echo(f"Handout {issued.id} ({issued.pages} pages, sha256 {issued.sha256[:12]}...) "
               f"written to {output}.")
