"""Pages and the API agree on what each caller may see: confidential items hide their
sub-items and motions from non-members, draft motions show only to their authors and those
who prepare meetings, and a draft meeting is not found by anyone else. What may not be seen
is 404 everywhere, never a hint that it exists."""

from __future__ import annotations

import pytest

from tests.conftest import Web, bearer
from wijkraad.auth import services as auth_services
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db

ROLES = ["anonymous", "member", "chair", "admin"]

# What each role may see: (confidential sub-item and its motion, someone else's draft motion,
# a draft meeting).
EXPECTED = {
    "anonymous": (False, False, False),
    "member": (True, False, False),
    "chair": (True, True, True),
    "admin": (True, True, True),
}


@pytest.fixture
def world(app, client, make):
    with app.app_context():
        council = make.council("oost")
        chair = make.member(council, role=Role.CHAIR, email="chair@example.org")
        make.member(council, role=Role.SECRETARY, email="secretary@example.org")
        make.member(council, email="member@example.org")
        author = make.member(council, email="author@example.org")
        for _ in range(3):
            make.member(council)
        make.member(council, seat=Seat.COUNCILLOR)
        admin = make.user("admin@example.org", admin=True)
        tokens = {
            "chair": make.token(chair.person.user),
            "member": make.token(make_user(council, "member@example.org")),
            "author": make.token(author.person.user),
            "admin": make.token(admin),
        }
    h = bearer(tokens["chair"])
    meeting = client.post(
        "/api/v1/councils/oost/meetings",
        json={"title": "Vergadering", "starts_at": "2026-12-01T19:30:00+01:00", "location": "Hier"},
        headers=h,
    ).get_json()["id"]
    draft_meeting = client.post(
        "/api/v1/councils/oost/meetings",
        json={"title": "Concept", "starts_at": "2026-12-08T19:30:00+01:00", "location": "Hier"},
        headers=h,
    ).get_json()["id"]

    def item(title: str, **extra) -> int:
        r = client.post(
            f"/api/v1/meetings/{meeting}/agenda-items", json={"title": title, **extra}, headers=h
        )
        assert r.status_code == 201, r.get_json()
        return r.get_json()["id"]

    public = item("Speeltuin")
    secret = item("Personeelszaken", is_confidential=True)
    sub = item("Benoeming", parent_id=secret)

    def motion(item_id: int, title: str, token: str, draft: bool = False) -> int:
        r = client.post(
            f"/api/v1/agenda-items/{item_id}/motions",
            json={"title": title, "text": "De wijkraad besluit.", "draft": draft},
            headers=bearer(token),
        )
        assert r.status_code == 201, r.get_json()
        return r.get_json()["id"]

    assert client.post(f"/api/v1/meetings/{meeting}/publish", headers=h).status_code == 200
    sub_motion = motion(sub, "Geheimvoorstel", tokens["chair"])
    draft_motion = motion(public, "Conceptvoorstel", tokens["author"], draft=True)
    return {
        "tokens": tokens,
        "meeting": meeting,
        "draft_meeting": draft_meeting,
        "sub": sub,
        "sub_motion": sub_motion,
        "draft_motion": draft_motion,
    }


def make_user(council, email):
    return auth_services.find_user(db.session, email)


def _page_client(app, role: str):
    client = app.test_client()
    if role != "anonymous":
        email = {"member": "member@example.org", "chair": "chair@example.org"}.get(
            role, "admin@example.org"
        )
        assert Web(client).login(email).status_code == 302
    return client


@pytest.mark.parametrize("role", ROLES)
def test_pages_and_api_agree_on_what_a_role_sees(app, client, world, role):
    headers = bearer(world["tokens"][role]) if role != "anonymous" else {}
    page = _page_client(app, role)
    confidential, draft, draft_meeting = EXPECTED[role]

    # The meeting: the confidential sub-item and its motion, and the draft motion.
    html = page.get(f"/vergaderingen/{world['meeting']}").get_data(as_text=True)
    api = client.get(f"/api/v1/meetings/{world['meeting']}", headers=headers).get_json()
    api_titles = {i["title"] for i in api["agenda"]} | {
        m["title"] for i in api["agenda"] for m in i["motions"]
    }
    for title, expected in (
        ("Benoeming", confidential),
        ("Geheimvoorstel", confidential),
        ("Conceptvoorstel", draft),
    ):
        assert (title in html) is expected, (role, title, "page")
        assert (title in api_titles) is expected, (role, title, "api")

    # The things themselves, by their own URLs: 404 for whoever may not see them.
    sub_motion = client.get(f"/api/v1/motions/{world['sub_motion']}", headers=headers)
    assert (sub_motion.status_code != 404) is confidential, role
    draft_api = client.get(f"/api/v1/motions/{world['draft_motion']}", headers=headers)
    assert (draft_api.status_code != 404) is draft, role
    if not confidential:
        form = page.get(f"/agendapunten/{world['sub']}/voorstellen/nieuw")
        assert form.status_code == 404, role

    # A draft meeting.
    page_status = page.get(f"/vergaderingen/{world['draft_meeting']}").status_code
    api_status = client.get(
        f"/api/v1/meetings/{world['draft_meeting']}", headers=headers
    ).status_code
    assert page_status == api_status == (200 if draft_meeting else 404), role
