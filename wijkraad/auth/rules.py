"""Pure rules about accounts: passwords, e-mail addresses and login throttling."""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def looks_like_email(email: str) -> bool:
    return len(email) <= 254 and bool(_EMAIL.fullmatch(email))


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password-too-short"
    return None


# --- login throttling -------------------------------------------------------------------------
#
# Failed logins are counted under three keys, each in a window that starts at its first failure:
#
# - the client: the account together with the client's address, or together with a device that
#   logged in to the account before (a signed cookie). Few failures allowed, then refused until
#   the window ends. A stranger's guesses therefore refuse only the stranger.
# - the address alone, over every account: many failures allowed, so a shared network (a
#   community centre's Wi-Fi) is not refused because a few people mistype.
# - the account alone, over every address: never refused outright. Past a threshold the account
#   is slowed down: one attempt per few seconds, the pause growing with the failures but capped,
#   so a guesser with many addresses gets a trickle and the rightful user waits seconds.
#   Addresses without failures on the account take turns apart from those with failures, so a
#   guesser retrying from the same addresses does not take the turn of someone new.
#
# A device that logged in to the account before is counted by itself only: no address limit,
# no slowdown. That is what lets the chair in at once, whatever the attack.


@dataclass(frozen=True)
class ThrottlePolicy:
    window_seconds: int = 15 * 60
    max_failures: int = 5  # per account and client address (or device)
    max_failures_per_address: int = 50  # per client address, over all accounts
    account_slowdown_after: int = 10  # failures on one account from any address
    account_max_delay_seconds: int = 10

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ThrottlePolicy:
        return cls(
            window_seconds=int(config.get("LOGIN_WINDOW_SECONDS", cls.window_seconds)),
            max_failures=int(config.get("LOGIN_MAX_FAILURES", cls.max_failures)),
            max_failures_per_address=int(
                config.get("LOGIN_MAX_FAILURES_PER_ADDRESS", cls.max_failures_per_address)
            ),
            account_slowdown_after=int(
                config.get("LOGIN_ACCOUNT_SLOWDOWN_AFTER", cls.account_slowdown_after)
            ),
            account_max_delay_seconds=int(
                config.get("LOGIN_ACCOUNT_MAX_DELAY_SECONDS", cls.account_max_delay_seconds)
            ),
        )


@dataclass(frozen=True)
class Counter:
    """Failures under one key in its current window, and (for an account) its last turns."""

    failures: int = 0
    window_started_at: datetime | None = None
    last_attempt_at: datetime | None = None  # account: the last turn of retrying addresses
    last_fresh_attempt_at: datetime | None = None  # account: the last turn of new addresses


@dataclass(frozen=True)
class Refusal:
    code: str  # "login-throttled" (refused for a while) or "login-slowed" (wait seconds)
    wait_seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.wait_seconds / 60))


def _window_is_over(counter: Counter, now: datetime, window_seconds: int) -> bool:
    started = counter.window_started_at
    return started is None or now - started >= timedelta(seconds=window_seconds)


