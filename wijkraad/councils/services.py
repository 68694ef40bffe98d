"""Councils, persons and memberships: create, edit, appoint, end."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from wijkraad import audit, clock
from wijkraad.auth import rules as auth_rules
from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import Actor
from wijkraad.auth.models import User
from wijkraad.councils import invitations, permissions, rules
from wijkraad.councils.models import Council, Membership, Person
from wijkraad.councils.rules import DecisionRule, MembershipStatus, Period, Role, Seat, SeatHolder
from wijkraad.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE = re.compile(rules.CODE_PATTERN)
# Problems that are about the state of the council rather than the input itself.
CONFLICT_CODES = {
    "seats-full",
    "already-invited",
    "role-taken",
    "already-member",
    "already-ended",
    "seats-below-seated",
}


@dataclass
class CouncilData:
    name: str
    municipality: str
    resident_seats: int
    councillor_seats: int
    decision_rule: DecisionRule = DecisionRule.COOPERATIVE
    description: str = ""
    publishes_resident_names: bool = True
    code: str = ""


def raise_problems(problems: list[rules.Problem]) -> None:
    """Turns rule problems into one domain error: 409 for a state conflict, else 422."""
    if not problems:
        return
    first = problems[0]
    params = dict(first.params)
    if first.code in CONFLICT_CODES:
        raise Conflict(first.code, field=first.field, **params)
    errors = [FieldError(p.field or "", p.code, **dict(p.params)) for p in problems]
    raise Invalid(first.code, field=first.field, errors=errors, **params)


def list_councils(session: Session) -> list[Council]:
    return list(session.scalars(sa.select(Council).order_by(Council.municipality, Council.name)))


def get_council(session: Session, slug: str, *, for_update: bool = False) -> Council:
    query = (
        sa.select(Council)
        .where(Council.slug == slug)
        .options(selectinload(Council.memberships).selectinload(Membership.person))
    )
    if for_update:
        query = query.with_for_update()
    council = session.scalar(query)
    if council is None:
        raise NotFound("council-not-found")
    return council


def get_membership(session: Session, membership_id: int) -> Membership:
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFound("member-not-found")
    return membership


def _check_data(data: CouncilData) -> None:
    errors = []
    if not data.name.strip():
        errors.append(FieldError("name", "field-required"))
    if not data.municipality.strip():
        errors.append(FieldError("municipality", "field-required"))
    for problem in rules.council_seat_problems(
        data.decision_rule, data.resident_seats, data.councillor_seats
    ):
        errors.append(FieldError(problem.field or "", problem.code))
    if data.code and not CODE.match(data.code):
        errors.append(FieldError("code", "code-invalid"))
    if errors:
        raise Invalid(errors[0].code, field=errors[0].field, errors=errors)


def create_council(session: Session, actor: Actor, slug: str, data: CouncilData) -> Council:
    if not permissions.can_create_council(actor):
        raise Forbidden()
    slug = slug.strip().lower()
    if not SLUG.match(slug) or len(slug) > rules.SLUG_MAX:
        raise Invalid("slug-invalid", field="slug")
    _check_data(data)
    if session.scalar(sa.select(Council.id).where(Council.slug == slug)) is not None:
        raise Conflict("slug-taken", field="slug")
    council = Council(slug=slug, **_fields(data))
    council.code = data.code or rules.default_code(slug)
    session.add(council)
    session.flush()
    audit.record(
        session, actor.user_id, "council.create", council, council_id=council.id, slug=slug
    )
    return council


def _fields(data: CouncilData) -> dict[str, object]:
    return {
        "name": data.name.strip(),
        "municipality": data.municipality.strip(),
        "resident_seats": data.resident_seats,
        "councillor_seats": data.councillor_seats,
        "decision_rule": data.decision_rule,
        "description": data.description.strip(),
        "publishes_resident_names": data.publishes_resident_names,
    }


def update_council(
    session: Session, actor: Actor, council: Council, data: CouncilData, today: date
) -> Council:
    if not permissions.can_edit_council(actor, council.id):
        raise Forbidden()
    _check_data(data)
    from_today = Period(today)
    for seat, seats in (
        (Seat.RESIDENT, data.resident_seats),
        (Seat.COUNCILLOR, data.councillor_seats),
    ):
        held = rules.max_concurrent(
            (m.period for m in council.memberships if m.seat is seat), from_today
        )
        if held > seats:
            raise Conflict(
                "seats-below-seated", field=f"{seat.value}_seats", seat=seat.value, seated=held
            )
    wanted = _fields(data)
    if data.code:
        wanted["code"] = data.code
    changes = {
        key: [_plain(getattr(council, key)), _plain(value)]
        for key, value in wanted.items()
        if getattr(council, key) != value
    }
    if not changes:
        return council
    for key, value in wanted.items():
        setattr(council, key, value)
    # Every setting that changed, as [before, after]: the code among them, since it is in
    # every later decision's public identifier.
    audit.record(
        session, actor.user_id, "council.update", council, council_id=council.id, changes=changes
    )
    return council


def _plain(value: object) -> object:
    return value.value if isinstance(value, DecisionRule) else value


def appoint_member(
    session: Session,
    actor: Actor,
    council: Council,
    *,
    name: str,
    email: str,
    seat: Seat,
    role: Role = Role.MEMBER,
    starts_on: date,
    ends_on: date | None = None,
    now: datetime | None = None,
) -> Membership:
    """Seats a person from ``starts_on``: a new person with the name the appointer typed, and
    an invitation link for the address (``invitations``).

    For an address without an account the account is made now, without a password, and joins
    the new person (the link lets its owner choose the password). An existing account never
    joins without its owner: the person stays without an account until the owner logs in and
    confirms through the link. The appointer's answer is the same either way, and so is all
    they see afterwards: both are seated members under the typed name.
    """
    if not permissions.can_manage_members(actor, council.id):
        raise Forbidden()
    if not permissions.can_manage_role(actor, council.id, role):
        raise Forbidden()
    name = name.strip()
    if not name:
        raise Invalid("field-required", field="name")
    address = auth_rules.normalise_email(email)
    if not auth_rules.looks_like_email(address):
        raise Invalid("field-invalid", field="email")
    new = SeatHolder(seat, role, Period(starts_on, ends_on))
    memberships = _locked_memberships(session, council)
    raise_problems(
        rules.appointment_problems(
            (m.holder for m in memberships),
            new,
            resident_seats=council.resident_seats,
            councillor_seats=council.councillor_seats,
        )
    )
    # Only open invitations count here: they are the appointers' own records (their page
    # shows them), made alike for every address. Whether the address belongs to someone who
    # sits already is not the appointer's to learn; its owner finds out when confirming
    # ("already-member").
    if any(
        m.status is MembershipStatus.INVITED
        and m.invitation is not None
        and m.invitation.email == address
        and m.period.overlaps(new.period)
        for m in memberships
    ):
        raise Conflict("already-invited", field="email")
    person = Person(name=name, user=_account_for_new_address(session, actor, address, name))
    membership = Membership(
        council=council,
        person=person,
        seat=seat,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        status=MembershipStatus.INVITED,
    )
    session.add(membership)
    invitations.issue(session, actor, membership, address, now or clock.now())
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "membership.appoint",
        membership,
        council_id=council.id,
        person_id=person.id,
        seat=seat.value,
        role=role.value,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return membership


def _account_for_new_address(
    session: Session, actor: Actor, address: str, name: str
) -> User | None:
    """The account for an address that has none: made now, without a password. None when the
    address has an account already: its owner joins by confirming, never by being appointed."""
    try:
        with session.begin_nested():
            return auth_services.create_user(session, actor.user_id, email=address, name=name)
    except (Conflict, IntegrityError):
        # It has one ("email-taken"), perhaps made a moment ago by an appointment elsewhere
        # (the database's unique address).
        return None


def _locked_memberships(session: Session, council: Council) -> list[Membership]:
    """The council's memberships, read after taking the council's write lock, so that two
    appointments at once cannot both take the last seat.

    A write rather than SELECT ... FOR UPDATE: PostgreSQL locks the row either way, and SQLite
    (which has no row locks) lets one writer in at a time from a transaction's first write.
    """
    session.execute(
        sa.update(Council).where(Council.id == council.id).values(slug=Council.slug),
        execution_options={"synchronize_session": False},
    )
    return list(
        session.scalars(
            sa.select(Membership)
            .where(Membership.council_id == council.id)
            .options(selectinload(Membership.invitation))
            .execution_options(populate_existing=True)
        )
    )


def end_membership(
    session: Session, actor: Actor, membership: Membership, ends_on: date
) -> Membership:
    """Ends a membership on ``ends_on``. Ending one whose invitation is still open withdraws
    the invitation as well: its link stops working."""
    if not permissions.can_manage_role(actor, membership.council_id, membership.role):
        raise Forbidden()
    is_open = membership.status is MembershipStatus.INVITED
    raise_problems(rules.end_problems(membership.period, ends_on, open_invitation=is_open))
    action = "membership.end"
    if is_open and invitations.close(
        session, membership, MembershipStatus.WITHDRAWN, ends_on=ends_on, now=clock.now()
    ):
        action = "membership.withdraw"
    else:
        # Answered meanwhile perhaps (a decline ends the membership itself): look again.
        raise_problems(rules.end_problems(membership.period, ends_on))
        membership.ends_on = ends_on
    audit.record(
        session,
        actor.user_id,
        action,
        membership,
        council_id=membership.council_id,
        ends_on=ends_on,
    )
    return membership


def vacancies(council: Council, on: date) -> dict[Seat, int]:
    """Seats free for an appointment on ``on``."""
    counts = rules.seat_counts((m.holder for m in council.memberships), on)
    return {seat: max(0, council.seats(seat) - counts[seat]) for seat in Seat}


def open_invitations(session: Session, council: Council) -> list[Membership]:
    """The council's invitations not yet answered, earliest start first, with what their
    pages show loaded in a fixed number of queries."""
    return list(
        session.scalars(
            sa.select(Membership)
            .where(
                Membership.council_id == council.id,
                Membership.status == MembershipStatus.INVITED,
            )
            .options(selectinload(Membership.invitation), selectinload(Membership.person))
            .order_by(Membership.starts_on, Membership.id)
        )
    )


def public_name(membership: Membership, *, viewer_may_see: bool) -> str | None:
    """The name to show the public: residents' names only where the council decided so."""
    council = membership.council
    if viewer_may_see or membership.seat is Seat.COUNCILLOR or council.publishes_resident_names:
        return membership.person.name
    return None
