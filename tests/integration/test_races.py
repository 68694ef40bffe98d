"""Races around a vote round: a vote acknowledged with 201 is counted, whatever else happens.

Each test starts its requests at the same moment from threads (one test client each, so one
request, session and database connection each, as separate workers would have) and then checks
that the database, the answers and the audit log agree exactly. They run on SQLite and on
PostgreSQL (see conftest). ``WIJKRAAD_RACE_ROUNDS`` raises the number of rounds per test (the
default keeps ``make test`` quick; run it with 200 to hunt for rare interleavings).
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from wijkraad.audit import AuditEvent
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db
from wijkraad.voting.models import Decision, Vote, VoteRound

ROUNDS = int(os.environ.get("WIJKRAAD_RACE_ROUNDS", "6"))
CHOICES = ("yes", "no", "abstain")


@dataclass
class Room:
    """A council of 25 residents and 15 councillors, all present at an open meeting."""

    slug: str
    chair: str
    secretary: str
    meeting_id: int = 0
    item_id: int = 0
    voters: list[tuple[int, Seat, str]] = field(default_factory=list)  # (membership, seat, token)


@pytest.fixture
def room(app, make, client) -> Room:
    with app.app_context():
        council = make.council("groot", residents=25, councillors=15)
        chair = make.member(council, role=Role.CHAIR)
        secretary = make.member(council, role=Role.SECRETARY)
        out = Room("groot", make.token(chair.person.user), make.token(secretary.person.user))
        out.voters += [
            (chair.id, Seat.RESIDENT, out.chair),
            (secretary.id, Seat.RESIDENT, out.secretary),
        ]
        for seat, n in ((Seat.RESIDENT, 23), (Seat.COUNCILLOR, 15)):
            for _ in range(n):
                m = make.member(council, seat=seat)
                out.voters.append((m.id, seat, make.token(m.person.user)))
    out.meeting_id, out.item_id = open_meeting(client, out)
    return out


def ok(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def open_meeting(client, room: Room, *, open_it: bool = True) -> tuple[int, int]:
    h = bearer(room.secretary)
    meeting = ok(
        client.post(
            f"/api/v1/councils/{room.slug}/meetings",
            json={
                "title": "Vergadering",
                "starts_at": "2026-12-01T19:30:00+01:00",
                "location": "Zaal",
            },
            headers=h,
        ),
        201,
    )
    item = ok(
        client.post(
            f"/api/v1/meetings/{meeting['id']}/agenda-items", json={"title": "Punt"}, headers=h
        ),
        201,
    )
    ok(client.post(f"/api/v1/meetings/{meeting['id']}/publish", headers=h), 200)
    ok(
        client.put(
            f"/api/v1/meetings/{meeting['id']}/attendance",
            json={"present": [m for m, _, _ in room.voters]},
            headers=h,
        ),
        200,
    )
    if open_it:
        ok(client.post(f"/api/v1/meetings/{meeting['id']}/open", headers=bearer(room.chair)), 200)
    return meeting["id"], item["id"]


def new_motion(client, room: Room, item_id: int | None = None) -> int:
    return ok(
        client.post(
            f"/api/v1/agenda-items/{item_id or room.item_id}/motions",
            json={"title": "Voorstel", "text": "De wijkraad besluit."},
            headers=bearer(room.chair),
        ),
        201,
    )["id"]


def open_round(client, room: Room, motion_id: int) -> int:
    return ok(
        client.post(f"/api/v1/motions/{motion_id}/rounds", json={}, headers=bearer(room.chair)),
        201,
    )["id"]


def post(url: str, token: str, body: dict[str, Any] | None = None) -> Callable[[Any], Any]:
    """A request to start later with some client."""
    return lambda client: client.post(url, json=body, headers=bearer(token))


def together(app, calls: list[Callable[[Any], Any]]) -> list[Any]:
    """Runs every call at the same moment, each with its own client; returns the responses."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[Any], Any]) -> None:
        client = app.test_client()
        barrier.wait(timeout=60)
        results[index] = call(client)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(r is not None for r in results), "a request did not finish"
    return results


def audit_count(action: str, **data: int) -> int:
    rows = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()
    return sum(1 for r in rows if all(r.data.get(k) == v for k, v in data.items()))


