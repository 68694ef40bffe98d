"""Writes of a draw by lot: its creation, the pool file, the announcement (the commitment),
the seed (the ranking and the first invitations), closing (erasing personal data), and the
council's opt-out register. Replies to invitations are in ``replies``.

Every move of a draw holds the draw's row (``lock``) and reads its status again under it:
two uploads, an upload and an announcement, or two seeds at once happen one after the other,
and the second sees what the first did.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council
from wijkraad.db import lock_for_update
from wijkraad.errors import Conflict, Invalid, NotFound, require
from wijkraad.sortition import bulk, permissions, procedure, rules
from wijkraad.sortition.messages import POOL_REASONS
from wijkraad.sortition.models import Draw, Invitation, OptOut, Panel, PanelMember, PoolEntry
from wijkraad.sortition.rules import DrawStatus, InvitationStatus, Purpose

MAX_SEED = 500
MAX_SOURCE = 500


def get_draw(session: Session, draw_id: int) -> Draw:
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise NotFound("draw-not-found")
    return draw


def lock(session: Session, draw: Draw) -> Draw:
    """Takes the draw's row until the transaction ends and reads it again."""
    lock_for_update(session, Draw, draw.id)
    session.refresh(draw)
    return draw


def quotas_of(draw: Draw) -> dict[str, dict[str, tuple[int, int]]]:
    return {
        column: {value: (int(low), int(high)) for value, (low, high) in values.items()}
        for column, values in (draw.quotas or {}).items()
    }


def entries_of(session: Session, draw_id: int) -> list[procedure.Entry]:
    """The eligible of a draw's pool as the procedure sees them, in position order.

    Read through the connection, without the ORM's rows, and each row's strata as the stored
    JSON text: a pool has a few dozen distinct strata, each decoded once (the entries share
    their strata, which nothing changes)."""
    rows = session.connection().execute(
        sa.select(PoolEntry.position, sa.cast(PoolEntry.strata, sa.Text), PoolEntry.code_sha256)
        .where(PoolEntry.draw_id == draw_id, PoolEntry.position.is_not(None))
        .order_by(PoolEntry.position)
    )
    decoded: dict[str, dict[str, str]] = {}
    entries = []
    for position, text, code in rows:
        strata = decoded.get(text)
        if strata is None:
            strata = decoded[text] = json.loads(text) if text else {}
        entries.append(procedure.Entry(position, strata, code))
    return entries


def strata_of_pool(session: Session, draw_id: int) -> list[procedure.Entry]:
    """The eligible of a draw's pool by their strata alone: for each distinct strata as many
    entries as the pool has eligible persons with it (position 0, no code). Enough to say
    whether quotas can be met (``procedure.check_quotas`` depends on the strata only), from
    one grouped count instead of every row."""
    text = sa.cast(PoolEntry.strata, sa.Text)
    rows = session.execute(
        sa.select(text, sa.func.count())
        .where(PoolEntry.draw_id == draw_id, PoolEntry.position.is_not(None))
        .group_by(text)
    )
    entries: list[procedure.Entry] = []
    for strata, count in rows:
        entries.extend([procedure.Entry(0, json.loads(strata) if strata else {}, "")] * count)
    return entries


# The pool's rows as a plain table for the one bulk insert of a pool (``insert_pool_rows``):
# ``strata`` goes in as JSON text made once for each distinct strata (``json.dumps``, as the
# JSON type makes it), not encoded again for every row.
POOL_COLUMNS = (
    "draw_id",
    "line",
    "position",
    "ineligible",
    "strata",
    "code_sha256",
    "code",
    "person_ref",
    "birth_date",
    "postcode",
    "name",
    "address",
)
POOL_ROWS = sa.table(
    "pool_entries",
    *(
        sa.column(name, sa.Text if name == "strata" else PoolEntry.__table__.c[name].type)
        for name in POOL_COLUMNS
    ),
)


