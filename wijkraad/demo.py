"""The demo council, modelled on Groningen's Oosterparkwijk (2018–2020): 11 resident seats,
6 councillor seats, a few vacancies, a resident chair, a secretary and an administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import Actor
from wijkraad.auth.models import User
from wijkraad.budget import services as budget
from wijkraad.budget.rules import ExecutionStatus
from wijkraad.clock import AMSTERDAM
from wijkraad.councils import invitations
from wijkraad.councils import services as council_services
from wijkraad.councils.models import Council
from wijkraad.councils.rules import DecisionRule, Role, Seat
from wijkraad.mail.models import OutboxMessage
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.meetings.rules import Presence
from wijkraad.minutes.decisions import complete_decision
from wijkraad.motions import services as motions
from wijkraad.voting import decisions
from wijkraad.voting import services as voting
from wijkraad.voting.rules import GroupCounts, RoundMode, Tally

PASSWORD = "wijkraad-demo"  # noqa: S105  (a demo on the user's own machine, printed on start)
ADMIN_EMAIL = "beheer@gemeente.example"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    who: str


RESIDENTS = [
    ("Fatima el Amrani", "voorzitter@oosterpark.example", Role.CHAIR),
    ("Jan Hoekstra", "secretaris@oosterpark.example", Role.SECRETARY),
    ("Anouk de Vries", "lid@oosterpark.example", Role.MEMBER),
    ("Pieter Bakker", "pieter@oosterpark.example", Role.MEMBER),
    ("Sanne Mulder", "sanne@oosterpark.example", Role.MEMBER),
    ("Mohamed Yilmaz", "mohamed@oosterpark.example", Role.MEMBER),
    ("Ineke Smit", "ineke@oosterpark.example", Role.MEMBER),
    ("Daan Visser", "daan@oosterpark.example", Role.MEMBER),
    ("Lotte Kramer", "lotte@oosterpark.example", Role.MEMBER),
]
COUNCILLORS = [
    ("Gerrit Dijkstra", "raadslid@gemeente.example"),
    ("Marieke Postma", "marieke@gemeente.example"),
    ("Erik van der Meer", "erik@gemeente.example"),
    ("Yvonne Bos", "yvonne@gemeente.example"),
    ("Henk Wiersma", "henk@gemeente.example"),
]

LOGINS = [
    DemoLogin(ADMIN_EMAIL, "beheerder (administrator)"),
    DemoLogin("voorzitter@oosterpark.example", "voorzitter, bewoner (chair)"),
    DemoLogin("secretaris@oosterpark.example", "secretaris, bewoner (secretary)"),
    DemoLogin("lid@oosterpark.example", "lid, bewoner (member)"),
    DemoLogin("raadslid@gemeente.example", "lid, gemeenteraadslid (councillor)"),
]


def is_empty(session: Session) -> bool:
    return (
        session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
        and session.scalar(sa.select(sa.func.count()).select_from(Council)) == 0
    )


def has_demo(session: Session) -> bool:
    return auth_services.find_user(session, ADMIN_EMAIL) is not None


def load(session: Session, today: date) -> Council:
    """Loads the demo into an empty database (the caller commits)."""
    admin = auth_services.create_user(
        session,
        None,
        email=ADMIN_EMAIL,
        name="Beheer Gemeente Groningen",
        password=PASSWORD,
        is_admin=True,
    )
    actor = Actor(user_id=admin.id, is_admin=True)
    council = council_services.create_council(
        session,
        actor,
        "oosterparkwijk",
        council_services.CouncilData(
            name="Coöperatieve Wijkraad Oosterparkwijk",
            municipality="Groningen",
            resident_seats=11,
            councillor_seats=6,
            decision_rule=DecisionRule.COOPERATIVE,
            code="OPW",
            description=(
                "Elf bewoners, gekozen door loting uit de inwoners van 16 jaar en ouder, en "
                "gemeenteraadsleden besluiten samen over de wijk en het wijkbudget. Bewoners "
                "hebben de meerderheid."
            ),
        ),
    )
    starts_on = date(today.year, 1, 1)
    for name, email, role in RESIDENTS:
        council_services.appoint_member(
            session,
            actor,
            council,
            name=name,
            email=email,
            seat=Seat.RESIDENT,
            role=role,
            starts_on=starts_on,
        )
    for name, email in COUNCILLORS:
        council_services.appoint_member(
            session,
            actor,
            council,
            name=name,
            email=email,
            seat=Seat.COUNCILLOR,
            starts_on=starts_on,
        )
    # Every demo member has an account (made by the appointment) with the demo password, and
    # has confirmed the seat.
    for membership in list(council.memberships):
        user = membership.person.user
        assert user is not None and membership.invitation is not None
        auth_services.set_password(session, None, user, PASSWORD)
        invitations.accept(session, user, membership.invitation, clock.now())
    session.flush()
    _budgets(session, actor, council, today)
    _meetings(session, actor, council, today)
    # Its members are made up (example addresses): the mail their meetings would cause is not
    # sent, so that the console shows the mail of what is done with the demo, not of its making.
    session.execute(sa.delete(OutboxMessage))
    return council


# The demo's budget lines (code, name, euros): Groningen gave its council €200,000 a year.
LINES = [
    ("GROEN", "Groen en spelen", 80_000),
    ("ONTM", "Ontmoeten en cultuur", 50_000),
    ("VEIL", "Veiligheid en verkeer", 40_000),
]


def _budgets(session: Session, actor: Actor, council: Council, today: date) -> None:
    """This year's budget (and last year's, when the past meeting fell in it)."""
    for year in sorted({(today - timedelta(days=28)).year, today.year}):
        made = budget.create_budget(session, actor, council, year=year, total_cents=20_000_000)
        for code, name, euros in LINES:
            budget.add_line(session, actor, made, code=code, name=name, allocated_cents=euros * 100)


def _line_id(session: Session, council: Council, year: int, code: str) -> int:
    found = budget.get_budget(session, council.id, year)
    return next(line.id for line in found.lines if line.code == code)


def _progress(session: Session, actor: Actor, decision_id: int, decided_on: date) -> None:
    """The playground's execution under way: a contractor chosen, a first invoice paid."""
    execution = budget.execution_of(session, decision_id)
    for days, status, cents, note in [
        (7, ExecutionStatus.IN_PROGRESS, 0, "Drie aannemers gevraagd om een offerte."),
        (
            21,
            ExecutionStatus.IN_PROGRESS,
            600_000,
            "Opdracht gegeven; de rolstoeltoegankelijke schommel is besteld en betaald.",
        ),
    ]:
        budget.record_progress(
            session,
            actor,
            execution,
            status=status,
            spent_cents=cents,
            note=note,
            on=decided_on + timedelta(days=days),
            now=_at(decided_on + timedelta(days=days), 10),
        )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)


