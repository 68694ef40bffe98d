"""How the app talks to its database: SQLite's pragmas, and PostgreSQL connections that are UTC
and checked for life before use without a round trip per request."""

from __future__ import annotations

import select
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event


def tune(engine: sa.Engine) -> None:
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine)
    elif engine.dialect.name == "postgresql":
        _tune_postgresql(engine)


def _tune_sqlite(engine: sa.Engine) -> None:
    """WAL and a busy timeout let several workers write to the embedded database at once."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        # With WAL, NORMAL loses no committed data when the app crashes, only on power loss.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _tune_postgresql(engine: sa.Engine) -> None:
    @event.listens_for(engine, "do_connect")
    def _utc(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        # Timestamps come back in UTC whatever the server's own time zone is, so a stored
        # moment near the limits of Python's dates (the year 9999) can always be read.
        cparams.setdefault("options", "-c TimeZone=UTC")

    @event.listens_for(engine, "checkout")
    def _alive(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        # A connection the server ended (a restart, pg_terminate_backend) has the server's
        # goodbye or end-of-file waiting on its socket. Only then is it pinged, and replaced when
        # dead: no round trip per checkout for the healthy ones (``pool_pre_ping`` costs one on
        # every request, the live vote polls included).
        if not _suspect(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
            dbapi_connection.rollback()
        except Exception as error:
            raise sa.exc.DisconnectionError("the database closed this connection") from error


def _suspect(dbapi_connection: Any) -> bool:
    """Whether an idle psycopg connection may be dead: closed, or its socket has something to
    read (which an idle, healthy connection never has, bar TLS housekeeping)."""
    if dbapi_connection.closed:
        return True
    try:
        fd = dbapi_connection.pgconn.socket
    except Exception:
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
    return bool(select.select([fd], [], [], 0)[0])
