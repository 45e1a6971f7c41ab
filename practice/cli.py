"""The ``practice`` console script: Flask's command group over the app factory."""

from flask.cli import FlaskGroup

from practice import create_app


def _create_app():
    return create_app()


cli = FlaskGroup(create_app=_create_app, help="practice: the back-pain practice app.")


def main() -> None:
    """Entry point of the ``practice`` console script."""
    cli(prog_name="practice")
