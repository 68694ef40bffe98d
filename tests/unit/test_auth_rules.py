"""Account rules (passwords, e-mail addresses, login throttling) and the redirect guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkraad.auth.rules import (
    MIN_PASSWORD_LENGTH,
    Counter,
    Refusal,
    ThrottlePolicy,
    account_counted,
    account_delay_seconds,
    address_key,
    counted,
    failures_now,
    login_refusal,
    looks_like_email,
    normalise_email,
    password_problem,
)
from wijkraad.web import safe_next

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
POLICY = ThrottlePolicy()  # 5 per client, 50 per address, slowed after 10, at most 10 s apart
WINDOW = POLICY.window_seconds


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


def failing(failures: int, started: float = 60, **kw: datetime | None) -> Counter:
    """A counter with ``failures`` in a window that started ``started`` seconds ago."""
    return Counter(failures=failures, window_started_at=ago(started), **kw)


CLEAN = Counter()


def refusal(
    client: Counter = CLEAN,
    address: Counter | None = CLEAN,
    account: Counter | None = CLEAN,
    now: datetime = NOW,
) -> Refusal | None:
    return login_refusal(client=client, address=address, account=account, now=now, policy=POLICY)


# --- login throttling -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client", "address", "account", "expected"),
    [
        (CLEAN, CLEAN, CLEAN, None),
        (failing(4), CLEAN, CLEAN, None),
        (failing(5, started=300), CLEAN, CLEAN, Refusal("login-throttled", 600)),
        (failing(9, started=899.5), CLEAN, CLEAN, Refusal("login-throttled", 1)),
        (failing(5, started=900), CLEAN, CLEAN, None),
        (failing(5, started=5000), CLEAN, CLEAN, None),
        (CLEAN, failing(49), CLEAN, None),
        (CLEAN, failing(50, started=100), CLEAN, Refusal("login-throttled", 800)),
        (failing(4), failing(49), failing(9, last_attempt_at=NOW), None),
        # The account alone is never refused for long: slowed down, from 1 second apart.
        (failing(1), CLEAN, failing(10, last_attempt_at=ago(0.5)), Refusal("login-slowed", 1)),
        (failing(1), CLEAN, failing(10, last_attempt_at=ago(1)), None),
        (failing(1), CLEAN, failing(25, last_attempt_at=ago(0.5)), Refusal("login-slowed", 2)),
        (failing(1), CLEAN, failing(10_000, last_attempt_at=NOW), Refusal("login-slowed", 10)),
        (failing(1), CLEAN, failing(10_000, started=900, last_attempt_at=NOW), None),
        # A client without failures on the account takes the newcomers' turn, not the
        # retrying guessers' turn.
        (CLEAN, CLEAN, failing(30, last_attempt_at=NOW), None),
        (CLEAN, CLEAN, failing(30, last_fresh_attempt_at=ago(1)), Refusal("login-slowed", 3)),
        (failing(1), CLEAN, failing(30, last_fresh_attempt_at=NOW), None),
        (failing(2, started=901), CLEAN, failing(30, last_attempt_at=NOW), None),
        # A device that logged in before: counted by itself, no address limit, no slowdown.
        (failing(4), None, None, None),
        (failing(5, started=60), None, None, Refusal("login-throttled", 840)),
        # Refused by two keys: the advice is to wait for the later of the two.
        (failing(5, started=800), failing(50, started=100), CLEAN, Refusal("login-throttled", 800)),
    ],
    ids=[
        "nothing-counted",
        "four-of-five",
        "five-for-this-client",
        "about-to-end",
        "window-ended-exactly",
        "window-long-ended",
        "address-under-limit",
        "address-at-limit",
        "every-key-just-under",
        "slowed-account-wait-half-a-second",
        "slowed-account-turn-free",
        "more-failures-longer-pause",
        "pause-capped",
        "slowdown-ends-with-window",
        "newcomer-not-blocked-by-retries",
        "newcomers-share-their-turn",
        "retrier-not-blocked-by-newcomers",
        "client-failures-of-ended-window-are-fresh",
        "device-under-limit",
        "device-at-limit",
        "two-keys-the-later-end",
    ],
)
def test_login_refusal(
    client: Counter, address: Counter | None, account: Counter | None, expected: Refusal | None
) -> None:
    assert refusal(client, address, account) == expected


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (9, 0), (10, 1), (19, 1), (20, 2), (30, 4), (40, 8), (50, 10), (10**9, 10)],
)
def test_account_delay_doubles_and_is_capped(failures: int, seconds: int) -> None:
    assert account_delay_seconds(failures, POLICY) == seconds


@pytest.mark.parametrize(
    ("counter", "now", "expected"),
    [
        (CLEAN, NOW, Counter(1, NOW)),
        (failing(3), NOW, failing(4)),
        (failing(3, started=900), NOW, Counter(1, NOW)),
        (failing(3, started=899), NOW, failing(4, started=899)),
    ],
    ids=["first", "adds-up", "window-over-starts-anew", "window-not-yet-over"],
)
def test_counted(counter: Counter, now: datetime, expected: Counter) -> None:
    assert counted(counter, now, WINDOW) == expected
    assert failures_now(expected, now, WINDOW) == expected.failures


def test_account_counted_takes_the_lane_turn() -> None:
    account = failing(12, last_attempt_at=ago(50), last_fresh_attempt_at=ago(40))
    assert account_counted(account, NOW, POLICY, fresh=True) == failing(
        13, last_attempt_at=ago(50), last_fresh_attempt_at=NOW
    )
    assert account_counted(account, NOW, POLICY, fresh=False) == failing(
        13, last_attempt_at=NOW, last_fresh_attempt_at=ago(40)
    )


@pytest.mark.parametrize(
    ("remote_addr", "expected"),
    [
        ("192.0.2.7", "192.0.2.7"),
        (" 192.0.2.7 ", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("unknown", "unknown"),
        ("", "unknown"),
        ("x" * 100, "x" * 64),
    ],
    ids=[
        "ipv4",
        "spaces",
        "ipv4-mapped",
        "ipv6-by-64",
        "same-64-same-key",
        "other-64",
        "unknown",
        "empty",
        "long-garbage-cut",
    ],
)
def test_address_key(remote_addr: str, expected: str) -> None:
    assert address_key(remote_addr) == expected


def test_policy_from_config() -> None:
    config = {
        "LOGIN_MAX_FAILURES": 3,
        "LOGIN_WINDOW_SECONDS": 60,
        "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
        "LOGIN_ACCOUNT_SLOWDOWN_AFTER": 7,
        "LOGIN_ACCOUNT_MAX_DELAY_SECONDS": 4,
    }
    assert ThrottlePolicy.from_config(config) == ThrottlePolicy(60, 3, 20, 7, 4)
    assert ThrottlePolicy.from_config({}) == ThrottlePolicy()


moments = st.integers(0, 2000 * 1000).map(lambda ms: NOW - timedelta(milliseconds=ms))
counters = st.builds(
    Counter,
    failures=st.integers(0, 200),
    window_started_at=st.none() | moments,
    last_attempt_at=st.none() | moments,
    last_fresh_attempt_at=st.none() | moments,
)


@given(counters, st.none() | counters, st.none() | counters)
def test_waiting_the_advised_time_is_enough(
    client: Counter, address: Counter | None, account: Counter | None
) -> None:
    got = refusal(client, address, account)
    if got is None:
        return
    assert 1 <= got.wait_seconds <= WINDOW
    if got.code == "login-slowed":
        assert got.wait_seconds <= POLICY.account_max_delay_seconds
    later = refusal(client, address, account, now=NOW + timedelta(seconds=got.wait_seconds))
    assert later is None


@given(counters)
def test_someone_new_waits_seconds_however_the_account_is_attacked(account: Counter) -> None:
    # A client and address without failures are refused only by the slowdown, for seconds.
    got = refusal(CLEAN, CLEAN, account)
    assert got is None or (
        got.code == "login-slowed" and got.wait_seconds <= POLICY.account_max_delay_seconds
    )


# --- passwords and e-mail addresses -----------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("", "password-too-short"),
        ("a" * (MIN_PASSWORD_LENGTH - 1), "password-too-short"),
        ("ééééééééé", "password-too-short"),
        ("a" * MIN_PASSWORD_LENGTH, None),
        ("correct horse battery", None),
        ("         x", None),
    ],
    ids=["empty", "nine", "nine-accented", "ten", "passphrase", "spaces-count"],
)
def test_password_problem(password: str, expected: str | None) -> None:
    assert MIN_PASSWORD_LENGTH == 10
    assert password_problem(password) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("anna@example.nl", "anna@example.nl"),
        ("  Anna@Example.NL \n", "anna@example.nl"),
        ("\tJAN.DE.VRIES@GRONINGEN.NL", "jan.de.vries@groningen.nl"),
        ("", ""),
    ],
    ids=["already-normal", "spaces-and-case", "tab-and-caps", "empty"],
)
def test_normalise_email(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("anna@example.nl", True),
        ("a@b.c", True),
        ("jan.de.vries+wijkraad@gemeente.groningen.nl", True),
        ("anna@example", False),
        ("anna.example.nl", False),
        ("@example.nl", False),
        ("anna@", False),
        ("anna@@example.nl", False),
        ("an na@example.nl", False),
        ("anna@exa mple.nl", False),
        ("anna@example.nl\n", False),
        ("", False),
        ("a" * 64 + "@" + "b" * 186 + ".nl", True),
        ("a" * 64 + "@" + "b" * 187 + ".nl", False),
    ],
    ids=[
        "plain",
        "shortest",
        "dots-and-plus",
        "no-dot-in-domain",
        "no-at",
        "no-local-part",
        "no-domain",
        "two-ats",
        "space-in-local",
        "space-in-domain",
        "trailing-newline",
        "empty",
        "254-chars",
        "255-chars",
    ],
)
def test_looks_like_email(email: str, expected: bool) -> None:
    assert looks_like_email(email) is expected


# --- safe_next --------------------------------------------------------------------------------

FALLBACK = "/mijn"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (None, FALLBACK),
        ("", FALLBACK),
        ("   ", FALLBACK),
        ("/", "/"),
        ("/wijkraden/oost?x=1", "/wijkraden/oost?x=1"),
        ("/wijkraden/oost#agenda", "/wijkraden/oost#agenda"),
        (" /wijkraden/oost ", "/wijkraden/oost"),
        ("/%2F%2Fevil", "/%2F%2Fevil"),
        ("wijkraden/oost", FALLBACK),
        ("//evil.example", FALLBACK),
        ("///evil.example", FALLBACK),
        (" //evil.example", FALLBACK),
        ("https://evil.example/x", FALLBACK),
        ("http:/evil.example", FALLBACK),
        ("HTTPS://evil.example", FALLBACK),
        ("/\\evil.example", FALLBACK),
        ("\\\\evil.example", FALLBACK),
        ("/wijkraden\\..\\evil", FALLBACK),
        ("/\t/evil.example", FALLBACK),
        ("javascript:alert(1)", FALLBACK),
        ("/x\r\nLocation: https://evil.example", FALLBACK),
        ("/x\nSet-Cookie: a=b", FALLBACK),
        ("\x01//evil.example", FALLBACK),
    ],
    ids=[
        "none",
        "empty",
        "blank",
        "root",
        "path-with-query",
        "path-with-fragment",
        "surrounding-spaces-stripped",
        "encoded-slashes-are-a-path",
        "relative-path",
        "protocol-relative",
        "triple-slash",
        "protocol-relative-after-space",
        "absolute-url",
        "scheme-one-slash",
        "scheme-upper-case",
        "slash-backslash",
        "double-backslash",
        "backslash-inside",
        "tab-between-slashes",
        "javascript",
        "crlf-header-injection",
        "lf-header-injection",
        "leading-control-char",
    ],
)
def test_safe_next(target: str | None, expected: str) -> None:
    assert safe_next(target, FALLBACK) == expected
