"""The live fragments under polling: an unchanged poll is one statement and an empty 304, a
changed one is rendered in a number of statements that does not grow with the meeting; who may
keep a copy (public projector, private phones and console); confidential items stay hidden."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from tests.conftest import Web, bearer
from wijkraad.councils import services as council_services
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db


@dataclass
class Live:
    meeting_id: int
    round_id: int
    chair: Web  # logged in as the chair
    member: Web  # logged in as a member who has not voted
    chair_token: str
    public: Web

    @property
    def projector(self) -> str:
        return f"/vergaderingen/{self.meeting_id}/projector/stand"

    @property
    def panel(self) -> str:
        return f"/vergaderingen/{self.meeting_id}/stemmen/paneel"

    @property
    def console(self) -> str:
        return f"/stemmingen/{self.round_id}/voorzitter/stand"


def build(
    app, make, *, slug: str = "oost", members: int = 17, motions: int = 0, confidential=False
) -> Live:
    """A council of ``members``, an open meeting with ``motions`` other motions on its agenda
    and a named round open on the last item; everyone present; the chair has voted."""
    with app.app_context():
        residents = max(11, members * 2 // 3)
        council = make.council(slug, residents=residents, councillors=members - residents)
        chair = make.member(council, role=Role.CHAIR)
        secretary = make.member(council, role=Role.SECRETARY)
        member = make.member(council)
        ids = [chair.id, secretary.id, member.id]
        for n in range(members - 3):
            seat = Seat.RESIDENT if n < residents - 3 else Seat.COUNCILLOR
            ids.append(
                council_services.appoint_member(
                    db.session,
                    make.admin_actor,
                    council,
                    name=f"Lid {n}",
                    email=f"lid{n}@{slug}.example.org",
                    seat=seat,
                    role=Role.MEMBER,
                    starts_on=make.today,
                ).id
            )
        db.session.commit()
        chair_token, secretary_token = (
            make.token(chair.person.user),
            make.token(secretary.person.user),
        )
        emails = chair.person.user.email, member.person.user.email
    api = app.test_client()

    def call(path: str, token: str, json: object = None, method: str = "POST") -> dict:
        response = api.open(f"/api/v1{path}", method=method, json=json, headers=bearer(token))
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()

    meeting_id = call(
        f"/councils/{slug}/meetings",
        secretary_token,
        {"title": "Live", "starts_at": "2026-12-01T19:30:00+01:00", "location": "Buurthuis"},
    )["id"]
    items = [
        call(f"/meetings/{meeting_id}/agenda-items", secretary_token, {"title": f"Punt {n}"})["id"]
        for n in range(motions)
    ]
    last = call(
        f"/meetings/{meeting_id}/agenda-items",
        secretary_token,
        {"title": "Geheim punt" if confidential else "Speeltuin", "is_confidential": confidential},
    )["id"]
    call(f"/meetings/{meeting_id}/publish", secretary_token)
    call(f"/meetings/{meeting_id}/attendance", secretary_token, {"present": ids}, method="PUT")
    call(f"/meetings/{meeting_id}/open", chair_token)
    for n, item_id in enumerate([*items, last]):
        motion_id = call(
            f"/agenda-items/{item_id}/motions",
            chair_token,
            {"title": f"Voorstel {n}", "text": "De wijkraad besluit iets."},
        )["id"]
    round_id = call(f"/motions/{motion_id}/rounds", chair_token, {"mode": "named"})["id"]
    call(f"/rounds/{round_id}/votes", chair_token, {"choice": "yes"})

    def browser(email: str) -> Web:
        web = Web(app.test_client())
        assert web.login(email).status_code in (302, 303)
        return web

    return Live(
        meeting_id,
        round_id,
        browser(emails[0]),
        browser(emails[1]),
        chair_token,
        Web(app.test_client()),
    )


def statements(app, run: Callable[[], object]) -> tuple[object, list[str]]:
    """What ``run`` asked the database, authentication of a session left out."""
    seen: list[str] = []

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        result = run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    return result, [s for s in seen if not _authentication(s)]


def _authentication(statement: str) -> bool:
    """The statements every logged-in request makes (the account, its session, its seats)."""
    flat = " ".join(statement.split()).lower()
    return flat.startswith(("select users.", "select persons.id, memberships."))


SCREENS = ("projector", "panel", "console")


def viewer(live: Live, screen: str) -> Web:
    return {"projector": live.public, "panel": live.member, "console": live.chair}[screen]


def poll(live: Live, screen: str, etag: str | None = None):
    headers = {"If-None-Match": etag} if etag else {}
    return viewer(live, screen).get(getattr(live, screen), headers=headers)


@pytest.mark.parametrize("screen", SCREENS)
def test_an_unchanged_poll_is_one_statement_and_an_empty_304(app, make, screen):
    live = build(app, make)
    first = poll(live, screen)
    assert first.status_code == 200 and first.headers["ETag"]
    again, seen = statements(app, lambda: poll(live, screen, first.headers["ETag"]))
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert len(seen) == 1, seen
    # Another copy (an older state) is answered in full.
    stale = poll(live, screen, '"0123456789abcdef0123"')
    assert stale.status_code == 200 and stale.get_data() == first.get_data()


def test_who_may_keep_a_copy(app, make):
    live = build(app, make)
    projector = poll(live, "projector")
    assert projector.headers["Cache-Control"] == "no-cache"  # the room's screen: public
    assert "Cookie" in projector.headers["Vary"] and "Set-Cookie" not in projector.headers
    for screen in ("panel", "console"):
        answer = poll(live, screen)
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "private, no-cache"
        assert "Set-Cookie" not in answer.headers
    # A member's projector shows what the room does not: for that browser only.
    mine = live.member.get(live.projector)
    assert mine.headers["Cache-Control"] == "private, no-cache"
    assert mine.headers["ETag"] != projector.headers["ETag"]
    # The pages themselves are not kept.
    page = live.member.get(f"/vergaderingen/{live.meeting_id}/stemmen")
    assert page.headers["Cache-Control"] == "no-store"


def test_no_copy_passes_a_permission(app, make):
    live = build(app, make)
    console = poll(live, "console")
    # The chair's tag does not open the console to a member, nor the panel to the anonymous.
    refused = live.member.get(live.console, headers={"If-None-Match": console.headers["ETag"]})
    assert refused.status_code == 403
    panel = poll(live, "panel")
    anonymous = live.public.get(live.panel, headers={"If-None-Match": panel.headers["ETag"]})
    assert anonymous.status_code in (302, 401) and anonymous.status_code != 304


def test_every_change_reaches_every_screen(app, make):
    live = build(app, make)
    tags = {screen: poll(live, screen).headers["ETag"] for screen in SCREENS}

    def changed(expect: str) -> None:
        for screen in SCREENS:
            answer = poll(live, screen, tags[screen])
            assert answer.status_code == 200, (screen, expect)
            assert answer.headers["ETag"] != tags[screen]
            tags[screen] = answer.headers["ETag"]
            if screen != "panel":
                assert expect in " ".join(answer.get_data(as_text=True).split()), screen
            assert poll(live, screen, tags[screen]).status_code == 304

    assert live.member.get(live.panel).status_code == 200
    live.member.post_form(
        f"/stemmingen/{live.round_id}/stem",
        {"choice": "no", "confirmed": "yes"},
        page=f"/vergaderingen/{live.meeting_id}/stemmen",
    )
    changed("2 van 17")
    response = live.chair.post_form(
        f"/stemmingen/{live.round_id}/sluiten",
        {"confirmed": "yes"},
        page=f"/stemmingen/{live.round_id}/voorzitter",
    )
    assert response.status_code == 303
    changed("Uitslag")


def test_the_panel_follows_attendance(app, make):
    live = build(app, make)
    first = poll(live, "panel")
    assert 'name="keuze"' in first.get_data(as_text=True)
    member_id = _member_id(app, live)
    client = app.test_client()
    secretary = bearer(live.chair_token)
    present = [m for m in _present(app, live.meeting_id) if m != member_id]
    response = client.put(
        f"/api/v1/meetings/{live.meeting_id}/attendance",
        json={"present": present},
        headers=secretary,
    )
    if response.status_code != 200:  # attendance is the secretary's: the chair may too
        pytest.skip(f"attendance by the chair: {response.status_code}")
    after = poll(live, "panel", first.headers["ETag"])
    assert after.status_code == 200 and 'name="keuze"' not in after.get_data(as_text=True)


def _member_id(app, live: Live) -> int:
    from wijkraad.auth.models import User
    from wijkraad.councils.models import Membership, Person

    with app.app_context():
        return db.session.scalar(
            sa.select(Membership.id)
            .join(Person, Person.id == Membership.person_id)
            .join(User, User.id == Person.user_id)
            .where(User.email == "member3@example.org")
        )


def _present(app, meeting_id: int) -> list[int]:
    from wijkraad.meetings.models import Attendance
    from wijkraad.meetings.rules import Presence

    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Attendance.membership_id).where(
                    Attendance.meeting_id == meeting_id, Attendance.presence == Presence.PRESENT
                )
            )
        )


def test_a_confidential_round_stays_off_the_public_projector(app, make):
    live = build(app, make, confidential=True)
    public = poll(live, "projector")
    text = public.get_data(as_text=True)
    assert "Geheim punt" not in text and "Voorstel 0" not in text
    assert "Stemming over een besloten agendapunt" in text
    assert "Besloten agendapunt" in text
    seen = live.member.get(live.projector).get_data(as_text=True)
    assert "Geheim punt" in seen and "Voorstel 0" in seen
    # The public tag never hands the member's copy out, nor the reverse.
    again = live.public.get(live.projector, headers={"If-None-Match": public.headers["ETag"]})
    assert again.status_code == 304
    mine = live.member.get(live.projector, headers={"If-None-Match": public.headers["ETag"]})
    assert mine.status_code == 200 and "Geheim punt" in mine.get_data(as_text=True)


def test_a_changed_poll_costs_the_same_whatever_the_size(app, make):
    sizes = [(17, 0), (17, 10), (17, 40), (400, 10)]
    costs = {}
    for n, (members, motions) in enumerate(sizes):
        live = build(app, make, slug=f"wijk{n}", members=members, motions=motions)
        costs[members, motions] = {}
        for screen in SCREENS:
            answer, seen = statements(app, lambda s=screen, v=live: poll(v, s))
            assert answer.status_code == 200
            costs[members, motions][screen] = len(seen)
    assert len({tuple(c.values()) for c in costs.values()}) == 1, costs
