"""Reads of accounts for the pages: the account page and the administrator's list, each in a
fixed number of statements, as frozen view models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.auth import rules, sessions
from wijkraad.auth.models import ApiToken, User
from wijkraad.errors import NotFound


@dataclass(frozen=True)
class Account:
    """An account as the administrator sees it (never shown to the public: it has the address)."""

    id: int
    name: str
    email: str
    language: str
    is_admin: bool
    is_enabled: bool
    has_password: bool
    last_login_at: datetime | None


@dataclass(frozen=True)
class AccountDetail:
    account: Account
    session_count: int


@dataclass(frozen=True)
class Token:
    id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class OwnAccount:
    """What the account page shows its owner besides the forms."""

    tokens: tuple[Token, ...]
    login_sessions: tuple[sessions.ActiveSession, ...]


_ACCOUNT = (
    User.id,
    User.name,
    User.email,
    User.language,
    User.is_admin,
    User.is_enabled,
    User.password_hash.is_not(None),
    User.last_login_at,
)


def accounts(session: Session) -> list[Account]:
    """Every account, by name: one statement."""
    return [Account(*row) for row in session.execute(sa.select(*_ACCOUNT).order_by(User.name))]


def account_detail(
    session: Session, user: User, *, now: datetime, policy: rules.SessionPolicy
) -> AccountDetail:
    """One account and how many of its sessions still count: two statements."""
    row = session.execute(sa.select(*_ACCOUNT).where(User.id == user.id)).one_or_none()
    if row is None:
        raise NotFound()
    return AccountDetail(Account(*row), len(sessions.active(session, user, now=now, policy=policy)))


def own_account(
    session: Session, user: User, *, now: datetime, policy: rules.SessionPolicy
) -> OwnAccount:
    """The owner's tokens still in force and sessions still counting: two statements."""
    tokens = session.execute(
        sa.select(ApiToken.id, ApiToken.label, ApiToken.created_at, ApiToken.last_used_at)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id)
    )
    return OwnAccount(
        tokens=tuple(Token(*row) for row in tokens),
        login_sessions=tuple(sessions.active(session, user, now=now, policy=policy)),
    )


def get_user(session: Session, user_id: int) -> User:
    """The account a page acts on; 404 when there is none."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def get_own_token(session: Session, user_id: int, token_id: int) -> ApiToken:
    """One of ``user_id``'s own tokens; 404 for any other (whether or not it exists)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound()
    return token
