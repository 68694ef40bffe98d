from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkraad.db import Base, TimestampMixin, utcnow


@dataclass(frozen=True)
class SessionKey:
    """The login session a request runs in: its row, and the token its cookies carry."""

    id: int
    token: str
    remember: bool = False


class User(UserMixin, TimestampMixin, Base):
    """An account: someone who can log in (a member, a secretary, an administrator)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    last_login_at: Mapped[datetime | None]
    # Raised when every session of the user ends at once (a new password, a reset, disabling
    # the account). Each login session keeps the version it began under and counts only while
    # it is current, so a login that checked the old password a moment before the change
    # commits ends with the others. Password links are bound to it too (``services``).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")

    # The login session (a ``SessionKey``) this object was loaded for or just logged in with,
    # set by the user loader and at login; its token goes into the cookies. Not a column:
    # left without an annotation, so the mapping leaves it alone.
    login_session = None

    # The identity map holds one object per row: compare those, not ``get_id``, which
    # depends on the login session at hand.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled account cannot log in
        return self.is_enabled

    def get_id(self) -> str:
        """Flask-Login: what the session and remember-me cookies hold, "user id:token"."""
        if self.login_session is None:
            raise RuntimeError("log in through auth.sessions.start, which makes a session row")
        return f"{self.id}:{self.login_session.token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class ApiToken(TimestampMixin, Base):
    """A bearer token; only its SHA-256 is stored, so a database leak reveals no token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str] = mapped_column(sa.String(100), default="")
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class LoginCounter(Base):
    """Failed logins under one key (an account with a client address or device, an address,
    an account) in a window that starts at the first failure. Kept in the database so that
    every worker applies the same limit; see ``rules`` for what the keys and limits are."""

    __tablename__ = "login_counters"
    __table_args__ = (sa.CheckConstraint("failures >= 0", name="failures_not_negative"),)

    # A digest of the scope and the value (an e-mail address, a client address): fixed length,
    # and no addresses in clear in a table that only counts.
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(10))
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(index=True)
    last_attempt_at: Mapped[datetime | None]
    last_fresh_attempt_at: Mapped[datetime | None]


class LoginSession(Base):
    """One login of one browser, ended by logging out there, from the list on "Mijn account",
    or with every session of the user. The session and remember-me cookies carry the user's
    id and a random token; only the token's SHA-256 is stored."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The user's ``session_version`` when the session began; it counts only while equal.
    version: Mapped[int]
    remember: Mapped[bool] = mapped_column(default=False)
    # The browser and system, for the list ("Firefox · Windows"); never the raw header.
    device: Mapped[str] = mapped_column(sa.String(60), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class PasswordReset(Base):
    """A mailed link to choose a new password: valid for a short while, once, and only while
    the user's ``session_version`` is the one it was made under (any new password, reset or
    disabling since then ends it). Only the token's SHA-256 is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
