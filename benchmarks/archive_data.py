"""The archive benchmark's database: a council with ten thousand decisions over eight years.

One meeting is held through the real services (named votes, decisions closed as the app closes
them); the rest of the record is written in bulk beside it, in the same shape: closed meetings
of 25 decisions each, an agenda item per decision (one in fifty confidential), a motion, a vote
round (named with the votes of 16 members, by show of hands, or none for a formality) and the
decision with its identifier, text, explanation and commitments. The database's own triggers
index every decision for the search as it is inserted, as they do for the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

SLUG = "bench-archief"
CODE = "ARC"
BATCH = 1000
SUBJECTS = [
    "speeltuin", "bankjes", "fietspad", "verlichting", "moestuin", "buurtfeest", "bomen",
    "afvalbakken", "parkeerplaatsen", "geveltuinen", "speelplek", "buurthuis", "wijkkrant",
    "kunstwerk", "zebrapad",
]  # fmt: skip
PLACES = [
    "Oosterpark", "Helperzoom", "Zaagmuldersweg", "Damsterdiep", "Oosterhamrikkade",
    "Petrus Campersingel", "Gorechtkade", "Florakade", "Vinkenstraat",
]  # fmt: skip
VERBS = ["vernieuwen", "aanleggen", "onderhouden", "verplaatsen", "uitbreiden", "onderzoeken"]
OUTCOMES = ["adopted"] * 12 + ["rejected"] * 6 + ["postponed", "invalid"]


@dataclass(frozen=True)
class Built:
    slug: str
    decisions: int
    public_identifier: str  # a public decision with a named vote, for the decision page
    years: tuple[int, ...]
    seconds: float = 0.0


def _words(n: int) -> tuple[str, str, str]:
    return SUBJECTS[n % len(SUBJECTS)], PLACES[(n // 7) % len(PLACES)], VERBS[(n // 3) % len(VERBS)]


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


def build(app: Flask, decisions: int, per_meeting: int = 25, log: Any = print) -> Built:
    """Migrates an empty database and fills it: ``decisions`` decisions in all."""
    from flask_migrate import upgrade

    from benchmarks.pdf import _decide_meeting
    from wijkraad import clock
    from wijkraad.auth.actor import Actor
    from wijkraad.councils import services as council_services
    from wijkraad.councils.rules import DecisionRule, Role, Seat
    from wijkraad.extensions import db
    from wijkraad.meetings.models import AgendaItem, Meeting
    from wijkraad.motions.models import Motion
    from wijkraad.voting.models import Decision, Vote, VoteRound

    started = datetime.now(UTC)
    admin = Actor(user_id=None, is_admin=True)
    with app.app_context():
        upgrade()
        session = db.session
        council = council_services.create_council(
            session,
            admin,
            SLUG,
            council_services.CouncilData(
                name="Wijkraad Archief",
                municipality="Groningen",
                resident_seats=11,
                councillor_seats=6,
                decision_rule=DecisionRule.COOPERATIVE,
                publishes_resident_names=False,
                code=CODE,
            ),
        )
        for i in range(17):
            seat = Seat.RESIDENT if i < 11 else Seat.COUNCILLOR
            council_services.appoint_member(
                session,
                admin,
                council,
                name=f"Bewoner {i + 1}" if seat is Seat.RESIDENT else f"Raadslid {i - 10}",
                email=f"archief-{i}@bench.example.org",
                seat=seat,
                role=Role.CHAIR if i == 0 else Role.SECRETARY if i == 1 else Role.MEMBER,
                starts_on=clock.today(),
            )
        session.commit()
        # One meeting the app holds itself: its named rounds lend their snapshot to the rest.
        _decide_meeting(session, admin, council, 5, True, 1)
        template = session.scalars(sa.select(VoteRound).limit(1)).one()
        snapshot, entitled = template.snapshot, list(template.entitled)
        members = [
            (row.membership_id, row.seat)
            for row in session.execute(
                sa.select(Vote.membership_id, Vote.seat).where(Vote.round_id == template.id)
            )
        ]
        made = session.scalar(sa.select(sa.func.count(Decision.id))) or 0
        todo = decisions - made
        log(f"    {made} decisions through the services; {todo} more in bulk ...")

        this_year = clock.today().year
        years = list(range(this_year - 7, this_year + 1))
        meetings_count = -(-todo // per_meeting)
        meeting_rows = []
        for m in range(meetings_count):
            year = years[m * len(years) // meetings_count]
            day = datetime(year, 1, 10, tzinfo=UTC) + timedelta(
                days=(m * 7) % 340, hours=18, minutes=30
            )
            meeting_rows.append(
                {
                    "council_id": council.id,
                    "title": f"Wijkraadvergadering {m + 1}",
                    "starts_at": day,
                    "location": "Buurthuis De Oosterpoort",
                    "status": "closed",
                    "published_at": day - timedelta(days=7),
                    "opened_at": day,
                    "closed_at": day + timedelta(hours=2),
                    "created_at": day - timedelta(days=14),
                }
            )
        first_meeting = (session.scalar(sa.select(sa.func.max(Meeting.id))) or 0) + 1
        for chunk in _chunks(meeting_rows):
            session.execute(sa.insert(Meeting), chunk)
        meeting_ids = list(
            session.scalars(
                sa.select(Meeting.id).where(Meeting.id >= first_meeting).order_by(Meeting.id)
            )
        )
        starts = {m: r["starts_at"] for m, r in zip(meeting_ids, meeting_rows, strict=True)}

        items, motions, rounds, rows = [], [], [], []
        for n in range(todo):
            meeting_id = meeting_ids[n // per_meeting]
            starts_at = starts[meeting_id]
            subject, place, verb = _words(n)
            items.append(
                {
                    "meeting_id": meeting_id,
                    "position": n % per_meeting,
                    "title": f"{subject.capitalize()} {place}",
                    "description": "",
                    "is_formality": n % 10 == 0,
                    "is_confidential": n % 50 == 7,
                    "created_at": starts_at,
                }
            )
            rows.append((n, meeting_id, starts_at, subject, place, verb))
        first_item = _insert(session, AgendaItem, items)
        for n, _meeting, starts_at, subject, place, verb in rows:
            outcome = "adopted" if n % 10 == 0 else OUTCOMES[n % len(OUTCOMES)]
            motions.append(
                {
                    "agenda_item_id": first_item + n,
                    "title": f"{subject.capitalize()} {place} {verb}",
                    "text": f"De wijkraad besluit de {subject} bij {place} te {verb}.",
                    "status": "adopted" if outcome == "adopted" else "rejected",
                    "requirement": "majority",
                    "amount_cents": 250_000 + 1_000 * (n % 37) if n % 4 == 0 else None,
                    "budget_line_id": 1 + (n // 4) % 12 if n % 4 == 0 else None,
                    "vote_requested": False,
                    "ties": 0,
                    "created_at": starts_at,
                }
            )
        first_motion = _insert(session, Motion, motions)
        for n, meeting_id, starts_at, *_ in rows:
            if n % 10 == 0:
                continue  # a formality: no round
            named = n % 2 == 1
            yes, no = 9 + n % 5, 4 - n % 3
            rounds.append(
                {
                    "motion_id": first_motion + n,
                    "meeting_id": meeting_id,
                    "council_id": council.id,
                    "is_confidential": False,
                    "mode": "named" if named else "analog",
                    "status": "closed",
                    "opened_at": starts_at,
                    "closed_at": starts_at + timedelta(minutes=5),
                    "outcome": OUTCOMES[n % len(OUTCOMES)],
                    "residents_yes": yes - 3,
                    "residents_no": no,
                    "residents_abstain": 1,
                    "councillors_yes": 3,
                    "councillors_no": 1,
                    "councillors_abstain": 0,
                    "entitled": entitled,
                    "snapshot": snapshot,
                    "_n": n,
                }
            )
        first_round = _insert(
            session, VoteRound, [{k: v for k, v in r.items() if k != "_n"} for r in rounds]
        )
        round_of = {r["_n"]: first_round + k for k, r in enumerate(rounds)}
        votes = [
            {
                "round_id": round_of[n],
                "membership_id": membership_id,
                "seat": seat,
                "choice": ("yes", "yes", "no", "abstain")[(n + j) % 4],
                "cast_at": starts_at + timedelta(minutes=1),
            }
            for n, _m, starts_at, *_ in rows
            if n in round_of and n % 2 == 1
            for j, (membership_id, seat) in enumerate(members[:16])
        ]
        for chunk in _chunks(votes):
            session.execute(sa.insert(Vote), chunk)
        # The numbers of this year go on after the meeting held through the services.
        counters: dict[int, int] = {this_year: made}
        decision_rows = []
        for n, meeting_id, starts_at, subject, place, verb in rows:
            year = starts_at.year
            counters[year] = number = counters.get(year, 0) + 1
            outcome = "adopted" if n % 10 == 0 else OUTCOMES[n % len(OUTCOMES)]
            decision_rows.append(
                {
                    "council_id": council.id,
                    "motion_id": first_motion + n,
                    "round_id": round_of.get(n),
                    "meeting_id": meeting_id,
                    "identifier": f"{CODE}-{year}-{number:03d}",
                    "year": year,
                    "number": number,
                    "outcome": outcome,
                    "text": f"De wijkraad besluit de {subject} bij {place} te {verb}.",
                    "explanation": (
                        f"Bewoners van de {place} vroegen de wijkraad om de {subject} te {verb}. "
                        "De gemeente voert het werk uit en meldt de voortgang in de wijkkrant."
                    ),
                    "commitments": "De wethouder zegt toe de planning na de zomer te sturen."
                    if n % 3 == 0
                    else "",
                    "decided_on": starts_at.date(),
                    "created_at": starts_at + timedelta(minutes=6),
                }
            )
        for chunk in _chunks(decision_rows):
            session.execute(sa.insert(Decision), chunk)
        session.commit()
        total = session.scalar(sa.select(sa.func.count(Decision.id))) or 0
        public = session.scalar(
            sa.select(Decision.identifier)
            .join(VoteRound, VoteRound.id == Decision.round_id)
            .where(VoteRound.mode == "named")
            .order_by(Decision.id.desc())
            .limit(1)
        )
        db.session.remove()
        db.engine.dispose()
    seconds = (datetime.now(UTC) - started).total_seconds()
    return Built(SLUG, total, str(public), tuple(years), round(seconds, 1))


def _insert(session: Any, model: Any, rows: list[dict[str, Any]]) -> int:
    """Inserts ``rows`` (ids from the database, one after another in one transaction on an
    otherwise idle database) and returns the first id."""
    before = session.scalar(sa.select(sa.func.max(model.id))) or 0
    for chunk in _chunks(rows):
        session.execute(sa.insert(model), chunk)
    first, last, count = session.execute(
        sa.select(sa.func.min(model.id), sa.func.max(model.id), sa.func.count(model.id)).where(
            model.id > before
        )
    ).one()
    if count != len(rows) or (rows and last - first + 1 != count):
        raise RuntimeError(f"{model.__tablename__}: the new ids are not one run")
    return int(first or before + 1)
