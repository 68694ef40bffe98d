"""The record of tests/record_world.py with every kind of round the open data must carry, for
the tests of the exports and of ``flask verify outcomes``.

Besides what ``build_record`` makes (a formality, ``public`` named decisions, a confidential
one), on the public item 2 of the same meeting:

- ``residents_fail``: more yes than no overall, but not among the residents: rejected;
- ``show_of_hands``: an analog round, counts entered per group: adopted;
- ``invalid``: only one of four present votes: nothing decided;
- ``tied``: a tie (a councillor is absent): postponed, then a second tie: rejected;
- ``past``: that many former residents whose seats ended before the meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.orm import Session

from tests.record_world import ADMIN, Record, actor_of, build_record
from wijkraad import clock
from wijkraad.councils import services as council_services
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import Seat
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import MotionStatus, Requirement
from wijkraad.voting import casting, decisions
from wijkraad.voting import services as voting
from wijkraad.voting.models import Decision, VoteRound
from wijkraad.voting.rules import Choice, GroupCounts, RoundMode, Tally

YES, NO, ABSTAIN = Choice.YES, Choice.NO, Choice.ABSTAIN


@dataclass
class OpenDataRecord:
    record: Record
    motions: dict[str, int] = field(default_factory=dict)  # kind -> motion id
    decisions: dict[str, int] = field(default_factory=dict)  # kind -> decision id


def build_open_data_record(
    session: Session,
    *,
    slug: str = "oost",
    code: str = "OST",
    public_names: bool = True,
    public: int = 2,
    past: int = 0,
) -> OpenDataRecord:
    record = build_record(session, slug=slug, code=code, public_names=public_names, public=public)
    world = OpenDataRecord(record)
    today = clock.today()
    council = session.get(Council, record.council_id)
    assert council is not None
    for n in range(past):
        start = today - timedelta(days=800 + 10 * n)
        council_services.appoint_member(
            session,
            ADMIN,
            council,
            name=f"Oud-bewoner {n + 1}",
            email=f"oud{n + 1}.{slug}@example.org",
            seat=Seat.RESIDENT,
            starts_on=start,
            ends_on=start + timedelta(days=5),
        )
    seated = {name: session.get(Membership, mid) for name, mid in record.members.items()}
    anna, bram, carla, dirk = (
        seated["Anna de Voorzitter"],
        seated["Bram Bewoner"],
        seated["Carla Bewoner"],
        seated["Dirk Raadslid"],
    )
    chair = actor_of(anna)
    item = session.get(Motion, _any_public_motion(session, record)).agenda_item

    def motion(title: str, requirement: Requirement = Requirement.MAJORITY) -> Motion:
        return motions.submit_motion(
            session,
            chair,
            item,
            title=title,
            text=f"De wijkraad besluit: {title}.",
            requirement=requirement,
            on=today,
        )

    def named(subject: Motion, choices: dict[Membership, Choice]) -> int | None:
        vote_round = voting.open_round(
            session, chair, subject, mode=RoundMode.NAMED, now=clock.now(), on=today
        )
        for member, choice in choices.items():
            casting.cast_vote(session, actor_of(member), vote_round.id, choice, clock.now())
        decision = decisions.close_round(session, chair, vote_round, now=clock.now(), on=today)
        return decision.id if decision else None

    residents_fail = motion("Parkeren op het plein")
    world.motions["residents_fail"] = residents_fail.id
    world.decisions["residents_fail"] = named(
        residents_fail, {anna: YES, bram: NO, carla: ABSTAIN, dirk: YES}
    )

    hands = motion("Boom planten bij de school", Requirement.TWO_THIRDS)
    world.motions["show_of_hands"] = hands.id
    vote_round: VoteRound = voting.open_round(
        session, chair, hands, mode=RoundMode.ANALOG, now=clock.now(), on=today
    )
    voting.set_counts(
        session,
        chair,
        vote_round,
        Tally(residents=GroupCounts(3, 0, 0), councillors=GroupCounts(0, 1, 0)),
    )
    decision = decisions.close_round(session, chair, vote_round, now=clock.now(), on=today)
    assert decision is not None
    world.decisions["show_of_hands"] = decision.id

    invalid = motion("Straatfeest in juni")
    world.motions["invalid"] = invalid.id
    assert named(invalid, {anna: YES}) is None

    tied = motion("Hondenveldje")
    world.motions["tied"] = tied.id
    assert named(tied, {anna: YES, bram: NO, carla: YES, dirk: NO}) is None
    assert tied.status is MotionStatus.POSTPONED
    motions.move(session, chair, tied, MotionStatus.SCHEDULED)
    world.decisions["tied"] = named(tied, {anna: NO, bram: YES, carla: NO, dirk: YES})
    session.commit()
    return world


def _any_public_motion(session: Session, record: Record) -> int:
    decision = session.get(Decision, record.public[0])
    assert decision is not None
    return decision.motion_id
