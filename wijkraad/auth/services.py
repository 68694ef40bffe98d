"""Accounts, passwords, login throttling and API tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth import passwords, rules, sessions, throttle
from wijkraad.auth.actor import ANONYMOUS, Actor, CouncilSeat
from wijkraad.auth.models import ApiToken, SessionKey, User
from wijkraad.db import utcnow
from wijkraad.errors import Conflict, Invalid, Unauthorized


def hash_password(password: str) -> str:
    return passwords.hash_password(password)


def verify_password(user: User | None, password: str) -> bool:
    return passwords.verify(user.password_hash if user is not None else None, password)


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == rules.normalise_email(email)))


def create_user(
    session: Session,
    actor_user_id: int | None,
    *,
    email: str,
    name: str,
    password: str | None = None,
    is_admin: bool = False,
    language: str = "nl",
) -> User:
    """Creates an account. Without a password the user sets one through an invitation link."""
    email = rules.normalise_email(email)
    if not rules.looks_like_email(email):
        raise Invalid("field-invalid", field="email")
    if not name.strip():
        raise Invalid("field-required", field="name")
    if find_user(session, email) is not None:
        raise Conflict("email-taken", field="email")
    if password is not None:
        check_password(password)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password) if password else None,
        is_admin=is_admin,
        language=language,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor_user_id, "user.create", user, email=email, is_admin=is_admin)
    return user


def check_password(password: str) -> None:
    if problem := rules.password_problem(password):
        raise Invalid(problem, field="password", length=rules.MIN_PASSWORD_LENGTH)


def set_password(
    session: Session,
    actor_user_id: int | None,
    user: User,
    password: str,
    *,
    now: datetime | None = None,
    keep_token_id: int | None = None,
    keep_session_id: int | None = None,
) -> SessionKey | None:
    """Sets a new password. Every session and API token of the user ends with the old one,
    except the token ``keep_token_id`` and the session ``keep_session_id`` (those making the
    change, if any). The kept session goes on under a new token: its new key is returned."""
    check_password(password)
    user.password_hash = hash_password(password)
    ended, kept = sessions.end_all(session, user, keep_id=keep_session_id)
    revoked = revoke_all_tokens(session, user, now or utcnow(), keep_token_id=keep_token_id)
    audit.record(
        session,
        actor_user_id,
        "user.set_password",
        user,
        sessions_ended=ended,
        tokens_revoked=revoked,
    )
    return kept


def revoke_all_tokens(
    session: Session, user: User, now: datetime, *, keep_token_id: int | None = None
) -> int:
    """Revokes the user's API tokens (but ``keep_token_id``); returns how many."""
    condition = sa.and_(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if keep_token_id is not None:
        condition = sa.and_(condition, ApiToken.id != keep_token_id)
    result = session.execute(
        sa.update(ApiToken).where(condition).values(revoked_at=now),
        execution_options={"synchronize_session": "fetch"},
    )
    return result.rowcount


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    remote_addr: str,
    now: datetime,
    max_failures: int | None = None,
    window_seconds: int | None = None,
    policy: rules.ThrottlePolicy | None = None,
    device: throttle.Device | None = None,
) -> User:
    """The user behind these credentials, or ``Unauthorized``/``TooManyRequests``.

    The attempt is counted (see ``throttle``) before the password is checked and taken back
    when it is right. ``device`` is the signed device cookie of a browser that logged in
    before: attempts on its own accounts are counted by themselves.
    """
    policy = _policy(policy, max_failures, window_seconds)
    reservation = throttle.reserve(session, email, remote_addr, now, policy, device=device)
    user = find_user(session, email)
    # The password is checked even for an unknown or disabled account: the same time for all.
    right = verify_password(user, password)
    if user is None or not right or not user.is_enabled:
        raise Unauthorized("bad-credentials")
    throttle.release(session, reservation)
    user.last_login_at = now
    return user


def check_current_password(
    session: Session,
    user: User,
    password: str,
    *,
    remote_addr: str,
    now: datetime,
    policy: rules.ThrottlePolicy | None = None,
) -> None:
    """For a change that needs the current password: counted like a login, so a borrowed
    session cannot be used to guess it. ``Invalid`` on the field when it is wrong."""
    policy = policy or rules.ThrottlePolicy()
    reservation = throttle.reserve(session, user.email, remote_addr, now, policy)
    if not verify_password(user, password):
        raise Invalid("current-password-wrong", field="current_password")
    throttle.release(session, reservation)


def _policy(
    policy: rules.ThrottlePolicy | None, max_failures: int | None, window_seconds: int | None
) -> rules.ThrottlePolicy:
    policy = policy or rules.ThrottlePolicy()
    if max_failures is not None:
        policy = replace(policy, max_failures=max_failures)
    if window_seconds is not None:
        policy = replace(policy, window_seconds=window_seconds)
    return policy


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, actor_user_id: int | None, user: User, label: str = "") -> str:
    """Creates an API token for ``user`` and returns it; only its digest is kept."""
    token = "wr_" + secrets.token_urlsafe(32)
    row = ApiToken(user=user, token_hash=_token_digest(token), label=label[:100])
    session.add(row)
    session.flush()
    audit.record(session, actor_user_id, "token.issue", row, user_id=user.id, label=label)
    return token


