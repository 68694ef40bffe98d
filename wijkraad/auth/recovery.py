"""A forgotten password: a link by mail, valid for an hour and once, to choose a new one.

Asking for a link is counted like a login attempt (per address and client, apart from the
logins), and gets the same answer whether or not the address has an account. At most a few
links per account an hour are made, so nobody's mailbox is flooded."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth import messages as _messages  # noqa: F401  (registers the refusals)
from wijkraad.auth import rules, throttle
from wijkraad.auth.models import PasswordReset, User
from wijkraad.auth.services import check_password, find_user, set_password
from wijkraad.errors import Invalid, TooManyRequests

LINK_LIFETIME = timedelta(hours=1)
MAX_LINKS_PER_HOUR = 3
_TABLE = PasswordReset.__table__
_TOKEN_MAX_LENGTH = 100


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_link(
    session: Session,
    email: str,
    *,
    remote_addr: str,
    now: datetime,
    policy: rules.ThrottlePolicy,
) -> tuple[User, str] | None:
    """A new link's token for the enabled account with this address, or None (no such
    account, or enough links made this hour): the caller answers the same either way.
    ``TooManyRequests`` when this client asked too often, whatever the address."""
    try:
        throttle.reserve(session, email, remote_addr, now, policy, purpose="reset")
    except TooManyRequests as error:
        wait = error.retry_after or policy.window_seconds
        raise TooManyRequests(
            "reset-throttled", retry_after=wait, minutes=max(1, math.ceil(wait / 60))
        ) from None
    user = find_user(session, email)
    if user is None or not user.is_enabled:
        return None
    recent = session.scalar(
        sa.select(sa.func.count())
        .select_from(_TABLE)
        .where(_TABLE.c.user_id == user.id, _TABLE.c.created_at > now - timedelta(hours=1))
    )
    if (recent or 0) >= MAX_LINKS_PER_HOUR:
        return None
    token = secrets.token_urlsafe(32)
    row = PasswordReset(
        user_id=user.id,
        token_hash=_digest(token),
        version=user.session_version,
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    session.add(row)
    session.flush()
    audit.record(session, None, "user.reset_requested", user, remote_addr=remote_addr)
    return user, token


def _valid(token: str, now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        _TABLE.c.token_hash == _digest(token),
        _TABLE.c.used_at.is_(None),
        _TABLE.c.expires_at > now,
    )


def user_for_link(session: Session, token: str, now: datetime) -> User:
    """The user a link is for, while it is unused, unexpired and current; ``Invalid``
    otherwise. Uses nothing: the page with the form may be shown any number of times."""
    if not token or len(token) > _TOKEN_MAX_LENGTH:
        raise Invalid("reset-invalid")
    user = session.scalar(
        sa.select(User)
        .join(PasswordReset, PasswordReset.user_id == User.id)
        .where(
            _valid(token, now),
            PasswordReset.version == User.session_version,
            User.is_enabled.is_(True),
        )
    )
    if user is None:
        raise Invalid("reset-invalid")
    return user


def choose_password(session: Session, token: str, password: str, *, now: datetime) -> User:
    """Sets the new password with a link, which is used up by it: a conditional update, so
    that of two requests with one link at once only one gets through. Every session and API
    token of the user ends (the caller then logs this browser in)."""
    check_password(password)
    user = user_for_link(session, token, now)
    used = session.execute(sa.update(_TABLE).where(_valid(token, now)).values(used_at=now)).rowcount
    if used != 1:
        raise Invalid("reset-invalid")
    set_password(session, user.id, user, password, now=now)
    audit.record(session, user.id, "user.reset_used", user)
    return user
