"""Login sessions as pure rules: when one has ended, and the name shown for its device."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkraad.auth.rules import SessionPolicy, describe_device
from wijkraad.config import from_environment

NOW = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)
DAY = 24 * 3600
POLICY = SessionPolicy()


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("remember", "created", "last_seen", "live"),
    [
        (False, 20 * DAY, 14 * DAY - 1, True),  # used within the idle time
        (False, 20 * DAY, 14 * DAY, False),  # idle 14 days: ended
        (False, 400 * DAY, 60, True),  # in use: no age limit
        (True, 364 * DAY, 300 * DAY, True),  # remembered: idle time does not count
        (True, 365 * DAY, 60, False),  # ... but the cookie's lifetime does
    ],
)
def test_is_live(remember: bool, created: float, last_seen: float, live: bool) -> None:
    assert (
        POLICY.is_live(
            remember=remember, created_at=ago(created), last_seen_at=ago(last_seen), now=NOW
        )
        is live
    )


def test_a_sliding_remember_me_cookie_counts_from_the_last_use() -> None:
    sliding = SessionPolicy(remember_sliding=True)
    live = sliding.is_live(remember=True, created_at=ago(400 * DAY), last_seen_at=ago(60), now=NOW)
    assert live


def test_policy_from_config() -> None:
    policy = SessionPolicy.from_config(
        {"SESSION_IDLE_DAYS": 3, "REMEMBER_COOKIE_DURATION": timedelta(days=30)}
    )
    assert (policy.idle_seconds, policy.remember_seconds) == (3 * DAY, 30 * DAY)
    assert not policy.remember_sliding
    # Flask-Login also takes a number of seconds, and its own default is a year.
    assert SessionPolicy.from_config({"REMEMBER_COOKIE_DURATION": 60}).remember_seconds == 60
    assert SessionPolicy.from_config({}) == POLICY


def test_last_seen_is_written_at_most_every_five_minutes() -> None:
    assert not POLICY.needs_touch(ago(299), NOW)
    assert POLICY.needs_touch(ago(300), NOW)


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox · Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome · Android",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari · iOS",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge · macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
            "Samsung Internet · Android",
        ),
        (
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36",
            "Chrome · ChromeOS",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox · Linux",
        ),
        ("curl/8.5.0", ""),
        ("", ""),
    ],
)
def test_describe_device(agent: str, expected: str) -> None:
    assert describe_device(agent) == expected


@given(st.text(max_size=300))
def test_a_device_name_never_repeats_the_header(agent: str) -> None:
    name = describe_device("Firefox/1 " + agent)
    assert name and len(name) <= 60  # fits the column
    assert set(name.split(" · ")) <= {
        "Edge", "Opera", "Samsung Internet", "Firefox", "Chrome", "Safari",
        "Android", "iPadOS", "iOS", "ChromeOS", "Windows", "macOS", "Linux",
    }  # fmt: skip


def test_lifetimes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("WIJKRAAD_SESSION_IDLE_DAYS", "7")
    monkeypatch.setenv("WIJKRAAD_REMEMBER_DAYS", "30")
    config = from_environment(tmp_path)
    assert config["SESSION_IDLE_DAYS"] == 7
    assert config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)
    policy = SessionPolicy.from_config(config)
    assert (policy.idle_seconds, policy.remember_seconds) == (7 * DAY, 30 * DAY)
    for wrong in ("0", "-3", "twee", "1.5"):
        monkeypatch.setenv("WIJKRAAD_SESSION_IDLE_DAYS", wrong)
        with pytest.raises(ValueError, match="WIJKRAAD_SESSION_IDLE_DAYS"):
            from_environment(tmp_path)
