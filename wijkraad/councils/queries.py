"""Reads of councils for the pages and the API: the list, a council with its members, the
invitations not yet answered, and who the caller is. Each runs a fixed number of statements,
whatever the number of members, and returns frozen view models.

Visibility is decided here, once: a resident's name is shown only where the council publishes
residents' names or to its members and administrators; e-mail addresses appear only in what
those who manage the members see (the invitations)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, selectinload

from wijkraad.auth.actor import Actor
from wijkraad.auth.models import User
from wijkraad.councils import invitations as seat_invitations
from wijkraad.councils import permissions, rules
from wijkraad.councils.models import Council, Membership, Person
from wijkraad.councils.rules import DecisionRule, MembershipStatus, Role, Seat
from wijkraad.db import Window, window
from wijkraad.errors import NotFound


@dataclass(frozen=True)
class CouncilSummary:
    id: int
    slug: str
    name: str
    municipality: str
    description: str
    resident_seats: int
    councillor_seats: int
    decision_rule: DecisionRule
    publishes_resident_names: bool
    code: str

    @classmethod
    def of(cls, council: Council) -> CouncilSummary:
        return cls(
            id=council.id,
            slug=council.slug,
            name=council.name,
            municipality=council.municipality,
            description=council.description,
            resident_seats=council.resident_seats,
            councillor_seats=council.councillor_seats,
            decision_rule=council.decision_rule,
            publishes_resident_names=council.publishes_resident_names,
            code=council.code,
        )


@dataclass(frozen=True)
class Member:
    """A membership as shown: ``name`` is None where the viewer may not see it."""

    id: int
    name: str | None
    seat: Seat
    role: Role
    starts_on: date
    ends_on: date | None
    status: MembershipStatus


@dataclass(frozen=True)
class Invitation:
    """An invitation not yet answered, for those who manage the members (it has the address
    and the link's token)."""

    member_id: int
    name: str
    email: str
    seat: Seat
    role: Role
    starts_on: date
    ends_on: date | None
    status: MembershipStatus
    expires_at: datetime
    is_open: bool
    token: str


@dataclass(frozen=True)
class CouncilPage:
    council: CouncilSummary
    # The members seated today, per seat: the chair, the secretary, then by name.
    members: dict[Seat, tuple[Member, ...]]
    # Appointed to start later (not those that ended on their first day: they never ran).
    upcoming: tuple[Member, ...]
    vacancies: dict[Seat, int]
    # Only for those who manage the members; empty for everyone else.
    invitations: tuple[Invitation, ...]
    may_see_names: bool

    @property
    def current(self) -> tuple[Member, ...]:
        return tuple(m for seat in Seat for m in self.members[seat])


@dataclass(frozen=True)
class SeatOut:
    council: str
    seat: Seat
    role: Role


@dataclass(frozen=True)
class Me:
    id: int
    name: str
    email: str
    is_admin: bool
    language: str
    seats: tuple[SeatOut, ...]


def may_see_names_in(viewer: Actor, council_id: int) -> bool:
    """Whether ``viewer`` sees every resident's name in this council, published or not."""
    return viewer.is_admin or viewer.is_member_of(council_id)


def member(m: Membership, council: Council, *, may_see_names: bool) -> Member:
    """A membership as shown: a resident's name only where the council publishes residents'
    names or the viewer may see them (``may_see_names_in``). Runs no statement of its own
    when the membership's person is loaded."""
    visible = may_see_names or m.seat is Seat.COUNCILLOR or council.publishes_resident_names
    return Member(
        id=m.id,
        name=m.person.name if visible else None,
        seat=m.seat,
        role=m.role,
        starts_on=m.starts_on,
        ends_on=m.ends_on,
        status=m.status,
    )


def invitation(m: Membership, *, now: datetime, secret_key: str) -> Invitation:
    """A membership's invitation as its managers see it; no statement of its own when the
    membership's person and invitation are loaded."""
    seat_invitation = m.invitation
    assert seat_invitation is not None
    return Invitation(
        member_id=m.id,
        name=m.person.name,
        email=seat_invitation.email,
        seat=m.seat,
        role=m.role,
        starts_on=m.starts_on,
        ends_on=m.ends_on,
        status=m.status,
        expires_at=seat_invitation.expires_at,
        is_open=seat_invitations.is_open(seat_invitation, now),
        token=seat_invitations.token_for(seat_invitation, secret_key),
    )


_BY_PLACE = (Council.municipality, Council.name, Council.id)


def council_list(session: Session) -> list[CouncilSummary]:
    """Every council, by municipality and name: one statement."""
    councils = session.scalars(sa.select(Council).order_by(*_BY_PLACE))
    return [CouncilSummary.of(c) for c in councils]


def council_window(session: Session, *, offset: int, limit: int) -> Window[CouncilSummary]:
    """A page of the councils, in the order of ``council_list``: two statements."""
    found = window(session, sa.select(Council).order_by(*_BY_PLACE), offset=offset, limit=limit)
    return Window([CouncilSummary.of(c) for c in found.items], found.total, offset, limit)


def council_by_slug(session: Session, slug: str) -> Council:
    """The council alone, or NotFound: one statement."""
    council = session.scalar(sa.select(Council).where(Council.slug == slug))
    if council is None:
        raise NotFound("council-not-found")
    return council


def member_window(
    session: Session, slug: str, viewer: Actor, *, today: date, offset: int, limit: int
) -> Window[Member]:
    """A page of the members seated ``today``, in the order of the council's page (the chair,
    the secretary, then by name), names shown as ``member`` decides: three statements."""
    council = council_by_slug(session, slug)
    rank = sa.case(
        (Membership.role == Role.CHAIR, 0), (Membership.role == Role.SECRETARY, 1), else_=2
    )
    query = (
        sa.select(Membership)
        .join(Membership.person)
        .options(contains_eager(Membership.person))
        .where(
            Membership.council_id == council.id,
            Membership.starts_on <= today,
            sa.or_(Membership.ends_on.is_(None), Membership.ends_on > today),
        )
        .order_by(rank, Person.name, Membership.id)
    )
    found = window(session, query, offset=offset, limit=limit)
    may_see = may_see_names_in(viewer, council.id)
    shown = [member(m, council, may_see_names=may_see) for m in found.items]
    return Window(shown, found.total, offset, limit)


def invitation_window(
    session: Session, council: Council, *, now: datetime, secret_key: str, offset: int, limit: int
) -> Window[Invitation]:
    """A page of the invitations not yet answered, as the council's page orders them (by first
    day): two statements. Only for those who manage the members: the caller checks."""
    query = (
        sa.select(Membership)
        .join(Membership.invitation)
        .join(Membership.person)
        .options(contains_eager(Membership.invitation), contains_eager(Membership.person))
        .where(
            Membership.council_id == council.id,
            Membership.status == MembershipStatus.INVITED,
        )
        .order_by(Membership.starts_on, Membership.id)
    )
    found = window(session, query, offset=offset, limit=limit)
    shown = [invitation(m, now=now, secret_key=secret_key) for m in found.items]
    return Window(shown, found.total, offset, limit)


def council_page(
    session: Session, slug: str, viewer: Actor, *, today: date, now: datetime, secret_key: str
) -> CouncilPage:
    """A council with its members, vacancies and (for who manages them) open invitations:
    four statements (the council, its memberships, their persons, their invitations)."""
    council = session.scalar(
        sa.select(Council)
        .where(Council.slug == slug)
        .options(
            selectinload(Council.memberships).selectinload(Membership.person),
            selectinload(Council.memberships).selectinload(Membership.invitation),
        )
    )
    if council is None:
        raise NotFound("council-not-found")
    may_see_names = may_see_names_in(viewer, council.id)

    def shown(m: Membership) -> Member:
        return member(m, council, may_see_names=may_see_names)

    current = sorted(
        council.current_memberships(today),
        key=lambda m: (m.role is not Role.CHAIR, m.role is not Role.SECRETARY, m.person.name),
    )
    counts = rules.seat_counts((m.holder for m in council.memberships), today)
    invited: list[Invitation] = []
    if permissions.can_manage_members(viewer, council.id):
        for m in sorted(council.memberships, key=lambda m: (m.starts_on, m.id)):
            if m.status is MembershipStatus.INVITED and m.invitation is not None:
                invited.append(invitation(m, now=now, secret_key=secret_key))
    return CouncilPage(
        council=CouncilSummary.of(council),
        members={seat: tuple(shown(m) for m in current if m.seat is seat) for seat in Seat},
        upcoming=tuple(
            shown(m) for m in council.memberships if m.starts_on > today and not m.period.is_empty
        ),
        vacancies={seat: max(0, council.seats(seat) - counts[seat]) for seat in Seat},
        invitations=tuple(invited),
        may_see_names=may_see_names,
    )


def me(session: Session, who: Actor) -> Me:
    """The caller's account and current seats: two statements."""
    user = session.get(User, who.user_id)
    if user is None:
        raise NotFound()
    rows = session.execute(sa.select(Council.id, Council.slug).where(Council.id.in_(who.seats)))
    slugs = {council_id: slug for council_id, slug in rows}
    return Me(
        id=user.id,
        name=user.name,
        email=user.email,
        is_admin=user.is_admin,
        language=user.language,
        seats=tuple(
            SeatOut(council=slugs[cid], seat=s.seat, role=s.role) for cid, s in who.seats.items()
        ),
    )
