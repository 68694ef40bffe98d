"""Replies to the invitations of a draw: an acceptance seats the resident (council draws) or
adds them to the resident panel (panel draws); a decline or no reply by the deadline invites
the next on the reserve list who keeps the quotas (``procedure.next_reserve``).

A reply holds the draw's row: two replies to one invitation, or replies of one draw that
both look for the next reserve, happen one after the other. An acceptance of a council draw
goes through the councils' own appointment (which holds the council's row), so the seat rules
of DOMAIN section 3.1 hold whoever answers: never more residents than resident seats.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth import rules as auth_rules
from wijkraad.auth.actor import Actor
from wijkraad.auth.models import User
from wijkraad.councils import services as councils
from wijkraad.councils.models import Membership, Person, SeatInvitation
from wijkraad.councils.rules import Seat
from wijkraad.errors import Conflict, Invalid, NotFound, require
from wijkraad.sortition import permissions, procedure, rules, services
from wijkraad.sortition.models import Draw, Invitation, PanelMember, PoolEntry
from wijkraad.sortition.rules import DrawStatus, InvitationStatus, Purpose

# Who acts when a resident answers online with the code on their letter: the code is their
# authority; the appointment it leads to is the draw's, not an administrator's.
RESIDENT = Actor(user_id=None, is_admin=True)


def get_invitation(session: Session, invitation_id: int) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound("invitation-not-found")
    return invitation


def invitation_for_code(session: Session, typed: str) -> Invitation | None:
    """The open invitation the code on a letter belongs to, or None (a wrong code, or one
    answered already): the same answer either way.

    Read from the invitations (a few hundred a draw), each leading to its pool row by the
    row's key: the pool's code hashes carry no index of their own (see ``PoolEntry``)."""
    code = rules.normal_code(typed)
    if code is None:
        return None
    return session.scalar(
        sa.select(Invitation)
        .join(PoolEntry, PoolEntry.id == Invitation.entry_id)
        .join(Draw, Draw.id == Invitation.draw_id)
        .where(
            PoolEntry.code_sha256 == procedure.code_sha256(code),
            Invitation.status == InvitationStatus.INVITED,
            Draw.status == DrawStatus.DRAWN,
        )
    )


def reply(
    session: Session,
    actor: Actor,
    invitation: Invitation,
    answer: InvitationStatus,
    *,
    email: str | None,
    today: date,
    now: datetime,
    by_code: bool = False,
) -> Invitation:
    """Records the answer to an invitation (``by_code``: the resident's own, online).

    An acceptance from the address of a sitting councillor of the council is refused (409
    councillor-not-drawn) and the invitation stays open.

    Accepted: a council draw seats the resident in a resident seat from ``today`` for at
    most two years (409 seats-full when none is free), a panel draw adds them to the
    council's panel. Declined or no reply: the next reserve is invited, if any is left."""
    if not by_code:
        require(permissions.can_manage_draws(actor))
    if answer not in rules.REPLIES:
        raise Invalid("field-invalid", field="reply")
    address = auth_rules.normalise_email(email or "")
    if answer is InvitationStatus.ACCEPTED:
        if not address:
            raise Invalid("email-required", field="email")
        if not auth_rules.looks_like_email(address):
            raise Invalid("field-invalid", field="email")
    draw = services.lock(session, invitation.draw)
    session.refresh(invitation)
    if draw.status is not DrawStatus.DRAWN:
        raise Conflict("draw-closed")
    if invitation.status is not InvitationStatus.INVITED:
        raise Conflict("already-replied")
    if answer is InvitationStatus.ACCEPTED and _is_councillor(session, draw, address, today):
        raise Conflict("councillor-not-drawn", field="email")
    entry = invitation.entry
    invitation.status = answer
    invitation.replied_at = now
    if answer is InvitationStatus.ACCEPTED:
        if draw.purpose is Purpose.COUNCIL:
            invitation.membership_id = _seat(session, draw, entry, address, today, now).id
        else:
            invitation.panel_member_id = _join_panel(session, draw, entry, address, today).id
    else:
        _invite_next(session, draw, invitation)
    audit.record(
        session,
        None if by_code else actor.user_id,
        "draw.reply",
        invitation,
        council_id=draw.council_id,
        position=invitation.position,
        reply=answer.value,
        online=by_code,
    )
    return invitation


def _is_councillor(session: Session, draw: Draw, address: str, today: date) -> bool:
    """Whether ``address`` is that of someone in a councillor seat of the draw's council on
    ``today``: by their account's address, or by the address of an appointment not yet
    confirmed. Councillors are never drawn (DOMAIN 7.1): the pool has no link to persons,
    but the address an acceptance gives has."""
    seated = sa.and_(
        Membership.council_id == draw.council_id,
        Membership.seat == Seat.COUNCILLOR,
        Membership.starts_on <= today,
        sa.or_(Membership.ends_on.is_(None), Membership.ends_on > today),
    )
    by_account = (
        sa.select(Membership.id)
        .join(Person, Person.id == Membership.person_id)
        .join(User, User.id == Person.user_id)
        .where(seated, sa.func.lower(User.email) == address)
    )
    by_appointment = (
        sa.select(Membership.id)
        .join(SeatInvitation, SeatInvitation.membership_id == Membership.id)
        .where(seated, sa.func.lower(SeatInvitation.email) == address)
    )
    return bool(session.scalar(sa.select(sa.or_(by_account.exists(), by_appointment.exists()))))


def _seat(
    session: Session, draw: Draw, entry: PoolEntry, address: str, today: date, now: datetime
) -> Membership:
    council = councils.get_council(session, draw.council.slug, for_update=True)
    return councils.appoint_member(
        session,
        RESIDENT,
        council,
        name=entry.name or "",
        email=address,
        seat=Seat.RESIDENT,
        starts_on=today,
        ends_on=rules.term_end(today),
        now=now,
    )


def _join_panel(
    session: Session, draw: Draw, entry: PoolEntry, address: str, today: date
) -> PanelMember:
    member = PanelMember(
        council_id=draw.council_id,
        name=entry.name or "",
        email=address,
        joined_on=today,
        draw_id=draw.id,
    )
    try:
        with session.begin_nested():
            session.add(member)
    except IntegrityError:
        raise Conflict("panel-member-exists", field="email") from None
    return member


def _invite_next(session: Session, draw: Draw, leaving: Invitation) -> Invitation | None:
    """Invites the first reserve who keeps the quotas in place of ``leaving``."""
    rows = session.execute(
        sa.select(Invitation.position, Invitation.status).where(Invitation.draw_id == draw.id)
    ).all()
    holding = {
        p
        for p, s in rows
        if s in (InvitationStatus.INVITED, InvitationStatus.ACCEPTED) or p == leaving.position
    }
    passed = {
        p
        for p, s in rows
        if s in (InvitationStatus.DECLINED, InvitationStatus.NO_RESPONSE) and p != leaving.position
    }
    position = procedure.next_reserve(
        services.entries_of(session, draw.id),
        draw.ranking or [],
        holding,
        leaving.position,
        services.quotas_of(draw),
        passed,
    )
    if position is None:
        return None
    entry_id = session.scalar(
        sa.select(PoolEntry.id).where(PoolEntry.draw_id == draw.id, PoolEntry.position == position)
    )
    invitation = Invitation(
        draw_id=draw.id,
        entry_id=entry_id,
        position=position,
        status=InvitationStatus.INVITED,
        replaces_id=leaving.id,
    )
    session.add(invitation)
    session.flush()
    return invitation
