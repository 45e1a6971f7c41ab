"""The ``practice`` console script: Flask's command group over the app factory."""

import click
from flask.cli import FlaskGroup

from practice import create_app
from practice.config import ConfigError


def _create_app():
    try:
        return create_app()
    except ConfigError as error:  # a clear line, not a stack trace
        raise click.ClickException(str(error)) from None


cli = FlaskGroup(create_app=_create_app, help="practice: the back-pain practice app.")


def main() -> None:
    """Entry point of the ``practice`` console script."""
    cli(prog_name="practice")
