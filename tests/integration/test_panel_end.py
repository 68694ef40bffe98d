"""An administrator ends a resident's panel membership with a reason (audited): the panel's
current size counts only current members, so a panel draw can top it up."""

from __future__ import annotations

import sqlalchemy as sa

from tests.integration.draws_world import drawn, ok, world
from tests.integration.test_draw_pages import login_admin
from wijkraad.audit import AuditEvent
from wijkraad.extensions import db
from wijkraad.sortition.models import PanelMember


def panel_of_two(app, client, make) -> list[dict]:
    w = world(app, make)
    draw = drawn(client, w, invite=3, purpose="panel")
    listed = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))[:2]
    for n, invitation in enumerate(listed):
        ok(
            client.post(
                f"/api/v1/invitations/{invitation['id']}/reply",
                json={"reply": "accepted", "email": f"panel{n}@example.org"},
                headers=w.admin,
            )
        )
    return listed


def member_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalars(sa.select(PanelMember.id).where(PanelMember.email == email)).one()


def test_an_ended_membership_no_longer_counts_and_is_audited(app, client, make, web):
    listed = panel_of_two(app, client, make)
    login_admin(app, make, web)
    web.post_form("/wijkraden/oost/wijkpanel", {"target_size": "2"})
    html = web.get("/wijkraden/oost/wijkpanel").get_data(as_text=True)
    assert "2 van de beoogde 2" in html and "Vul het panel aan" not in html
    leaving = member_id(app, "panel0@example.org")
    url = f"/wijkraden/oost/wijkpanel/{leaving}/beeindigen"
    answer = web.post_form(url, {"end-reason": "verhuisd"}, page="/wijkraden/oost/wijkpanel")
    assert answer.status_code == 303
    html = web.get("/wijkraden/oost/wijkpanel").get_data(as_text=True)
    assert "is beëindigd" in html and "1 van de beoogde 2" in html
    assert "Vul het panel aan" in html
    assert listed[0]["name"] not in html and listed[1]["name"] in html
    with app.app_context():
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "panel.end")
        ).one()
        assert event.subject_id == leaving and event.data["reason"] == "verhuisd"
        assert db.session.get(PanelMember, leaving).ends_on is not None
    again = web.post_form(url, {"end-reason": "nog eens"}, page="/wijkraden/oost/wijkpanel")
    assert again.status_code == 303
    assert "al beëindigd" in web.get("/wijkraden/oost/wijkpanel").get_data(as_text=True)


def test_ending_needs_a_reason_an_administrator_and_a_member_of_this_council(
    app, client, make, web
):
    panel_of_two(app, client, make)
    staying = member_id(app, "panel1@example.org")
    url = f"/wijkraden/oost/wijkpanel/{staying}/beeindigen"
    with app.app_context():
        make.user("lid@example.org")
    web.login("lid@example.org")
    assert web.post_form(url, {"end-reason": "x"}).status_code in (403, 404)
    web.logout()
    login_admin(app, make, web)
    page = "/wijkraden/oost/wijkpanel"
    assert web.post_form(url, {"end-reason": "  "}, page=page).status_code == 303
    assert "Vul de reden in" in web.get(page).get_data(as_text=True)
    with app.app_context():
        make.council("west")
    elsewhere = web.post_form(
        f"/wijkraden/west/wijkpanel/{staying}/beeindigen", {"end-reason": "x"}, page=page
    )
    assert elsewhere.status_code in (303, 404)
    with app.app_context():
        assert db.session.get(PanelMember, staying).ends_on is None
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "panel.end"))
            == 0
        )
