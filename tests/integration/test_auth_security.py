"""Logins that protect without locking out, and links on the configured address.
Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, Web, csrf_from
from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.auth.models import LoginCounter
from wijkraad.config import checked_base_url
from wijkraad.extensions import db

CHAIR = "voorzitter@example.org"
STRANGER = "198.51.100.7"
CENTRE = "192.0.2.10"  # the community centre's Wi-Fi
AT_HOME = "192.0.2.200"


class FrozenClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    frozen = FrozenClock()
    monkeypatch.setattr(clock, "now", lambda: frozen.now)
    return frozen


def api_login(client, email: str, password: str, addr: str = "127.0.0.1"):
    return client.post(
        "/api/v1/tokens",
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": addr},
    )


def page_login(client, email: str, password: str = PASSWORD, *, addr="127.0.0.1", remember=False):
    page = client.get("/aanmelden", environ_base={"REMOTE_ADDR": addr}).get_data(as_text=True)
    data = {"email": email, "password": password, "csrf_token": csrf_from(page)}
    if remember:
        data["remember"] = "y"
    return client.post("/aanmelden", data=data, environ_base={"REMOTE_ADDR": addr})


# --- throttling -------------------------------------------------------------------------------


def test_forty_wrong_passwords_at_once_get_five_checked(app, make, monkeypatch):
    with app.app_context():
        make.user(CHAIR)
    checked: list[str] = []
    statuses: list[int] = []
    retry_after: list[str | None] = []
    lock = threading.Lock()
    verify = auth_services.verify_password

    def counting_verify(user, password):
        with lock:
            checked.append(password)
        return verify(user, password)

    monkeypatch.setattr(auth_services, "verify_password", counting_verify)
    barrier = threading.Barrier(40)

    def guess(n: int) -> None:
        client = app.test_client()
        barrier.wait(timeout=30)
        response = api_login(client, CHAIR, f"gok nummer {n}", STRANGER)
        with lock:
            statuses.append(response.status_code)
            retry_after.append(response.headers.get("Retry-After"))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [401] * 5 + [429] * 35
    assert len(checked) == 5
    waits = [int(r) for s, r in zip(statuses, retry_after, strict=True) if s == 429]
    assert all(1 <= w <= 901 for w in waits), waits  # clocks of parallel requests differ a bit


def test_a_strangers_guesses_refuse_only_the_stranger(app, client, make):
    with app.app_context():
        make.user(CHAIR)
    for _ in range(5):
        assert api_login(client, CHAIR, "fout fout fout", STRANGER).status_code == 401
    refused = api_login(client, CHAIR, PASSWORD, STRANGER)  # refused before any check
    assert refused.status_code == 429
    assert refused.get_json()["code"] == "login-throttled"
    assert 1 <= int(refused.headers["Retry-After"]) <= 900
    assert "minuten" in refused.get_json()["detail"]
    assert api_login(client, CHAIR, PASSWORD, AT_HOME).status_code == 201


def test_the_login_page_says_how_long_to_wait(app, client, make):
    with app.app_context():
        make.user(CHAIR)
    for _ in range(5):
        assert page_login(client, CHAIR, "fout fout fout").status_code == 401
    response = page_login(client, CHAIR)
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.get_data(as_text=True)
    assert 1 <= int(response.headers["Retry-After"]) <= 900


def test_a_token_sent_along_for_a_new_token_is_ignored(app, client, make):
    with app.app_context():
        user = make.user(CHAIR)
        token = make.token(user)  # never used: using it would stamp it
    response = client.post(
        "/api/v1/tokens",
        json={"email": CHAIR, "password": "fout fout fout"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 401 and response.get_json()["code"] == "bad-credentials"
    response = client.post(
        "/api/v1/tokens",
        json={"email": CHAIR, "password": PASSWORD},
        headers={"Authorization": "Bearer onzin"},
    )
    assert response.status_code == 201


def test_a_shared_network_is_not_refused_for_a_few_typos(app, client, make):
    with app.app_context():
        residents = [make.user(f"bewoner{n}@example.org").email for n in range(4)]
    for email in residents:
        for _ in range(4):
            assert api_login(client, email, "typfout typfout", CENTRE).status_code == 401
    for email in residents:
        assert api_login(client, email, PASSWORD, CENTRE).status_code == 201


def test_a_right_password_forgives_the_clients_own_failures(app, client, make):
    with app.app_context():
        make.user(CHAIR)
    for _ in range(4):
        assert api_login(client, CHAIR, "typfout typfout").status_code == 401
    assert api_login(client, CHAIR, PASSWORD).status_code == 201
    for _ in range(5):
        assert api_login(client, CHAIR, "typfout typfout").status_code == 401
    assert api_login(client, CHAIR, "typfout typfout").status_code == 429


def test_an_account_under_attack_is_slowed_down_not_locked(app, client, make, frozen):
    with app.app_context():
        make.user(CHAIR)
    for n in range(10):  # ten addresses guess once, at the same moment: all checked
        assert api_login(client, CHAIR, "gok", f"203.0.113.{n}").status_code == 401
    slowed = api_login(client, CHAIR, "gok", "203.0.113.50")
    assert slowed.status_code == 429 and slowed.get_json()["code"] == "login-slowed"
    assert slowed.headers["Retry-After"] == "1"
    # Guessers retrying from their addresses take turns of their own ...
    assert api_login(client, CHAIR, "gok", "203.0.113.1").status_code == 401
    assert api_login(client, CHAIR, "gok", "203.0.113.2").status_code == 429
    # ... and the chair, from an address never seen, is in a second later.
    frozen.advance(1)
    assert api_login(client, CHAIR, PASSWORD, AT_HOME).status_code == 201


def test_however_long_the_attack_the_rightful_user_waits_seconds(app, client, make, frozen):
    with app.app_context():
        make.user(CHAIR)
    for attempt in range(5):
        for n in range(12):  # 60 failures from 12 addresses, spaced so that none is slowed
            assert api_login(client, CHAIR, f"gok {attempt}", f"203.0.113.{n}").status_code == 401
            frozen.advance(11)
    assert api_login(client, CHAIR, "gok", "203.0.113.99").status_code == 401
    waited = api_login(client, CHAIR, PASSWORD, AT_HOME)
    assert waited.status_code == 429
    wait = int(waited.headers["Retry-After"])
    assert wait <= 10
    frozen.advance(wait)
    assert api_login(client, CHAIR, PASSWORD, AT_HOME).status_code == 201


def test_a_browser_that_logged_in_before_gets_in_whatever_the_attack(app, make, frozen):
    with app.app_context():
        make.user(CHAIR)
    laptop = app.test_client()
    assert page_login(laptop, CHAIR, addr=CENTRE).status_code == 302
    assert laptop.get_cookie("wijkraad_device") is not None
    Web(laptop).logout()
    attacker = app.test_client()
    # Someone on the same Wi-Fi uses up the chair's and the network's attempts ...
    for _ in range(5):
        assert api_login(attacker, CHAIR, "gok", CENTRE).status_code == 401
    for n in range(45):
        assert api_login(attacker, f"iemand{n}@example.org", "gok", CENTRE).status_code == 401
    # ... and others slow the account down.
    for n in range(5):
        assert api_login(attacker, CHAIR, "gok", f"203.0.113.{n}").status_code == 401
    assert api_login(attacker, "iemand@example.org", "gok", CENTRE).status_code == 429
    assert page_login(app.test_client(), CHAIR, addr=CENTRE).status_code == 429
    assert page_login(laptop, CHAIR, addr=CENTRE).status_code == 302
    # The device cookie is no key to anything: a wrong password there is counted, five times.
    Web(laptop).logout()
    for _ in range(5):
        assert page_login(laptop, CHAIR, "gok", addr=CENTRE).status_code == 401
    assert page_login(laptop, CHAIR, addr=CENTRE).status_code == 429


def counters(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(LoginCounter))


def test_old_counters_are_pruned(app, client, make, frozen):
    with app.app_context():
        make.user(CHAIR)
    api_login(client, CHAIR, "gok", STRANGER)
    assert counters(app) == 3  # the client, the address, the account
    frozen.advance(901)
    result = app.test_cli_runner().invoke(args=["auth", "prune"])
    assert result.exit_code == 0 and "deleted 3" in result.output
    assert counters(app) == 0
    # Logins prune as they go: ended windows go, the fresh ones stay.
    api_login(client, CHAIR, "gok", STRANGER)
    frozen.advance(901)
    api_login(client, "ander@example.org", "gok", AT_HOME)
    assert counters(app) == 3
    assert api_login(client, CHAIR, PASSWORD, STRANGER).status_code == 201


# --- links on the configured address ----------------------------------------------------------


def post_with_host(client, url: str, page: str, host: str):
    csrf = csrf_from(client.get(page).get_data(as_text=True))
    client.set_cookie("session", client.get_cookie("session").value, domain=host)
    return client.post(url, data={"csrf_token": csrf}, headers={"Host": host})


def test_a_forged_host_header_does_not_move_the_link(app, make, web, client, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_NAME", None)  # as in production
    monkeypatch.setitem(app.config, "BASE_URL", "https://wijkraad.example.nl")
    with app.app_context():
        make.user("beheer@example.org", admin=True)
        user_id = make.user(CHAIR).id
    web.login("beheer@example.org")
    page = f"/beheer/accounts/{user_id}"
    response = post_with_host(client, page + "/uitnodiging", page, "evil.example")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "evil.example" not in html
    assert re.search(r'value="https://wijkraad\.example\.nl/uitnodiging/[\w.\-]+"', html)


def test_without_a_base_url_production_makes_no_link(app, make, web, client, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    monkeypatch.setitem(app.config, "BASE_URL", None)
    monkeypatch.setattr(app, "testing", False)
    with app.app_context():
        make.user("beheer@example.org", admin=True)
        user_id = make.user(CHAIR).id
    web.login("beheer@example.org")
    page = f"/beheer/accounts/{user_id}"
    response = post_with_host(client, page + "/uitnodiging", page, "evil.example")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "/uitnodiging/" not in html and "WIJKRAAD_BASE_URL" in html
    assert api_login(client, CHAIR, PASSWORD, AT_HOME).status_code == 201  # no reset happened


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://wijkraad.example.nl", "https://wijkraad.example.nl"),
        ("https://wijkraad.example.nl/", "https://wijkraad.example.nl"),
        (" http://127.0.0.1:5000/wijkraad/ ", "http://127.0.0.1:5000/wijkraad"),
        ("wijkraad.example.nl", None),
        ("ftp://wijkraad.example.nl", None),
        ("https://", None),
        ("https://wijkraad.example.nl/?next=x", None),
    ],
)
def test_base_url_is_checked(url: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ValueError):
            checked_base_url(url)
    else:
        assert checked_base_url(url) == expected
