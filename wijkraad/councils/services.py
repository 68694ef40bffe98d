"""Councils, persons and memberships: create, edit, appoint, end."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from wijkraad import audit
from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import Actor
from wijkraad.auth.models import User
from wijkraad.councils import permissions, rules
from wijkraad.councils.models import Council, Membership, Person
from wijkraad.councils.rules import DecisionRule, Period, Role, Seat, SeatHolder
from wijkraad.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE = re.compile(rules.CODE_PATTERN)
# Problems that are about the state of the council rather than the input itself.
CONFLICT_CODES = {
    "seats-full",
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
) -> Membership:
    """Seats a person on the council; creates the person and, for a new e-mail, an account."""
    if not permissions.can_manage_members(actor, council.id):
        raise Forbidden()
    if not permissions.can_manage_role(actor, council.id, role):
        raise Forbidden()
    name = name.strip()
    if not name:
        raise Invalid("field-required", field="name")
    new = SeatHolder(seat, role, Period(starts_on, ends_on))
    raise_problems(
        rules.appointment_problems(
            (m.holder for m in council.memberships),
            new,
            resident_seats=council.resident_seats,
            councillor_seats=council.councillor_seats,
        )
    )
    user = auth_services.find_user(session, email)
    if user is None:
        user = auth_services.create_user(session, actor.user_id, email=email, name=name)
    person = _person_for(session, user, name)
    if any(m.person_id == person.id and m.period.overlaps(new.period) for m in council.memberships):
        raise Conflict("already-member", field="email")
    membership = Membership(
        council=council, person=person, seat=seat, role=role, starts_on=starts_on, ends_on=ends_on
    )
    session.add(membership)
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


def _person_for(session: Session, user: User, name: str) -> Person:
    person = session.scalar(sa.select(Person).where(Person.user_id == user.id))
    if person is None:
        person = Person(name=name, user=user)
        session.add(person)
        session.flush()
    return person


def end_membership(
    session: Session, actor: Actor, membership: Membership, ends_on: date
) -> Membership:
    if not permissions.can_manage_role(actor, membership.council_id, membership.role):
        raise Forbidden()
    raise_problems(rules.end_problems(membership.period, ends_on))
    membership.ends_on = ends_on
    audit.record(
        session,
        actor.user_id,
        "membership.end",
        membership,
        council_id=membership.council_id,
        ends_on=ends_on,
    )
    return membership


def vacancies(council: Council, on: date) -> dict[Seat, int]:
    counts = rules.seat_counts((m.holder for m in council.memberships), on)
    return {seat: max(0, council.seats(seat) - counts[seat]) for seat in Seat}


def public_name(membership: Membership, *, viewer_may_see: bool) -> str | None:
    """The name to show the public: residents' names only where the council decided so."""
    council = membership.council
    if viewer_may_see or membership.seat is Seat.COUNCILLOR or council.publishes_resident_names:
        return membership.person.name
    return None
