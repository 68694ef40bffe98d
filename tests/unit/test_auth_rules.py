"""Account rules (passwords, e-mail addresses, login throttling) and the redirect guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkraad.auth.rules import (
    MIN_PASSWORD_LENGTH,
    login_blocked_for,
    looks_like_email,
    normalise_email,
    password_problem,
)
from wijkraad.web import safe_next

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
MAX = 5
WINDOW = 900


def ago(*seconds: float) -> list[datetime]:
    """Failure times ``seconds`` before NOW."""
    return [NOW - timedelta(seconds=s) for s in seconds]


def blocked(failures: list[datetime], now: datetime = NOW) -> int:
    return login_blocked_for(failures, now, max_failures=MAX, window_seconds=WINDOW)


# --- login throttling -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "expected"),
    [
        ([], 0),
        (ago(10, 20, 30, 40), 0),
        (ago(300.5, 240, 180, 120, 60), 600),
        (ago(60, 120, 180, 240, 300.5), 600),
        (ago(800.5, 700.5, 600.5, 500.5, 400.5, 300.5), 200),
        (ago(899.5, 1, 1, 1, 1), 1),
        (ago(900, 1, 2, 3, 4), 0),
        (ago(10, 20, 30, 40, 901, 1000, 5000, 86400), 0),
        (ago(0.25, 0.25, 0.25, 0.25, 0.25), 900),
    ],
    ids=[
        "no-failures",
        "four-of-five",
        "five-in-window",
        "order-does-not-matter",
        "six-the-fifth-newest-counts",
        "oldest-about-to-leave",
        "failure-exactly-window-old-does-not-count",
        "old-failures-do-not-count",
        "five-just-now",
    ],
)
def test_login_blocked_for(failures: list[datetime], expected: int) -> None:
    got = blocked(failures)
    assert got == expected
    assert got <= WINDOW


@pytest.mark.parametrize(
    ("failures", "expected"),
    [
        (ago(0, 0, 0, 0, 0), WINDOW),
        (ago(300, 240, 180, 120, 60), 600),
    ],
    ids=["five-at-this-instant", "whole-minutes-ago"],
)
def test_login_blocked_for_whole_seconds(failures: list[datetime], expected: int) -> None:
    assert blocked(failures) == expected


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [(0, 900), (100, 800), (450.25, 450), (899, 1), (899.5, 0), (2000, 0)],
    ids=["at-once", "after-100s", "halfway", "one-second-left", "window-passed", "long-after"],
)
def test_login_wait_decreases_as_time_passes(elapsed: float, expected: int) -> None:
    failures = ago(0.5, 0.5, 0.5, 0.5, 0.5)
    assert blocked(failures, NOW + timedelta(seconds=elapsed)) == expected


failure_offsets = st.lists(
    st.integers(0, 2000 * 1_000_000).map(lambda us: NOW - timedelta(microseconds=us)),
    max_size=12,
)


@given(failure_offsets, st.integers(1, 6), st.integers(1, 1200))
def test_login_blocked_iff_enough_failures_in_window(
    failures: list[datetime], max_failures: int, window: int
) -> None:
    got = login_blocked_for(failures, NOW, max_failures=max_failures, window_seconds=window)
    in_window = sum(NOW - t < timedelta(seconds=window) for t in failures)
    assert (got == 0) is (in_window < max_failures)
    if got:
        assert 1 <= got <= window + 1
        # Waiting the advised time is always enough.
        later = NOW + timedelta(seconds=got)
        assert (
            login_blocked_for(failures, later, max_failures=max_failures, window_seconds=window)
            == 0
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
