"""``practice retention``: the records past their retention date, and (``--purge``) deleting
them with a purge log that keeps no health data."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from practice.extensions import db
from practice.i18n import local_today


@click.command("retention")
@click.option("--purge", is_flag=True, help="Delete the archived or restricted records listed")
@with_appcontext
def retention_cli(purge: bool):
    """List records whose 10 years after the end of treatment are over; --purge deletes the
    archived and restricted ones (an active record is only listed: archive it first)."""
    from practice.records import retention

    today = local_today()
    due = list(retention.due(today))
    if not due:
        click.echo(f"No record is past its retention date ({today.isoformat()}).")
        return
    purged = kept = 0
    for client, kept_until in due:
        # Numbers and dates only: names stay out of logs and terminals.
        state = ("restricted" if client.restricted_at else "archived" if client.is_archived
                 else "active")
        line = (f"record {client.id}: treatment ended {kept_until.ended_on.isoformat()}, "
                f"kept until {kept_until.until.isoformat()}, {state}")
        if purge and retention.may_purge(client):
            retention.purge(client, kept_until)
            db.session.commit()
            purged += 1
            click.echo(line + " -> deleted")
        else:
            kept += 1
            click.echo(line + ("" if not purge else " -> kept: still active, archive it first"))
    click.echo(f"{len(due)} past their date; {purged} deleted, {kept} kept."
               + ("" if purge else " Run with --purge to delete the archived and restricted."))
