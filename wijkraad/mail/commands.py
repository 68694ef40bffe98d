"""``flask mail send`` (what is due, once) and ``flask mail worker`` (until stopped), and the
sender a development server may run in its own process (``MAIL_IN_PROCESS``)."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from wijkraad import clock
from wijkraad.extensions import db
from wijkraad.mail import sender

mail_cli = AppGroup("mail", help="Send the mail waiting in the outbox.")
log = logging.getLogger("wijkraad.mail")


def _send_pass(app: Flask, stop: threading.Event | None = None) -> sender.Report:
    config = app.config
    return sender.send_due(
        db.engine,
        sender.transport_for(config),
        sender=config["MAIL_FROM"],
        policy=sender.policy_for(config),
        now=lambda: clock.now(),  # looked up at each call, so tests can move the clock
        stop=stop,
    )


@mail_cli.command("send")
def send_command() -> None:
    """Send every message that is due now, once, and report what came of them."""
    report = _send_pass(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(str(report))


@mail_cli.command("worker")
@click.option(
    "--poll",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds between looks at the outbox (default: MAIL_POLL_SECONDS).",
)
def worker_command(poll: float | None) -> None:
    """Send mail as it becomes due until stopped (SIGTERM or Ctrl-C); a message being sent
    when the signal comes is finished first."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        click.echo("stopping the mail worker", err=True)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    seconds = poll if poll is not None else float(app.config["MAIL_POLL_SECONDS"])
    click.echo(f"mail worker: every {seconds:g} s, {describe(app)}", err=True)

    def _pass(event: threading.Event) -> sender.Report:
        report = _send_pass(app, event)
        if report.sent or report.retrying or report.failed:
            click.echo(str(report), err=True)
        db.session.remove()
        return report

    sender.run_worker(_pass, poll_seconds=seconds, stop=stop)


def describe(app: Flask) -> str:
    server = app.config.get("MAIL_SERVER")
    if not server:
        return "no mail server: messages are written to the console"
    return f"through {server}:{app.config.get('MAIL_PORT') or 'default port'}"


def start_in_process(app: Flask) -> threading.Thread:
    """A sender in this process, for the development server (``make run``): one process
    serves the pages and sends their mail. Not for production, where ``flask mail worker``
    runs beside the app servers."""
    stop = threading.Event()

    def _pass(event: threading.Event) -> sender.Report:
        with app.app_context():
            return _send_pass(app, event)

    thread = threading.Thread(
        target=sender.run_worker,
        args=(_pass,),
        kwargs={"poll_seconds": float(app.config["MAIL_POLL_SECONDS"]), "stop": stop},
        name="wijkraad-mail",
        daemon=True,
    )
    thread.start()
    log.info("mail sender in this process: %s", describe(app))
    return thread