def test_every_acknowledged_vote_is_counted_when_the_chair_closes_meanwhile(app, client, room):
    """40 members vote while the chair closes: the 201s are exactly the counted votes."""
    counted = refused = 0
    for n in range(ROUNDS):
        motion_id = new_motion(client, room)
        round_id = open_round(client, room, motion_id)
        ballots = [
            (m, seat, token, CHOICES[(i + n) % 3]) for i, (m, seat, token) in enumerate(room.voters)
        ]
        calls = [
            post(f"/api/v1/rounds/{round_id}/votes", token, {"choice": choice})
            for _, _, token, choice in ballots
        ]
        # The close goes in the middle of the pack, so that votes start before and after it.
        calls.insert(len(calls) // 2, post(f"/api/v1/rounds/{round_id}/close", room.chair))
        responses = together(app, calls)
        close = responses.pop(len(calls) // 2)
        assert close.status_code == 200, close.get_json()

        acknowledged: Counter[tuple[str, str]] = Counter()
        acknowledged_ids = set()
        for (member_id, seat, _, choice), response in zip(ballots, responses, strict=True):
            if response.status_code == 201:
                acknowledged[(seat.value, choice)] += 1
                acknowledged_ids.add(member_id)
            else:
                # Refused only because the round had closed; nothing else may go wrong.
                assert response.status_code == 409, response.get_json()
                assert response.get_json()["code"] == "round-closed"
                refused += 1

        with app.app_context():
            stored = db.session.scalars(sa.select(Vote).where(Vote.round_id == round_id)).all()
            assert {v.membership_id for v in stored} == acknowledged_ids
            assert audit_count("vote.cast", round_id=round_id) == len(acknowledged_ids)

        public = ok(client.get(f"/api/v1/rounds/{round_id}"), 200)
        closed = close.get_json()
        for shown in (public, closed):
            assert shown["status"] == "closed"
            for group, seat in (("residents", "resident"), ("councillors", "councillor")):
                assert shown["groups"][group] == {c: acknowledged[(seat, c)] for c in CHOICES}
            assert sum(shown["counts"].values()) == len(acknowledged_ids)
        with app.app_context():
            vote_round = db.session.get(VoteRound, round_id)
            assert vote_round.snapshot.votes is not None
            assert set(vote_round.snapshot.votes) == acknowledged_ids
            assert audit_count("round.close") == n + 1
        counted += len(acknowledged_ids)
    # Seen with -s: how the votes fell on either side of the close over all rounds.
    print(f"\n{ROUNDS} rounds: {counted} votes counted, {refused} refused after the close")


def test_closes_of_one_round_at_once_decide_once(app, client, room):
    for n in range(ROUNDS):
        motion_id = new_motion(client, room)
        round_id = open_round(client, room, motion_id)
        if n % 2 == 0:  # adopted with votes; otherwise no votes at all: invalid
            for _, _, token in room.voters[:30]:
                ok(
                    client.post(
                        f"/api/v1/rounds/{round_id}/votes",
                        json={"choice": "yes"},
                        headers=bearer(token),
                    ),
                    201,
                )
        responses = together(
            app,
            [post(f"/api/v1/rounds/{round_id}/close", room.chair)] * 3,
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 409, 409], [r.get_json() for r in responses]
        assert all(
            r.get_json()["code"] == "round-closed" for r in responses if r.status_code == 409
        )
        with app.app_context():
            decisions = db.session.scalars(
                sa.select(Decision).where(Decision.motion_id == motion_id)
            ).all()
            assert len(decisions) == (1 if n % 2 == 0 else 0)
            closes = db.session.scalars(
                sa.select(AuditEvent).where(
                    AuditEvent.action == "round.close", AuditEvent.subject_id == round_id
                )
            ).all()
            assert len(closes) == 1


def test_rounds_of_one_council_closing_at_once_get_distinct_identifiers(app, client, room):
    for _ in range(ROUNDS):
        rounds = []
        for _ in range(3):
            motion_id = new_motion(client, room)
            round_id = open_round(client, room, motion_id)
            for _, _, token in room.voters[:30]:
                ok(
                    client.post(
                        f"/api/v1/rounds/{round_id}/votes",
                        json={"choice": "yes"},
                        headers=bearer(token),
                    ),
                    201,
                )
            rounds.append(round_id)
        responses = together(
            app,
            [post(f"/api/v1/rounds/{r}/close", room.chair) for r in rounds],
        )
        assert [r.status_code for r in responses] == [200] * 3, [r.get_json() for r in responses]
        assert len({r.get_json()["decision"]["identifier"] for r in responses}) == 3
    with app.app_context():
        numbers = sorted(db.session.scalars(sa.select(Decision.number)))
    assert numbers == list(range(1, 3 * ROUNDS + 1))


def test_a_round_never_stays_open_in_a_closed_meeting(app, client, room):
    for _ in range(ROUNDS):
        meeting_id, item_id = open_meeting(client, room)
        motion_id = new_motion(client, room, item_id)
        opened, closed = together(
            app,
            [
                post(f"/api/v1/motions/{motion_id}/rounds", room.chair, {}),
                post(f"/api/v1/meetings/{meeting_id}/close", room.chair),
            ],
        )
        assert (opened.status_code, closed.status_code) in ((201, 409), (409, 200)), (
            opened.get_json(),
            closed.get_json(),
        )
        with app.app_context():
            still_open = db.session.scalars(
                sa.select(VoteRound.id).where(
                    VoteRound.meeting_id == meeting_id, VoteRound.status == "open"
                )
            ).all()
        meeting = ok(client.get(f"/api/v1/meetings/{meeting_id}"), 200)
        if meeting["status"] == "closed":
            assert still_open == []
            assert closed.status_code == 200
        else:
            assert len(still_open) == 1
            # The round is real: a member votes, the chair closes it, then the meeting.
            ok(
                client.post(f"/api/v1/rounds/{still_open[0]}/close", headers=bearer(room.chair)),
                200,
            )
            ok(client.post(f"/api/v1/meetings/{meeting_id}/close", headers=bearer(room.chair)), 200)
