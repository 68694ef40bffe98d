"""The member's home: where logging in leads, what it shows (councils with seat and role, the
next meeting of each), when "Stem nu" appears and where it leads, and that its statement count
does not grow with the number of councils, meetings and rounds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import Web, bearer
from wijkraad import clock
from wijkraad.councils.models import Council as CouncilModel
from wijkraad.councils.models import Membership
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db

VOTE_NOW = re.compile(
    r'<a class="app-vote-now__button" href="(?P<href>[^"]+)">\s*'
    r'<span class="app-vote-now__label">Stem nu</span>'
)


def starts_in(days: int) -> str:
    return (clock.now() + timedelta(days=days)).isoformat()


@dataclass(frozen=True)
class Seated:
    id: int  # the membership
    email: str


@dataclass
class Council:
    id: int
    slug: str
    chair: Seated
    secretary: Seated
    members: list[Seated]
    chair_token: str = ""
    secretary_token: str = ""


class Api:
    def __init__(self, app) -> None:
        self.client = app.test_client()

    def __call__(self, path: str, token: str, json: object = None, method: str = "POST") -> dict:
        response = self.client.open(
            f"/api/v1{path}", method=method, json=json, headers=bearer(token)
        )
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()


def council_of(app, make, slug: str, *, members: int = 3, email_prefix: str = "") -> Council:
    with app.app_context():
        council = make.council(slug)
        chair = make.member(council, role=Role.CHAIR, email=f"{email_prefix}chair@{slug}.example")
        secretary = make.member(
            council, role=Role.SECRETARY, email=f"{email_prefix}secr@{slug}.example"
        )
        others = [
            make.member(council, email=f"{email_prefix}lid{n}@{slug}.example")
            for n in range(members)
        ]

        def seated(m: Membership) -> Seated:
            return Seated(m.id, m.person.user.email)

        made = Council(
            council.id, slug, seated(chair), seated(secretary), [seated(m) for m in others]
        )
        made.chair_token = make.token(chair.person.user)
        made.secretary_token = make.token(secretary.person.user)
        return made


def meeting(api: Api, c: Council, *, title: str = "Vergadering", days: int = 3) -> int:
    meeting_id = api(
        f"/councils/{c.slug}/meetings",
        c.secretary_token,
        {"title": title, "starts_at": starts_in(days), "location": "Buurthuis De Linde"},
    )["id"]
    api(f"/meetings/{meeting_id}/agenda-items", c.secretary_token, {"title": "Speeltuin"})
    return meeting_id


def publish_and_open(api: Api, c: Council, meeting_id: int, present: list[int]) -> None:
    api(f"/meetings/{meeting_id}/publish", c.secretary_token)
    api(f"/meetings/{meeting_id}/attendance", c.secretary_token, {"present": present}, "PUT")
    api(f"/meetings/{meeting_id}/open", c.chair_token)


def open_round(api: Api, c: Council, meeting_id: int, *, mode: str = "named") -> int:
    item_id = api(f"/meetings/{meeting_id}", c.chair_token, method="GET")["agenda"][0]["id"]
    motion_id = api(
        f"/agenda-items/{item_id}/motions",
        c.chair_token,
        {"title": "Vier nieuwe bankjes", "text": "De wijkraad plaatst vier bankjes."},
    )["id"]
    return api(f"/motions/{motion_id}/rounds", c.chair_token, {"mode": mode})["id"]


def logged_in(app, email: str) -> Web:
    web = Web(app.test_client())
    response = web.login(email)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return web


def home_of(web: Web) -> str:
    response = web.get("/mijn")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def vote_now(html: str) -> list[str]:
    return [m.group("href") for m in VOTE_NOW.finditer(html)]


# ------------------------------------------------------------------- where login leads


def test_a_member_lands_on_their_home(app, make):
    c = council_of(app, make, "oost")
    api = Api(app)
    meeting_id = meeting(api, c, title="Najaarsvergadering")
    api(f"/meetings/{meeting_id}/publish", c.secretary_token)
    email = c.members[0].email

    web = Web(app.test_client())
    response = web.login(email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/mijn"
    html = home_of(web)
    assert "Wijkraad oost" in html
    assert 'href="/wijkraden/oost"' in html
    assert "Bewoner, lid" in html
    assert f'href="/vergaderingen/{meeting_id}"' in html
    assert "Najaarsvergadering" in html
    assert "Buurthuis De Linde" in html
    assert vote_now(html) == []
    # The menu leads home, and to all councils still.
    assert 'href="/mijn" aria-current="page"' in html
    assert 'href="/"' in html


def test_a_draft_meeting_is_not_the_next_one_for_members(app, make):
    c = council_of(app, make, "oost")
    api = Api(app)
    meeting(api, c, title="Nog een concept")
    email = c.members[0].email
    html = home_of(logged_in(app, email))
    assert "Nog een concept" not in html
    assert "Er is nog geen vergadering gepland." in html


def test_the_next_meeting_is_the_earliest_to_come(app, make):
    c = council_of(app, make, "oost")
    api = Api(app)
    later = meeting(api, c, title="Later", days=20)
    sooner = meeting(api, c, title="Eerder", days=5)
    for meeting_id in (later, sooner):
        api(f"/meetings/{meeting_id}/publish", c.secretary_token)
    email = c.members[0].email
    html = home_of(logged_in(app, email))
    assert "Eerder" in html and "Later" not in html


def test_a_chair_lands_on_their_home_with_their_role(app, make):
    c = council_of(app, make, "oost")
    email = c.chair.email
    with app.app_context():
        # The chair also sits on a second council, as a councillor.
        other = make.council("west")
        make.member(other, seat=Seat.COUNCILLOR, email=email)
    web = Web(app.test_client())
    assert web.login(email).headers["Location"] == "/mijn"
    html = home_of(web)
    assert "Bewoner, voorzitter" in html
    assert "Gemeenteraadslid, lid" in html
    assert html.index("Wijkraad oost") < html.index("Wijkraad west")


def test_an_administrator_without_a_seat_gets_the_councils_list(app, make):
    with app.app_context():
        make.council("oost")
        make.user("beheer@example.org", admin=True)
    web = Web(app.test_client())
    response = web.login("beheer@example.org")
    assert response.headers["Location"] == "/mijn"
    response = web.get("/mijn")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    html = web.get("/").get_data(as_text=True)
    assert "<h1" in html and "Wijkraden</h1>" in html
    assert 'href="/wijkraden/oost"' in html
    assert 'href="/mijn"' not in html


def test_anonymous_visitors_get_the_councils_list_and_login_for_a_home(app, make, client):
    with app.app_context():
        make.council("oost")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/wijkraden/oost"' in html
    assert 'href="/mijn"' not in html
    response = client.get("/mijn")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/aanmelden?next=")


def test_login_honours_a_safe_next_and_refuses_another_host(app, make):
    c = council_of(app, make, "oost")
    email = c.members[0].email
    web = Web(app.test_client())
    response = web.post_form(
        "/aanmelden?next=/wijkraden/oost",
        {"email": email, "password": "correct horse battery", "next": "/wijkraden/oost"},
    )
    assert response.headers["Location"] == "/wijkraden/oost"
    web = Web(app.test_client())
    response = web.post_form(
        "/aanmelden",
        {"email": email, "password": "correct horse battery", "next": "//evil.example/"},
    )
    assert response.headers["Location"] == "/mijn"


# ------------------------------------------------------------------------- "Stem nu"


@pytest.fixture
def room(app, make):
    """An open meeting of council oost: members 0 and 1 present (1 recused on the item),
    member 2 absent."""
    c = council_of(app, make, "oost")
    api = Api(app)
    meeting_id = meeting(api, c, days=0)
    present = [c.chair.id, c.secretary.id, c.members[0].id, c.members[1].id]
    emails = [m.email for m in c.members]
    publish_and_open(api, c, meeting_id, present)
    item_id = api(f"/meetings/{meeting_id}", c.chair_token, method="GET")["agenda"][0]["id"]
    api(f"/agenda-items/{item_id}/recusals", c.secretary_token, {"member_id": c.members[1].id})
    return c, api, meeting_id, emails


def test_vote_now_appears_only_while_a_round_is_open_for_the_member(app, room):
    c, api, meeting_id, emails = room
    member = logged_in(app, emails[0])
    assert vote_now(home_of(member)) == []

    round_id = open_round(api, c, meeting_id)
    assert vote_now(home_of(member)) == [f"/vergaderingen/{meeting_id}/stemmen"]
    # The button's page is the vote itself, with the choices; a choice is then confirmed.
    page = member.get(f"/vergaderingen/{meeting_id}/stemmen").get_data(as_text=True)
    assert 'name="keuze" value="yes"' in page
    chosen = f"/vergaderingen/{meeting_id}/stemmen?keuze=yes"
    assert f'action="/stemmingen/{round_id}/stem"' in member.get(chosen).get_data(as_text=True)

    member.post_form(
        f"/stemmingen/{round_id}/stem", {"choice": "yes", "confirmed": "yes"}, page=chosen
    )
    html = home_of(member)
    assert vote_now(html) == []
    assert "U hebt gestemd: Voor." in html

    api(f"/rounds/{round_id}/close", c.chair_token)
    assert vote_now(home_of(logged_in(app, emails[0]))) == []


def test_vote_now_not_for_the_recused_the_absent_or_a_show_of_hands(app, room):
    c, api, meeting_id, emails = room
    round_id = open_round(api, c, meeting_id)
    for email in emails[1:]:  # recused; absent
        html = home_of(logged_in(app, email))
        assert vote_now(html) == []
        assert "u stemt hierin niet mee" in html
    api(f"/rounds/{round_id}/close", c.chair_token)

    open_round(api, c, meeting_id, mode="analog")
    assert vote_now(home_of(logged_in(app, emails[0]))) == []


def test_vote_now_for_each_council_with_a_round_open(app, make):
    """A member of two councils, both voting now: one button each, to its own meeting."""
    api = Api(app)
    shared = "twee@example.org"
    rooms = []
    for slug in ("noord", "zuid"):
        c = council_of(app, make, slug)
        with app.app_context():
            council = db.session.get(CouncilModel, c.id)
            seat = make.member(council, email=shared)
            present = [c.chair.id, c.secretary.id, c.members[0].id, seat.id]
        meeting_id = meeting(api, c, days=0)
        publish_and_open(api, c, meeting_id, present)
        open_round(api, c, meeting_id)
        rooms.append(meeting_id)
    links = vote_now(home_of(logged_in(app, shared)))
    assert sorted(links) == sorted(f"/vergaderingen/{m}/stemmen" for m in rooms)


def test_vote_now_for_a_round_in_an_open_meeting_that_is_not_the_next(app, room):
    """A council that runs two meetings at once: the round in the later one waits all the
    same."""
    c, api, first, emails = room
    second = meeting(api, c, title="Tweede vergadering", days=0)
    present = [c.chair.id, c.secretary.id, c.members[0].id, c.members[1].id]
    publish_and_open(api, c, second, present)
    open_round(api, c, second)
    html = home_of(logged_in(app, emails[0]))
    assert f'href="/vergaderingen/{first}"' in html  # the next meeting shown
    assert vote_now(html) == [f"/vergaderingen/{second}/stemmen"]


# ------------------------------------------------------------------------ statements


def statements_of_home(app, web: Web) -> int:
    seen: list[str] = []

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        assert web.get("/mijn").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    return len(seen)


def test_the_home_takes_as_many_statements_for_one_council_as_for_many(app, make):
    api = Api(app)
    shared = "veel@example.org"
    counts = []
    for n, slug in enumerate(("a", "b", "c", "d")):
        c = council_of(app, make, f"raad-{slug}")
        with app.app_context():
            council = db.session.get(CouncilModel, c.id)
            seat = make.member(council, email=shared)
            present = [c.chair.id, c.secretary.id, c.members[0].id, seat.id]
        for days in (4, 9):
            later = meeting(api, c, days=days)
            api(f"/meetings/{later}/publish", c.secretary_token)
        now = meeting(api, c, days=0)
        publish_and_open(api, c, now, present)
        open_round(api, c, now)
        web = logged_in(app, shared)
        home_of(web)  # once unmeasured
        counts.append(statements_of_home(app, web))
        assert len(vote_now(home_of(web))) == n + 1
    assert len(set(counts)) == 1, counts
