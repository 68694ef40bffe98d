"""Presses on the attendance register at the same moment: a member's toggle while "Iedereen
aanwezig" is pressed, two toggles of the same member, apologies sent meanwhile. Each leaves one
line per member, every request answered, and an audit log whose last event per member is the
member's final presence. Started at once from threads (``together``), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Web, bearer, csrf_from
from tests.integration.attendance_world import (
    CHAIR,
    HTMX,
    MEMBER,
    SECRETARY,
    Room,
    build_room,
    text,
)
from tests.integration.test_races import ROUNDS, together
from wijkraad import clock
from wijkraad.audit import AuditEvent
from wijkraad.councils.models import Council
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Attendance


@pytest.fixture
def room(app, make) -> Room:
    return build_room(app, make)


ACTIONS = ("attendance.mark", "attendance.apologies", "attendance.apologies_withdrawn")


def new_meeting(room: Room, make) -> int:
    """Another published meeting with an empty register: the writes race to make its lines."""
    with room.app.app_context():
        meeting = meetings.create_meeting(
            db.session,
            make.admin_actor,
            db.session.get(Council, room.council_id),
            title="Vergadering",
            starts_at=clock.now() + timedelta(days=3),
            location="Zaal",
        )
        meetings.publish(db.session, make.admin_actor, meeting, clock.now())
        db.session.commit()
        return meeting.id


def press(web: Web, url: str, data: dict[str, str] | None = None) -> Callable[[Any], Any]:
    """A press on the page by a logged-in browser (its CSRF token fetched beforehand)."""
    token = csrf_from(text(web.get("/")))
    return lambda _client: web.client.post(
        url, data={**(data or {}), "csrf_token": token}, headers=HTMX
    )


def consistent(room: Room, meeting_id: int) -> dict[int, str]:
    """The register, checked: one line per seated member at most, and the last audit event of
    each member's line says what the line says. Answers the presences by membership id."""
    with room.app.app_context():
        rows = db.session.scalars(
            sa.select(Attendance).where(Attendance.meeting_id == meeting_id)
        ).all()
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.in_(ACTIONS)).order_by(AuditEvent.id)
        ).all()
    register = {r.membership_id: r.presence.value for r in rows}
    assert len(register) == len(rows), "two lines for one member"
    last: dict[int, str] = {}
    for event in events:
        if event.data.get("meeting_id") == meeting_id:
            last[event.data["membership_id"]] = event.data["presence"]
    assert last == register
    return register


def test_a_toggle_and_everyone_present_at_once(room, make):
    chair, secretary = room.browser(CHAIR), room.browser(SECRETARY)
    eva = room.members["Eva Mulder"]
    seen = set()
    for _ in range(ROUNDS):
        meeting_id = new_meeting(room, make)
        answers = together(
            room.app,
            [
                press(
                    secretary,
                    f"/vergaderingen/{meeting_id}/aanwezigheid/{eva}",
                    {"presence": "absent"},
                ),
                press(chair, f"/vergaderingen/{meeting_id}/iedereen-aanwezig"),
            ],
        )
        assert [a.status_code for a in answers] == [200, 200]
        assert all('id="register-status"' in text(a) for a in answers)
        register = consistent(room, meeting_id)
        assert len(register) == 17
        # Everyone else present; Eva as whichever came last left her.
        assert {m: p for m, p in register.items() if m != eva} == {
            m: "present" for m in room.members.values() if m != eva
        }
        assert register[eva] in ("present", "absent")
        seen.add(register[eva])
    assert seen  # at least one outcome, each of them consistent


def test_two_toggles_of_the_same_member_at_once(room, make):
    chair, secretary = room.browser(CHAIR), room.browser(SECRETARY)
    eva = room.members["Eva Mulder"]
    for _ in range(ROUNDS):
        meeting_id = new_meeting(room, make)
        url = f"/vergaderingen/{meeting_id}/aanwezigheid/{eva}"
        answers = together(
            room.app,
            [
                press(chair, url, {"presence": "present"}),
                press(secretary, url, {"presence": "absent"}),
            ],
        )
        assert [a.status_code for a in answers] == [200, 200]
        register = consistent(room, meeting_id)
        assert list(register) == [eva] and register[eva] in ("present", "absent")


def test_apologies_while_everyone_is_marked_present(room, make):
    chair = room.browser(CHAIR)
    chantal = room.members[MEMBER]
    for _ in range(ROUNDS):
        meeting_id = new_meeting(room, make)
        answers = together(
            room.app,
            [
                press(chair, f"/vergaderingen/{meeting_id}/iedereen-aanwezig"),
                lambda client, m=meeting_id: client.put(
                    f"/api/v1/meetings/{m}/apologies",
                    json={"reason": "Ziek"},
                    headers=bearer(room.tokens[MEMBER]),
                ),
            ],
        )
        assert [a.status_code for a in answers] == [200, 200]
        register = consistent(room, meeting_id)
        # Before or after everyone was marked present: her apologies stand either way.
        assert register[chantal] == "absent_with_notice"
        assert sum(1 for p in register.values() if p == "present") == 16


@pytest.mark.parametrize("presence", ["present", "absent"])
def test_the_api_register_and_a_toggle_at_once(room, make, presence):
    secretary = room.browser(SECRETARY)
    eva = room.members["Eva Mulder"]
    everyone = sorted(room.members.values())
    for _ in range(ROUNDS):
        meeting_id = new_meeting(room, make)
        answers = together(
            room.app,
            [
                lambda client, m=meeting_id: client.put(
                    f"/api/v1/meetings/{m}/attendance",
                    json={"present": everyone},
                    headers=bearer(room.tokens[CHAIR]),
                ),
                press(
                    secretary,
                    f"/vergaderingen/{meeting_id}/aanwezigheid/{eva}",
                    {"presence": presence},
                ),
            ],
        )
        assert [a.status_code for a in answers] == [200, 200]
        register = consistent(room, meeting_id)
        assert len(register) == 17
