"""Command line: ``flask --app wijkraad user create|token``, ``flask --app wijkraad demo`` and
``flask --app wijkraad verify outcomes FILE``, ``flask --app wijkraad mail send|worker``,
``flask --app wijkraad draw verify FILE``."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from wijkraad import clock, demo
from wijkraad.auth import services as auth_services
from wijkraad.errors import DomainError
from wijkraad.extensions import db
from wijkraad.mail.commands import mail_cli
from wijkraad.publishing import verify
from wijkraad.sortition.commands import draw_cli

user_cli = AppGroup("user", help="Accounts: create them, issue API tokens.")


@user_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's name.")
@click.option("--admin", is_flag=True, help="Make the account an administrator.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
def create_user(email: str, name: str, admin: bool, password_stdin: bool, language: str) -> None:
    """Create an account. Without a password the user gets one through an invitation link."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        user = auth_services.create_user(
            db.session,
            None,
            email=email,
            name=name,
            password=password,
            is_admin=admin,
            language=language,
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"created user {user.id} <{user.email}>{' (administrator)' if admin else ''}")


@user_cli.command("token")
@click.argument("email")
@click.option("--label", default="cli", show_default=True, help="What the token is for.")
def token(email: str, label: str) -> None:
    """Print a new API token for the user with this e-mail address (stored hashed)."""
    user = auth_services.find_user(db.session, email)
    if user is None:
        raise click.ClickException(f"no user with e-mail address {email}")
    value = auth_services.issue_token(db.session, None, user, label)
    db.session.commit()
    click.echo(value)


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo council into an empty database, and print the demo logins."""
    if demo.is_empty(db.session):
        demo.load(db.session, clock.today())
        db.session.commit()
        click.echo("Loaded the demo council 'Coöperatieve Wijkraad Oosterparkwijk'.")
    elif not demo.has_demo(db.session):
        click.echo("The database is not empty: the demo was not loaded.")
        return
    click.echo(f"Demo logins (password for each: {demo.PASSWORD}):")
    for login in demo.LOGINS:
        click.echo(f"  {login.email:<34} {login.who}")


verify_cli = AppGroup("verify", help="Check published open data.")


class Malformed(click.ClickException):
    exit_code = 2


@verify_cli.command("outcomes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
def verify_outcomes(file: str) -> None:
    """Decide every vote event of a downloaded Popolo export (FILE, or - for standard input)
    again by the council's rule, and report each one whose outcome, result or counts differ.

    Exit status 0 when all agree, 1 when any differ, 2 when the file cannot be checked."""
    try:
        with click.open_file(file, encoding="utf-8-sig") as stream:
            document = json.load(stream)
        report = verify.check_outcomes(document)
    except (OSError, UnicodeDecodeError) as error:
        raise Malformed(f"cannot read {file}: {error}") from None
    except json.JSONDecodeError as error:
        raise Malformed(f"{file} is not JSON: {error}") from None
    except verify.MalformedExport as error:
        raise Malformed(f"{file} cannot be checked: {error}") from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        raise Malformed(f"{file} cannot be checked: {error!r}") from None
    for difference in report.differences:
        click.echo(f"DIFFERS {difference}")
    differing = {d.vote_event_id for d in report.differences}
    if differing:
        click.echo(f"{len(differing)} of {report.checked} vote events differ.", err=True)
        sys.exit(1)
    click.echo(f"All {report.checked} vote events agree with the council's rule.")


def init_app(app: Flask) -> None:
    app.cli.add_command(user_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(verify_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(draw_cli)