def revoke_token(
    session: Session, actor_user_id: int | None, token: ApiToken, now: datetime
) -> None:
    if token.revoked_at is None:
        token.revoked_at = now
        audit.record(session, actor_user_id, "token.revoke", token)


def load_actor(session: Session, user: User | None, on: date) -> Actor:
    """The acting user's rights as plain data: admin flag and current seats per council."""
    from wijkraad.councils.models import Membership, Person

    if user is None:
        return ANONYMOUS
    # One query: the person behind the account with their current seats, if any.
    rows = session.execute(
        sa.select(Person.id, Membership)
        .outerjoin(
            Membership,
            sa.and_(
                Membership.person_id == Person.id,
                Membership.starts_on <= on,
                sa.or_(Membership.ends_on.is_(None), Membership.ends_on > on),
            ),
        )
        .where(Person.user_id == user.id)
    ).all()
    person_id = rows[0][0] if rows else None
    seats = {m.council_id: CouncilSeat(m.id, m.seat, m.role) for _, m in rows if m is not None}
    return Actor(user_id=user.id, is_admin=user.is_admin, person_id=person_id, seats=seats)


INVITE_MAX_AGE = 14 * 24 * 3600


def _invite_serializer(secret_key: str):
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(secret_key, salt="wijkraad-invite")


def _password_fingerprint(user: User) -> str:
    # Changes when the password does, so a link works once; and with the session version, so
    # that a reset (which clears the password) does not bring older links back to life.
    material = f"{user.password_hash or ''}:{user.session_version}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def invite_token(user: User, secret_key: str) -> str:
    """A link token with which ``user`` sets a password; valid 14 days, once."""
    return _invite_serializer(secret_key).dumps({"u": user.id, "p": _password_fingerprint(user)})


def user_for_invite(session: Session, token: str, secret_key: str) -> User:
    from itsdangerous import BadData

    try:
        data = _invite_serializer(secret_key).loads(token, max_age=INVITE_MAX_AGE)
        user = session.get(User, int(data["u"]))
    except (BadData, KeyError, TypeError, ValueError):
        user = None
    if user is None or not user.is_enabled or data.get("p") != _password_fingerprint(user):
        raise Invalid("invite-invalid")
    return user


@functools.cache
def _actor_by_token_statement() -> sa.Select:
    """Built once (on first use, when every model is known): the hot path only binds it."""
    from wijkraad.councils.models import Membership, Person

    on = sa.bindparam("on", type_=sa.Date)
    current = sa.and_(
        Membership.person_id == Person.id,
        Membership.starts_on <= on,
        sa.or_(Membership.ends_on.is_(None), Membership.ends_on > on),
    )
    return (
        sa.select(
            ApiToken.id,
            ApiToken.last_used_at,
            User.id.label("user_id"),
            User.is_admin,
            Person.id.label("person_id"),
            Membership.id.label("membership_id"),
            Membership.council_id,
            Membership.seat,
            Membership.role,
        )
        .join(User, User.id == ApiToken.user_id)
        .outerjoin(Person, Person.user_id == User.id)
        .outerjoin(Membership, current)
        .where(
            ApiToken.token_hash == sa.bindparam("digest"),
            ApiToken.revoked_at.is_(None),
            User.is_enabled.is_(True),
        )
    )


def actor_for_token(
    session: Session, token: str, now: datetime, on: date, *, read_only: bool = False
) -> Actor | None:
    """The actor behind a bearer token in one query, or None for an unknown, revoked or
    disabled one. Every API call with a token runs this, each vote among them.

    The token's last use is stamped at most once a minute. A writing request commits the stamp
    with its own work; a ``read_only`` one never commits, so the stamp goes in a statement of
    its own on a connection in autocommit."""
    rows = session.execute(
        _actor_by_token_statement(), {"digest": _token_digest(token), "on": on}
    ).all()
    if not rows:
        return None
    first = rows[0]
    if first.last_used_at is None or now - first.last_used_at > timedelta(minutes=1):
        stamp = sa.update(ApiToken).where(ApiToken.id == first.id).values(last_used_at=now)
        if read_only:
            with session.get_bind().connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(stamp)
        else:
            session.execute(stamp, execution_options={"synchronize_session": False})
    seats = {
        r.council_id: CouncilSeat(r.membership_id, r.seat, r.role)
        for r in rows
        if r.membership_id is not None
    }
    return Actor(
        user_id=first.user_id, is_admin=first.is_admin, person_id=first.person_id, seats=seats
    )
