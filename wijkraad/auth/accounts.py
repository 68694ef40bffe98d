"""Changes to accounts: by their owner (name, language, password) and by administrators
(details, disabling, password resets, invitation links). Each leaves an audit row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth import rules, sessions
from wijkraad.auth.models import SessionKey, User
from wijkraad.auth.services import (
    check_current_password,
    check_password,
    find_user,
    invite_token,
    revoke_all_tokens,
    set_password,
)
from wijkraad.errors import Conflict, Invalid

LANGUAGES = ("nl", "en")


def _changes(user: User, **new: Any) -> dict[str, list[Any]]:
    return {k: [getattr(user, k), v] for k, v in new.items() if getattr(user, k) != v}


def update_details(
    session: Session,
    actor_user_id: int | None,
    user: User,
    *,
    name: str | None = None,
    email: str | None = None,
    language: str | None = None,
) -> dict[str, list[Any]]:
    """Changes name, e-mail address and language (those given); records what changed, as
    ``[old, new]`` per field, and returns it."""
    new: dict[str, Any] = {}
    if name is not None:
        if not name.strip():
            raise Invalid("field-required", field="name")
        new["name"] = name.strip()
    if email is not None:
        email = rules.normalise_email(email)
        if not rules.looks_like_email(email):
            raise Invalid("field-invalid", field="email")
        other = find_user(session, email)
        if other is not None and other.id != user.id:
            raise Conflict("email-taken", field="email")
        new["email"] = email
    if language is not None:
        if language not in LANGUAGES:
            raise Invalid("field-invalid", field="language")
        new["language"] = language
    changes = _changes(user, **new)
    if changes:
        for field, (_, value) in changes.items():
            setattr(user, field, value)
        audit.record(session, actor_user_id, "user.update", user, changes=changes)
    return changes


def change_own_password(
    session: Session,
    user: User,
    current_password: str,
    new_password: str,
    *,
    remote_addr: str,
    now: datetime,
    policy: rules.ThrottlePolicy | None = None,
    keep_token_id: int | None = None,
    keep_session_id: int | None = None,
) -> SessionKey | None:
    """The owner changes their password, proving the current one (counted like a login).
    Every other session and every API token ends, but the token and the session making the
    change (``keep_token_id``, ``keep_session_id``); the session goes on under a new token,
    whose key is returned."""
    check_password(new_password)
    check_current_password(
        session, user, current_password, remote_addr=remote_addr, now=now, policy=policy
    )
    return set_password(
        session,
        user.id,
        user,
        new_password,
        now=now,
        keep_token_id=keep_token_id,
        keep_session_id=keep_session_id,
    )


def _not_yourself(actor_user_id: int | None, user: User) -> None:
    if actor_user_id is not None and actor_user_id == user.id:
        raise Conflict("own-account")


def set_enabled(
    session: Session, actor_user_id: int | None, user: User, enabled: bool, *, now: datetime
) -> None:
    """An administrator enables or disables an account. Disabling ends its sessions and
    revokes its API tokens, so enabling it again brings none of them back."""
    _not_yourself(actor_user_id, user)
    if user.is_enabled == enabled:
        return
    user.is_enabled = enabled
    if enabled:
        audit.record(session, actor_user_id, "user.enable", user)
        return
    ended, _ = sessions.end_all(session, user)
    revoked = revoke_all_tokens(session, user, now)
    audit.record(
        session, actor_user_id, "user.disable", user, sessions_ended=ended, tokens_revoked=revoked
    )


def reset_password(
    session: Session, actor_user_id: int | None, user: User, *, now: datetime
) -> None:
    """An administrator resets a password: the old one stops working, every session and API
    token ends; the user chooses a new password with a link."""
    _not_yourself(actor_user_id, user)
    user.password_hash = None
    ended, _ = sessions.end_all(session, user)
    revoked = revoke_all_tokens(session, user, now)
    audit.record(
        session,
        actor_user_id,
        "user.reset_password",
        user,
        sessions_ended=ended,
        tokens_revoked=revoked,
    )


def make_link_token(
    session: Session, actor_user_id: int | None, user: User, secret_key: str, *, reset: bool
) -> str:
    """A token for a link with which ``user`` sets a password: an invitation, or after a
    reset a recovery link. That a link was made is recorded, never the token itself."""
    token = invite_token(user, secret_key)
    action = "user.reset_link" if reset else "user.invite_link"
    audit.record(session, actor_user_id, action, user, email=user.email)
    return token
