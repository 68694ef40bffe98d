"""The demo council, modelled on Groningen's Oosterparkwijk (2018–2020): 11 resident seats,
6 councillor seats, a few vacancies, a resident chair, a secretary and an administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import Actor
from wijkraad.auth.models import User
from wijkraad.councils import services as council_services
from wijkraad.councils.models import Council
from wijkraad.councils.rules import DecisionRule, Role, Seat

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
    for membership in council.memberships:
        user = membership.person.user
        if user is not None and user.password_hash is None:
            auth_services.set_password(session, None, user, PASSWORD)
    session.flush()
    return council
