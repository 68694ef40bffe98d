"""Configuration: defaults here, then ``instance/config.py``, then environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "WIJKRAAD_"


class Defaults:
    # No ``pool_pre_ping``: a ping is a round trip on every request, the live vote polls
    # included. A connection the server closed is found without one on checkout instead
    # (wijkraad/connections.py); one that dies unnoticed costs a single 503 (Retry-After), and
    # SQLAlchemy then replaces the whole pool.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_recycle": 1800}
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # "Remember me" keeps a browser logged in this long (its login session ends with it).
    REMEMBER_COOKIE_DURATION = timedelta(days=365)
    # A login session without "remember me" ends with the browser; as the server cannot see a
    # browser close, it also ends after this many days without use.
    SESSION_IDLE_DAYS = 14
    WTF_CSRF_TIME_LIMIT = None  # a meeting can run for hours; the token lives with the session
    # Login throttling: at most this many failures per account and client address (or device)
    # in the window, counted in the database so that every worker and server sees the same number.
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_SECONDS = 15 * 60
    # Failures from one client address over all accounts: high, so that a shared network (a
    # community centre's Wi-Fi) is not refused because a few people mistype.
    LOGIN_MAX_FAILURES_PER_ADDRESS = 50
    # Failures on one account from all addresses together after which its attempts are spaced
    # out (never refused outright), one per 1, 2, 4 ... seconds, at most this many seconds apart.
    LOGIN_ACCOUNT_SLOWDOWN_AFTER = 10
    LOGIN_ACCOUNT_MAX_DELAY_SECONDS = 10
    # The cost of password hashes: a profile of ``argon2.profiles`` (the library's own
    # default here). Test suites choose "CHEAPEST", so that thousands of logins stay fast.
    ARGON2_PROFILE = "RFC_9106_LOW_MEMORY"
    # The public address of the site (https://wijkraad.example.nl), for the links it hands out
    # (invitations, password resets). Unset, only a debug or test server builds them from the
    # request; in production the request's Host header never decides where a link points.
    BASE_URL: str | None = None
    PREFERRED_URL_SCHEME = "http"
    PROXY_FIX = False
    # The largest request body accepted (413 beyond it). A route that takes uploads may allow
    # more for itself (``request.max_content_length``).
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Form fields held in memory and the number of parts of a multipart form.
    MAX_FORM_MEMORY_SIZE = 500_000
    MAX_FORM_PARTS = 1_000
    # Seconds a client is asked to wait (Retry-After) while the database cannot be reached.
    RETRY_AFTER_SECONDS = 30
    # Documents (see wijkraad/documents): the largest file, in megabytes (an upload's request
    # may be this large, every other stays within MAX_CONTENT_LENGTH), and where files are kept:
    # "local", in DOCUMENTS_DIR (default: instance/documents).
    MAX_DOCUMENT_MB = 20
    DOCUMENT_STORAGE = "local"
    DOCUMENTS_DIR: str | None = None
    # Mail (see wijkraad/mail): without a server, messages are written to the console.
    MAIL_SERVER: str | None = None
    MAIL_PORT: int | None = None  # 587 with STARTTLS, 25 without; 465 is TLS from the start
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False  # STARTTLS
    MAIL_FROM = "wijkraad@localhost"
    MAIL_MAX_ATTEMPTS = 8
    MAIL_POLL_SECONDS = 5.0
    # Send the outbox from a thread of the web server's own process: for the development
    # server only (``make run``); in production ``flask mail worker`` runs beside the app.
    MAIL_IN_PROCESS = False


def _env(name: str) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value if value else None


def secret_key_for(instance_path: Path) -> str:
    """The key from ``WIJKRAAD_SECRET_KEY``, or one generated once into ``instance/``."""
    if key := _env("SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def checked_base_url(url: str) -> str:
    """``url`` without its trailing slash; a ValueError unless it is an http(s) address."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{ENV_PREFIX}BASE_URL must be an http(s) address, not {url!r}")
    return url.strip().rstrip("/")


def _positive_days(name: str, value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = 0
    if days < 1:
        raise ValueError(f"{ENV_PREFIX}{name} must be a whole number of days, not {value!r}")
    return days


def from_environment(instance_path: Path) -> dict[str, Any]:
    config: dict[str, Any] = {}
    url = _env("DATABASE_URL") or f"sqlite:///{instance_path / 'wijkraad.sqlite3'}"
    # "postgresql://" means psycopg 2 to SQLAlchemy; we ship psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    config["SQLALCHEMY_DATABASE_URI"] = url
    if lang := _env("DEFAULT_LANGUAGE"):
        config["BABEL_DEFAULT_LOCALE"] = lang
    if _env("SECURE_COOKIES") == "1":
        config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = True
        config["PREFERRED_URL_SCHEME"] = "https"
    if base_url := _env("BASE_URL"):
        config["BASE_URL"] = checked_base_url(base_url)
    if idle := _env("SESSION_IDLE_DAYS"):
        config["SESSION_IDLE_DAYS"] = _positive_days("SESSION_IDLE_DAYS", idle)
    if remember := _env("REMEMBER_DAYS"):
        days = _positive_days("REMEMBER_DAYS", remember)
        config["REMEMBER_COOKIE_DURATION"] = timedelta(days=days)
    if _env("PROXY_FIX") == "1":
        config["PROXY_FIX"] = True
    for name in ("MAX_DOCUMENT_MB", "DOCUMENT_STORAGE", "DOCUMENTS_DIR"):
        if (value := _env(name)) is not None:
            config[name] = _positive_int(name, value) if name == "MAX_DOCUMENT_MB" else value
    for name in ("MAX_CONTENT_LENGTH", "MAX_FORM_MEMORY_SIZE", "MAX_FORM_PARTS"):
        if (value := _env(name)) is not None:
            config[name] = _positive_int(name, value)
    config.update(_mail_settings())
    return config


def _mail_settings() -> dict[str, Any]:
    config: dict[str, Any] = {}
    for name in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM"):
        if (value := _env(name)) is not None:
            config[name] = value
    for name in ("MAIL_PORT", "MAIL_MAX_ATTEMPTS"):
        if (value := _env(name)) is not None:
            config[name] = _positive_int(name, value)
    for name in ("MAIL_USE_TLS", "MAIL_IN_PROCESS"):
        if (value := _env(name)) is not None:
            config[name] = _flag(name, value)
    if (poll := _env("MAIL_POLL_SECONDS")) is not None:
        config["MAIL_POLL_SECONDS"] = float(_positive_int("MAIL_POLL_SECONDS", poll))
    return config


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{ENV_PREFIX}{name} must be 1 or 0, not {value!r}")


def _positive_int(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"{ENV_PREFIX}{name} must be a positive whole number, not {value!r}")
    return number
