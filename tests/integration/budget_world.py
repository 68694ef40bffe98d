"""A council with a budget, an open meeting and everyone present, driven through the API: what
the budget's tests start from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import bearer
from wijkraad import clock
from wijkraad.councils.rules import Role, Seat

YEAR = clock.today().year


@dataclass
class Room:
    slug: str
    chair: str
    secretary: str
    admin: str
    member: str = ""
    chair_email: str = ""
    secretary_email: str = ""
    voters: list[tuple[int, str]] = field(default_factory=list)  # (membership id, token)
    meeting_id: int = 0
    item_id: int = 0
    lines: dict[str, int] = field(default_factory=dict)  # code -> line id


def ok(response: Any, status: int) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


@pytest.fixture(name="room")
def room_fixture(app, make, client) -> Room:
    with app.app_context():
        council = make.council("oost", residents=11, councillors=6)
        chair = make.member(council, role=Role.CHAIR)
        secretary = make.member(council, role=Role.SECRETARY)
        out = Room(
            "oost",
            make.token(chair.person.user),
            make.token(secretary.person.user),
            make.token(make.user(admin=True)),
        )
        out.chair_email = chair.person.user.email
        out.secretary_email = secretary.person.user.email
        out.voters += [(chair.id, out.chair), (secretary.id, out.secretary)]
        for seat, n in ((Seat.RESIDENT, 7), (Seat.COUNCILLOR, 4)):
            for _ in range(n):
                m = make.member(council, seat=seat)
                out.voters.append((m.id, make.token(m.person.user)))
        out.member = out.voters[2][1]
    ok(
        client.post(
            f"/api/v1/councils/{out.slug}/budgets",
            json={"year": YEAR, "total_cents": 20_000_000},
            headers=bearer(out.admin),
        ),
        201,
    )
    for code, name, cents in (
        ("GROEN", "Groen en spelen", 8_000_000),
        ("SOC", "Ontmoeten", 5_000_000),
    ):
        out.lines[code] = ok(
            client.post(
                f"/api/v1/councils/{out.slug}/budgets/{YEAR}/lines",
                json={"code": code, "name": name, "allocated_cents": cents},
                headers=bearer(out.chair),
            ),
            201,
        )["id"]
    h = bearer(out.secretary)
    meeting = ok(
        client.post(
            f"/api/v1/councils/{out.slug}/meetings",
            json={
                "title": "Wijkraadvergadering",
                "starts_at": clock.now().isoformat(),
                "location": "Buurthuis",
            },
            headers=h,
        ),
        201,
    )
    out.meeting_id = meeting["id"]
    out.item_id = ok(
        client.post(
            f"/api/v1/meetings/{out.meeting_id}/agenda-items",
            json={"title": "Wijkbudget"},
            headers=h,
        ),
        201,
    )["id"]
    ok(client.post(f"/api/v1/meetings/{out.meeting_id}/publish", headers=h), 200)
    ok(
        client.put(
            f"/api/v1/meetings/{out.meeting_id}/attendance",
            json={"present": [m for m, _ in out.voters]},
            headers=h,
        ),
        200,
    )
    ok(client.post(f"/api/v1/meetings/{out.meeting_id}/open", headers=bearer(out.chair)), 200)
    return out


def motion(client, room: Room, cents: int | None, code: str | None = "GROEN", **extra) -> int:
    data: dict[str, Any] = {"title": "Speeltuin", "text": "De wijkraad besluit.", **extra}
    if cents is not None:
        data["amount_cents"] = cents
    if code is not None and cents is not None:
        data["budget_line_id"] = room.lines[code]
    return ok(
        client.post(
            f"/api/v1/agenda-items/{room.item_id}/motions", json=data, headers=bearer(room.chair)
        ),
        201,
    )["id"]


def open_round(client, room: Room, motion_id: int) -> Any:
    return client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={"mode": "named"}, headers=bearer(room.chair)
    )


def vote_all(client, room: Room, round_id: int, choice: str = "yes") -> None:
    for _, token in room.voters:
        ok(
            client.post(
                f"/api/v1/rounds/{round_id}/votes", json={"choice": choice}, headers=bearer(token)
            ),
            201,
        )


def adopt(client, room: Room, cents: int, code: str = "GROEN") -> dict[str, Any]:
    """A motion with money, voted for by all and closed: the round as the close answers it."""
    motion_id = motion(client, room, cents, code)
    round_id = ok(open_round(client, room, motion_id), 201)["id"]
    vote_all(client, room, round_id)
    return ok(client.post(f"/api/v1/rounds/{round_id}/close", headers=bearer(room.chair)), 200)


def budget(client, room: Room) -> dict[str, Any]:
    return ok(client.get(f"/api/v1/councils/{room.slug}/budgets/{YEAR}"), 200)


def line(client, room: Room, code: str = "GROEN") -> dict[str, Any]:
    return next(x for x in budget(client, room)["lines"] if x["code"] == code)
