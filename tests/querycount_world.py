"""The data that the statement counts are measured on, built through the real services.

Four councils, each with one meeting, so that every read can be measured at several sizes and
the sizes differ in one thing at a time:

=========  =======  =======  ===========================================
size       members  motions
=========  =======  =======  ===========================================
``17/0``   17       0        11 residents and 6 councillors
``17/10``  17       10
``17/40``  17       40
``400/10`` 400      10       260 residents and 140 councillors
=========  =======  =======  ===========================================

Every meeting has the same agenda (a formality, an item with two sub-items, a confidential item
with a sub-item, ...), is published and open, has its attendance set (one in ten absent, half
of those with notice) and three recusals. Its motions follow one pattern of ten, repeated:
adopted, rejected and invalid rounds with the votes of everyone entitled, a draft, an
amendment, a withdrawn motion, a formality adopted without a vote, and on the last motion one
open round in which half of those entitled have voted. Each council also has a second, draft
meeting without agenda on which the attendance writes are measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD
from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import Actor, CouncilSeat
from wijkraad.budget import services as budget
from wijkraad.budget.rules import ExecutionStatus
from wijkraad.councils import services as council_services
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import Role, Seat
from wijkraad.documents import services as documents
from wijkraad.documents.storage import current_storage
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Meeting
from wijkraad.minutes import services as minutes
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.voting import casting, decisions
from wijkraad.voting import services as voting
from wijkraad.voting.models import RoundMode
from wijkraad.voting.rules import Choice


@dataclass(frozen=True)
class Size:
    key: str
    residents: int
    councillors: int
    motions: int

    @property
    def slug(self) -> str:
        return "raad-" + self.key.replace("/", "-")

    @property
    def members(self) -> int:
        return self.residents + self.councillors


SMALL = [Size("17/0", 11, 6, 0), Size("17/10", 11, 6, 10), Size("17/40", 11, 6, 40)]
LARGE = [Size("400/10", 260, 140, 10)]
SIZES = {s.key: s for s in SMALL + LARGE}

# The agenda: number, title, flags; a sub-item's parent is the number before its dot.
AGENDA = [
    ("1", "Opening en mededelingen", {"is_formality": True}),
    ("2", "Speeltuin Oosterpark", {}),
    ("2.1", "Locatie", {}),
    ("2.2", "Inrichting", {}),
    ("3", "Wijkbudget", {}),
    ("4", "Personeelszaken", {"is_confidential": True}),
    ("4.1", "Benoeming", {}),
    ("5", "Rondvraag", {}),
]
# The pattern of ten motions: what happens to each, and on which agenda item.
PATTERN = [
    ("adopted", "2"),
    ("rejected", "2.1"),
    ("draft", "2.2"),
    ("submitted", "3"),
    ("amendment", "3"),  # of the motion before it
    ("adopted", "4"),  # confidential
    ("invalid", "4.1"),
    ("withdrawn", "5"),
    ("formality", "1"),
    ("submitted", "2.2"),  # the last one of the meeting gets the open round
]


@dataclass
class Place:
    """What the reads of one size point at, and who reads them."""

    size: Size
    ids: dict[str, Any] = field(default_factory=dict)  # fills the {placeholders} of the paths
    emails: dict[str, str] = field(default_factory=dict)  # role -> e-mail address
    tokens: dict[str, str] = field(default_factory=dict)  # role -> API token
    seated: list[int] = field(default_factory=list)  # membership ids


@dataclass
class World:
    app: Flask
    places: dict[str, Place] = field(default_factory=dict)
    admin_email: str = "beheer@example.org"
    admin_token: str = ""


def _people(session: Session, size: Size) -> tuple[Council, list[Membership], Place]:
    admin = Actor(user_id=None, is_admin=True)
    today = clock.today()
    council = council_services.create_council(
        session,
        admin,
        size.slug,
        council_services.CouncilData(
            name=f"Wijkraad {size.key}",
            municipality="Groningen",
            resident_seats=size.residents,
            councillor_seats=size.councillors,
        ),
    )
    members = []
    for i in range(size.members):
        resident = i < size.residents
        members.append(
            council_services.appoint_member(
                session,
                admin,
                council,
                name=f"{'Bewoner' if resident else 'Raadslid'} {i + 1:03d}",
                email=f"{size.slug}.lid{i + 1}@example.org",
                seat=Seat.RESIDENT if resident else Seat.COUNCILLOR,
                role={0: Role.CHAIR, 1: Role.SECRETARY}.get(i, Role.MEMBER),
                starts_on=today,
            )
        )
    place = Place(size, seated=[m.id for m in members])
    for role, membership in zip(("chair", "secretary", "member"), members, strict=False):
        user = membership.person.user
        assert user is not None
        auth_services.set_password(session, None, user, PASSWORD)
        place.emails[role] = user.email
        place.tokens[role] = auth_services.issue_token(session, None, user, "counts")
    session.commit()
    return council, members, place


def _actor(membership: Membership) -> Actor:
    return Actor(
        user_id=membership.person.user_id,
        person_id=membership.person_id,
        seats={membership.council_id: CouncilSeat(membership.id, membership.seat, membership.role)},
    )


def _vote(session: Session, vote_round: Any, voters: dict[int, Actor], choice: Choice) -> None:
    for membership_id in vote_round.entitled:
        casting.cast_vote(session, voters[membership_id], vote_round.id, choice, clock.now())


def _meeting(
    session: Session, council: Council, members: list[Membership], place: Place
) -> Meeting:
    chair, member = _actor(members[0]), _actor(members[2])
    voters = {m.id: _actor(m) for m in members}
    now, today = clock.now(), clock.today()
    meeting = meetings.create_meeting(
        session,
        chair,
        council,
        title="Wijkraadvergadering",
        starts_at=now + timedelta(hours=2),
        location="Buurthuis De Oosterpoort",
    )
    items = {}
    for number, title, flags in AGENDA:
        parent = items[number.split(".")[0]].id if "." in number else None
        items[number] = meetings.add_item(
            session, chair, meeting, title=title, parent_id=parent, **flags
        )
    meetings.publish(session, chair, meeting, now)
    absent = [m.id for i, m in enumerate(members) if i % 10 == 9]
    attendance.set_attendance(
        session,
        chair,
        meeting,
        present={m.id for m in members} - set(absent),
        absent_with_notice=set(absent[::2]),
        now=now,
        on=today,
    )
    residents = [m for m in members if m.seat is Seat.RESIDENT]
    councillors = [m for m in members if m.seat is Seat.COUNCILLOR]
    for number, recused in (("2", residents[5]), ("2", councillors[0]), ("3", residents[6])):
        meetings.add_recusal(session, chair, items[number], recused.id, today)
    meetings.open_meeting(session, chair, meeting, now, today)
    # The year's budget: three lines; the adopted motions and the formality take money from
    # them and have a progress note each.
    made = budget.create_budget(
        session, chair, council, year=meeting.starts_at.year, total_cents=100_000_000
    )
    lines = [
        budget.add_line(session, chair, made, code=code, name=name, allocated_cents=30_000_000)
        for code, name in (("GROEN", "Groen"), ("SOC", "Ontmoeten"), ("VEIL", "Veiligheid"))
    ]
    session.commit()

    previous = None
    for i in range(place.size.motions):
        kind, number = PATTERN[i % len(PATTERN)]
        money = kind in ("adopted", "formality") and i != place.size.motions - 1
        motion = motions.submit_motion(
            session,
            member if kind in ("draft", "submitted") else chair,
            items[number],
            title=f"Voorstel {i + 1}",
            text=f"De wijkraad besluit tot voorstel {i + 1}.",
            amends_id=previous.id if kind == "amendment" and previous else None,
            cosigner_ids=[residents[3].id] if kind == "draft" else [],
            on=today,
            draft=kind == "draft",
            amount_cents=10_000 if money else None,
            budget_line_id=lines[i % len(lines)].id if money else None,
        )
        previous = motion
        if kind in ("adopted", "rejected", "invalid") or i == place.size.motions - 1:
            vote_round = voting.open_round(
                session, chair, motion, mode=RoundMode.NAMED, now=clock.now(), on=today
            )
            if i == place.size.motions - 1:  # stays open, half of those entitled voted
                for j, membership_id in enumerate(vote_round.entitled):
                    if j % 2 and membership_id != members[2].id:
                        choice = list(Choice)[j % 3]
                        casting.cast_vote(
                            session, voters[membership_id], vote_round.id, choice, clock.now()
                        )
                place.ids.setdefault("round_open", vote_round.id)
            elif kind == "invalid":
                casting.cast_vote(session, chair, vote_round.id, Choice.YES, clock.now())
            else:
                _vote(session, vote_round, voters, Choice.YES if kind == "adopted" else Choice.NO)
            if i != place.size.motions - 1:
                decision = decisions.close_round(
                    session, chair, vote_round, now=clock.now(), on=today
                )
                if kind == "adopted" and number != "4" and decision is not None:
                    place.ids.setdefault("decision", decision.id)
                    place.ids.setdefault("identifier", decision.identifier)
                if decision is not None and money:
                    _progress(session, chair, decision.id, place)
                if kind == "adopted":
                    place.ids.setdefault("round_closed", vote_round.id)
                    place.ids.setdefault("motion", motion.id)
        elif kind == "withdrawn":
            motions.withdraw(session, chair, motion)
        elif kind == "submitted":  # undecided: it can still be withdrawn
            place.ids.setdefault("motion_open", motion.id)
        elif kind == "formality":
            decided = decisions.adopt_formality(session, chair, motion, on=today)
            _progress(session, chair, decided.id, place)
    session.commit()  # once: a commit expires every loaded member, and each round reads them all
    place.ids["item"] = items["3"].id
    _documents(session, chair, list(items.values()), place)
    return meeting


def _progress(session: Session, chair: Actor, decision_id: int, place: Place) -> None:
    """A progress note with an amount spent on a decision with money."""
    budget.record_progress(
        session,
        chair,
        budget.execution_of(session, decision_id),
        status=ExecutionStatus.IN_PROGRESS,
        spent_cents=2_500,
        note="Begonnen",
        on=clock.today(),
        now=clock.now(),
    )
    place.ids.setdefault("money_decision", decision_id)


def _documents(session: Session, chair: Actor, items: list[Any], place: Place) -> None:
    """One document on the item the reads point at, and one more per motion, spread over all
    items (the confidential ones too) and the motions that have an id to point at."""

    def pdf(n: int) -> bytes:
        return b"%PDF-1.4\n% document " + str(n).encode() + b"\n%%EOF\n"

    first = documents.upload(
        session,
        chair,
        current_storage(),
        items[4],  # "3", the item the reads point at
        title="Raadsvoorstel",
        filename="raadsvoorstel.pdf",
        data=pdf(0),
        max_bytes=1024 * 1024,
        now=clock.now(),
    )
    owners: list[Any] = list(items)
    if "motion" in place.ids:
        owners.append(session.get(Motion, place.ids["motion"]))
    for i in range(place.size.motions):
        documents.upload(
            session,
            chair,
            current_storage(),
            owners[i % len(owners)],
            title=f"Bijlage {i + 1}",
            filename=f"bijlage-{i + 1}.pdf",
            data=pdf(i + 1),
            max_bytes=1024 * 1024,
            now=clock.now(),
        )
    session.commit()
    place.ids.update(document=first.id, document_filename=first.filename)


def _minutes(session: Session, chair: Actor, meeting: Meeting, place: Place) -> None:
    """The meeting's minutes, one revision with notes on every agenda item."""
    started = minutes.start(session, chair, meeting, clock.now())
    minutes.save(
        session,
        chair,
        started,
        based_on=0,
        remarks="Opening om 19.30 uur.",
        notes={item.id: f"Besproken: {item.title}." for item in meeting.items},
        now=clock.now(),
    )
    place.ids["revision"] = started.revision


