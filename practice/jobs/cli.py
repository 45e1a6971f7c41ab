"""``practice worker``: runs the background jobs (several may run, on several machines)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from practice.extensions import db


@click.command("worker")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Jobs run at once by this worker")
@with_appcontext
def worker(threads: int):
    """Run background jobs (the day's handouts, record copies) until stopped."""
    from practice.jobs import service
    from practice.jobs.queue import put, queue_of

    app = current_app._get_current_object()
    if app.config.get("JOBS_IMMEDIATE"):
        raise click.ClickException("JOBS_IMMEDIATE is set: jobs run inside the request, "
                                   "no worker is needed.")
    again = service.waiting()  # the queue may have lost them (a restore, a crash)
    db.session.commit()
    for job_id in again:
        put(app, job_id)
    click.echo(f"Worker started ({threads} at a time); {len(again)} waiting jobs queued.")
    # Look at the queue at least every second when idle (Huey's default backs off to 10 s).
    consumer = queue_of(app).create_consumer(workers=threads, worker_type="thread",
                                             periodic=False, max_delay=1.0)
    consumer.run()
