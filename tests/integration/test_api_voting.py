"""Meetings and voting through the API (API.md "Meetings and voting"), refusals included."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.conftest import bearer
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db
from wijkraad.motions.models import MotionVersion


@dataclass
class Council:
    slug: str
    chair: str
    secretary: str
    secretary_email: str = ""
    residents: list[tuple[int, str]] = field(default_factory=list)  # (membership id, token)
    councillors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def everyone(self) -> list[tuple[int, str]]:
        return self.residents + self.councillors


@pytest.fixture
def council(app, make) -> Council:
    with app.app_context():
        """Oosterpark: 11 resident seats and 6 councillor seats, all filled; chair and secretary residents."""
        c = make.council("oost", residents=11, councillors=6)
        chair = make.member(c, role=Role.CHAIR)
        secretary = make.member(c, role=Role.SECRETARY)
        out = Council(
            "oost",
            make.token(chair.person.user),
            make.token(secretary.person.user),
            secretary.person.user.email,
        )
        out.residents += [(chair.id, out.chair), (secretary.id, out.secretary)]
        for _ in range(9):
            m = make.member(c)
            out.residents.append((m.id, make.token(m.person.user)))
        for _ in range(6):
            m = make.member(c, seat=Seat.COUNCILLOR)
            out.councillors.append((m.id, make.token(m.person.user)))
        return out


def meeting_with_motion(
    client, c: Council, *, present: list[int] | None = None, requirement="majority"
):
    h = bearer(c.secretary)
    r = client.post(
        f"/api/v1/councils/{c.slug}/meetings",
        json={
            "title": "Wijkraadvergadering",
            "starts_at": "2026-12-01T19:30:00+01:00",
            "location": "Buurthuis",
        },
        headers=h,
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["status"] == "draft"
    meeting_id = r.get_json()["id"]
    r = client.post(
        f"/api/v1/meetings/{meeting_id}/agenda-items", json={"title": "Speeltuin"}, headers=h
    )
    assert r.status_code == 201 and r.get_json()["number"] == "1"
    item_id = r.get_json()["id"]
    assert client.post(f"/api/v1/meetings/{meeting_id}/publish", headers=h).status_code == 200
    ids = present if present is not None else [m for m, _ in c.everyone]
    r = client.put(f"/api/v1/meetings/{meeting_id}/attendance", json={"present": ids}, headers=h)
    assert r.status_code == 200, r.get_json()
    r = client.post(
        f"/api/v1/agenda-items/{item_id}/motions",
        json={
            "title": "Nieuwe speeltuin",
            "text": "De wijkraad besluit een speeltuin aan te leggen.",
            "requirement": requirement,
        },
        headers=bearer(c.chair),
    )
    assert r.status_code == 201, r.get_json()
    return meeting_id, item_id, r.get_json()["id"]


def vote_all(client, round_id: int, voters: list[tuple[int, str]], choice: str) -> None:
    for _, token in voters:
        r = client.post(
            f"/api/v1/rounds/{round_id}/votes", json={"choice": choice}, headers=bearer(token)
        )
        assert r.status_code == 201, r.get_json()


def test_full_meeting_adopts_with_double_majority(client, council):
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    h = bearer(council.chair)
    assert client.post(f"/api/v1/meetings/{meeting_id}/open", headers=h).status_code == 200
    r = client.post(f"/api/v1/motions/{motion_id}/rounds", json={}, headers=h)
    assert r.status_code == 201, r.get_json()
    round_id = r.get_json()["id"]
    assert r.get_json()["status"] == "open" and r.get_json()["mode"] == "named"
    vote_all(client, round_id, council.residents[:7], "yes")
    vote_all(client, round_id, council.residents[7:], "no")
    vote_all(client, round_id, council.councillors, "abstain")
    live = client.get(f"/api/v1/rounds/{round_id}").get_json()
    assert live["counts"] == {"yes": 7, "no": 4, "abstain": 6}
    assert live["groups"]["residents"] == {"yes": 7, "no": 4, "abstain": 0}
    r = client.post(f"/api/v1/rounds/{round_id}/close", headers=h)
    assert r.status_code == 200
    closed = r.get_json()
    assert closed["outcome"] == "adopted"
    assert closed["decision"]["identifier"] == "OOS-2026-001"
    motion = client.get(f"/api/v1/motions/{motion_id}").get_json()
    assert motion["status"] == "adopted" and motion["decision"]["identifier"] == "OOS-2026-001"
    assert client.post(f"/api/v1/meetings/{meeting_id}/close", headers=h).status_code == 200


def test_vote_refusals(app, client, council, make):
    meeting_id, item_id, motion_id = meeting_with_motion(client, council)
    h = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=h)
    _, member_token = council.residents[3]
    recused_id, recused_token = council.residents[4]
    assert (
        client.post(
            f"/api/v1/agenda-items/{item_id}/recusals",
            json={"member_id": recused_id},
            headers=bearer(council.secretary),
        ).status_code
        == 201
    )
    round_id = client.post(f"/api/v1/motions/{motion_id}/rounds", json={}, headers=h).get_json()[
        "id"
    ]
    r = client.post(f"/api/v1/motions/{motion_id}/rounds", json={}, headers=h)
    assert r.status_code == 409 and r.get_json()["code"] == "round-already-open"
    assert (
        client.post(
            f"/api/v1/rounds/{round_id}/votes", json={"choice": "yes"}, headers=bearer(member_token)
        ).status_code
        == 201
    )
    r = client.post(
        f"/api/v1/rounds/{round_id}/votes", json={"choice": "no"}, headers=bearer(member_token)
    )
    assert r.status_code == 409 and r.get_json()["code"] == "already-voted"
    r = client.post(
        f"/api/v1/rounds/{round_id}/votes", json={"choice": "yes"}, headers=bearer(recused_token)
    )
    assert r.status_code == 403 and r.get_json()["code"] == "not-entitled"
    with app.app_context():
        outsider = make.token(make.user("buiten@example.org"))
    r = client.post(
        f"/api/v1/rounds/{round_id}/votes", json={"choice": "yes"}, headers=bearer(outsider)
    )
    assert r.status_code == 403 and r.get_json()["code"] == "not-entitled"
    r = client.post(
        f"/api/v1/rounds/{round_id}/votes",
        json={"choice": "misschien"},
        headers=bearer(council.residents[5][1]),
    )
    assert r.status_code == 422
    r = client.post(f"/api/v1/rounds/{round_id}/close", headers=bearer(member_token))
    assert r.status_code == 403
    client.post(f"/api/v1/rounds/{round_id}/close", headers=h)
    r = client.post(
        f"/api/v1/rounds/{round_id}/votes",
        json={"choice": "yes"},
        headers=bearer(council.residents[6][1]),
    )
    assert r.status_code == 409 and r.get_json()["code"] == "round-closed"


def test_no_quorum_and_follow_up(client, council):
    few = [m for m, _ in council.everyone[:8]]  # 8 of 17: no quorum
    meeting_id, _, motion_id = meeting_with_motion(client, council, present=few)
    r = client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(council.chair))
    assert r.status_code == 409 and r.get_json()["code"] == "no-quorum"
    r = client.post(f"/api/v1/motions/{motion_id}/rounds", json={}, headers=bearer(council.chair))
    assert r.status_code == 409 and r.get_json()["code"] == "meeting-not-open"
    too_soon = client.post(
        "/api/v1/councils/oost/meetings",
        json={
            "title": "Vervolg",
            "starts_at": "2026-12-01T20:30:00+01:00",
            "location": "Buurthuis",
            "follow_up_of": meeting_id,
        },
        headers=bearer(council.secretary),
    )
    assert too_soon.status_code == 422
    r = client.post(
        "/api/v1/councils/oost/meetings",
        json={
            "title": "Vervolg",
            "starts_at": "2026-12-03T19:30:00+01:00",
            "location": "Buurthuis",
            "follow_up_of": meeting_id,
        },
        headers=bearer(council.secretary),
    )
    assert r.status_code == 201
    follow_up = r.get_json()["id"]
    agenda = client.get(
        f"/api/v1/meetings/{follow_up}", headers=bearer(council.secretary)
    ).get_json()["agenda"]
    assert [i["title"] for i in agenda] == ["Speeltuin"]
    assert agenda[0]["motions"][0]["id"] == motion_id
    client.post(f"/api/v1/meetings/{follow_up}/publish", headers=bearer(council.secretary))
    client.put(
        f"/api/v1/meetings/{follow_up}/attendance",
        json={"present": few[:3]},
        headers=bearer(council.secretary),
    )
    assert (
        client.post(f"/api/v1/meetings/{follow_up}/open", headers=bearer(council.chair)).status_code
        == 200
    )


def test_residents_outvoted_by_councillors_is_rejected(client, council):
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    h = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=h)
    round_id = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={"mode": "analog"}, headers=h
    ).get_json()["id"]
    counts = {
        "residents": {"yes": 5, "no": 6, "abstain": 0},
        "councillors": {"yes": 6, "no": 0, "abstain": 0},
    }
    r = client.put(f"/api/v1/rounds/{round_id}/counts", json=counts, headers=h)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["counts"] == {"yes": 11, "no": 6, "abstain": 0}
    closed = client.post(f"/api/v1/rounds/{round_id}/close", headers=h).get_json()
    assert closed["outcome"] == "rejected"
    assert closed["decision"]["identifier"].startswith("OOS-")


def test_tie_in_partial_meeting_postpones(client, council):
    present = [m for m, _ in council.residents[:10]] + [m for m, _ in council.councillors[:4]]
    meeting_id, _, motion_id = meeting_with_motion(client, council, present=present)
    h = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=h)
    round_id = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={"mode": "analog"}, headers=h
    ).get_json()["id"]
    counts = {
        "residents": {"yes": 5, "no": 5, "abstain": 0},
        "councillors": {"yes": 2, "no": 2, "abstain": 0},
    }
    client.put(f"/api/v1/rounds/{round_id}/counts", json=counts, headers=h)
    closed = client.post(f"/api/v1/rounds/{round_id}/close", headers=h).get_json()
    assert closed["outcome"] == "postponed" and closed["decision"] is None
    assert client.get(f"/api/v1/motions/{motion_id}").get_json()["status"] == "postponed"


def test_no_resident_majority_in_the_room(client, council):
    present = [m for m, _ in council.residents[:5]] + [m for m, _ in council.councillors]  # 5 vs 6
    meeting_id, _, motion_id = meeting_with_motion(client, council, present=present)
    h = bearer(council.chair)
    assert client.post(f"/api/v1/meetings/{meeting_id}/open", headers=h).status_code == 200
    r = client.post(f"/api/v1/motions/{motion_id}/rounds", json={}, headers=h)
    assert r.status_code == 409 and r.get_json()["code"] == "no-resident-majority"


def open_round(client, c: Council, motion_id: int, mode: str = "named") -> int:
    r = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={"mode": mode}, headers=bearer(c.chair)
    )
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def analog(client, c: Council, round_id: int, residents: tuple, councillors: tuple) -> dict:
    counts = {
        "residents": dict(zip(("yes", "no", "abstain"), residents, strict=True)),
        "councillors": dict(zip(("yes", "no", "abstain"), councillors, strict=True)),
    }
    r = client.put(f"/api/v1/rounds/{round_id}/counts", json=counts, headers=bearer(c.chair))
    assert r.status_code == 200, r.get_json()
    return client.post(f"/api/v1/rounds/{round_id}/close", headers=bearer(c.chair)).get_json()


def test_early_departure_counts_from_that_moment(client, council):
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(council.chair))
    round_id = open_round(client, council, motion_id)
    leaving_id, leaving_token = council.residents[5]
    present = [m for m, _ in council.everyone if m != leaving_id]
    r = client.put(
        f"/api/v1/meetings/{meeting_id}/attendance",
        json={"present": present},
        headers=bearer(council.secretary),
    )
    assert r.status_code == 200 and r.get_json()["present"] == 16
    r = client.post(
        f"/api/v1/rounds/{round_id}/votes", json={"choice": "yes"}, headers=bearer(leaving_token)
    )
    assert r.status_code == 403 and r.get_json()["code"] == "not-entitled"


def test_adopted_amendment_changes_the_motion_and_keeps_the_old_text(app, client, council):
    meeting_id, item_id, motion_id = meeting_with_motion(client, council)
    h = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=h)
    r = client.post(
        f"/api/v1/agenda-items/{item_id}/motions",
        json={
            "title": "Amendement A",
            "text": "De wijkraad besluit twee speeltuinen aan te leggen.",
            "amends_id": motion_id,
        },
        headers=bearer(council.residents[4][1]),
    )
    assert r.status_code == 201
    amendment_id = r.get_json()["id"]
    # Amendments are voted before the motion.
    r = client.post(f"/api/v1/motions/{motion_id}/rounds", json={}, headers=h)
    assert r.status_code == 409 and r.get_json()["code"] == "amendments-first"
    closed = analog(
        client, council, open_round(client, council, amendment_id, "analog"), (8, 3, 0), (2, 4, 0)
    )
    assert closed["outcome"] == "adopted"
    motion = client.get(f"/api/v1/motions/{motion_id}").get_json()
    assert motion["text"] == "De wijkraad besluit twee speeltuinen aan te leggen."
    with app.app_context():
        versions = db.session.query(MotionVersion).filter_by(motion_id=motion_id).all()
        assert [v.text for v in versions] == ["De wijkraad besluit een speeltuin aan te leggen."]
    closed = analog(
        client, council, open_round(client, council, motion_id, "analog"), (9, 2, 0), (3, 3, 0)
    )
    assert closed["outcome"] == "adopted"


def test_formality_passes_without_vote_unless_a_member_asks(client, council):
    h = bearer(council.secretary)
    meeting_id = client.post(
        "/api/v1/councils/oost/meetings",
        json={
            "title": "Vergadering",
            "starts_at": "2026-12-01T19:30:00+01:00",
            "location": "Buurthuis",
        },
        headers=h,
    ).get_json()["id"]
    items = [
        client.post(
            f"/api/v1/meetings/{meeting_id}/agenda-items",
            json={"title": t, "is_formality": True},
            headers=h,
        ).get_json()["id"]
        for t in ("Verslag vorige vergadering", "Ingekomen stukken")
    ]
    client.post(f"/api/v1/meetings/{meeting_id}/publish", headers=h)
    client.put(
        f"/api/v1/meetings/{meeting_id}/attendance",
        json={"present": [m for m, _ in council.everyone]},
        headers=h,
    )
    chair = bearer(council.chair)
    motions = [
        client.post(
            f"/api/v1/agenda-items/{i}/motions",
            json={"title": "Vaststellen", "text": "Vastgesteld."},
            headers=chair,
        ).get_json()["id"]
        for i in items
    ]
    r = client.post(f"/api/v1/motions/{motions[0]}/adopt-formality", headers=chair)
    assert r.status_code == 409 and r.get_json()["code"] == "meeting-not-open"
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=chair)
    r = client.post(
        f"/api/v1/motions/{motions[0]}/adopt-formality", headers=bearer(council.residents[3][1])
    )
    assert r.status_code == 403
    r = client.post(f"/api/v1/motions/{motions[0]}/adopt-formality", headers=chair)
    assert r.status_code == 200
    assert (
        r.get_json()["status"] == "adopted"
        and r.get_json()["decision"]["identifier"] == "OOS-2026-001"
    )
    assert r.get_json()["rounds"] == []
    assert (
        client.post(
            f"/api/v1/motions/{motions[1]}/request-vote", headers=bearer(council.councillors[0][1])
        ).status_code
        == 200
    )
    r = client.post(f"/api/v1/motions/{motions[1]}/adopt-formality", headers=chair)
    assert r.status_code == 409 and r.get_json()["code"] == "vote-requested"
    assert (
        analog(
            client, council, open_round(client, council, motions[1], "analog"), (9, 0, 0), (5, 0, 0)
        )["outcome"]
        == "adopted"
    )


def test_second_tie_on_a_later_meeting_rejects(client, council):
    present = [m for m, _ in council.residents[:10]] + [m for m, _ in council.councillors[:4]]
    meeting_id, _, motion_id = meeting_with_motion(client, council, present=present)
    h = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=h)
    assert (
        analog(
            client, council, open_round(client, council, motion_id, "analog"), (5, 5, 0), (2, 2, 0)
        )["outcome"]
        == "postponed"
    )
    s = bearer(council.secretary)
    later = client.post(
        "/api/v1/councils/oost/meetings",
        json={
            "title": "Volgende",
            "starts_at": "2026-12-15T19:30:00+01:00",
            "location": "Buurthuis",
        },
        headers=s,
    ).get_json()["id"]
    item = client.post(
        f"/api/v1/meetings/{later}/agenda-items",
        json={"title": "Speeltuin (aangehouden)"},
        headers=s,
    ).get_json()["id"]
    r = client.post(
        f"/api/v1/motions/{motion_id}/schedule",
        json={"agenda_item_id": item},
        headers=bearer(council.residents[3][1]),
    )
    assert r.status_code == 403
    r = client.post(
        f"/api/v1/motions/{motion_id}/schedule", json={"agenda_item_id": item}, headers=s
    )
    assert r.status_code == 200 and r.get_json()["status"] == "scheduled"
    client.post(f"/api/v1/meetings/{later}/publish", headers=s)
    client.put(f"/api/v1/meetings/{later}/attendance", json={"present": present}, headers=s)
    client.post(f"/api/v1/meetings/{later}/open", headers=h)
    closed = analog(
        client, council, open_round(client, council, motion_id, "analog"), (6, 4, 0), (0, 2, 0)
    )
    assert closed["outcome"] == "rejected" and closed["reason"] == "second-tie"
    assert closed["decision"] is not None


def test_schedule_refuses_an_earlier_meeting(client, council):
    present = [m for m, _ in council.residents[:10]] + [m for m, _ in council.councillors[:4]]
    meeting_id, _, motion_id = meeting_with_motion(client, council, present=present)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(council.chair))
    analog(client, council, open_round(client, council, motion_id, "analog"), (5, 5, 0), (2, 2, 0))
    s = bearer(council.secretary)
    earlier = client.post(
        "/api/v1/councils/oost/meetings",
        json={"title": "Eerder", "starts_at": "2026-11-01T19:30:00+01:00", "location": "Buurthuis"},
        headers=s,
    ).get_json()["id"]
    item = client.post(
        f"/api/v1/meetings/{earlier}/agenda-items", json={"title": "X"}, headers=s
    ).get_json()["id"]
    r = client.post(
        f"/api/v1/motions/{motion_id}/schedule", json={"agenda_item_id": item}, headers=s
    )
    assert r.status_code == 422 and r.get_json()["code"] == "not-a-later-meeting"


def test_two_thirds_majority(client, council):
    meeting_id, _, motion_id = meeting_with_motion(client, council, requirement="two_thirds")
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(council.chair))
    # 10 of 16 yes is under two thirds overall: rejected.
    closed = analog(
        client, council, open_round(client, council, motion_id, "analog"), (8, 3, 0), (2, 3, 0)
    )
    assert closed["outcome"] == "rejected"


def test_analog_counts_cannot_exceed_the_entitled(client, council):
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(council.chair))
    round_id = open_round(client, council, motion_id, "analog")
    counts = {
        "residents": {"yes": 12, "no": 0, "abstain": 0},
        "councillors": {"yes": 0, "no": 0, "abstain": 0},
    }
    r = client.put(f"/api/v1/rounds/{round_id}/counts", json=counts, headers=bearer(council.chair))
    assert r.status_code == 422 and r.get_json()["code"] == "counts-exceed-entitled"
    r = client.post(
        f"/api/v1/rounds/{round_id}/votes",
        json={"choice": "yes"},
        headers=bearer(council.residents[3][1]),
    )
    assert r.status_code == 409 and r.get_json()["code"] == "round-is-analog"


def test_confidential_rounds_are_hidden_from_the_public(client, council):
    h = bearer(council.secretary)
    meeting_id = client.post(
        "/api/v1/councils/oost/meetings",
        json={"title": "V", "starts_at": "2026-12-01T19:30:00+01:00", "location": "B"},
        headers=h,
    ).get_json()["id"]
    item = client.post(
        f"/api/v1/meetings/{meeting_id}/agenda-items",
        json={"title": "Besloten", "is_confidential": True},
        headers=h,
    ).get_json()["id"]
    client.post(f"/api/v1/meetings/{meeting_id}/publish", headers=h)
    client.put(
        f"/api/v1/meetings/{meeting_id}/attendance",
        json={"present": [m for m, _ in council.everyone]},
        headers=h,
    )
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(council.chair))
    motion_id = client.post(
        f"/api/v1/agenda-items/{item}/motions",
        json={"title": "Geheim", "text": "T"},
        headers=bearer(council.chair),
    ).get_json()["id"]
    round_id = open_round(client, council, motion_id)
    assert client.get(f"/api/v1/meetings/{meeting_id}").get_json()["agenda"] == []
    assert client.get(f"/api/v1/motions/{motion_id}").status_code == 404
    assert client.get(f"/api/v1/rounds/{round_id}").status_code == 404
    assert (
        client.get(
            f"/api/v1/rounds/{round_id}", headers=bearer(council.residents[3][1])
        ).status_code
        == 200
    )


def test_postponed_motion_is_scheduled_on_a_later_meeting_through_the_page(client, council, web):
    """A tie in a partial meeting postpones; the secretary puts the motion on the next meeting."""
    present = [m for m, _ in council.residents[:10]] + [m for m, _ in council.councillors[:4]]
    meeting_id, _, motion_id = meeting_with_motion(client, council, present=present)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(council.chair))
    analog(client, council, open_round(client, council, motion_id, "analog"), (5, 5, 0), (2, 2, 0))
    s = bearer(council.secretary)
    later = client.post(
        "/api/v1/councils/oost/meetings",
        json={
            "title": "Volgende",
            "starts_at": "2026-12-15T19:30:00+01:00",
            "location": "Buurthuis",
        },
        headers=s,
    ).get_json()["id"]
    item = client.post(
        f"/api/v1/meetings/{later}/agenda-items",
        json={"title": "Speeltuin (aangehouden)"},
        headers=s,
    ).get_json()["id"]
    web.login(council.secretary_email)
    page = web.get(f"/vergaderingen/{meeting_id}").get_data(as_text=True)
    assert "Aangehouden: agenderen op" in page and "Speeltuin (aangehouden)" in page
    response = web.post_form(
        f"/voorstellen/{motion_id}/agenderen",
        {"agenda_item_id": str(item)},
        page=f"/vergaderingen/{meeting_id}",
    )
    assert response.status_code in (302, 303)
    # The later meeting is still a draft: only those who prepare it see the motion there.
    assert client.get(f"/api/v1/motions/{motion_id}").status_code == 404
    assert client.get(f"/api/v1/motions/{motion_id}", headers=s).get_json()["status"] == "scheduled"
    agenda = client.get(f"/api/v1/meetings/{later}", headers=s).get_json()["agenda"]
    assert [m["id"] for m in agenda[0]["motions"]] == [motion_id]


def test_refused_state_moves_say_why(client, council):
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    r = client.post(f"/api/v1/meetings/{meeting_id}/publish", headers=bearer(council.secretary))
    assert r.status_code == 409 and r.get_json()["code"] == "meeting-status"
    assert r.get_json()["detail"] == "Dat kan niet: de vergadering is nu gepubliceerd."
    client.post(f"/api/v1/motions/{motion_id}/withdraw", headers=bearer(council.chair))
    r = client.post(f"/api/v1/motions/{motion_id}/withdraw", headers=bearer(council.chair))
    assert (
        r.status_code == 409
        and r.get_json()["detail"] == "Dat kan niet: het voorstel is nu ingetrokken."
    )


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/meetings/36893488147419103231", None),
        ("post", "/api/v1/rounds/12008554897575019282432/close", None),
        ("post", "/api/v1/motions/1/schedule", {"agenda_item_id": -40319476224077701578752}),
        ("put", "/api/v1/meetings/1/attendance", {"present": [2**40]}),
    ],
    ids=["huge meeting id", "huge round id", "huge item id in body", "huge member id in body"],
)
def test_numbers_beyond_the_database_are_refused_not_500(client, council, method, url, body):
    r = getattr(client, method)(url, json=body, headers=bearer(council.secretary))
    assert r.status_code in (404, 422), r.get_data(as_text=True)


def test_draft_motion_is_seen_by_its_authors_only_until_submitted(client, council, make):
    meeting_id, item_id, _ = meeting_with_motion(client, council)
    _, author = council.residents[4]
    cosigner_id, cosigner = council.residents[5]
    r = client.post(
        f"/api/v1/agenda-items/{item_id}/motions",
        json={
            "title": "Concept",
            "text": "Nog niet af.",
            "draft": True,
            "cosigners": [cosigner_id],
        },
        headers=bearer(author),
    )
    assert r.status_code == 201 and r.get_json()["status"] == "draft"
    draft_id = r.get_json()["id"]

    def titles(headers: dict) -> list[str]:
        agenda = client.get(f"/api/v1/meetings/{meeting_id}", headers=headers).get_json()["agenda"]
        return [m["title"] for m in agenda[0]["motions"]]

    assert "Concept" not in titles({})
    assert "Concept" not in titles(bearer(council.residents[6][1]))
    for who in (author, cosigner, council.chair, council.secretary):
        assert "Concept" in titles(bearer(who))
    assert client.get(f"/api/v1/motions/{draft_id}").status_code == 404
    # A draft cannot be voted on, and only its submitter (or those who run the meeting) submits it.
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=bearer(council.chair))
    r = client.post(f"/api/v1/motions/{draft_id}/rounds", json={}, headers=bearer(council.chair))
    assert r.status_code == 409 and r.get_json()["code"] == "motion-not-votable"
    assert (
        client.post(
            f"/api/v1/motions/{draft_id}/submit", headers=bearer(council.residents[6][1])
        ).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/motions/{draft_id}/submit", headers=bearer(cosigner)).status_code
        == 403
    )
    r = client.post(f"/api/v1/motions/{draft_id}/submit", headers=bearer(author))
    assert r.status_code == 200 and r.get_json()["status"] == "submitted"
    assert "Concept" in titles({})


def test_draft_motion_through_the_pages(client, council, web):
    meeting_id, item_id, _ = meeting_with_motion(client, council)
    web.login(council.secretary_email)
    form = {
        "title": "Conceptvoorstel",
        "text": "Nog niet af.",
        "requirement": "majority",
        "draft": "1",
    }
    response = web.post_form(f"/agendapunten/{item_id}/voorstellen/nieuw", form)
    assert response.status_code in (302, 303)
    page = web.get(f"/vergaderingen/{meeting_id}").get_data(as_text=True)
    assert "Conceptvoorstel" in page and "Concept: alleen zichtbaar" in page
    public = (
        client.application.test_client().get(f"/vergaderingen/{meeting_id}").get_data(as_text=True)
    )
    assert "Conceptvoorstel" not in public
    draft_id = client.get(
        f"/api/v1/meetings/{meeting_id}", headers=bearer(council.secretary)
    ).get_json()["agenda"][0]["motions"][-1]["id"]
    response = web.post_form(
        f"/voorstellen/{draft_id}/indienen", {}, page=f"/vergaderingen/{meeting_id}"
    )
    assert response.status_code in (302, 303)
    public = (
        client.application.test_client().get(f"/vergaderingen/{meeting_id}").get_data(as_text=True)
    )
    assert "Conceptvoorstel" in public
