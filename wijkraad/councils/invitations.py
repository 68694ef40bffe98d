"""Seat invitations: every appointment comes with a link with which the seat is confirmed.

The membership is seated from the appointment on (``services.appoint_member``); the link decides
only whose it is. For an address that had no account, the appointment made the account and
linked it: the link lets its owner choose the password, which confirms the seat. For an existing
account, the link asks its owner to log in with that address and confirm; only then does the
membership move to their own person. The appointer gets the same kind of link either way, and
nothing they see afterwards tells the two apart. Whoever holds the link may decline, which ends
the membership.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
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


def _try_move(
    session: Session, membership: Membership, to: MembershipStatus, **values: Any
) -> bool:
    """The move away from ``invited`` as one conditional write: of two answers (or an answer
    and the appointer's ending) given at once, exactly one takes effect. Whether this one did;
    the membership is read again either way."""
    result = session.execute(
        sa.update(Membership)
        .where(Membership.id == membership.id, Membership.status == MembershipStatus.INVITED)
        .values(status=to, **values),
        execution_options={"synchronize_session": False},
    )
    session.refresh(membership)
    return result.rowcount == 1


def _move(session: Session, membership: Membership, to: MembershipStatus, **values: Any) -> None:
    if not _try_move(session, membership, to, **values):
        raise Conflict("seat-invite-closed")


def accept(session: Session, user: User, invitation: SeatInvitation, now: datetime) -> Membership:
    """Confirms the seat for ``user``, the account with the invited address. An account made by
    the appointment holds the membership already: this only closes the link. Otherwise the
    membership moves to the account's own person (made from the placeholder when it has none)
    and the placeholder goes; an account whose person sits in the council in an overlapping
    period is refused (``already-member``), and the placeholder keeps the seat."""
    _require_open(invitation, now)
    if auth_rules.normalise_email(user.email) != invitation.email:
        raise Forbidden("seat-invite-other-account")
    membership = invitation.membership
    # One acceptance per account at a time, so it never gets two persons (PostgreSQL locks the
    # row; SQLite lets one writer in at the first write, the move below).
    session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    _move(session, membership, MembershipStatus.ACCEPTED)
    placeholder = membership.person
    if placeholder.user_id is not None and placeholder.user_id != user.id:
        # The seat is another account's already (one whose address has changed since).
        raise Forbidden("seat-invite-other-account")
    if placeholder.user_id is None:
        person = session.scalar(sa.select(Person).where(Person.user_id == user.id))
        if person is None:
            placeholder.user = user
        else:
            if any(
                m.id != membership.id
                and m.council_id == membership.council_id
                and m.period.overlaps(membership.period)
                for m in person.memberships
            ):
                raise Conflict("already-member")
            membership.person = person
            session.flush()
            session.delete(placeholder)
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
    session: Session,
    actor_user_id: int | None,
    invitation: SeatInvitation,
    now: datetime,
    today: date,
) -> Membership:
    """The invitee says no, and the membership ends: on its first day when it has not started
    (a seat that never ran), else today. Anyone holding the link may decline."""
    _require_open(invitation, now)
    membership = invitation.membership
    ends_on = rules.declined_ends_on(membership.period, today)
    _move(session, membership, MembershipStatus.DECLINED, ends_on=ends_on)
    invitation.answered_at = now
    audit.record(
        session,
        actor_user_id,
        "membership.decline",
        membership,
        council_id=membership.council_id,
        ends_on=ends_on,
    )
    return membership


def close(
    session: Session, membership: Membership, to: MembershipStatus, *, ends_on: date, now: datetime
) -> bool:
    """Ends a membership whose invitation is open, and closes the link (``services.
    end_membership`` withdraws it this way). False when the invitation was answered first."""
    if not _try_move(session, membership, to, ends_on=ends_on):
        return False
    if membership.invitation is not None:
        membership.invitation.answered_at = now
    return True


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
    """Whoever holds the link chooses the password of the account the appointment made, which
    also confirms the seat.

    Whoever holds the link learns nothing from this about accounts that existed before: for
    those nothing changes (their owner logs in with their own password and confirms), the
    answer is the same, and the password is hashed either way so it takes as long. An address
    still without an account (appointed before appointments made accounts, or whose account
    was removed) gets one now, which confirms the seat too.
    """
    _require_open(invitation, now)
    auth_services.check_password(password)
    membership = invitation.membership
    user = auth_services.find_user(session, invitation.email)
    if user is None:
        user = auth_services.create_user(
            session, None, email=invitation.email, name=membership.person.name, password=password
        )
    elif user.password_hash is None and membership.person.user_id == user.id:
        auth_services.set_password(session, None, user, password, now=now)
    else:
        auth_services.hash_password(password)
        return
    accept(session, user, invitation, now)
