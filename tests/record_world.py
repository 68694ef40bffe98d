"""A council with a meeting full of decisions, built through the real services, for the tests of
the public record (decision pages, the archive, feeds, exports, PDFs).

The meeting's agenda: 1 a formality (adopted without a vote), 2 a public item with ``public``
motions decided by a named vote of everyone present (alternately adopted and rejected), 3 a
confidential item with a sub-item 3.1 on which one motion is adopted. Two residents and two
councillors sit besides the chair (a resident); one councillor is absent with notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.orm import Session

from tests.conftest import PASSWORD
from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import Actor, CouncilSeat
from wijkraad.councils import services as council_services
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import DecisionRule, Role, Seat
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.motions import services as motions
from wijkraad.voting import casting, decisions
from wijkraad.voting import services as voting
from wijkraad.voting.rules import Choice, RoundMode

ADMIN = Actor(user_id=None, is_admin=True)


@dataclass
class Record:
    council_id: int
    slug: str
    meeting_id: int
    members: dict[str, int] = field(default_factory=dict)  # name -> membership id
    emails: dict[str, str] = field(default_factory=dict)  # role -> email, logs in with PASSWORD
    public: list[int] = field(default_factory=list)  # decision ids on item 2, in order
    formality: int = 0  # the decision adopted without a vote
    confidential: int = 0  # the decision on item 3.1


def actor_of(membership: Membership) -> Actor:
    return Actor(
        user_id=membership.person.user_id,
        person_id=membership.person_id,
        seats={membership.council_id: CouncilSeat(membership.id, membership.seat, membership.role)},
    )


def build_record(
    session: Session,
    *,
    slug: str = "oost",
    code: str = "OST",
    public_names: bool = True,
    public: int = 4,
) -> Record:
    today, now = clock.today(), clock.now()
    council: Council = council_services.create_council(
        session,
        ADMIN,
        slug,
        council_services.CouncilData(
            name=f"Wijkraad {slug.title()}",
            municipality="Groningen",
            resident_seats=3,
            councillor_seats=2,
            decision_rule=DecisionRule.COOPERATIVE,
            publishes_resident_names=public_names,
            code=code,
        ),
    )
    people = [
        ("Anna de Voorzitter", Seat.RESIDENT, Role.CHAIR),
        ("Bram Bewoner", Seat.RESIDENT, Role.SECRETARY),
        ("Carla Bewoner", Seat.RESIDENT, Role.MEMBER),
        ("Dirk Raadslid", Seat.COUNCILLOR, Role.MEMBER),
        ("Eva Raadslid", Seat.COUNCILLOR, Role.MEMBER),
    ]
    seated: list[Membership] = []
    record = Record(council.id, slug, 0)
    for name, seat, role in people:
        email = f"{name.split()[0].lower()}.{slug}@example.org"
        membership = council_services.appoint_member(
            session, ADMIN, council, name=name, email=email, seat=seat, role=role, starts_on=today
        )
        user = membership.person.user
        assert user is not None
        auth_services.set_password(session, None, user, PASSWORD)
        seated.append(membership)
        record.members[name] = membership.id
        record.emails.setdefault(role.value, email)
    session.flush()
    chair = actor_of(seated[0])
    meeting = meetings.create_meeting(
        session,
        chair,
        council,
        title="Wijkraadvergadering",
        starts_at=now + timedelta(minutes=30),
        location="Buurthuis De Oosterpoort",
    )
    record.meeting_id = meeting.id
    opening = meetings.add_item(
        session, chair, meeting, title="Vaststellen agenda", is_formality=True
    )
    playground = meetings.add_item(session, chair, meeting, title="Speeltuin Oosterpark")
    staff = meetings.add_item(session, chair, meeting, title="Personeel", is_confidential=True)
    staff_sub = meetings.add_item(session, chair, meeting, title="Benoeming", parent_id=staff.id)
    meetings.publish(session, chair, meeting, now)
    attendance.set_attendance(
        session,
        chair,
        meeting,
        present={m.id for m in seated[:4]},
        absent_with_notice={seated[4].id},
        now=now,
        on=today,
    )
    meetings.open_meeting(session, chair, meeting, now, today)

    formality = motions.submit_motion(
        session, chair, opening, title="De agenda vaststellen", text="Zoals voorgesteld.", on=today
    )
    record.formality = decisions.adopt_formality(session, chair, formality, on=today).id

    def decide(item: object, title: str, choice_of: dict[int, Choice]) -> int:
        motion = motions.submit_motion(
            session, chair, item, title=title, text=f"De wijkraad besluit: {title}.", on=today
        )
        vote_round = voting.open_round(
            session, chair, motion, mode=RoundMode.NAMED, now=clock.now(), on=today
        )
        for membership in seated[:4]:
            casting.cast_vote(
                session, actor_of(membership), vote_round.id, choice_of[membership.id], clock.now()
            )
        decision = decisions.close_round(session, chair, vote_round, now=clock.now(), on=today)
        assert decision is not None
        return decision.id

    for i in range(public):
        choice = Choice.YES if i % 2 == 0 else Choice.NO
        votes = {m.id: choice for m in seated[:4]}
        votes[seated[2].id] = Choice.ABSTAIN
        record.public.append(decide(playground, f"Bankjes in het park {i + 1}", votes))
    record.confidential = decide(
        staff_sub, "Benoeming van de buurtconciërge", {m.id: Choice.YES for m in seated[:4]}
    )
    session.commit()
    return record
