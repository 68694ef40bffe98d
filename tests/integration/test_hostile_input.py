"""What an attacker tried, answered: extreme dates, NUL in paths, huge bodies, and drafts that
showed through forms and the API. (A database that is gone and cached private pages:
test_hostile_operations.py.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import Web, bearer
from wijkraad import clock
from wijkraad.audit import AuditEvent
from wijkraad.councils.models import Council
from wijkraad.councils.rules import Role
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Meeting
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import MotionStatus


def text(response) -> str:
    return response.get_data(as_text=True)


def in_years(years: int) -> date:
    today = clock.today()
    return today.replace(year=today.year + years, day=min(today.day, 28))


@pytest.fixture
def oost(app, make):
    """Council oost (its id) with a chair, a secretary and two members, each with an API token:
    name -> (membership id, token)."""
    with app.app_context():
        council = make.council("oost", residents=11, councillors=6)
        people = {}
        for name, role in [
            ("chair", Role.CHAIR),
            ("secretary", Role.SECRETARY),
            ("anna", Role.MEMBER),
            ("bram", Role.MEMBER),
        ]:
            membership = make.member(council, role=role, email=f"{name}@example.org", name=name)
            people[name] = (membership.id, make.token(membership.person.user))
        return council.id, people


def browser(app, email: str | None = None) -> Web:
    web = Web(app.test_client())
    if email:
        assert web.login(email).status_code == 302
    return web


# ------------------------------------------------------------------------------------ dates


def create_meeting(client, token: str, starts_at: str):
    return client.post(
        "/api/v1/councils/oost/meetings",
        json={"title": "Vergadering", "starts_at": starts_at, "location": "Buurthuis"},
        headers=bearer(token),
    )


@pytest.mark.parametrize(
    "starts_at",
    [
        "9999-12-31T23:59:59+00:00",
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00-14:00",
        "1999-12-31T12:00:00+00:00",
        "far-future",
    ],
)
def test_api_refuses_a_meeting_outside_the_window(app, client, oost, starts_at):
    _, people = oost
    if starts_at == "far-future":
        starts_at = f"{in_years(11).isoformat()}T19:30:00+01:00"
    response = create_meeting(client, people["secretary"][1], starts_at)
    assert response.status_code == 422, text(response)
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [
        ("starts_at", "date-out-of-range")
    ]
    assert "2000" in problem["errors"][0]["detail"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0
    assert client.get("/wijkraden/oost/vergaderingen").status_code == 200
    assert client.get("/api/v1/councils/oost/meetings").status_code == 200


@pytest.mark.parametrize("starts_at", ["2000-01-01T12:00:00+00:00", "soon"])
def test_api_accepts_a_meeting_inside_the_window(client, oost, starts_at):
    _, people = oost
    if starts_at == "soon":
        starts_at = f"{in_years(10) - timedelta(days=1)}T19:30:00+01:00"
    response = create_meeting(client, people["secretary"][1], starts_at)
    assert response.status_code == 201, text(response)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_meeting_form_refuses_a_date_outside_the_window(app, oost, day):
    secretary = browser(app, "secretary@example.org")
    response = secretary.post_form(
        "/wijkraden/oost/vergaderingen/nieuw",
        {
            "title": "Vergadering",
            "starts_on": day,
            "starts_time": "00:00",
            "location": "Buurthuis",
            "follow_up_of": "",
        },
    )
    assert response.status_code == 422, text(response)[:500]
    assert "Kies een datum tussen" in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("members", {"starts_on": "0001-01-01"}, "starts_on"),
        ("members", {"ends_on": "9999-12-31"}, "ends_on"),
        ("end", {"ends_on": "9999-12-31"}, "ends_on"),
        ("end", {"ends_on": "1000-01-01"}, "ends_on"),
    ],
)
def test_api_refuses_membership_dates_outside_the_window(client, oost, path, body, field):
    _, people = oost
    if path == "members":
        url = "/api/v1/councils/oost/members"
        body = {"name": "Nieuw", "email": "nieuw@example.org", "seat": "resident", **body}
    else:
        url = f"/api/v1/members/{people['bram'][0]}/end"
    response = client.post(url, json=body, headers=bearer(people["secretary"][1]))
    assert response.status_code == 422, text(response)
    assert [(e["field"], e["code"]) for e in response.get_json()["errors"]] == [
        (field, "date-out-of-range")
    ]


@pytest.mark.parametrize(
    ("form", "data"),
    [
        ("nieuw", {"starts_on": "0001-01-01"}),
        ("nieuw", {"starts_on": "2026-12-01", "ends_on": "9999-12-31"}),
        ("end", {"ends_on": "9999-12-31"}),
    ],
)
def test_membership_forms_refuse_dates_outside_the_window(app, oost, form, data):
    _, people = oost
    secretary = browser(app, "secretary@example.org")
    if form == "nieuw":
        url = "/wijkraden/oost/leden/nieuw"
        data = {"name": "Nieuw", "email": "nieuw@example.org", "seat": "resident", **data}
    else:
        url = f"/wijkraden/oost/leden/{people['bram'][0]}/beeindigen"
    response = secretary.post_form(url, {"role": "member", **data})
    assert response.status_code == 422, text(response)[:500]
    assert "Kies een datum tussen" in text(response)


def test_stored_extreme_dates_do_not_break_any_page(app, client, oost, make):
    """Rows stored before the window existed still show, on every page that lists them."""
    council_id, _ = oost
    ids = []
    with app.app_context():
        council = db.session.get(Council, council_id)
        moments = (datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC))
        for moment in moments:
            meeting = meetings.create_meeting(
                db.session, make.admin_actor, council, title="Rand", starts_at=moment, location="X"
            )
            meetings.add_item(db.session, make.admin_actor, meeting, title="Punt")
            meetings.publish(db.session, make.admin_actor, meeting, clock.now())
            ids.append(meeting.id)
        db.session.commit()
    urls = [
        "/wijkraden/oost",
        "/wijkraden/oost/vergaderingen",
        "/wijkraden/oost/vergaderingen/nieuw",
    ]
    urls += [f"/vergaderingen/{i}" for i in ids] + [f"/api/v1/meetings/{i}" for i in ids]
    urls += ["/api/v1/councils/oost/meetings"]
    anonymous, secretary = client, browser(app, "secretary@example.org").client
    for url in urls:
        for who in (anonymous, secretary):
            response = who.get(url)
            assert response.status_code in (200, 302), (url, text(response)[:500])
    assert "9999" in text(anonymous.get(f"/vergaderingen/{ids[0]}"))


# ------------------------------------------------------------------------------ NUL in paths


@pytest.mark.parametrize(
    "url",
    [
        "/wijkraden/a%00b",
        "/wijkraden/a%00b/vergaderingen",
        "/api/v1/councils/a%00b",
        "/api/v1/councils/a%00b/meetings",
        "/wijkraden/a%ED%A0%80b",
    ],
)
def test_nul_in_a_path_is_not_found(client, oost, url):
    response = client.get(url)
    assert response.status_code == 404, text(response)[:500]
    if url.startswith("/api/"):
        assert response.get_json()["code"] == "not-found"


def test_nul_in_a_path_of_a_write_is_not_found(client, oost):
    _, people = oost
    response = client.post(
        "/api/v1/councils/a%00b/members",
        json={"name": "X", "email": "x@example.org", "seat": "resident"},
        headers=bearer(people["secretary"][1]),
    )
    assert response.status_code == 404, text(response)


# ----------------------------------------------------------------------------- request size


def test_a_large_api_body_is_refused_with_413(client, app):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    body = b'{"email": "' + b"a" * (1024 * 1024) + b'", "password": "x"}'
    response = client.post("/api/v1/tokens", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "too-large"


def test_a_large_form_is_refused_with_an_error_page(client, app):
    response = client.post("/aanmelden", data={"email": "a" * (1024 * 1024), "password": "x"})
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert "Het verzoek is te groot." in text(response)


def test_form_memory_is_limited_below_the_request_limit(client, app):
    assert app.config["MAX_FORM_MEMORY_SIZE"] < app.config["MAX_CONTENT_LENGTH"]
    size = app.config["MAX_FORM_MEMORY_SIZE"] + 1000  # one text part of a multipart form
    data = {"email": "a" * size, "password": "x"}
    response = client.post("/aanmelden", data=data, content_type="multipart/form-data")
    assert response.status_code == 413


def test_form_parts_are_limited(client, app):
    fields = {f"f{i}": "x" for i in range(app.config["MAX_FORM_PARTS"] + 10)}
    response = client.post("/aanmelden", data=fields, content_type="multipart/form-data")
    assert response.status_code == 413


# ----------------------------------------------------------------------- drafts and leaks


def draft_meeting(app, make, council_id: int) -> tuple[int, int]:
    with app.app_context():
        meeting = meetings.create_meeting(
            db.session,
            make.admin_actor,
            db.session.get(Council, council_id),
            title="Concept",
            starts_at=clock.now() + timedelta(days=7),
            location="X",
        )
        item = meetings.add_item(db.session, make.admin_actor, meeting, title="Geheim punt")
        db.session.commit()
        return meeting.id, item.id


def published_item(app, make, council_id: int, *, days: int = 7) -> int:
    with app.app_context():
        meeting = meetings.create_meeting(
            db.session,
            make.admin_actor,
            db.session.get(Council, council_id),
            title="Vergadering",
            starts_at=clock.now() + timedelta(days=days),
            location="X",
        )
        item = meetings.add_item(db.session, make.admin_actor, meeting, title="Speeltuin")
        meetings.publish(db.session, make.admin_actor, meeting, clock.now())
        db.session.commit()
        return item.id


def new_motion(client, token: str, item_id: int, title: str, **extra):
    return client.post(
        f"/api/v1/agenda-items/{item_id}/motions",
        json={"title": title, "text": "De wijkraad besluit.", **extra},
        headers=bearer(token),
    )


def test_the_amendment_choice_shows_no_one_elses_draft(app, client, oost, make):
    council_id, people = oost
    item_id = published_item(app, make, council_id)
    draft = new_motion(client, people["anna"][1], item_id, "Anna's geheime concept", draft=True)
    assert draft.status_code == 201
    assert new_motion(client, people["anna"][1], item_id, "Openbaar voorstel").status_code == 201
    url = f"/agendapunten/{item_id}/voorstellen/nieuw"
    for email in ("bram@example.org", "chair@example.org", "anna@example.org"):
        form = text(browser(app, email).get(url))
        assert "Openbaar voorstel" in form
        # A draft cannot be amended, so it is no choice for anyone.
        assert "geheime concept" not in form, email
    # Naming the draft anyway says no more than naming a motion that does not exist.
    response = new_motion(
        client, people["bram"][1], item_id, "Amendement", amends_id=draft.get_json()["id"]
    )
    assert response.status_code == 422, text(response)
    assert response.get_json()["code"] == "amends-unknown"


def test_the_api_hides_a_draft_meeting_as_the_pages_do(app, client, oost, make):
    council_id, people = oost
    meeting_id, item_id = draft_meeting(app, make, council_id)
    member = bearer(people["anna"][1])
    page = browser(app, "anna@example.org").get(f"/agendapunten/{item_id}/voorstellen/nieuw")
    assert page.status_code == 404
    calls = [
        ("post", f"/api/v1/agenda-items/{item_id}/motions", {"title": "T", "text": "T"}),
        ("post", f"/api/v1/agenda-items/{item_id}/recusals", {"member_id": 1}),
        ("post", f"/api/v1/meetings/{meeting_id}/agenda-items", {"title": "T"}),
        ("put", f"/api/v1/meetings/{meeting_id}/attendance", {"present": []}),
        ("get", f"/api/v1/meetings/{meeting_id}/attendance", None),
        ("post", f"/api/v1/meetings/{meeting_id}/publish", None),
        ("post", f"/api/v1/meetings/{meeting_id}/open", None),
    ]
    for method, url, body in calls:
        response = getattr(client, method)(url, json=body, headers=member)
        assert response.status_code == 404, (url, text(response))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Motion)) == 0
    secretary = bearer(people["secretary"][1])
    assert new_motion(client, people["secretary"][1], item_id, "Mag wel").status_code == 201
    assert client.get(f"/api/v1/meetings/{meeting_id}", headers=secretary).status_code == 200


def postponed(app, client, make, council_id, people) -> tuple[int, int]:
    """A motion postponed after a tie, and an item of a later meeting to put it on."""
    item_id = published_item(app, make, council_id, days=7)
    later_item_id = published_item(app, make, council_id, days=35)
    motion_id = new_motion(client, people["anna"][1], item_id, "Bankjes").get_json()["id"]
    with app.app_context():
        motion = db.session.get(Motion, motion_id)
        motion.status = MotionStatus.POSTPONED
        db.session.commit()
    return motion_id, later_item_id


def assert_reschedule_audited(app, motion_id: int, later_item_id: int) -> None:
    with app.app_context():
        event = db.session.scalar(
            sa.select(AuditEvent).where(
                AuditEvent.action == "motion.reschedule", AuditEvent.subject_id == motion_id
            )
        )
        assert event is not None and event.actor_user_id is not None
        assert event.data["item_id"] == later_item_id
        assert event.data["from_item_id"] != later_item_id


def test_rescheduling_through_the_api_is_audited(app, client, oost, make):
    council_id, people = oost
    motion_id, later_item_id = postponed(app, client, make, council_id, people)
    response = client.post(
        f"/api/v1/motions/{motion_id}/schedule",
        json={"agenda_item_id": later_item_id},
        headers=bearer(people["secretary"][1]),
    )
    assert response.status_code == 200, text(response)
    assert_reschedule_audited(app, motion_id, later_item_id)


def test_rescheduling_on_the_page_is_audited(app, client, oost, make):
    council_id, people = oost
    motion_id, later_item_id = postponed(app, client, make, council_id, people)
    with app.app_context():
        meeting_id = db.session.get(Motion, motion_id).agenda_item.meeting_id
    secretary = browser(app, "secretary@example.org")
    response = secretary.post_form(
        f"/voorstellen/{motion_id}/agenderen",
        {"agenda_item_id": str(later_item_id)},
        page=f"/vergaderingen/{meeting_id}",
    )
    assert response.status_code == 303, text(response)[:500]
    assert_reschedule_audited(app, motion_id, later_item_id)


def test_the_api_hides_the_sub_items_of_a_confidential_item(app, client, oost, make):
    council_id, people = oost
    admin = make.admin_actor
    with app.app_context():
        council = db.session.get(Council, council_id)
        meeting = meetings.create_meeting(
            db.session, admin, council, title="V", starts_at=clock.now(), location="X"
        )
        meetings.add_item(db.session, admin, meeting, title="Openbaar punt")
        secret = meetings.add_item(
            db.session, admin, meeting, title="Besloten", is_confidential=True
        )
        sub = meetings.add_item(db.session, admin, meeting, title="Subpunt", parent_id=secret.id)
        meetings.publish(db.session, admin, meeting, clock.now())
        db.session.commit()
        meeting_id, sub_id = meeting.id, sub.id
        outsider = bearer(make.token(make.user("buiten@example.org")))
        other = make.token(make.user("b2@example.org"))

    def titles(headers: dict) -> list[str]:
        response = client.get(f"/api/v1/meetings/{meeting_id}", headers=headers)
        return [item["title"] for item in response.get_json()["agenda"]]

    assert titles({}) == titles(outsider) == ["Openbaar punt"]
    assert titles(bearer(people["anna"][1])) == ["Openbaar punt", "Besloten", "Subpunt"]
    response = new_motion(client, other, sub_id, "Poging")
    assert response.status_code == 404, text(response)
