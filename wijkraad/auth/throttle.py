"""Login counters in the database: reserve an attempt before its password is checked.

An attempt is counted as a failure *before* the password is verified, in a short transaction of
its own that is committed at once: parallel attempts line up on the counter rows (a row lock on
PostgreSQL, the write lock on SQLite), each sees the ones before it, and no lock is held while
the password is being checked. A successful attempt then takes its reservation back, in the
request's own transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from wijkraad.auth import rules
from wijkraad.auth.models import LoginCounter, User
from wijkraad.errors import TooManyRequests

_TABLE = LoginCounter.__table__
_COLUMNS = (
    _TABLE.c.failures,
    _TABLE.c.window_started_at,
    _TABLE.c.last_attempt_at,
    _TABLE.c.last_fresh_attempt_at,
)
# Rows deleted per pruning pass, so that a pass stays cheap whatever piled up.
PRUNE_BATCH = 500


def _digest(scope: str, value: str) -> str:
    return hashlib.sha256(f"{scope}\x1f{value}".encode()).hexdigest()


@dataclass(frozen=True)
class AttemptKeys:
    """The counters one attempt is counted under; address and account are None for a device
    that logged in to the account before."""

    client: str
    address: str | None
    account: str | None

    @classmethod
    def for_attempt(
        cls,
        email: str,
        remote_addr: str,
        *,
        trusted_device: tuple[int, str] | None = None,
        purpose: str = "",
    ) -> AttemptKeys:
        """The keys of a login attempt; with a ``purpose`` ("reset": asking for a password
        link), keys of their own, counted apart from the logins."""
        email = rules.normalise_email(email)
        if purpose:
            email = f"{purpose}\x1f{email}"
        if trusted_device is not None:
            user_id, device_id = trusted_device
            return cls(
                client=_digest("device", f"{user_id}\x1f{device_id}"), address=None, account=None
            )
        address = rules.address_key(remote_addr)
        return cls(
            client=_digest("pair", f"{email}\x1f{address}"),
            address=_digest("address", address),
            account=_digest("account", email),
        )

    def ordered(self) -> list[tuple[str, str]]:
        """(scope, key) in the one order every transaction locks them in: no deadlocks."""
        keys = [("client", self.client), ("address", self.address), ("account", self.account)]
        return [(scope, key) for scope, key in keys if key is not None]


@dataclass(frozen=True)
class Device:
    """A browser that logged in before: its random id and the accounts it logged in to."""

    device_id: str
    user_ids: tuple[int, ...]


@dataclass(frozen=True)
class Reservation:
    keys: AttemptKeys
    # The window each counter was counted in, to take the failure back from the same window.
    windows: dict[str, datetime]


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def _insert(dialect: str) -> type[sa.Insert]:
    if dialect == "postgresql":
        return postgresql.insert  # type: ignore[return-value]
    if dialect == "sqlite":
        return sqlite.insert  # type: ignore[return-value]
    raise NotImplementedError(f"login counters need PostgreSQL or SQLite, not {dialect}")


def _lock_counter(conn: Connection, scope: str, key: str, now: datetime) -> rules.Counter:
    """The counter's row, created when missing, locked until the transaction ends."""
    insert = _insert(conn.dialect.name)(_TABLE).values(
        key=key, scope=scope, failures=0, window_started_at=now
    )
    # A no-op update on conflict: it returns the stored row and locks it.
    statement = insert.on_conflict_do_update(
        index_elements=[_TABLE.c.key], set_={"scope": insert.excluded.scope}
    ).returning(*_COLUMNS)
    row = conn.execute(statement).one()
    return rules.Counter(*row)


def _store(conn: Connection, key: str, counter: rules.Counter) -> None:
    conn.execute(
        sa.update(_TABLE)
        .where(_TABLE.c.key == key)
        .values(
            failures=counter.failures,
            window_started_at=counter.window_started_at,
            last_attempt_at=counter.last_attempt_at,
            last_fresh_attempt_at=counter.last_fresh_attempt_at,
        )
    )


def reserve(
    session: Session,
    email: str,
    remote_addr: str,
    now: datetime,
    policy: rules.ThrottlePolicy,
    *,
    device: Device | None = None,
    purpose: str = "",
) -> Reservation:
    """Counts the attempt as a failure, in its own committed transaction, or refuses it with
    ``TooManyRequests`` (and counts nothing: a refused attempt checks no password).

    Runs before the request's session touches the database, so a request holds one
    connection at a time.
    """
    email = rules.normalise_email(email)
    with _engine(session).begin() as conn:
        trusted = None
        if device is not None:
            user_id = conn.scalar(sa.select(User.id).where(User.email == email))
            if user_id is not None and user_id in device.user_ids:
                trusted = (user_id, device.device_id)
        keys = AttemptKeys.for_attempt(email, remote_addr, trusted_device=trusted, purpose=purpose)
        counters = {scope: _lock_counter(conn, scope, key, now) for scope, key in keys.ordered()}
        client = counters["client"]
        refusal = rules.login_refusal(
            client=client,
            address=counters.get("address"),
            account=counters.get("account"),
            now=now,
            policy=policy,
        )
        if refusal is not None:  # raising rolls the transaction back: nothing is counted
            raise TooManyRequests(
                refusal.code,
                retry_after=refusal.wait_seconds,
                minutes=refusal.minutes,
                seconds=refusal.wait_seconds,
            )
        fresh = rules.is_fresh(client, now, policy)
        after = {
            scope: (
                rules.account_counted(counter, now, policy, fresh=fresh)
                if scope == "account"
                else rules.counted(counter, now, policy.window_seconds)
            )
            for scope, counter in counters.items()
        }
        for scope, key in keys.ordered():
            _store(conn, key, after[scope])
    prune(session, now - timedelta(seconds=policy.window_seconds))
    windows = {scope: c.window_started_at for scope, c in after.items() if c.window_started_at}
    return Reservation(keys, windows)


def release(session: Session, reservation: Reservation) -> None:
    """After a successful login, in the request's transaction: the client's failures are
    forgiven (it knows the password); the address and the account lose only this attempt,
    not the failures of others."""
    keys = reservation.keys
    for scope, key in keys.ordered():  # the same order as ``reserve``: no deadlocks
        statement = sa.update(_TABLE).where(_TABLE.c.key == key)
        if scope == "client":
            statement = statement.values(failures=0)
        else:
            statement = statement.where(
                _TABLE.c.failures > 0, _TABLE.c.window_started_at == reservation.windows[scope]
            ).values(failures=_TABLE.c.failures - 1)
        session.execute(statement)


def prune(session: Session, before: datetime) -> int:
    """Deletes counters whose window ended before ``before`` (a fresh window needs no row),
    at most ``PRUNE_BATCH`` at a time. Rows another attempt holds are skipped, not waited for,
    so pruning never blocks a login or deadlocks with one."""
    doomed = (
        sa.select(_TABLE.c.key)
        .where(_TABLE.c.window_started_at <= before)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    with _engine(session).begin() as conn:
        result = conn.execute(sa.delete(_TABLE).where(_TABLE.c.key.in_(doomed)))
    return result.rowcount
