"""Reads of draws: the public record (positions, never persons), the administrators' views of
a draw, its invitations and the council's resident panel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council
from wijkraad.db import Window
from wijkraad.errors import require
from wijkraad.sortition import bulk, permissions, record, services
from wijkraad.sortition.models import Draw, Invitation, Panel, PanelMember, PoolEntry
from wijkraad.sortition.rules import InvitationStatus


def facts(session: Session, draw: Draw) -> record.DrawFacts:
    return record.DrawFacts(
        id=draw.id,
        council=draw.council.slug,
        purpose=draw.purpose.value,
        status=draw.status.value,
        invite=draw.invite,
        draw_on=draw.draw_on.isoformat(),
        pool_size=draw.pool_size,
        entries=services.entries_of(session, draw.id),
        quotas=services.quotas_of(draw),
        seed_source=draw.seed_source,
        seed=draw.seed,
        ranking=list(draw.ranking) if draw.ranking is not None else None,
        announced_at=draw.announced_at.isoformat() if draw.announced_at else None,
        pool_sha256=draw.pool_sha256,
    )


def public_record(session: Session, draw: Draw) -> dict[str, Any]:
    return record.public_record(facts(session, draw))


def record_bytes(session: Session, draw: Draw) -> bytes:
    """The public record as the API answers it and the verifier checks it."""
    with bulk.collector_paused():
        return record.dump(public_record(session, draw))


def council_draws(session: Session, council_id: int) -> list[Draw]:
    return list(
        session.scalars(
            sa.select(Draw).where(Draw.council_id == council_id).order_by(Draw.id.desc())
        )
    )


@dataclass(frozen=True)
class InvitationRow:
    id: int
    position: int
    person_ref: str | None
    name: str | None
    address: str | None
    postcode: str | None
    status: InvitationStatus
    code: str | None


def _invitation_rows(draw_id: int) -> sa.Select:
    return (
        sa.select(Invitation, PoolEntry)
        .join(PoolEntry, PoolEntry.id == Invitation.entry_id)
        .where(Invitation.draw_id == draw_id)
        .order_by(Invitation.id)
    )


def invitations(session: Session, actor: Actor, draw_id: int) -> list[InvitationRow]:
    """The invited of a draw with their names and letter codes: administrators only."""
    require(permissions.can_manage_draws(actor))
    return _rows(session.execute(_invitation_rows(draw_id)))


@dataclass(frozen=True)
class RankedRow:
    """A place on a drawn draw's ranking: the invitation there (``id``) and its status, or
    ``reserve`` (``id`` None) for a place nobody has been invited from yet."""

    id: int | None
    position: int
    person_ref: str | None
    name: str | None
    status: InvitationStatus


def ranking_window(
    session: Session,
    actor: Actor,
    draw: Draw,
    *,
    offset: int,
    limit: int,
    reserves_only: bool = False,
) -> Window[RankedRow]:
    """A page of a drawn draw's whole ranking in ranking order: the invited, those who
    answered and the reserve list (``reserves_only``: that list alone). Two statements
    whatever the size of the pool: the invitations of the draw (at most a few hundred) and
    the page's pool rows."""
    require(permissions.can_manage_draws(actor))
    ranking = list(draw.ranking or [])
    invited = {
        position: (invitation_id, status)
        for invitation_id, position, status in session.execute(
            sa.select(Invitation.id, Invitation.position, Invitation.status).where(
                Invitation.draw_id == draw.id
            )
        )
    }
    if reserves_only:
        ranking = [position for position in ranking if position not in invited]
    part = ranking[offset : offset + limit]
    people = (
        {
            position: (person_ref, name)
            for position, person_ref, name in session.execute(
                sa.select(PoolEntry.position, PoolEntry.person_ref, PoolEntry.name).where(
                    PoolEntry.draw_id == draw.id, PoolEntry.position.in_(part)
                )
            )
        }
        if part
        else {}
    )
    items = []
    for position in part:
        invitation_id, status = invited.get(position, (None, InvitationStatus.RESERVE))
        person_ref, name = people.get(position, (None, None))
        items.append(RankedRow(invitation_id, position, person_ref, name, status))
    return Window(items=items, total=len(ranking), offset=offset, limit=limit)


@dataclass(frozen=True)
class ReservePage:
    items: list[RankedRow]
    total: int
    page: int
    pages: int


def _rows(rows: Iterable[Any]) -> list[InvitationRow]:
    return [
        InvitationRow(
            id=inv.id,
            position=inv.position,
            person_ref=entry.person_ref,
            name=entry.name,
            address=entry.address,
            postcode=entry.postcode,
            status=inv.status,
            code=entry.code,
        )
        for inv, entry in rows
    ]


def open_letters(session: Session, actor: Actor, draw_id: int) -> list[InvitationRow]:
    """The invited who have not answered yet: one letter each."""
    return [r for r in invitations(session, actor, draw_id) if r.status is InvitationStatus.INVITED]


@dataclass(frozen=True)
class PanelView:
    council: Council
    target_size: int
    size: int
    members: list[PanelMember]


def panel(session: Session, actor: Actor, council: Council, on: date) -> PanelView:
    """The council's resident panel: target, current size and members (administrators)."""
    require(permissions.can_manage_draws(actor))
    target = session.scalar(sa.select(Panel.target_size).where(Panel.council_id == council.id))
    members = list(
        session.scalars(
            sa.select(PanelMember)
            .where(
                PanelMember.council_id == council.id,
                sa.or_(PanelMember.ends_on.is_(None), PanelMember.ends_on > on),
            )
            .order_by(PanelMember.name, PanelMember.id)
        )
    )
    return PanelView(council, target or 0, len(members), members)
