"""The attendance register at the speed of a room, and members' own apologies, through the
pages and the API: a press answers only the member's line, the quorum and a spoken sentence
with htmx (``HX-Request: true``) and a 303 to the line without; "Iedereen aanwezig" keeps who
sent apologies; members send and withdraw their own apologies until the meeting opens."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import Web, bearer, csrf_from
from tests.integration.attendance_world import (
    CHAIR,
    COUNCILLORS,
    HTMX,
    MEMBER,
    RESIDENTS,
    SECRETARY,
    Room,
    build_room,
    squash,
    text,
)
from wijkraad import clock
from wijkraad.audit import AuditEvent
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings
from wijkraad.meetings.rules import Presence


@pytest.fixture
def room(app, make) -> Room:
    return build_room(app, make)


def post(web: Web, url: str, data: dict | None = None, **kw):
    token = csrf_from(text(web.get("/")))
    return web.client.post(url, data={**(data or {}), "csrf_token": token}, **kw)


def mark_url(room: Room, name: str) -> str:
    return f"/vergaderingen/{room.meeting_id}/aanwezigheid/{room.members[name]}"


def status_sentence(html: str) -> str:
    found = re.search(r'<p [^>]*id="register-status"[^>]*>(.*?)</p>', html, re.S)
    assert found, "no live region in the answer"
    return squash(found.group(1))


def line(html: str, room: Room, name: str) -> str:
    found = re.search(rf'<tr [^>]*id="lid-{room.members[name]}".*?</tr>', html, re.S)
    assert found, f"no line of {name}"
    return found.group(0)


def pressed(line_html: str) -> list[str]:
    return re.findall(r'value="(\w+)" aria-pressed="true"', line_html)


# ------------------------------------------------------------------ the chair's register


def test_a_press_with_htmx_answers_the_line_the_quorum_and_a_sentence(room):
    secretary = room.browser(SECRETARY)
    answer = post(secretary, mark_url(room, "Eva Mulder"), {"presence": "present"}, headers=HTMX)
    assert answer.status_code == 200
    html = text(answer)
    # Only the line, the summary, the opening blocker and the live region: no page.
    assert "<html" not in html and "Agenda" not in html
    assert html.lstrip().startswith(
        f'<tr class="utrecht-table__row app-register__line" id="lid-{room.members["Eva Mulder"]}"'
    )
    eva = line(html, room, "Eva Mulder")
    assert pressed(eva) == ["present"]
    # The three buttons, always in the same order, whatever is pressed.
    assert re.findall(r'name="presence" value="(\w+)"', eva) == [
        "present",
        "absent_with_notice",
        "absent",
    ]
    assert 'id="register-summary" hx-swap-oob="true"' in html
    assert "Aanwezig: 1 van 17 zittende leden — quorum: nee (nodig: 9)" in squash(html)
    assert status_sentence(html) == "Eva Mulder: aanwezig. Geen quorum: 1 van 17, nodig 9."
    assert answer.headers["Cache-Control"] == "no-store"
    assert room.presence("Eva Mulder") is Presence.PRESENT


def test_without_javascript_the_same_form_goes_back_to_the_line(room):
    secretary = room.browser(SECRETARY)
    response = post(secretary, mark_url(room, "Eva Mulder"), {"presence": "absent_with_notice"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/vergaderingen/{room.meeting_id}#lid-{room.members['Eva Mulder']}"
    )
    page = text(secretary.get(response.headers["Location"]))
    assert "Eva Mulder is afwezig met bericht." in page
    assert pressed(line(page, room, "Eva Mulder")) == ["absent_with_notice"]


def test_the_quorum_and_the_chairs_blocker_follow_each_press(room):
    chair = room.browser(CHAIR)
    page = text(chair.get(f"/vergaderingen/{room.meeting_id}"))
    assert 'id="openen-kan-niet"' in page
    names = (RESIDENTS + COUNCILLORS)[:9]
    for name in names[:8]:
        html = text(post(chair, mark_url(room, name), {"presence": "present"}, headers=HTMX))
        assert 'id="openen-kan-niet"' in html  # still no quorum: the blocker stays
    html = text(post(chair, mark_url(room, names[8]), {"presence": "present"}, headers=HTMX))
    assert status_sentence(html) == f"{names[8]}: aanwezig. Quorum bereikt: 9 van 17."
    assert 'id="openen-blokkade" hx-swap-oob="true"' in html
    assert 'id="openen-kan-niet"' not in html  # the chair may open now
    html = text(post(chair, mark_url(room, names[8]), {"presence": "absent"}, headers=HTMX))
    assert status_sentence(html) == f"{names[8]}: afwezig. Geen quorum: 8 van 17, nodig 9."
    assert 'id="openen-kan-niet"' in html


def test_everyone_present_keeps_who_sent_apologies(room):
    member, secretary = room.browser(MEMBER), room.browser(SECRETARY)
    assert (
        post(member, f"/vergaderingen/{room.meeting_id}/afmelden", {"reason": "Ziek"}).status_code
        == 303
    )
    post(secretary, mark_url(room, "Eva Mulder"), {"presence": "absent"})
    answer = post(secretary, f"/vergaderingen/{room.meeting_id}/iedereen-aanwezig", headers=HTMX)
    assert answer.status_code == 200
    html = text(answer)
    assert html.lstrip().startswith('<tbody class="utrecht-table__body" id="register-lines">')
    assert status_sentence(html) == (
        "Iedereen is aanwezig, behalve wie zich heeft afgemeld. Quorum bereikt: 16 van 17."
    )
    assert pressed(line(html, room, MEMBER)) == ["absent_with_notice"]
    assert "Reden: Ziek" in line(html, room, MEMBER)
    register = room.register()
    assert len(register) == 17
    assert [m for m, r in register.items() if r.presence is not Presence.PRESENT] == [
        room.members[MEMBER]
    ]
    # The chair marks the one who sent apologies present when they come after all.
    html = text(post(secretary, mark_url(room, MEMBER), {"presence": "present"}, headers=HTMX))
    assert "Had zich afgemeld, maar is toch gekomen" in line(html, room, MEMBER)
    assert status_sentence(html).endswith("Quorum bereikt: 17 van 17.")


def test_everyone_present_without_javascript_redirects_to_the_register(room):
    secretary = room.browser(SECRETARY)
    response = post(secretary, f"/vergaderingen/{room.meeting_id}/iedereen-aanwezig")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#aanwezigheid")
    page = text(secretary.get(response.headers["Location"]))
    assert "Iedereen is aanwezig, behalve wie zich heeft afgemeld." in page
    assert "Aanwezig: 17 van 17 zittende leden — quorum: ja" in squash(page)


@pytest.mark.parametrize("url", ["aanwezigheid/{member}", "iedereen-aanwezig"])
def test_only_the_chair_and_the_secretary_set_others_attendance(room, url):
    target = f"/vergaderingen/{room.meeting_id}/" + url.format(member=room.members["Eva Mulder"])
    member = room.browser(MEMBER)
    for headers in ({}, HTMX):
        response = post(member, target, {"presence": "present"}, headers=headers)
        assert response.status_code == 403
    anonymous = Web(room.app.test_client())
    response = post(anonymous, target, {"presence": "present"}, headers=HTMX)
    assert response.status_code in (302, 401, 403)
    assert room.register() == {}
    # Without a CSRF token nothing happens either.
    response = room.browser(SECRETARY).client.post(target, data={"presence": "present"})
    assert response.status_code == 400
    assert room.register() == {}


def test_the_register_refuses_in_place_once_the_meeting_is_closed(room, make):
    secretary = room.browser(SECRETARY)
    token = csrf_from(text(secretary.get("/")))
    with room.app.app_context():
        meeting = meetings.get_meeting(db.session, room.meeting_id)
        meetings.cancel(db.session, make.admin_actor, meeting, clock.now())
        db.session.commit()
    answer = secretary.client.post(
        mark_url(room, "Eva Mulder"),
        data={"presence": "present", "csrf_token": token},
        headers=HTMX,
    )
    assert answer.status_code == 200  # htmx swaps no 4xx: the refusal is in the answer
    assert status_sentence(text(answer)) == "Deze vergadering is gesloten of geannuleerd."
    assert room.register() == {}


# ------------------------------------------------------------------------- apologies


def test_a_member_sends_apologies_from_their_home_and_the_chair_sees_them(room):
    member = room.browser(MEMBER)
    home = text(member.get("/mijn"))
    assert "Afmelden voor deze vergadering" in home
    response = post(
        member,
        f"/vergaderingen/{room.meeting_id}/afmelden",
        {"reason": "Op vakantie", "next": f"/mijn#afmelden-{room.meeting_id}"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/mijn#afmelden-{room.meeting_id}"
    home = text(member.get("/mijn"))
    assert "U hebt zich afgemeld voor &#39;Wijkraadvergadering&#39;." in home
    assert "U hebt zich afgemeld op" in home and "Uw reden: Op vakantie" in home
    assert "Toch aanwezig" in home and "Afmelden voor deze vergadering" not in home

    row = room.register()[room.members[MEMBER]]
    assert row.presence is Presence.ABSENT_WITH_NOTICE
    assert row.apologised_at is not None and row.apology_reason == "Op vakantie"

    chair_page = text(room.browser(CHAIR).get(f"/vergaderingen/{room.meeting_id}"))
    chantal = squash(line(chair_page, room, MEMBER))
    assert "Afgemeld Afgemeld op" in chantal and "Reden: Op vakantie" in chantal
    assert pressed(line(chair_page, room, MEMBER)) == ["absent_with_notice"]
    # The reason is not public, nor for the other members.
    for web in (Web(room.app.test_client()), room.browser("Daan Visser")):
        assert "Op vakantie" not in text(web.get(f"/vergaderingen/{room.meeting_id}"))

    with room.app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "attendance.apologies")
        ).all()
        assert [e.data["membership_id"] for e in events] == [room.members[MEMBER]]
        assert "Op vakantie" not in str(events[0].data)


def test_a_member_withdraws_apologies_from_the_meeting_page(room):
    member = room.browser(MEMBER)
    post(member, f"/vergaderingen/{room.meeting_id}/afmelden", {})
    page = text(member.get(f"/vergaderingen/{room.meeting_id}"))
    assert "U hebt zich afgemeld op" in page and "Uw reden" not in page
    response = post(member, f"/vergaderingen/{room.meeting_id}/afmelding-intrekken")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/vergaderingen/{room.meeting_id}#afmelden")
    page = text(member.get(response.headers["Location"]))
    assert "Uw afmelding voor &#39;Wijkraadvergadering&#39; is ingetrokken." in page
    assert "Afmelden voor deze vergadering" in page
    row = room.register()[room.members[MEMBER]]
    assert row.presence is Presence.ABSENT and row.apologised_at is None


def test_apologies_close_when_the_meeting_opens(room):
    chair, member = room.browser(CHAIR), room.browser(MEMBER)
    post(chair, f"/vergaderingen/{room.meeting_id}/iedereen-aanwezig")
    assert post(chair, f"/vergaderingen/{room.meeting_id}/openen").status_code == 303
    assert "Afmelden voor deze vergadering" not in text(
        member.get(f"/vergaderingen/{room.meeting_id}")
    )
    assert "Afmelden voor deze vergadering" not in text(member.get("/mijn"))
    response = post(member, f"/vergaderingen/{room.meeting_id}/afmelden", {"reason": "Te laat"})
    assert response.status_code == 303
    page = text(member.get(response.headers["Location"]))
    assert "Afmelden kan alleen voor een gepubliceerde vergadering die nog niet is geopend." in page
    assert room.presence(MEMBER) is Presence.PRESENT


def test_a_reason_too_long_is_refused_with_a_message(room):
    member = room.browser(MEMBER)
    response = post(member, f"/vergaderingen/{room.meeting_id}/afmelden", {"reason": "x" * 201})
    assert response.status_code == 303
    page = text(member.get(response.headers["Location"]))
    assert "200" in squash(page) and "Afmelden voor deze vergadering" in page
    assert room.register() == {}


def test_who_is_no_member_sends_no_apologies(room, make):
    with room.app.app_context():
        other = make.council("west", residents=3, councillors=2)
        make.member(other, name="Wim West", email="wim.west@example.org")
    outsider = Web(room.app.test_client())
    assert outsider.login("wim.west@example.org").status_code == 302
    response = post(outsider, f"/vergaderingen/{room.meeting_id}/afmelden", {})
    assert response.status_code == 403
    anonymous = Web(room.app.test_client())
    response = post(anonymous, f"/vergaderingen/{room.meeting_id}/afmelden", {})
    assert response.status_code in (302, 401)
    assert room.register() == {}


# ------------------------------------------------------------------------------- API


def test_the_api_sends_and_withdraws_the_callers_own_apologies(room, client):
    url = f"/api/v1/meetings/{room.meeting_id}/apologies"
    h = bearer(room.tokens[MEMBER])
    response = client.put(url, json={"reason": "Ziek"}, headers=h)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["member_id"] == room.members[MEMBER]
    assert body["presence"] == "absent_with_notice" and body["reason"] == "Ziek"
    assert body["sent_at"] is not None
    attendance = client.get(f"/api/v1/meetings/{room.meeting_id}/attendance").get_json()
    assert attendance["absent_with_notice_ids"] == [room.members[MEMBER]]

    response = client.delete(url, headers=h)
    assert response.status_code == 200
    assert response.get_json()["presence"] == "absent"
    assert response.get_json()["sent_at"] is None
    # Withdrawing again changes nothing.
    assert client.delete(url, headers=h).get_json()["presence"] == "absent"

    assert client.put(url, json={}).status_code == 401
    too_long = client.put(url, json={"reason": "x" * 201}, headers=h)
    assert too_long.status_code == 422
    assert too_long.headers["Content-Type"].startswith("application/problem+json")


def test_the_api_refuses_apologies_once_the_meeting_is_open(room, client):
    h = bearer(room.tokens[CHAIR])
    secretary = room.browser(SECRETARY)
    post(secretary, f"/vergaderingen/{room.meeting_id}/iedereen-aanwezig")
    assert client.post(f"/api/v1/meetings/{room.meeting_id}/open", headers=h).status_code == 200
    url = f"/api/v1/meetings/{room.meeting_id}/apologies"
    response = client.put(url, json={}, headers=bearer(room.tokens[MEMBER]))
    assert response.status_code == 409
    assert response.get_json()["code"] == "apologies-closed"
    assert client.delete(url, headers=bearer(room.tokens[MEMBER])).status_code == 409


def test_a_reason_is_shown_as_text_never_as_markup(room):
    member, chair = room.browser(MEMBER), room.browser(CHAIR)
    post(member, f"/vergaderingen/{room.meeting_id}/afmelden", {"reason": "<b>Ziek</b> & moe"})
    for web in (member, chair):
        page = text(web.get(f"/vergaderingen/{room.meeting_id}"))
        assert "&lt;b&gt;Ziek&lt;/b&gt; &amp; moe" in page
        assert "<b>Ziek</b>" not in page