def insert_pool_rows(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """Inserts a pool's rows (tuples in ``POOL_COLUMNS`` order) at once: on PostgreSQL by
    COPY, elsewhere in one executemany of the Core insert compiled once; no ORM object and no
    parameter processing per row (dates go to SQLite as the ISO text its Date type stores)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # PostgreSQL reads many rows fastest by COPY, in the same transaction.
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY pool_entries ({', '.join(POOL_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    compiled = sa.insert(POOL_ROWS).compile(dialect=connection.dialect)
    if connection.dialect.name == "sqlite":
        born = POOL_COLUMNS.index("birth_date")
        rows = [(*r[:born], r[born].isoformat(), *r[born + 1 :]) for r in rows]
    if compiled.positional:
        order = [POOL_COLUMNS.index(key) for key in compiled.positiontup or ()]
        params: list[Any] = [tuple(r[i] for i in order) for r in rows]
    else:
        params = [dict(zip(POOL_COLUMNS, r, strict=True)) for r in rows]
    connection.exec_driver_sql(str(compiled), params)


def create_draw(
    session: Session,
    actor: Actor,
    council: Council,
    *,
    purpose: Purpose,
    invite: int,
    draw_on: date,
    quotas: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
) -> Draw:
    """A draw for ``council``'s seats or resident panel, inviting ``invite`` first."""
    require(permissions.can_manage_draws(actor))
    if not 1 <= invite <= rules.MAX_INVITE:
        raise Invalid("field-invalid", field="invite", reason=f"1 to {rules.MAX_INVITE}")
    quotas = quotas or {}
    try:
        procedure.check_quota_shape(invite, quotas)
    except procedure.QuotaError as error:
        raise Invalid("quotas-invalid", field="quotas", reason=str(error)) from None
    draw = Draw(
        council_id=council.id,
        purpose=purpose,
        invite=invite,
        draw_on=draw_on,
        quotas={c: {v: [lo, hi] for v, (lo, hi) in vals.items()} for c, vals in quotas.items()},
        columns=[],
        created_by_id=actor.user_id,
    )
    session.add(draw)
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "draw.create",
        draw,
        council_id=council.id,
        purpose=purpose.value,
        invite=invite,
        draw_on=draw_on,
        quotas=draw.quotas,
    )
    return draw


def opted_out(session: Session, council_id: int) -> set[str]:
    return set(session.scalars(sa.select(OptOut.person_ref).where(OptOut.council_id == council_id)))


def upload_pool(session: Session, actor: Actor, draw: Draw, data: bytes) -> Draw:
    """Reads the pool file into the draw, replacing any earlier one, all or nothing (422
    bad-pool naming the first faulty line). Each row gets its eligibility; the eligible get
    their position in the canonical order and a personal response code. The pool's hash
    (``procedure.pool_sha256``) is made here, from the rows as written: the announcement
    publishes it, and the pool cannot change after that."""
    require(permissions.can_manage_draws(actor))
    with bulk.collector_paused():
        try:
            pool = rules.parse_pool(data)
        except rules.PoolError as error:
            reason = str(POOL_REASONS.get(error.reason, error.reason))
            raise Invalid(
                "bad-pool",
                field="pool",
                line=error.line,
                reason=reason,
                extensions={"line": error.line, "reason": error.reason},
            ) from None
        lock(session, draw)
        if draw.status is not DrawStatus.OPEN:
            raise Conflict("draw-announced")
        out = opted_out(session, draw.council_id)
        why = [rules.ineligibility(row, draw.draw_on, out) for row in pool.rows]
        order = procedure.canonical_order(
            row.person_ref for row, reason in zip(pool.rows, why, strict=True) if reason is None
        )
        position = {ref: n for n, ref in enumerate(order, start=1)}
        session.execute(sa.delete(PoolEntry).where(PoolEntry.draw_id == draw.id))
        codes = iter(rules.new_codes(len(order)))
        slots: list[procedure.Entry | None] = [None] * len(order)  # by position
        encoded: dict[tuple[str, ...], str] = {}
        draw_id = draw.id
        values: list[tuple[Any, ...]] = []
        for row, reason in zip(pool.rows, why, strict=True):
            strata = row.strata
            key = tuple(strata.values())
            text = encoded.get(key)
            if text is None:
                text = encoded[key] = json.dumps(strata)
            at = code = code_hash = ineligible = None
            if reason is None:
                at = position[row.person_ref]
                code, code_hash = next(codes)
                slots[at - 1] = procedure.Entry(at, strata, code_hash)
            else:
                ineligible = reason.value
            values.append(
                (
                    draw_id,
                    row.line,
                    at,
                    ineligible,
                    text,
                    code_hash,
                    code,
                    row.person_ref,
                    row.birth_date,
                    row.postcode,
                    row.name,
                    row.address,
                )
            )
        draw.pool_sha256 = procedure.pool_sha256([e for e in slots if e is not None])
        insert_pool_rows(session, values)
    draw.pool_size = len(pool.rows)
    draw.eligible = len(order)
    draw.columns = list(pool.columns)
    audit.record(
        session,
        actor.user_id,
        "draw.pool",
        draw,
        council_id=draw.council_id,
        pool_size=draw.pool_size,
        eligible=draw.eligible,
    )
    return draw


