"""Mail about accounts, read back from a real SMTP server: an administrator's invitation, and
a forgotten password's link that works once, within the hour, and ends the other sessions.
Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, Web, csrf_from
from tests.mail_server import parts, send_mail
from wijkraad import clock
from wijkraad.auth.models import PasswordReset
from wijkraad.extensions import db
from wijkraad.mail.models import OutboxMessage

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"https?://\S+/wachtwoord-herstellen/[\w-]+")
CSRF_VALUE = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')
INVITE = re.compile(r"https?://\S+/uitnodiging/[\w.-]+")


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


def ask_link(client, email: str, addr: str = "127.0.0.1"):
    page = client.get("/wachtwoord-vergeten", environ_base={"REMOTE_ADDR": addr})
    token = csrf_from(page.get_data(as_text=True))
    return client.post(
        "/wachtwoord-vergeten",
        data={"email": email, "csrf_token": token},
        environ_base={"REMOTE_ADDR": addr},
    )


def choose(client, link: str, password: str = NEW_PASSWORD):
    path = link.split("://", 1)[1].partition("/")[2]
    page = client.get("/" + path)
    if page.status_code != 200:
        return page
    return client.post(
        "/" + path,
        data={
            "password": password,
            "confirm": password,
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )


def outbox_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) or 0


def test_the_login_page_leads_to_the_forgotten_password_page(client):
    page = client.get("/aanmelden").get_data(as_text=True)
    assert 'href="/wachtwoord-vergeten"' in page
    assert client.get("/wachtwoord-vergeten").status_code == 200


def test_a_forgotten_password_is_reset_by_mail_once_and_ends_the_other_sessions(app, make, mailbox):
    with app.app_context():
        make.user("lid@example.org", name="Lies")
    elsewhere = Web(app.test_client())
    assert elsewhere.login("lid@example.org").status_code == 302

    response = ask_link(app.test_client(), "Lid@Example.org ")
    assert response.status_code == 303
    send_mail(app)
    [message] = mailbox.to("lid@example.org")
    text, html = parts(message)
    link = LINK.search(text).group(0)
    assert f'href="{link}"' in html and "Lies" in text
    assert message["Subject"]

    browser = app.test_client()
    done = choose(browser, link)
    assert done.status_code == 303 and done.location.endswith("/mijn")
    assert browser.get("/account").status_code == 200  # logged in here
    assert elsewhere.get("/account").status_code == 302  # the other session ended
    assert Web(app.test_client()).login("lid@example.org").status_code == 401
    assert Web(app.test_client()).login("lid@example.org", NEW_PASSWORD).status_code == 302
    again = choose(app.test_client(), link, "yet another passphrase")
    assert again.status_code == 400


def test_the_answer_is_the_same_whether_or_not_the_account_exists(app, make, mailbox):
    with app.app_context():
        make.user("lid@example.org")
    known, unknown = app.test_client(), app.test_client()
    a = ask_link(known, "lid@example.org")
    b = ask_link(unknown, "niemand@example.org")
    assert (a.status_code, a.location) == (b.status_code, b.location)
    shown = [
        CSRF_VALUE.sub("", c.get(r.location).get_data(as_text=True))
        for c, r in ((known, a), (unknown, b))
    ]
    assert shown[0] == shown[1]
    send_mail(app)
    assert [m["To"] for m in mailbox.messages] == ["lid@example.org"]


def test_the_link_expires_after_an_hour(app, make, mailbox, frozen):
    with app.app_context():
        make.user("lid@example.org")
    ask_link(app.test_client(), "lid@example.org")
    send_mail(app)
    link = LINK.search(parts(mailbox.messages[0])[0]).group(0)
    frozen.advance(minutes=59)
    assert choose(app.test_client(), link).status_code == 303
    ask_link(app.test_client(), "lid@example.org")
    send_mail(app)
    second = LINK.search(parts(mailbox.messages[1])[0]).group(0)
    frozen.advance(minutes=61)
    assert choose(app.test_client(), second).status_code == 400


def test_a_new_password_ends_older_links(app, make, mailbox):
    with app.app_context():
        make.user("lid@example.org")
    ask_link(app.test_client(), "lid@example.org")
    ask_link(app.test_client(), "lid@example.org")
    send_mail(app)
    first, second = (LINK.search(parts(m)[0]).group(0) for m in mailbox.messages)
    assert choose(app.test_client(), second).status_code == 303
    assert choose(app.test_client(), first).status_code == 400


def test_asking_too_often_is_refused_alike_for_known_and_unknown_addresses(app, make, mailbox):
    with app.app_context():
        make.user("lid@example.org")
    for email in ("lid@example.org", "niemand@example.org"):
        statuses = [
            ask_link(app.test_client(), email, "198.51.100.7").status_code for _ in range(6)
        ]
        assert statuses == [303] * 5 + [429]
    send_mail(app)
    # And an account gets a few links an hour at most, whoever asks.
    assert len(mailbox.to("lid@example.org")) == 3


def test_bad_input_is_a_form_error(client):
    page = client.get("/wachtwoord-vergeten").get_data(as_text=True)
    response = client.post(
        "/wachtwoord-vergeten", data={"email": "", "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 422
    assert client.post("/wachtwoord-vergeten", data={"email": "a@b.nl"}).status_code in (400, 422)
    assert client.get("/wachtwoord-herstellen/" + "x" * 300).status_code == 400


def test_a_short_new_password_keeps_the_link(app, make, mailbox):
    with app.app_context():
        make.user("lid@example.org")
    ask_link(app.test_client(), "lid@example.org")
    send_mail(app)
    link = LINK.search(parts(mailbox.messages[0])[0]).group(0)
    assert choose(app.test_client(), link, "short").status_code == 422
    assert choose(app.test_client(), link).status_code == 303


def test_one_link_used_twice_at_once_sets_one_password(app, make, mailbox):
    with app.app_context():
        make.user("lid@example.org")
    ask_link(app.test_client(), "lid@example.org")
    send_mail(app)
    link = LINK.search(parts(mailbox.messages[0])[0]).group(0)
    path = "/" + link.split("://", 1)[1].partition("/")[2]
    clients = [app.test_client(), app.test_client()]
    tokens = [csrf_from(c.get(path).get_data(as_text=True)) for c in clients]
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(i: int) -> None:
        password = f"{NEW_PASSWORD} {i}"
        barrier.wait(timeout=30)
        results[i] = clients[i].post(
            path, data={"password": password, "confirm": password, "csrf_token": tokens[i]}
        )

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # The second sees the link refused on the form it sent.
    assert sorted(r.status_code for r in results) == [303, 422]
    winner = next(i for i, r in enumerate(results) if r.status_code == 303)
    assert (
        Web(app.test_client()).login("lid@example.org", f"{NEW_PASSWORD} {winner}").status_code
        == 302
    )
    with app.app_context():
        rows = db.session.scalars(sa.select(PasswordReset)).all()
        assert [r.used_at is not None for r in rows] == [True]


def test_an_english_speaker_gets_the_mail_in_english(app, make, mailbox):
    with app.app_context():
        user = make.user("member@example.org")
        user.language = "en"
        dutch = make.user("lid@example.org")
        db.session.commit()
        assert dutch.language == "nl"
    ask_link(app.test_client(), "member@example.org")
    ask_link(app.test_client(), "lid@example.org")
    send_mail(app)
    assert '<html lang="en">' in parts(mailbox.to("member@example.org")[0])[1]
    assert '<html lang="nl">' in parts(mailbox.to("lid@example.org")[0])[1]


def test_an_administrators_invitation_is_mailed_with_its_link(app, make, mailbox):
    with app.app_context():
        make.user("beheer@example.org", admin=True)
        invited = make.user("nieuw@example.org", name="Nieuw Lid")
        invited.password_hash = None
        db.session.commit()
        user_id = invited.id
    admin = Web(app.test_client())
    admin.login("beheer@example.org")
    page = admin.post_form(
        f"/beheer/accounts/{user_id}/uitnodiging", {}, page=f"/beheer/accounts/{user_id}"
    )
    assert page.status_code == 200
    shown = INVITE.search(page.get_data(as_text=True)).group(0).rstrip('"')
    send_mail(app)
    [message] = mailbox.to("nieuw@example.org")
    text, html = parts(message)
    assert shown in text and f'href="{shown}"' in html
    path = "/" + shown.split("://", 1)[1].partition("/")[2]
    invitee = app.test_client()
    form = invitee.get(path)
    assert form.status_code == 200
    done = invitee.post(
        path,
        data={
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_from(form.get_data(as_text=True)),
        },
    )
    assert done.status_code == 302


def test_no_mail_without_the_base_url_in_production(app, make, mailbox, monkeypatch):
    """Where no link can be made, the request is refused for every address alike, and the
    refused change queues nothing."""
    with app.app_context():
        make.user("lid@example.org")
    monkeypatch.setattr(app, "testing", False)
    monkeypatch.setitem(app.config, "BASE_URL", None)
    for email in ("lid@example.org", "niemand@example.org"):
        assert ask_link(app.test_client(), email).status_code == 503
    assert outbox_count(app) == 0
    assert PASSWORD
