"""Draws by lot through the pages: the administrators' steps, the letters, the public record
page, the residents' own reply with the code on their letter, and who may see what."""

from __future__ import annotations

import io

import sqlalchemy as sa
from pypdf import PdfReader

from tests.conftest import csrf_from
from tests.integration.draws_world import DISTRICTS, drawn, ok, pool_csv, world
from wijkraad.councils.models import Membership
from wijkraad.extensions import db
from wijkraad.sortition.models import Invitation, PanelMember, PoolEntry


def login_admin(app, make, web):
    with app.app_context():
        make.user("admin@example.org", admin=True)
    web.login("admin@example.org")


def letter_code(app, invitation_id: int) -> str:
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        return db.session.get(PoolEntry, invitation.entry_id).code


def test_an_administrator_runs_a_draw_on_the_pages(app, client, make, web):
    world(app, make)
    login_admin(app, make, web)
    page = "/wijkraden/oost/lotingen"
    answer = web.post_form(
        page,
        {
            "draw-purpose": "council",
            "draw-invite": "4",
            "draw-draw_on": "2026-12-01",
            "draw-quotas": "\n".join(f"district {d} 1 2" for d in DISTRICTS),
        },
    )
    assert answer.status_code == 303
    manage = answer.headers["Location"]
    draw_id = int(manage.split("/")[-2])
    html = web.get(manage).get_data(as_text=True)
    token = csrf_from(html)
    upload = client.post(
        f"/lotingen/{draw_id}/bestand",
        data={"csrf_token": token, "pool-file": (io.BytesIO(pool_csv(30, young=2)), "pool.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 303
    bad = client.post(
        f"/lotingen/{draw_id}/bestand",
        data={"csrf_token": token, "pool-file": (io.BytesIO(b"a,b\n1,2\n"), "pool.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "regel 1" in bad.get_data(as_text=True)
    answer = web.post_form(
        f"/lotingen/{draw_id}/aankondigen",
        {"announce-seed_source": "Staatsloterij 10 december"},
        page=manage,
    )
    assert answer.status_code == 303
    answer = web.post_form(f"/lotingen/{draw_id}/seed", {"seed-seed": "3 1 4 1 5"}, page=manage)
    assert answer.status_code == 303
    html = web.get(manage).get_data(as_text=True)
    assert "Bewoner" in html and "uitgenodigd" in html
    with app.app_context():
        first = db.session.scalars(sa.select(Invitation).order_by(Invitation.id)).first().id
    answer = web.post_form(
        f"/lotingen/uitnodigingen/{first}/antwoord",
        {"reply-reply": "accepted", "reply-email": "lid@example.org"},
        page=manage,
    )
    assert answer.status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 1
    letters = web.get(f"/lotingen/{draw_id}/brieven.pdf")
    assert letters.status_code == 200 and letters.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(letters.data))
    assert len(reader.pages) == 3  # the three who have not answered
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "loting/antwoord" in text and "Bewoner" in text
    code = letter_code(app, first + 1)
    assert code in text
    web.post_form(f"/lotingen/{draw_id}/afsluiten", {}, page=manage)
    assert web.get(f"/lotingen/{draw_id}/brieven.pdf").status_code == 409


def test_the_public_page_shows_the_record_without_names(app, client, make):
    w = world(app, make)
    draw = drawn(client, w, invite=4, quotas={"district": {d: [1, 2] for d in DISTRICTS}})
    html = client.get(f"/lotingen/{draw['id']}").get_data(as_text=True)
    assert draw["seed"] in html and "Verdeling naar district" in html
    assert ", ".join(str(p) for p in draw["ranking"][:4]) in html
    assert "Bewoner" not in html and "R000" not in html
    download = client.get(f"/lotingen/{draw['id']}/verslag.json")
    assert download.data == client.get(f"/api/v1/draws/{draw['id']}").data
    invitations = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    code = letter_code(app, invitations[0]["id"])
    html = client.get(f"/lotingen/{draw['id']}?code={code.lower()}").get_data(as_text=True)
    assert f"positie in het bestand is {invitations[0]['position']}" in html
    assert "U bent uitgenodigd" in html
    html = client.get(f"/lotingen/{draw['id']}?code=0000-0000-0000-0000").get_data(as_text=True)
    assert "hoort niet bij deze loting" in html


def test_a_resident_answers_with_the_code_on_the_letter(app, client, make, web):
    w = world(app, make)
    draw = drawn(client, w, invite=2)
    invitations = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    yes = letter_code(app, invitations[0]["id"])
    no = letter_code(app, invitations[1]["id"])
    wrong = web.post_form("/loting/antwoord", {"code": "ABCD-EFGH-JKMN-PQRS", "reply": "declined"})
    assert wrong.status_code == 422 and "kennen we niet" in wrong.get_data(as_text=True)
    missing = web.post_form("/loting/antwoord", {"code": yes, "reply": "accepted"})
    assert missing.status_code == 422
    answer = web.post_form(
        "/loting/antwoord", {"code": yes, "reply": "accepted", "email": "ik@example.org"}
    )
    assert answer.status_code == 303
    answer = web.post_form("/loting/antwoord", {"code": no.replace("-", ""), "reply": "declined"})
    assert answer.status_code == 303
    again = web.post_form("/loting/antwoord", {"code": yes, "reply": "declined"})
    assert again.status_code == 422
    now = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    assert [i["status"] for i in now[:4]] == ["accepted", "declined", "invited", "reserve"]
    with app.app_context():
        member = db.session.scalars(sa.select(Membership)).one()
        assert member.invitation.email == "ik@example.org"


def test_a_panel_draw_fills_the_resident_panel(app, client, make, web):
    w = world(app, make)
    draw = drawn(client, w, invite=3, purpose="panel")
    invitations = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    ok(
        client.post(
            f"/api/v1/invitations/{invitations[0]['id']}/reply",
            json={"reply": "accepted", "email": "panel@example.org"},
            headers=w.admin,
        )
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PanelMember)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 0
    login_admin(app, make, web)
    answer = web.post_form("/wijkraden/oost/wijkpanel", {"target_size": "400"})
    assert answer.status_code == 303
    html = web.get("/wijkraden/oost/wijkpanel").get_data(as_text=True)
    assert "1 van de beoogde 400" in html and invitations[0]["name"] in html


def test_only_administrators_see_the_draw_pages(app, client, make, web):
    w = world(app, make)
    draw = drawn(client, w)
    public = client.get("/wijkraden/oost/lotingen").get_data(as_text=True)
    assert f"/lotingen/{draw['id']}" in public and "Nieuwe loting" not in public
    assert "/wijkraden/oost/lotingen" in client.get("/wijkraden/oost").get_data(as_text=True)
    urls = [
        f"/lotingen/{draw['id']}/beheer",
        f"/lotingen/{draw['id']}/brieven.pdf",
        "/wijkraden/oost/wijkpanel",
    ]
    for url in urls:
        assert client.get(url).status_code in (302, 303, 401), url
    web.login("iemand-oost@example.org")
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.get(f"/lotingen/{draw['id']}").status_code == 200
