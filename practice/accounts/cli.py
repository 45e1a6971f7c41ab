"""``practice users ...``: manage accounts from the command line (e.g. a lost admin password)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from practice.accounts import service
from practice.accounts.models import ROLES, Practitioner
from practice.extensions import db


def _check_length(password: str) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if not minimum <= len(password) <= 256:
        raise click.BadParameter(f"use {minimum} to 256 characters", param_hint="password")


@click.group()
def users():
    """Manage practitioner accounts."""


@users.command("create")
@click.option("--name", prompt=True, help="Full name")
@click.option("--email", prompt=True, help="E-mail address used to sign in")
@click.option("--role", type=click.Choice(ROLES), default="practitioner", show_default=True)
@click.option("--practice", "practice_name", default="My practice", show_default=True,
              help="Name of the practice, when this is its first account")
@click.password_option(help="Initial password (asked for when omitted)")
@with_appcontext
def create(name: str, email: str, role: str, password: str, practice_name: str):
    """Create an account (the first one also sets the practice up, with the starter library)."""
    from practice.settings.service import ensure_settings, get_settings

    _check_length(password)
    first = get_settings() is None
    try:
        practitioner = service.create_practitioner(name, email, password, role)
    except service.AccountError:
        raise click.ClickException(f"an account with the e-mail {email} exists already") from None
    if first:
        ensure_settings(name=practice_name.strip() or "My practice", actor=practitioner)
    db.session.commit()
    click.echo(f"Created {role} account {practitioner.id} for {practitioner.email}.")
    if first:
        click.echo(f"Practice \"{practice_name}\" set up; add its address, phone and e-mail "
                   "under Settings after signing in.")


@users.command("list")
@with_appcontext
def list_users():
    """List accounts."""
    for practitioner in db.session.scalars(sa.select(Practitioner).order_by(Practitioner.id)):
        state = "enabled" if practitioner.is_enabled else "disabled"
        click.echo(f"{practitioner.id}\t{practitioner.email}\t{practitioner.role}\t{state}")


@users.command("set-password")
@click.argument("email")
@click.password_option(help="New password (asked for when omitted)")
@with_appcontext
def set_password(email: str, password: str):
    """Set a new password (for example when an admin forgot theirs); ends all its sign-ins."""
    _check_length(password)
    practitioner = service.find_by_email(email)
    if practitioner is None:
        raise click.ClickException(f"no account with the e-mail {email}")
    service.reset_password(practitioner, password)
    db.session.commit()
    click.echo(f"Password changed for {practitioner.email}.")
