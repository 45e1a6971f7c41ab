"""``practice serve``: the production server (gunicorn) with defaults that hold under load.

Threaded workers (gthread), so an idle keep-alive connection never blocks a worker until the
timeout kills it; a moderate number of workers, since SQLite writes one at a time; requests
forwarded by the reverse proxy on this machine (Caddy) are trusted for scheme and client address.
"""

from __future__ import annotations

import gc
import logging
import os

import click


def default_workers() -> int:
    """Two per core, at most eight (more only add lock waits on SQLite)."""
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (keep 127.0.0.1 behind Caddy)")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=default_workers, show_default="2 per core, at most 8",
              type=click.IntRange(1, 64))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Threads per worker")
@click.option("--timeout", default=60, show_default=True, type=click.IntRange(5, 3600),
              help="Seconds before a stuck request's worker is restarted")
@click.option("--access-log/--no-access-log", default=False, show_default=True,
              help="Log each request (diary tokens are redacted)")
def serve(host: str, port: int, workers: int, threads: int, timeout: int, access_log: bool):
    """Serve the app with gunicorn (pip install 'practice[server]')."""
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        raise click.ClickException(
            "gunicorn is not installed: pip install 'practice[server]' (or: pip install "
            "gunicorn)") from None

    from practice import create_app

    run_gunicorn(create_app, server_options(host=host, port=port, workers=workers,
                                            threads=threads, timeout=timeout,
                                            access_log=access_log))


def server_options(*, host: str = "127.0.0.1", port: int = 8000, workers: int | None = None,
                   threads: int = 4, timeout: int = 60, access_log: bool = False) -> dict:
    """gunicorn settings of the production recipe (also used by the HTTP benchmark)."""
    return {
        "bind": f"{host}:{port}", "workers": workers or default_workers(),
        "worker_class": "gthread", "threads": threads, "timeout": timeout,
        "graceful_timeout": 30, "keepalive": 5,
        # A worker takes at most two connections more than it has threads. Uncapped, a burst of
        # new connections often all went to one worker (8 of 8 in 2 of 8 tries, measured),
        # which then served them on one core while the others idled: p50 tripled. Over the
        # cap a worker stops accepting, and answers past its two idle keep-alive connections
        # close, so nothing waits on a full worker for long.
        "worker_connections": threads + 2,
        # Recycle workers now and then, so a slow leak can never grow without bound.
        "max_requests": 5000, "max_requests_jitter": 500,
        # The app is loaded once, in the master, and each worker is a fork of it: a recycled
        # worker is up in milliseconds and shares the loaded code's memory. Loaded in each
        # worker, every recycling cost 1.3 s of CPU (the imports and the app), with one worker
        # of two out meanwhile: under load, every 5,000 requests.
        "preload_app": True, "post_fork": forget_inherited_connections,
        "forwarded_allow_ips": "127.0.0.1,::1", "accesslog": "-" if access_log else None,
        "errorlog": "-",
    }


def run_gunicorn(app_factory, options: dict) -> None:
    """Run ``app_factory()`` under gunicorn with ``options`` until stopped."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:
                # gunicorn 25+: no control socket in $HOME (read-only under systemd).
                self.cfg.set("control_socket_disable", True)

        def load(self):
            return load_app(app_factory)

    Server().run()


def forget_inherited_connections(_server, worker) -> None:
    """gunicorn ``post_fork``: the new worker drops the database connections it may have
    inherited from the master (sockets shared between processes corrupt each other's
    conversations). Loading the app connects nowhere; this keeps it that way if that changes."""
    app = getattr(worker.app, "callable", None)
    if app is None or not hasattr(app, "app_context"):
        return
    from practice.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def load_app(app_factory):
    """The app the workers serve (loaded in the master, before the workers are forked), its
    start-up objects set aside from the garbage collector.

    gc.freeze() moves everything alive after start-up (modules, the app, its templates and
    mappings: about 150,000 objects) out of the collector's generations. Otherwise every full
    collection, triggered now and then by what requests leave behind, walked all of them again:
    measured, a fifth of a millisecond per diary post on average (0.18 ms of 2.4). Frozen before
    the fork, a collection in a worker also leaves the shared pages unwritten."""
    app = app_factory()
    compile_templates(app)
    gc.collect()
    gc.freeze()
    return app


def compile_templates(app) -> None:
    """Compile every template once, before the workers are forked, so that each worker starts
    with them. Compiled on first use instead, a worker recycled after
    max_requests spent a few hundred milliseconds on its first pages (68 templates, 0.6 s in
    all): measured over the real server, the client page's p99 was 395-600 ms with recycled
    workers in the run against 108 ms without."""
    from jinja2 import TemplateError

    for name in app.jinja_env.list_templates():
        try:
            app.jinja_env.get_template(name)
        except TemplateError as error:  # a broken template fails where it is used, as before
            logging.getLogger("practice").warning("template %s does not compile: %s", name,
                                                  error.__class__.__name__)
