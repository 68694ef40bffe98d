"""Login sessions: one row per login of one browser, so that each ends by itself.

The session cookie and the remember-me cookie carry "user id:token" (``User.get_id``); the row
keeps only the token's SHA-256. A session counts while its row exists, it has not expired (see
``rules.SessionPolicy``) and it began under the user's current ``session_version``: raising that
version ends every session of the user in one write, a login racing the change included.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth import rules
from wijkraad.auth.models import LoginSession, SessionKey, User
from wijkraad.db import MAX_ID

_TABLE = LoginSession.__table__
# Rows deleted per pruning pass, so that a pass stays cheap whatever piled up.
PRUNE_BATCH = 500
_TOKEN_MAX_LENGTH = 100


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: Session, user: User, *, remember: bool, user_agent: str, now: datetime
) -> SessionKey:
    """Begins a login session for ``user`` (who proved who they are) and attaches it to the
    object, ready for ``flask_login.login_user``. It begins under the version read with the
    password that was checked, so a change committed since then has already ended it."""
    token = secrets.token_urlsafe(32)
    row = LoginSession(
        user_id=user.id,
        token_hash=_digest(token),
        version=user.session_version,
        remember=remember,
        device=rules.describe_device(user_agent),
        created_at=now,
        last_seen_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(session, user.id, "session.start", row, device=row.device, remember=remember)
    user.login_session = SessionKey(row.id, token, remember)
    return user.login_session


def _live(policy: rules.SessionPolicy) -> sa.ColumnElement[bool]:
    """The SQL form of ``SessionPolicy.is_live``, with the cut-offs as parameters."""
    remembered_since = (
        LoginSession.last_seen_at if policy.remember_sliding else LoginSession.created_at
    )
    return sa.or_(
        sa.and_(
            LoginSession.remember.is_(False), LoginSession.last_seen_at > sa.bindparam("idle_after")
        ),
        sa.and_(LoginSession.remember.is_(True), remembered_since > sa.bindparam("remember_after")),
    )


def _cutoffs(policy: rules.SessionPolicy, now: datetime) -> dict[str, datetime]:
    return {"idle_after": policy.idle_after(now), "remember_after": policy.remember_after(now)}


@functools.cache
def _resolve_statement(sliding: bool) -> sa.Select:
    """Built once per kind of policy: the loader, on every page, only binds it."""
    policy = rules.SessionPolicy(remember_sliding=sliding)
    return (
        sa.select(User, LoginSession.id, LoginSession.remember, LoginSession.last_seen_at)
        .join(
            LoginSession,
            sa.and_(LoginSession.user_id == User.id, LoginSession.version == User.session_version),
        )
        .where(
            LoginSession.token_hash == sa.bindparam("digest"),
            User.id == sa.bindparam("user_id"),
            User.is_enabled.is_(True),
            _live(policy),
        )
    )


def resolve(
    session: Session,
    cookie_value: str,
    *,
    now: datetime,
    policy: rules.SessionPolicy,
    may_touch: bool = True,
) -> tuple[User, bool] | None:
    """The user behind a cookie's "user id:token", with the session attached, in one query;
    None for a malformed, unknown, ended or expired session, or a disabled account.

    With ``may_touch``, "last seen" is written when it is older than ``policy.touch_seconds``
    (a second statement, a few times an hour at most); the second value says whether it was,
    for the caller to commit."""
    id_part, _sep, token = cookie_value.partition(":")
    try:
        user_id = int(id_part)
    except ValueError:
        return None
    if not 0 < user_id <= MAX_ID or not token or len(token) > _TOKEN_MAX_LENGTH:
        return None
    row = session.execute(
        _resolve_statement(policy.remember_sliding),
        {"digest": _digest(token), "user_id": user_id, **_cutoffs(policy, now)},
    ).first()
    if row is None:
        return None
    user, session_id, remember, last_seen_at = row
    user.login_session = SessionKey(session_id, token, remember)
    touched = may_touch and policy.needs_touch(last_seen_at, now)
    if touched:
        session.execute(sa.update(_TABLE).where(_TABLE.c.id == session_id).values(last_seen_at=now))
    return user, touched


@dataclass(frozen=True)
class ActiveSession:
    id: int
    device: str
    created_at: datetime
    last_seen_at: datetime
    remember: bool
    is_current: bool


def active(
    session: Session, user: User, *, now: datetime, policy: rules.SessionPolicy
) -> list[ActiveSession]:
    """The user's sessions that still count, the one at hand first, then the latest used."""
    current = user.login_session.id if user.login_session is not None else None
    rows = session.execute(
        sa.select(
            LoginSession.id,
            LoginSession.device,
            LoginSession.created_at,
            LoginSession.last_seen_at,
            LoginSession.remember,
        )
        .where(
            LoginSession.user_id == user.id,
            LoginSession.version == user.session_version,
            _live(policy),
        )
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc()),
        _cutoffs(policy, now),
    ).all()
    sessions = [ActiveSession(*row, is_current=row.id == current) for row in rows]
    return sorted(sessions, key=lambda s: not s.is_current)


