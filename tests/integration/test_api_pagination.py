"""The API's lists answer a page at a time: ``page`` and ``per_page`` (default 50, at most 200),
the page's items as the JSON array API.md fixes, the total in ``X-Total-Count`` and the
neighbouring pages in ``Link``. The database cuts the page (LIMIT/OFFSET) in a stable order."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from tests.querycount import counting
from wijkraad import clock
from wijkraad.councils.models import Council
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db

LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def links(response) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(response.headers["Link"])}


def walk(client, url: str, per_page: int, headers: dict[str, str] | None = None) -> list:
    """Every item of a list, following ``next`` from the first page."""
    items: list = []
    next_url: str | None = f"{url}?per_page={per_page}"
    while next_url:
        response = client.get(next_url, headers=headers or {})
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        assert len(page) <= per_page
        items += page
        next_url = links(response).get("next")
    return items


@pytest.fixture
def councils(app, make) -> list[str]:
    """Seven councils in two municipalities, made out of order; listed by municipality, then
    by name."""
    with app.app_context():
        for slug, municipality in [
            ("west", "Haren"),
            ("oost", "Groningen"),
            ("zuid", "Groningen"),
            ("noord", "Haren"),
            ("centrum", "Groningen"),
            ("paddepoel", "Groningen"),
            ("helpman", "Groningen"),
        ]:
            council = make.council(slug)
            council.municipality = municipality
        db.session.commit()
    return ["centrum", "helpman", "oost", "paddepoel", "zuid", "noord", "west"]


def test_a_list_says_its_total_and_its_neighbours(client, councils):
    response = client.get("/api/v1/councils?page=2&per_page=3")
    assert response.status_code == 200
    assert [c["slug"] for c in response.get_json()] == councils[3:6]
    assert response.headers["X-Total-Count"] == "7"
    assert links(response) == {
        "first": "/api/v1/councils?page=1&per_page=3",
        "prev": "/api/v1/councils?page=1&per_page=3",
        "next": "/api/v1/councils?page=3&per_page=3",
        "last": "/api/v1/councils?page=3&per_page=3",
    }
    last = client.get("/api/v1/councils?page=3&per_page=3")
    assert [c["slug"] for c in last.get_json()] == councils[6:]
    assert "next" not in links(last)


def test_the_pages_together_are_the_list_once(client, councils):
    assert [c["slug"] for c in walk(client, "/api/v1/councils", 2)] == councils
    assert [c["slug"] for c in client.get("/api/v1/councils").get_json()] == councils


def test_by_default_fifty_a_page(app, client, make):
    with app.app_context():
        for n in range(52):
            make.council(f"raad-{n:02d}")
    first = client.get("/api/v1/councils")
    assert len(first.get_json()) == 50
    assert first.headers["X-Total-Count"] == "52"
    assert links(first)["next"] == "/api/v1/councils?page=2&per_page=50"
    assert len(client.get(links(first)["next"]).get_json()) == 2
    assert len(client.get("/api/v1/councils?per_page=200").get_json()) == 52


def test_past_the_last_page_is_empty(client, councils):
    response = client.get("/api/v1/councils?page=9&per_page=5")
    assert response.status_code == 200
    assert response.get_json() == []
    assert response.headers["X-Total-Count"] == "7"
    assert links(response)["prev"] == "/api/v1/councils?page=2&per_page=5"
    assert "next" not in links(response)


def test_an_empty_list_has_one_page(client):
    response = client.get("/api/v1/councils")
    assert response.get_json() == []
    assert response.headers["X-Total-Count"] == "0"
    assert links(response) == {
        "first": "/api/v1/councils?page=1&per_page=50",
        "last": "/api/v1/councils?page=1&per_page=50",
    }


def test_other_parameters_stay_in_the_links(client, councils):
    response = client.get("/api/v1/councils?lang=en&per_page=3")
    assert links(response)["next"] == "/api/v1/councils?lang=en&page=2&per_page=3"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=", "page"),
        ("page=1.5", "page"),
        ("page=2147483648", "page"),
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
        ("per_page=ten", "per_page"),
    ],
)
@pytest.mark.parametrize("path", ["/councils", "/councils/oost/meetings", "/councils/oost/members"])
def test_a_page_out_of_range_is_refused_naming_it(app, client, make, path, query, field):
    with app.app_context():
        make.council("oost")
    response = client.get(f"/api/v1{path}?{query}")
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == "invalid-input"
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, "field-invalid")]


def test_the_database_cuts_the_page(app, client, councils):
    with app.app_context():
        engine = db.engine
    with counting(engine) as count:
        response = client.get("/api/v1/councils?page=2&per_page=3")
    assert response.status_code == 200
    statements = [s.sql for s in count.statements]
    assert any("LIMIT" in sql and "OFFSET" in sql for sql in statements), statements
    assert any("count(" in sql.lower() for sql in statements), statements


def _meeting(client, token: str, slug: str, days: int, title: str) -> int:
    starts_at = clock.now().replace(microsecond=0) + timedelta(days=days)
    response = client.post(
        f"/api/v1/councils/{slug}/meetings",
        json={"title": title, "starts_at": starts_at.isoformat(), "location": "Buurthuis"},
        headers=bearer(token),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def test_meetings_page_by_page_with_drafts_only_for_who_prepares_them(app, client, make):
    with app.app_context():
        council = make.council("oost")
        chair = make.token(make.member(council, role=Role.CHAIR).person.user)
    ids = [_meeting(client, chair, "oost", days, f"Vergadering {days}") for days in (9, 3, 6, 1)]
    for meeting_id in ids[:3]:
        assert (
            client.post(f"/api/v1/meetings/{meeting_id}/publish", headers=bearer(chair)).status_code
            == 200
        )
    oldest_first = [ids[3], ids[1], ids[2], ids[0]]
    assert [m["id"] for m in walk(client, "/api/v1/councils/oost/meetings", 3, bearer(chair))] == (
        oldest_first
    )
    public = client.get("/api/v1/councils/oost/meetings?per_page=2")
    assert public.headers["X-Total-Count"] == "3"  # not the draft
    assert [m["id"] for m in walk(client, "/api/v1/councils/oost/meetings", 2)] == [
        ids[1],
        ids[2],
        ids[0],
    ]
    assert client.get("/api/v1/councils/elders/meetings").status_code == 404


def test_members_page_by_page_as_the_council_shows_them(app, client, make):
    with app.app_context():
        council = make.council("oost", public_names=False)
        make.member(council, name="Zwaan", seat=Seat.COUNCILLOR)
        make.member(council, name="Bakker")
        make.member(council, name="Anema", role=Role.SECRETARY)
        make.member(council, name="Visser", role=Role.CHAIR)
        make.member(council, name="Dijkstra", starts_on=make.today + timedelta(days=30))
        ended = make.member(council, name="Mulder").id
        admin = make.token(make.user(admin=True))
    response = client.post(f"/api/v1/members/{ended}/end", json={}, headers=bearer(admin))
    assert response.status_code == 200, response.get_data(as_text=True)

    seen = walk(client, "/api/v1/councils/oost/members", 2, bearer(admin))
    assert [m["name"] for m in seen] == ["Visser", "Anema", "Bakker", "Zwaan"]
    detail = client.get("/api/v1/councils/oost", headers=bearer(admin)).get_json()
    assert seen == detail["members"]
    # The council keeps residents' names private: the public sees the councillors' only.
    public = client.get("/api/v1/councils/oost/members")
    assert public.headers["X-Total-Count"] == "4"
    assert [m["name"] for m in public.get_json()] == [None, None, None, "Zwaan"]
    assert not any("email" in m for m in public.get_json())
    assert client.get("/api/v1/councils/elders/members").status_code == 404


def test_invitations_page_by_page_for_who_manages_the_members(app, client, make):
    with app.app_context():
        council = make.council("oost")
        secretary = make.member(council, role=Role.SECRETARY)
        for days in (5, 1, 3):
            make.member(council, starts_on=make.today + timedelta(days=days))
        token = make.token(secretary.person.user)
    seen = walk(client, "/api/v1/councils/oost/invitations", 2, bearer(token))
    assert [i["starts_on"] for i in seen] == sorted(i["starts_on"] for i in seen)
    assert len(seen) == 4  # the secretary's own invitation is not answered either
    assert client.get("/api/v1/councils/oost/invitations").status_code == 401
    with app.app_context():
        council = db.session.scalar(sa.select(Council).where(Council.slug == "oost"))
        member = make.token(make.member(council).person.user)
    assert (
        client.get("/api/v1/councils/oost/invitations", headers=bearer(member)).status_code == 403
    )