def failures_now(counter: Counter, now: datetime, window_seconds: int) -> int:
    """The failures that still count: none once the window that holds them is over."""
    return 0 if _window_is_over(counter, now, window_seconds) else counter.failures


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def account_delay_seconds(failures: int, policy: ThrottlePolicy) -> int:
    """Seconds between attempts on an account with this many recent failures: none below the
    threshold, then 1, doubling with every further threshold's worth of failures, capped."""
    after = policy.account_slowdown_after
    if failures < after:
        return 0
    doublings = min((failures - after) // max(after, 1), 16)
    return min(policy.account_max_delay_seconds, 2**doublings)


def login_refusal(
    *,
    client: Counter,
    address: Counter | None,
    account: Counter | None,
    now: datetime,
    policy: ThrottlePolicy,
) -> Refusal | None:
    """Why this attempt may not be tried now, or None when it may.

    ``address`` and ``account`` are None for a device that logged in to the account before.
    """
    window = policy.window_seconds
    # Every key at its limit refuses until its window ends: the advice is the latest end.
    ends = [
        counter.window_started_at + timedelta(seconds=window)
        for counter, limit in (
            (client, policy.max_failures),
            (address, policy.max_failures_per_address),
        )
        if counter is not None
        and counter.window_started_at is not None
        and failures_now(counter, now, window) >= limit
    ]
    if ends:
        return Refusal("login-throttled", _seconds_until(max(ends), now))
    if account is not None:
        delay = account_delay_seconds(failures_now(account, now, window), policy)
        last = (
            account.last_fresh_attempt_at
            if is_fresh(client, now, policy)
            else account.last_attempt_at
        )
        if delay and last is not None and now - last < timedelta(seconds=delay):
            return Refusal("login-slowed", _seconds_until(last + timedelta(seconds=delay), now))
    return None


def is_fresh(client: Counter, now: datetime, policy: ThrottlePolicy) -> bool:
    """A client without failures on the account in the window takes the newcomers' turn."""
    return failures_now(client, now, policy.window_seconds) == 0


def counted(counter: Counter, now: datetime, window_seconds: int) -> Counter:
    """The counter with this attempt counted as a failure (it is, until it succeeds)."""
    if _window_is_over(counter, now, window_seconds):
        return replace(counter, failures=1, window_started_at=now)
    return replace(counter, failures=counter.failures + 1)


def account_counted(
    account: Counter, now: datetime, policy: ThrottlePolicy, *, fresh: bool
) -> Counter:
    """The account's counter with this attempt counted and its turn taken."""
    after = counted(account, now, policy.window_seconds)
    if fresh:
        return replace(after, last_fresh_attempt_at=now)
    return replace(after, last_attempt_at=now)


def address_key(remote_addr: str) -> str:
    """The client address as counted: IPv6 by its /64 (one household or one server holds a
    whole /64), an IPv4 address written as IPv6 as IPv4, anything else as given."""
    try:
        ip = ipaddress.ip_address(remote_addr.strip())
    except ValueError:
        return remote_addr.strip()[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


# --- login sessions ---------------------------------------------------------------------------
#
# Every login is a session of its own (a row; its cookies carry a random token). One without
# "remember me" ends with the browser, but the server cannot see a browser close: its row ends
# after an idle time without use. One with "remember me" lives as long as its cookie.


@dataclass(frozen=True)
class SessionPolicy:
    idle_seconds: int = 14 * 24 * 3600  # a session without "remember me", unused this long
    remember_seconds: int = 365 * 24 * 3600  # a remembered one: Flask-Login's cookie lifetime
    remember_sliding: bool = False  # the remember-me cookie is renewed on every request
    touch_seconds: int = 5 * 60  # "last seen" is written at most this often

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SessionPolicy:
        remember = config.get("REMEMBER_COOKIE_DURATION", timedelta(days=365))
        if isinstance(remember, timedelta):
            remember = remember.total_seconds()
        return cls(
            idle_seconds=int(config.get("SESSION_IDLE_DAYS", 14)) * 24 * 3600,
            remember_seconds=int(remember),
            remember_sliding=bool(config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST")),
        )

    def idle_after(self, now: datetime) -> datetime:
        """A session without "remember me" last seen before this has ended."""
        return now - timedelta(seconds=self.idle_seconds)

    def remember_after(self, now: datetime) -> datetime:
        """A remembered session begun (or, sliding, last seen) before this has ended."""
        return now - timedelta(seconds=self.remember_seconds)

    def is_live(
        self, *, remember: bool, created_at: datetime, last_seen_at: datetime, now: datetime
    ) -> bool:
        if not remember:
            return last_seen_at > self.idle_after(now)
        since = last_seen_at if self.remember_sliding else created_at
        return since > self.remember_after(now)

    def needs_touch(self, last_seen_at: datetime, now: datetime) -> bool:
        return now - last_seen_at >= timedelta(seconds=self.touch_seconds)


# What a user-agent header says, for the list of sessions: the first match wins, so the more
# specific names come first (Edge and Opera also say Chrome; Chrome also says Safari; Android
# also says Linux; an iPhone also says Mac OS X).
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/")),
    ("Opera", re.compile(r"\b(?:OPR|Opera)/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(?:HeadlessChrome|Chrome|CriOS|Chromium)/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
)
_SYSTEMS = (
    ("Android", re.compile(r"\bAndroid\b")),
    ("iPadOS", re.compile(r"\biPad\b")),
    ("iOS", re.compile(r"\b(?:iPhone|iPod)\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)


def describe_device(user_agent: str) -> str:
    """A short name for the browser and system behind a user-agent header, such as
    "Firefox · Windows"; "" when neither is known. Only names from the lists above are ever
    returned, never text from the header itself."""
    user_agent = user_agent[:1000]
    browser = next((name for name, pattern in _BROWSERS if pattern.search(user_agent)), None)
    system = next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), None)
    return " · ".join(part for part in (browser, system) if part)
