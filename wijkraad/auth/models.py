from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkraad.db import Base, TimestampMixin


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
    # Part of every session and remember-me cookie: raising it ends them all (logout, a new
    # password, an administrator disabling the account or resetting its password).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled account cannot log in
        return self.is_enabled

    def get_id(self) -> str:  # Flask-Login: what the session and remember-me cookies hold
        return f"{self.id}:{self.session_version}"

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