def announce(
    session: Session, actor: Actor, draw: Draw, *, seed_source: str, now: datetime
) -> Draw:
    """Publishes the commitment: the pool's hash and size, the numbers, the quotas, the
    procedure and the named future source of the seed. Pool and quotas are fixed from now."""
    require(permissions.can_manage_draws(actor))
    seed_source = seed_source.strip()
    if not seed_source or len(seed_source) > MAX_SOURCE:
        raise Invalid("field-required", field="seed_source")
    lock(session, draw)
    if draw.status is not DrawStatus.OPEN:
        raise Conflict("draw-announced")
    if draw.pool_size == 0:
        raise Conflict("pool-missing")
    if draw.eligible < draw.invite:
        raise Conflict("pool-too-small", eligible=draw.eligible, invite=draw.invite)
    quotas = quotas_of(draw)
    if quotas:
        try:
            procedure.check_quotas(strata_of_pool(session, draw.id), draw.invite, quotas)
        except procedure.QuotaError as error:
            raise Invalid("quotas-impossible", field="quotas", reason=str(error)) from None
    if draw.pool_sha256 is None:  # a pool read before its hash was made on upload
        draw.pool_sha256 = procedure.pool_sha256(entries_of(session, draw.id))
    draw.procedure = procedure.PROCEDURE
    draw.seed_source = seed_source
    draw.announced_at = now
    draw.status = DrawStatus.ANNOUNCED
    audit.record(
        session,
        actor.user_id,
        "draw.announce",
        draw,
        council_id=draw.council_id,
        pool_sha256=draw.pool_sha256,
        seed_source=seed_source,
    )
    return draw


def enter_seed(session: Session, actor: Actor, draw: Draw, *, seed: str, now: datetime) -> Draw:
    """Enters the public seed: the ranking of every eligible position follows from it, the
    first ``invite`` are invited, the rest is the reserve list in order. Once only."""
    require(permissions.can_manage_draws(actor))
    seed = seed.strip()
    if not seed or len(seed) > MAX_SEED:
        raise Invalid("field-required", field="seed")
    lock(session, draw)
    if draw.status is DrawStatus.OPEN:
        raise Conflict("draw-not-announced")
    if draw.status is not DrawStatus.ANNOUNCED:
        raise Conflict("draw-drawn")
    quotas = quotas_of(draw)
    with bulk.collector_paused():
        if quotas:
            ranking = procedure.rank(entries_of(session, draw.id), seed, draw.invite, quotas)
        else:
            # Without quotas the ranking is the seed order of the positions 1 .. eligible
            # alone (``procedure.rank``), which needs nothing of the pool's rows.
            ranking = procedure.seed_order(range(1, draw.eligible + 1), seed)
    draw.seed = seed
    draw.ranking = list(ranking)
    draw.drawn_at = now
    draw.status = DrawStatus.DRAWN
    invited = ranking[: draw.invite]
    ids = dict(
        session.execute(
            sa.select(PoolEntry.position, PoolEntry.id).where(
                PoolEntry.draw_id == draw.id, PoolEntry.position.in_(invited)
            )
        ).all()
    )
    session.execute(
        sa.insert(Invitation),
        [
            {
                "draw_id": draw.id,
                "entry_id": ids[position],
                "position": position,
                "status": InvitationStatus.INVITED,
            }
            for position in invited
        ],
    )
    audit.record(session, actor.user_id, "draw.seed", draw, council_id=draw.council_id, seed=seed)
    return draw


