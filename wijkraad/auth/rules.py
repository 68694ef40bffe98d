"""Pure rules about accounts: passwords, e-mail addresses and login throttling."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

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


def login_blocked_for(
    failures: list[datetime], now: datetime, *, max_failures: int, window_seconds: int
) -> int:
    """Seconds until another login may be tried, given recent failure times; 0 when free.

    Up to ``max_failures`` failures inside the window are allowed; after that the client waits
    until the oldest failure in the window leaves it.
    """
    window = timedelta(seconds=window_seconds)
    recent = sorted(t for t in failures if now - t < window)
    if len(recent) < max_failures:
        return 0
    oldest_counted = recent[-max_failures]
    return max(1, math.ceil((oldest_counted + window - now).total_seconds()))