def _meetings(session: Session, actor: Actor, council: Council, today: date) -> None:
    """A meeting held a month ago, with its decisions, and the next one, published."""

    held_on = today - timedelta(days=28)
    now = _at(held_on, 19, 30)
    past = meetings.create_meeting(
        session,
        actor,
        council,
        title="Wijkraadvergadering",
        starts_at=now,
        location="Buurtcentrum De Oosterpoort",
    )
    minutes = meetings.add_item(
        session, actor, past, title="Verslag van de vorige vergadering", is_formality=True
    )
    playground = meetings.add_item(
        session,
        actor,
        past,
        title="Speeltuin Oosterpark",
        description="Voorstel van bewoners om de speeltuin te vernieuwen.",
    )
    lights = meetings.add_item(session, actor, past, title="Verlichting fietspad Helperzoom")
    meetings.publish(session, actor, past, now - timedelta(days=7))
    members = council.current_memberships(held_on)
    absent = {m.id for m in members if m.person.name == "Henk Wiersma"}
    for m in members:
        presence = Presence.ABSENT_WITH_NOTICE if m.id in absent else Presence.PRESENT
        attendance.mark(session, actor, past, m.id, presence, now)
    meetings.open_meeting(session, actor, past, now, held_on)
    formality = motions.submit_motion(
        session,
        actor,
        minutes,
        title="Het verslag vaststellen",
        text="De wijkraad stelt het verslag van de vorige vergadering ongewijzigd vast.",
        on=held_on,
    )
    decisions.adopt_formality(session, actor, formality, on=held_on)
    for item, title, text, residents, councillors, money, explanation, commitments in [
        (
            playground,
            "Speeltuin Oosterpark vernieuwen",
            "De wijkraad besluit de speeltuin in het Oosterpark te vernieuwen, met een "
            "rolstoeltoegankelijke schommel.",
            GroupCounts(7, 1, 1),
            GroupCounts(2, 2, 0),
            ("GROEN", 1_850_000),
            "Ouders uit de buurt vroegen in de wijkschouw om een speeltuin waar ook kinderen "
            "in een rolstoel kunnen spelen. De gemeente betaalt de helft.",
            "De wethouder zegt toe de nieuwe speeltuin voor de zomervakantie te openen.",
        ),
        (
            lights,
            "Extra verlichting langs het fietspad",
            "De wijkraad vraagt de gemeente om extra verlichting langs het fietspad.",
            GroupCounts(3, 5, 1),
            GroupCounts(4, 0, 0),
            None,
            "De meeste bewoners vinden nieuwe lantaarnpalen te duur; eerst snoeit de gemeente "
            "het groen langs het pad.",
            "",
        ),
    ]:
        code, cents = money or (None, None)
        motion = budget.submit_motion(
            session,
            actor,
            item,
            title=title,
            text=text,
            on=held_on,
            amount_cents=cents,
            budget_line_id=_line_id(session, council, held_on.year, code) if code else None,
        )
        vote_round = voting.open_round(
            session, actor, motion, mode=RoundMode.ANALOG, now=now, on=held_on
        )
        voting.set_counts(session, actor, vote_round, Tally(residents, councillors))
        decision = decisions.close_round(
            session, actor, vote_round, now=now + timedelta(minutes=20), on=held_on
        )
        if decision is not None and money:
            _progress(session, actor, decision.id, held_on)
        if decision is not None:
            complete_decision(
                session,
                actor,
                decision,
                text=decision.text,
                explanation=explanation,
                commitments=commitments,
            )
    voting.close_meeting(session, actor, past, now + timedelta(hours=2))

    next_day = today + timedelta(days=14)
    upcoming = meetings.create_meeting(
        session,
        actor,
        council,
        title="Wijkraadvergadering",
        starts_at=_at(next_day, 19, 30),
        location="Buurtcentrum De Oosterpoort",
    )
    meetings.add_item(session, actor, upcoming, title="Opening en mededelingen")
    meetings.add_item(
        session, actor, upcoming, title="Verslag van de vorige vergadering", is_formality=True
    )
    requests = meetings.add_item(
        session, actor, upcoming, title="Wijkbudget: aanvragen van bewoners"
    )
    meetings.add_item(
        session, actor, upcoming, title="Moestuin Zaagmuldersweg", parent_id=requests.id
    )
    meetings.add_item(
        session, actor, upcoming, title="Buurtfeest Oosterpark", parent_id=requests.id
    )
    meetings.add_item(session, actor, upcoming, title="Rondvraag en sluiting")
    meetings.publish(session, actor, upcoming, _at(today, 9))
    session.flush()
