"""A real SMTP server inside the test process (aiosmtpd), and the app pointed at it: what the
app sends is read back as parsed messages."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """The SMTP server's handler: keeps every message it accepts. ``refuse`` makes it answer
    every message with a temporary failure (451), as a mail server that is in trouble does."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = False
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 4.3.0 Try again later"
        # As a mail client reads it: line ends as the platform's, not the wire's CRLF.
        content = envelope.original_content.replace(b"\r\n", b"\n")
        message = message_from_bytes(content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.messages)


@pytest.fixture
def mailbox(app_session: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A running SMTP server on a free port, with the app's mail settings pointing at it."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app_session.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app_session.config, "MAIL_PORT", port)
    monkeypatch.setitem(app_session.config, "MAIL_FROM", "wijkraad@example.org")
    try:
        yield box
    finally:
        controller.stop()


def send_mail(app: Any) -> str:
    """``flask mail send``, as an operator runs it; returns what it printed."""
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and the HTML part of a message."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def attachments(message: EmailMessage) -> dict[str, bytes]:
    return {
        part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()
    }
