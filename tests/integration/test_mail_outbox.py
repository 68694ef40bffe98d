"""The outbox: mail queued with the change that causes it, sent through a real SMTP server by
``flask mail send``, retried with back-off when the server fails, never sent twice by senders
running at once. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import Web
from tests.mail_server import attachments, parts, send_mail
from wijkraad import clock
from wijkraad.extensions import db
from wijkraad.mail import outbox, sender
from wijkraad.mail.compose import Attachment, Composed
from wijkraad.mail.models import OutboxMessage
from wijkraad.mail.rules import MailStatus, RetryPolicy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class FrozenClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    frozen = FrozenClock()
    monkeypatch.setattr(clock, "now", lambda: frozen.now)
    return frozen


def queue(app, n: int = 1, *, key: str | None = None, attach: bool = False) -> None:
    with app.app_context():
        for i in range(n):
            outbox.enqueue(
                db.session,
                f"lid{i}@example.org",
                Composed(f"Bericht {i}", f"Tekst {i}\n", f"<p>HTML {i}</p>"),
                now=clock.now(),
                attachments=[Attachment("a.ics", "text/calendar", b"BEGIN:VCALENDAR", {})]
                if attach
                else (),
                dedupe_key=key,
            )
        db.session.commit()


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_queued_message_is_sent_once_with_both_parts_and_its_attachment(app, mailbox):
    queue(app, attach=True)
    assert "sent 1" in send_mail(app)
    [message] = mailbox.messages
    assert message["To"] == "lid0@example.org"
    assert message["From"] == "wijkraad@example.org"
    assert message["Subject"] == "Bericht 0"
    assert parts(message) == ("Tekst 0\n", "<p>HTML 0</p>\n")
    assert attachments(message) == {"a.ics": b"BEGIN:VCALENDAR"}
    [row] = rows(app)
    assert row.status is MailStatus.SENT and row.sent_at is not None and row.attempts == 1
    send_mail(app)  # nothing is due any more
    assert len(mailbox.messages) == 1


def test_a_message_goes_only_when_its_transaction_commits(app, mailbox):
    with app.app_context():
        outbox.enqueue(
            db.session, "lid@example.org", Composed("S", "T", "<p>H</p>"), now=clock.now()
        )
        db.session.rollback()
    send_mail(app)
    assert mailbox.messages == [] and rows(app) == []


def test_a_dedupe_key_queues_once(app, mailbox):
    queue(app, key="agenda-1-2")
    queue(app, key="agenda-1-2")
    send_mail(app)
    assert len(mailbox.messages) == 1 and len(rows(app)) == 1


def test_a_refused_send_is_retried_after_its_back_off_and_not_lost(app, mailbox, frozen):
    queue(app)
    mailbox.refuse = True
    assert "to retry 1" in send_mail(app)
    [row] = rows(app)
    assert row.status is MailStatus.QUEUED and row.attempts == 1
    assert row.next_attempt_at == frozen.now + RetryPolicy().delay(1)
    assert "451" in row.last_error
    mailbox.refuse = False
    frozen.advance(seconds=30)  # before the back-off ends: not tried
    send_mail(app)
    assert mailbox.messages == []
    frozen.advance(seconds=31)
    send_mail(app)
    assert len(mailbox.messages) == 1
    [row] = rows(app)
    assert row.status is MailStatus.SENT and row.attempts == 2


def test_the_back_off_doubles_and_the_last_attempt_marks_the_message_failed(
    app, mailbox, frozen, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    queue(app)
    mailbox.refuse = True
    waits = []
    for _ in range(3):
        send_mail(app)
        [row] = rows(app)
        waits.append(row.next_attempt_at - frozen.now)
        frozen.advance(hours=7)
    assert waits[:2] == [timedelta(minutes=1), timedelta(minutes=2)]
    [row] = rows(app)
    assert row.status is MailStatus.FAILED and row.attempts == 3
    send_mail(app)  # a failed message waits for an administrator
    assert rows(app)[0].attempts == 3


def test_an_unreachable_server_loses_nothing(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # discard: nobody listens
    queue(app, 2)
    assert "to retry 2" in send_mail(app)
    assert [r.status for r in rows(app)] == [MailStatus.QUEUED, MailStatus.QUEUED]


def test_a_lapsed_claim_is_sent_again(app, mailbox, frozen):
    """A sender that claimed a message and died: after the lease another sends it."""
    queue(app)
    with app.app_context():
        outbox.claim(db.engine, frozen.now, RetryPolicy(), 10)
    send_mail(app)
    assert mailbox.messages == []
    frozen.advance(minutes=11)
    send_mail(app)
    assert len(mailbox.messages) == 1


def test_senders_running_at_once_send_every_message_exactly_once(app, mailbox):
    queue(app, 60)
    with app.app_context():
        engine = db.engine
    barrier = threading.Barrier(6)
    reports: list[sender.Report] = []
    errors: list[BaseException] = []

    def run() -> None:
        barrier.wait(timeout=30)
        try:
            reports.append(
                sender.send_due(
                    engine,
                    sender.transport_for(app.config),
                    sender="wijkraad@example.org",
                    policy=RetryPolicy(),
                    now=clock.now,
                    batch=3,
                )
            )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    subjects = Counter(m["Subject"] for m in mailbox.messages)
    assert subjects == Counter({f"Bericht {i}": 1 for i in range(60)})
    assert sum(r.sent for r in reports) == 60
    assert sum(1 for r in reports if r.sent) > 1, "one sender did everything: no race was run"
    assert {r.status for r in rows(app)} == {MailStatus.SENT}


def test_without_a_mail_server_messages_are_written_to_the_console(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    queue(app, attach=True)
    output = send_mail(app)
    assert "To: lid0@example.org" in output and "Subject: Bericht 0" in output
    assert "Tekst 0" in output and "<p>HTML 0</p>" in output
    assert "a.ics" in output and "BEGIN:VCALENDAR" in output
    assert rows(app)[0].status is MailStatus.SENT


def test_the_worker_sends_as_mail_comes_and_stops_when_told(app, mailbox):
    stop = threading.Event()

    def one_pass(event: threading.Event) -> sender.Report:
        with app.app_context():
            return sender.send_due(
                db.engine,
                sender.transport_for(app.config),
                sender="wijkraad@example.org",
                policy=RetryPolicy(),
                now=clock.now,
                stop=event,
            )

    worker = threading.Thread(
        target=sender.run_worker, args=(one_pass,), kwargs={"poll_seconds": 0.1, "stop": stop}
    )
    worker.start()
    queue(app)
    assert len(mailbox.wait_for(1)) == 1
    queue(app)
    assert len(mailbox.wait_for(2)) == 2
    stop.set()
    worker.join(timeout=5)
    assert not worker.is_alive()


def test_the_worker_command_stops_cleanly_on_sigterm(app, mailbox):
    queue(app)
    env = {
        **os.environ,
        "WIJKRAAD_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "WIJKRAAD_MAIL_SERVER": "127.0.0.1",
        "WIJKRAAD_MAIL_PORT": str(app.config["MAIL_PORT"]),
        "WIJKRAAD_SECRET_KEY": "test",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wijkraad", "mail", "worker", "--poll", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert len(mailbox.wait_for(1, timeout=30)) == 1
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=15)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, err
    assert "stopping the mail worker" in err


def test_an_administrator_sees_failed_mail_and_sends_it_again(app, make, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)
    queue(app)
    mailbox.refuse = True
    send_mail(app)
    assert rows(app)[0].status is MailStatus.FAILED
    with app.app_context():
        make.user("beheer@example.org", admin=True)
        make.user("lid@example.org")
    member = Web(app.test_client())
    member.login("lid@example.org")
    assert member.get("/beheer/e-mail").status_code == 403
    admin = Web(app.test_client())
    admin.login("beheer@example.org")
    page = admin.get("/beheer/e-mail").get_data(as_text=True)
    assert "Bericht 0" in page and "451" in page
    message_id = rows(app)[0].id
    done = admin.post_form(f"/beheer/e-mail/{message_id}/opnieuw", {}, page="/beheer/e-mail")
    assert done.status_code == 303
    mailbox.refuse = False
    send_mail(app)
    assert len(mailbox.messages) == 1
    assert "Bericht 0" not in admin.get("/beheer/e-mail").get_data(as_text=True)
    again = admin.post_form(f"/beheer/e-mail/{message_id}/opnieuw", {}, page="/beheer/e-mail")
    assert again.status_code == 303  # refused with a message: it was sent
    assert len(rows(app)) == 1 and rows(app)[0].status is MailStatus.SENT
