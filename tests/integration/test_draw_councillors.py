"""Councillors are never drawn (DOMAIN 7.1): the pool has no link to persons, so an
acceptance from the address of a sitting councillor of the council is refused, online with
the code as well as recorded by an administrator, and the invitation stays open."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.integration.draws_world import drawn, ok, world
from tests.integration.test_draw_pages import letter_code
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import Seat
from wijkraad.extensions import db
from wijkraad.sortition.models import PanelMember


def seat_councillor(app, make, email: str, *, slug: str = "oost", ended: bool = False) -> None:
    with app.app_context():
        council = db.session.scalars(sa.select(Council).where(Council.slug == slug)).one()
        start = make.today - timedelta(days=400) if ended else None
        membership = make.member(council, seat=Seat.COUNCILLOR, email=email, starts_on=start)
        if ended:
            membership.ends_on = make.today - timedelta(days=10)
            db.session.commit()


def statuses(client, w, draw_id: int) -> list[str]:
    listed = ok(client.get(f"/api/v1/draws/{draw_id}/invitations", headers=w.admin))
    return [i["status"] for i in listed if i["status"] != "reserve"]


def test_an_administrator_cannot_record_a_councillor_accepting(app, client, make):
    w = world(app, make)
    seat_councillor(app, make, "raadslid@example.org")
    draw = drawn(client, w, invite=2)
    first = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))[0]
    url = f"/api/v1/invitations/{first['id']}/reply"
    refused = client.post(
        url, json={"reply": "accepted", "email": " Raadslid@Example.org "}, headers=w.admin
    )
    assert refused.status_code == 409
    problem = refused.get_json()
    assert problem["code"] == "councillor-not-drawn" and "nooit" in problem["detail"]
    assert statuses(client, w, draw["id"]) == ["invited", "invited"]
    with app.app_context():
        residents = sa.select(sa.func.count()).where(Membership.seat == Seat.RESIDENT)
        assert db.session.scalar(residents) == 0
    # Anyone else's address is accepted.
    ok(
        client.post(
            url, json={"reply": "accepted", "email": "bewoner@example.org"}, headers=w.admin
        )
    )
    assert statuses(client, w, draw["id"]) == ["accepted", "invited"]


def test_only_a_sitting_councillor_of_this_council_is_refused(app, client, make):
    w = world(app, make)
    world(app, make, slug="west")
    seat_councillor(app, make, "elders@example.org", slug="west")
    seat_councillor(app, make, "oud-raadslid@example.org", ended=True)
    draw = drawn(client, w, invite=2)
    listed = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    addresses = ["elders@example.org", "oud-raadslid@example.org"]
    for invitation, email in zip(listed[:2], addresses, strict=True):
        ok(
            client.post(
                f"/api/v1/invitations/{invitation['id']}/reply",
                json={"reply": "accepted", "email": email},
                headers=w.admin,
            )
        )


def test_a_councillor_cannot_join_the_panel_with_the_code_on_a_letter(app, client, make, web):
    w = world(app, make)
    seat_councillor(app, make, "raadslid@example.org")
    draw = drawn(client, w, invite=2, purpose="panel")
    first = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))[0]
    code = letter_code(app, first["id"])
    answer = web.post_form(
        "/loting/antwoord", {"code": code, "reply": "accepted", "email": "raadslid@example.org"}
    )
    assert answer.status_code in (409, 422)
    html = answer.get_data(as_text=True)
    assert "Raadsleden worden nooit geloot" in html
    assert statuses(client, w, draw["id"]) == ["invited", "invited"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PanelMember)) == 0
    # The same code still answers for the resident with their own address.
    answer = web.post_form(
        "/loting/antwoord", {"code": code, "reply": "accepted", "email": "ik@example.org"}
    )
    assert answer.status_code == 303
    assert statuses(client, w, draw["id"]) == ["accepted", "invited"]


def test_the_draw_page_says_why_a_councillor_is_refused(app, client, make, web):
    w = world(app, make)
    seat_councillor(app, make, "raadslid@example.org")
    draw = drawn(client, w, invite=2)
    first = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))[0]
    with app.app_context():
        make.user("admin@example.org", admin=True)
    web.login("admin@example.org")
    manage = f"/lotingen/{draw['id']}/beheer"
    answer = web.post_form(
        f"/lotingen/uitnodigingen/{first['id']}/antwoord",
        {"reply-reply": "accepted", "reply-email": "raadslid@example.org"},
        page=manage,
    )
    assert answer.status_code == 303
    assert "Raadsleden worden nooit geloot" in web.get(manage).get_data(as_text=True)
    assert statuses(client, w, draw["id"]) == ["invited", "invited"]
