"""The declarative base, column types and helpers shared by every domain's models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, registry
from sqlalchemy.types import TypeDecorator

# One naming convention so that Alembic names constraints the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


T = TypeVar("T")

# The largest id a row can have (PostgreSQL's integer): a larger one names nothing.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database.

    SQLite keeps no offset, so values are normalised to UTC on the way in and get their
    offset back on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use an aware one (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum: type[StrEnum], length: int = 20) -> sa.Enum:
    """A portable enum: stored as its string value, no native type, no CHECK to migrate."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def lock_for_update(session: Session, entity: type[Base], ident: int) -> None:
    """Serialises the writers of one row until the transaction ends.

    PostgreSQL takes the row's lock (``FOR UPDATE``: it waits for, and blocks, those holding
    it ``FOR SHARE``). SQLite has one writer at a time: a no-op update takes the database's
    write lock, and the reads that follow see everything committed before it. Read the row
    again after this (``session.refresh``): what was loaded before may be stale.
    """
    table = entity.__table__  # type: ignore[attr-defined]
    key = table.c.id
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sa.update(table).where(key == ident).values(id=key))
    else:
        session.execute(sa.select(key).where(key == ident).with_for_update())


@dataclass(frozen=True)
class Window(Generic[T]):
    """A page of a list: ``items`` from ``offset`` on, of ``total`` in all."""

    items: list[T]
    total: int
    offset: int
    limit: int


def window(session: Session, query: sa.Select[tuple[T]], *, offset: int, limit: int) -> Window[T]:
    """The rows of ``query`` from ``offset`` on, at most ``limit`` of them, and how many there
    are in all: two statements, the database doing the counting and the cutting. ``query`` must
    be ordered by something unique (an id last), or the pages could overlap."""
    counted = query.order_by(None).subquery()
    total = session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0
    items = list(session.scalars(query.offset(offset).limit(limit)))
    return Window(items=items, total=total, offset=offset, limit=limit)
