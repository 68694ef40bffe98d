"""Seat invitations: an appointment seats its person only once they accept it themselves.

The appointer gets a link to hand over (by mail once the product sends mail). The link is the
same kind of thing whether or not an account exists for the address, and nothing the appointer
sees afterwards tells the two apart: the appointment never looks accounts up. The invitee opens
the link, logs in with the invited address (or first chooses a password when they have no
account yet), sees the council and seat, and accepts or declines. Only acceptance links the
membership to their account's person.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth import rules as auth_rules
from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import Actor
from wijkraad.auth.models import User
from wijkraad.councils import messages as _messages  # noqa: F401  (registers the refusals)
from wijkraad.councils import permissions, rules
from wijkraad.councils.models import Membership, Person, SeatInvitation
from wijkraad.councils.rules import MembershipStatus
from wijkraad.errors import Conflict, Forbidden, NotFound

_SALT = "wijkraad-seat-invitation"
_MAX_ID = 2**31 - 1


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def _new_nonce() -> str:
    return secrets.token_urlsafe(24)[:32]


def issue(
    session: Session, actor: Actor, membership: Membership, email: str, now: datetime
) -> SeatInvitation:
    """The invitation for a new appointment (called by ``appoint_member``)."""
    invitation = SeatInvitation(
        membership=membership,
        email=auth_rules.normalise_email(email),
        nonce=_new_nonce(),
        expires_at=now + timedelta(days=rules.INVITATION_DAYS),
        invited_by_id=actor.user_id,
    )
    session.add(invitation)
    return invitation


def token_for(invitation: SeatInvitation, secret_key: str) -> str:
    """The secret in the invitation's link: its id and current nonce, signed."""
    return _serializer(secret_key).dumps({"i": invitation.id, "n": invitation.nonce})


def find(session: Session, token: str, secret_key: str) -> SeatInvitation:
    """The invitation behind a link token; ``NotFound`` for a forged, mangled or replaced one."""
    try:
        data: Any = _serializer(secret_key).loads(token)
        invitation_id, nonce = data["i"], data["n"]
    except (BadData, KeyError, TypeError, ValueError, UnicodeError):
        raise NotFound("seat-invite-invalid") from None
    if not isinstance(invitation_id, int) or not 1 <= invitation_id <= _MAX_ID:
        raise NotFound("seat-invite-invalid")
    invitation = session.get(SeatInvitation, invitation_id)
    if invitation is None or not secrets.compare_digest(str(nonce), invitation.nonce):
        raise NotFound("seat-invite-invalid")
    return invitation


def is_open(invitation: SeatInvitation, now: datetime) -> bool:
    return (
        rules.invitation_problem(invitation.membership.status, invitation.expires_at, now) is None
    )


def _require_open(invitation: SeatInvitation, now: datetime) -> None:
    if problem := rules.invitation_problem(
        invitation.membership.status, invitation.expires_at, now
    ):
        raise Conflict(problem)


def _move(session: Session, membership: Membership, to: MembershipStatus, **values: Any) -> None:
    """The state move away from ``invited`` as one conditional write: of two answers (or an
    answer and a withdrawal) given at once, exactly one takes effect."""
    result = session.execute(
        sa.update(Membership)
        .where(Membership.id == membership.id, Membership.status == MembershipStatus.INVITED)
        .values(status=to, **values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise Conflict("seat-invite-closed")
    session.refresh(membership)


def accept(session: Session, user: User, invitation: SeatInvitation, now: datetime) -> Membership:
    """Seats the invited person: links the membership to ``user``'s person (made from the
    invitation when the account has none yet). Only the account with the invited address may."""
    _require_open(invitation, now)
    if auth_rules.normalise_email(user.email) != invitation.email:
        raise Forbidden("seat-invite-other-account")
    membership = invitation.membership
    # One acceptance per account at a time, so it never gets two persons (PostgreSQL locks the
    # row; SQLite lets one writer in at the first write, the move below).
    session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    _move(session, membership, MembershipStatus.ACCEPTED)
    placeholder = membership.person
    person = session.scalar(sa.select(Person).where(Person.user_id == user.id))
    if person is not None:
        if any(
            m.is_seated and m.id != membership.id and m.period.overlaps(membership.period)
            for m in person.memberships
            if m.council_id == membership.council_id
        ):
            raise Conflict("already-member")
        membership.person = person
        session.flush()
        session.delete(placeholder)
    else:
        placeholder.user = user
    invitation.answered_at = now
    session.flush()
    audit.record(
        session,
        user.id,
        "membership.accept",
        membership,
        council_id=membership.council_id,
        person_id=membership.person_id,
    )
    return membership


def decline(
    session: Session, actor_user_id: int | None, invitation: SeatInvitation, now: datetime
) -> Membership:
    """The invitee says no: the seat is free again. Anyone holding the link may decline."""
    _require_open(invitation, now)
    membership = invitation.membership
    _move(session, membership, MembershipStatus.DECLINED, ends_on=membership.starts_on)
    invitation.answered_at = now
    audit.record(
        session, actor_user_id, "membership.decline", membership, council_id=membership.council_id
    )
    return membership


def withdraw(session: Session, actor: Actor, membership: Membership, now: datetime) -> Membership:
    """The appointer takes back an invitation not yet answered; the seat is free again.

    A withdrawn (or declined) membership ends on its first day: it never held its seat.
    """
    if not permissions.can_manage_role(actor, membership.council_id, membership.role):
        raise Forbidden()
    if membership.status is not MembershipStatus.INVITED:
        raise Conflict("not-invited")
    _move(session, membership, MembershipStatus.WITHDRAWN, ends_on=membership.starts_on)
    if membership.invitation is not None:
        membership.invitation.answered_at = now
    audit.record(
        session,
        actor.user_id,
        "membership.withdraw",
        membership,
        council_id=membership.council_id,
    )
    return membership


def renew(session: Session, actor: Actor, membership: Membership, now: datetime) -> SeatInvitation:
    """A new link for an invitation not yet answered, valid for another period; the old link
    stops working."""
    if not permissions.can_manage_role(actor, membership.council_id, membership.role):
        raise Forbidden()
    invitation = membership.invitation
    if membership.status is not MembershipStatus.INVITED or invitation is None:
        raise Conflict("not-invited")
    invitation.nonce = _new_nonce()
    invitation.expires_at = now + timedelta(days=rules.INVITATION_DAYS)
    audit.record(
        session,
        actor.user_id,
        "membership.invitation_renewed",
        membership,
        council_id=membership.council_id,
        expires_at=invitation.expires_at,
    )
    return invitation


def choose_password(
    session: Session, invitation: SeatInvitation, password: str, now: datetime
) -> None:
    """For an invitee without an account: makes one for the invited address with this password.

    Whoever holds the link learns nothing from this about existing accounts: for an address
    that already has an account nothing changes (its owner logs in with their own password),
    the answer is the same, and the password is hashed either way so it takes as long.
    """
    _require_open(invitation, now)
    auth_services.check_password(password)
    if auth_services.find_user(session, invitation.email) is None:
        auth_services.create_user(
            session,
            None,
            email=invitation.email,
            name=invitation.membership.person.name,
            password=password,
        )
    else:
        auth_services.hash_password(password)
