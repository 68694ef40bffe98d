"""Sending the outbox: building each message with the standard library's ``email`` package and
handing it to a transport, SMTP or (with no mail server configured) the console."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any, Protocol, TextIO

from sqlalchemy.engine import Engine

from wijkraad.mail import outbox
from wijkraad.mail.compose import Attachment
from wijkraad.mail.models import OutboxMessage
from wijkraad.mail.rules import MailStatus, RetryPolicy

log = logging.getLogger("wijkraad.mail")
BATCH = 50


def build(message: OutboxMessage, sender: str, now: datetime) -> EmailMessage:
    """The message as it goes out: plain text and HTML as alternatives, then the attachments."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now)
    email["Message-ID"] = make_msgid(f"outbox.{message.id}", sender.rpartition("@")[2] or None)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    for stored in message.attachments or []:
        attachment = Attachment.from_stored(stored)
        maintype, _, subtype = attachment.content_type.partition("/")
        email.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=attachment.params,
        )
    return email


class Transport(Protocol):
    def send(self, email: EmailMessage) -> None: ...

    def close(self) -> None: ...


@dataclass
class SMTPTransport:
    """One connection per pass, opened on the first message and opened again after an error."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    timeout: float = 30.0
    _smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self.port == 465:  # SMTPS: TLS from the first byte
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.use_tls:
                smtp.starttls()
        if self.username:
            smtp.login(self.username, self.password or "")
        return smtp

    def send(self, email: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused:
            raise  # the connection is fine: only this message failed
        except (smtplib.SMTPException, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None


@dataclass
class ConsoleTransport:
    """Without a mail server (development): every message is written out in full."""

    stream: TextIO | None = None

    def send(self, email: EmailMessage) -> None:
        out = self.stream or sys.stdout
        lines = ["", "=" * 72]
        lines += [f"{name}: {email[name]}" for name in ("From", "To", "Subject", "Date")]
        for part in email.walk():
            if part.is_multipart():
                continue
            if part.get_filename():
                payload = part.get_payload(decode=True) or b""
                lines += ["-" * 72, f"[attachment {part.get_filename()}, {len(payload)} bytes]"]
                if part.get_content_type() == "text/calendar":
                    lines.append(payload.decode("utf-8", "replace"))
            else:
                lines += ["-" * 72, f"[{part.get_content_type()}]", part.get_content()]
        lines.append("=" * 72)
        out.write("\n".join(lines) + "\n")
        out.flush()

    def close(self) -> None:
        pass


def transport_for(config: Mapping[str, Any]) -> Transport:
    if not config.get("MAIL_SERVER"):
        return ConsoleTransport()
    use_tls = bool(config.get("MAIL_USE_TLS"))
    return SMTPTransport(
        host=config["MAIL_SERVER"],
        port=int(config.get("MAIL_PORT") or (587 if use_tls else 25)),
        username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"),
        use_tls=use_tls,
    )


def policy_for(config: Mapping[str, Any]) -> RetryPolicy:
    return RetryPolicy(max_attempts=int(config.get("MAIL_MAX_ATTEMPTS", 8)))


@dataclass
class Report:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"sent {self.sent}, to retry {self.retrying}, failed {self.failed}"


def send_due(
    engine: Engine,
    transport: Transport,
    *,
    sender: str,
    policy: RetryPolicy,
    now: Callable[[], datetime],
    stop: threading.Event | None = None,
    batch: int = BATCH,
) -> Report:
    """Sends every message due now, claimed a batch at a time, until none is left (or
    ``stop`` is set between messages). A message whose attempt fails is queued again after its
    back-off, or marked failed after its last attempt; it is never lost."""
    report = Report()
    try:
        while not (stop and stop.is_set()) and outbox.any_due(engine, now(), policy):
            token, ids = outbox.claim(engine, now(), policy, batch)
            if not ids:
                break
            for message_id in ids:
                # A claimed message is sent even when asked to stop: its claim would otherwise
                # hold it until the lease ends.
                _send_one(engine, transport, message_id, token, sender, policy, now, report)
    finally:
        transport.close()
    return report


def _send_one(
    engine: Engine,
    transport: Transport,
    message_id: int,
    token: str,
    sender: str,
    policy: RetryPolicy,
    now: Callable[[], datetime],
    report: Report,
) -> None:
    message = outbox.load(engine, message_id, token)
    if message is None:
        return
    try:
        transport.send(build(message, sender, now()))
    except Exception as error:  # any failure of one message must not lose the others
        status = outbox.mark_failed(
            engine,
            message_id,
            token,
            message.attempts,
            f"{type(error).__name__}: {error}",
            now(),
            policy,
        )
        if status is MailStatus.FAILED:
            report.failed += 1
            log.error("mail %s to %s failed for good: %s", message_id, message.recipient, error)
        else:
            report.retrying += 1
            log.warning("mail %s to %s will be retried: %s", message_id, message.recipient, error)
        return
    outbox.mark_sent(engine, message_id, token, now())
    report.sent += 1
    log.info("mail %s sent to %s", message_id, message.recipient)


def run_worker(
    send_pass: Callable[[threading.Event], Report],
    *,
    poll_seconds: float,
    stop: threading.Event,
    on_error: Callable[[Exception], None] | None = None,
) -> None:
    """Sends what is due every ``poll_seconds`` until ``stop`` is set. A pass that fails (the
    database away for a moment) is reported and tried again at the next poll."""
    while not stop.is_set():
        try:
            send_pass(stop)
        except Exception as error:
            log.exception("mail pass failed")
            if on_error is not None:
                on_error(error)
        stop.wait(poll_seconds)