def close_draw(session: Session, actor: Actor, draw: Draw, *, now: datetime) -> Draw:
    """Closes a drawn draw: the personal data of everyone who did not accept is erased (and
    every letter code); positions, strata and code hashes stay, so the record still
    verifies."""
    require(permissions.can_manage_draws(actor))
    lock(session, draw)
    if draw.status is DrawStatus.CLOSED:
        raise Conflict("draw-closed")
    if draw.status is not DrawStatus.DRAWN:
        raise Conflict("draw-not-drawn")
    accepted = (
        sa.select(Invitation.entry_id)
        .where(Invitation.draw_id == draw.id, Invitation.status == InvitationStatus.ACCEPTED)
        .scalar_subquery()
    )
    session.execute(
        sa.update(PoolEntry)
        .where(PoolEntry.draw_id == draw.id, PoolEntry.id.not_in(accepted))
        .values(person_ref=None, birth_date=None, postcode=None, name=None, address=None),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        sa.update(PoolEntry).where(PoolEntry.draw_id == draw.id).values(code=None),
        execution_options={"synchronize_session": False},
    )
    draw.status = DrawStatus.CLOSED
    draw.closed_at = now
    audit.record(session, actor.user_id, "draw.close", draw, council_id=draw.council_id)
    return draw


def add_opt_out(session: Session, actor: Actor, council: Council, person_ref: str) -> OptOut:
    """Puts a person on the council's opt-out register: they are never drawn in a pool read
    from now on (409 when they are on it already)."""
    require(permissions.can_manage_draws(actor))
    person_ref = person_ref.strip()
    if not person_ref or len(person_ref) > rules.MAX_FIELD:
        raise Invalid("field-required", field="person_ref")
    entry = OptOut(council_id=council.id, person_ref=person_ref)
    try:
        with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        raise Conflict("opt-out-exists", field="person_ref") from None
    # The reference is personal data: the audit log keeps only that one was added.
    audit.record(session, actor.user_id, "draw.opt_out", entry, council_id=council.id)
    return entry


def set_panel_target(session: Session, actor: Actor, council: Council, target_size: int) -> Panel:
    """The target size of the council's resident panel (Groningen: 400)."""
    require(permissions.can_manage_draws(actor))
    if not 0 <= target_size <= rules.MAX_INVITE:
        raise Invalid("field-invalid", field="target_size", reason=f"0 to {rules.MAX_INVITE}")
    panel = session.scalar(sa.select(Panel).where(Panel.council_id == council.id))
    if panel is None:
        panel = Panel(council_id=council.id, target_size=target_size)
        try:
            with session.begin_nested():
                session.add(panel)
        except IntegrityError:  # made at this moment by another request: set that one
            panel = session.scalars(sa.select(Panel).where(Panel.council_id == council.id)).one()
    panel.target_size = target_size
    audit.record(
        session, actor.user_id, "panel.target", panel, council_id=council.id, target=target_size
    )
    return panel


MAX_REASON = 500


def end_panel_membership(
    session: Session, actor: Actor, council: Council, member_id: int, *, reason: str, today: date
) -> PanelMember:
    """Ends a resident's panel membership today, with the reason (audited): the panel's
    current size no longer counts them, so a panel draw can top it up. 409
    panel-membership-ended when it ended already (two at once: the second gets that)."""
    require(permissions.can_manage_draws(actor))
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise Invalid("field-required", field="reason")
    member = session.get(PanelMember, member_id)
    if member is None or member.council_id != council.id:
        raise NotFound("panel-member-not-found")
    lock_for_update(session, PanelMember, member.id)
    session.refresh(member)
    if member.ends_on is not None and member.ends_on <= today:
        raise Conflict("panel-membership-ended")
    member.ends_on = today
    # The name is personal data: the audit log keeps the member's id and the reason.
    audit.record(session, actor.user_id, "panel.end", member, council_id=council.id, reason=reason)
    return member