def build(app: Flask, world: World, sizes: list[Size]) -> None:
    """Adds the councils of ``sizes`` (and, the first time, the administrator)."""
    with app.app_context():
        session = db.session
        if not world.admin_token:
            admin = auth_services.create_user(
                session,
                None,
                email=world.admin_email,
                name="Beheerder",
                password=PASSWORD,
                is_admin=True,
            )
            world.admin_token = auth_services.issue_token(session, None, admin, "counts")
            session.commit()
        for size in sizes:
            council, members, place = _people(session, size)
            meeting = _meeting(session, council, members, place)
            chair = _actor(members[0])
            _minutes(session, chair, meeting, place)
            register = meetings.create_meeting(
                session,
                chair,
                council,
                title="Extra vergadering",
                starts_at=clock.now() + timedelta(days=7),
                location="Buurthuis De Oosterpoort",
            )
            invited = members[3].person.user
            assert invited is not None
            place.ids.update(
                slug=council.slug,
                meeting=meeting.id,
                register=register.id,
                chair_user=members[0].person.user_id,
                member_membership=members[2].id,
                last_membership=members[-1].id,
                invite=auth_services.invite_token(invited, app.config["SECRET_KEY"]),
                year=clock.today().year,  # of the meeting's decisions
            )
            session.commit()
            world.places[size.key] = place
        db.session.remove()


def reset_register(app: Flask, place: Place) -> None:
    """Everyone absent in the council's second meeting: the attendance writes then change the
    same rows, however often they are measured."""
    with app.app_context():
        meeting = meetings.get_meeting(db.session, place.ids["register"])
        chair = _actor(db.session.get(Membership, place.seated[0]))
        attendance.set_attendance(
            db.session,
            chair,
            meeting,
            present=set(),
            absent_with_notice=set(),
            now=clock.now(),
            on=clock.today(),
        )
        db.session.commit()
        db.session.remove()