def end(session: Session, actor_user_id: int | None, user: User, session_id: int) -> bool:
    """Ends one session of ``user``; False when it had ended already (or is not theirs).
    A delete, so two requests ending the same session at once end it once."""
    result = session.execute(
        sa.delete(_TABLE).where(_TABLE.c.id == session_id, _TABLE.c.user_id == user.id)
    )
    if result.rowcount != 1:
        return False
    current = user.login_session is not None and user.login_session.id == session_id
    audit.record_event(
        session,
        actor_user_id,
        "session.end",
        "login_sessions",
        session_id,
        user_id=user.id,
        current=current,
    )
    return True


def end_others(session: Session, actor_user_id: int | None, user: User, keep_id: int) -> int:
    """Ends every session of ``user`` but ``keep_id`` (the one at hand); returns how many."""
    ended = session.execute(
        sa.delete(_TABLE).where(_TABLE.c.user_id == user.id, _TABLE.c.id != keep_id)
    ).rowcount
    if ended:
        audit.record(session, actor_user_id, "session.end_others", user, sessions_ended=ended)
    return ended


def end_all(
    session: Session, user: User, *, keep_id: int | None = None
) -> tuple[int, SessionKey | None]:
    """Ends every session of ``user`` by raising the version, and deletes their rows; returns
    how many there were. A session ``keep_id`` (the one making a password change) goes on
    under a new token, so that a copy of its old cookies is worth nothing: the new key is
    returned and attached to ``user``."""
    user.session_version = User.session_version + 1  # in SQL: two at once both count
    session.flush()
    condition = _TABLE.c.user_id == user.id
    if keep_id is not None:
        condition = sa.and_(condition, _TABLE.c.id != keep_id)
    ended = session.execute(sa.delete(_TABLE).where(condition)).rowcount
    if keep_id is None:
        return ended, None
    token = secrets.token_urlsafe(32)
    result = session.execute(
        sa.update(_TABLE)
        .where(_TABLE.c.id == keep_id, _TABLE.c.user_id == user.id)
        .values(token_hash=_digest(token), version=user.session_version)  # read back: raised
        .returning(_TABLE.c.remember)
    ).first()
    if result is None:  # ended a moment ago, by a logout there
        return ended, None
    user.login_session = SessionKey(keep_id, token, result.remember)
    return ended, user.login_session


def prune(session: Session, now: datetime, policy: rules.SessionPolicy) -> int:
    """Deletes up to ``PRUNE_BATCH`` sessions that no longer count: expired, or begun under an
    older version of their user. Returns how many; call again until it returns 0."""
    doomed = (
        sa.select(LoginSession.id)
        .join(User, User.id == LoginSession.user_id)
        .where(sa.or_(sa.not_(_live(policy)), LoginSession.version != User.session_version))
        .limit(PRUNE_BATCH)
    )
    result = session.execute(
        sa.delete(_TABLE).where(_TABLE.c.id.in_(doomed)), _cutoffs(policy, now)
    )
    return result.rowcount
