"""A published agenda that changed is mailed again on request: the chair's page tells of the
change and sends it, the API too, each change once, only by those who manage the meeting; the
mail lists the agenda with what is new, changed and removed. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Web, bearer, csrf_from
from tests.integration.correction_world import (
    CHAIR,
    MEMBER,
    MEMBERS,
    World,
    audits,
    build,
    open_it,
    publish,
)
from tests.integration.test_races import together
from wijkraad.extensions import db
from wijkraad.mail.models import OutboxMessage

NOTICE = "De agenda is gewijzigd sinds hij is verstuurd."
BUTTON = "Gewijzigde agenda versturen"


@pytest.fixture
def world(app, make) -> World:
    with app.app_context():
        return build(make)


def problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == code


def changed_mails(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.subject.startswith("Agenda gewijzigd"))
                .order_by(OutboxMessage.id)
            )
        )


def resend_url(world: World) -> str:
    return f"/api/v1/meetings/{world.meeting_id}/agenda/resend"


def page(web: Web, world: World) -> str:
    return web.get(f"/vergaderingen/{world.meeting_id}").get_data(as_text=True)


def logged_in(app, email: str) -> Web:
    web = Web(app.test_client())
    assert web.login(email).status_code == 302
    return web


def press(web: Web, world: World) -> Any:
    return web.client.post(
        f"/vergaderingen/{world.meeting_id}/agenda-versturen",
        data={"csrf_token": csrf_from(page(web, world))},
    )


def test_the_chair_sees_the_change_and_sends_it_once(app, client, world):
    with app.app_context():
        publish(world)
    chair = logged_in(app, CHAIR)
    assert NOTICE not in page(chair, world) and BUTTON not in page(chair, world)
    edited = client.patch(
        f"/api/v1/agenda-items/{world.items['Speeltuin']}",
        json={"title": "Speeltuin Oost"},
        headers=bearer(world.secretary_token),
    )
    assert edited.status_code == 200
    shown = page(chair, world)
    assert NOTICE in shown and BUTTON in shown
    # A member sees no notice, and may not send.
    member = logged_in(app, MEMBER)
    assert NOTICE not in page(member, world)
    assert press(member, world).status_code == 403
    assert changed_mails(app) == []

    sent = press(chair, world)
    assert sent.status_code == 303
    after = chair.get(sent.headers["Location"]).get_data(as_text=True)
    assert "De gewijzigde agenda is naar de leden verstuurd." in after
    assert NOTICE not in after and BUTTON not in after
    mails = changed_mails(app)
    assert len(mails) == MEMBERS
    assert len({m.recipient for m in mails}) == MEMBERS
    mail = mails[0]
    assert mail.subject.startswith("Agenda gewijzigd: Vergadering maart ")
    assert "1. Opening\n" in mail.text
    assert "3. Speeltuin Oost [gewijzigd]" in mail.text
    assert "Speeltuin Oost" in mail.html and "[gewijzigd]" in mail.html
    assert mail.attachments and mail.attachments[0]["content_type"] == "text/calendar"
    with app.app_context():
        assert len(audits("agenda.resent")) == 1

    # Nothing changed since: a second press sends nothing and says so.
    again = press(chair, world)
    assert again.status_code == 303
    shown = chair.get(again.headers["Location"]).get_data(as_text=True)
    assert "De agenda is niet gewijzigd sinds hij is verstuurd." in shown
    assert len(changed_mails(app)) == MEMBERS


def test_the_api_sends_new_changed_and_removed_items(app, client, world):
    h = bearer(world.chair_token)
    url = f"/api/v1/meetings/{world.meeting_id}"
    # A draft was never mailed: no change to tell, and nothing to send.
    assert client.get(url, headers=h).get_json()["agenda_changed"] is False
    problem(client.post(resend_url(world), headers=h), 409, "meeting-status")
    with app.app_context():
        publish(world)
    assert client.get(url, headers=h).get_json()["agenda_changed"] is False
    problem(client.post(resend_url(world), headers=h), 409, "agenda-unchanged")
    # Only those who manage the meeting are told.
    assert "agenda_changed" not in client.get(url).get_json()
    assert "agenda_changed" not in client.get(url, headers=bearer(world.member_token)).get_json()

    added = client.post(f"{url}/agenda-items", json={"title": "Rondvraag"}, headers=h)
    assert added.status_code == 201
    assert client.delete(
        f"/api/v1/agenda-items/{world.items['Opening']}", headers=h
    ).status_code in (
        200,
        204,
    )
    edited = client.patch(
        f"/api/v1/agenda-items/{world.items['Verslag']}",
        json={"description": "Het verslag van februari"},
        headers=h,
    )
    assert edited.status_code == 200
    assert client.get(url, headers=h).get_json()["agenda_changed"] is True

    problem(client.post(resend_url(world), headers=bearer(world.member_token)), 403, "forbidden")
    problem(client.post(resend_url(world)), 401, "unauthorized")
    assert changed_mails(app) == []

    sent = client.post(resend_url(world), headers=bearer(world.secretary_token))
    assert sent.status_code == 200, sent.get_json()
    assert sent.get_json() == {"id": world.meeting_id, "mails": MEMBERS}
    text = changed_mails(app)[0].text
    # Opening is gone: Verslag is now 1 (its text changed), Speeltuin 2 (its number did).
    assert "1. Verslag (hamerstuk) [gewijzigd]" in text
    assert "2. Speeltuin [gewijzigd]" in text
    assert "3. Rondvraag [nieuw]" in text
    removed = text.split("Van de agenda gehaald:")[1]
    assert "1. Opening" in removed and "Speeltuin" not in removed
    assert client.get(url, headers=h).get_json()["agenda_changed"] is False
    problem(client.post(resend_url(world), headers=h), 409, "agenda-unchanged")

    # A second change is a mail of its own.
    client.patch(
        f"/api/v1/agenda-items/{world.items['Speeltuin']}", json={"title": "Speelplek"}, headers=h
    )
    assert client.post(resend_url(world), headers=h).get_json()["mails"] == MEMBERS
    second = changed_mails(app)[MEMBERS:]
    assert len(second) == MEMBERS
    assert "2. Speelplek [gewijzigd]" in second[0].text
    assert "1. Verslag (hamerstuk)\n" in second[0].text

    # Once the meeting opens, its agenda is fixed: nothing more to send.
    with app.app_context():
        open_it(world)
    assert client.get(url, headers=h).get_json()["agenda_changed"] is False
    problem(client.post(resend_url(world), headers=h), 409, "meeting-status")


def test_a_confidential_item_is_never_mailed_so_its_change_is_none(app, client, world):
    h = bearer(world.chair_token)
    url = f"/api/v1/meetings/{world.meeting_id}"
    with app.app_context():
        publish(world)
    added = client.post(
        f"{url}/agenda-items", json={"title": "Personeel", "is_confidential": True}, headers=h
    )
    assert added.status_code == 201
    assert client.get(url, headers=h).get_json()["agenda_changed"] is False
    problem(client.post(resend_url(world), headers=h), 409, "agenda-unchanged")


def test_two_presses_at_once_send_the_changed_agenda_once(app, client, world):
    with app.app_context():
        publish(world)
    client.patch(
        f"/api/v1/agenda-items/{world.items['Opening']}",
        json={"title": "Opening en mededelingen"},
        headers=bearer(world.chair_token),
    )
    chair = logged_in(app, CHAIR)
    tokens = {"page": csrf_from(page(chair, world))}
    page_url = f"/vergaderingen/{world.meeting_id}/agenda-versturen"
    responses = together(
        app,
        [
            lambda _c: chair.client.post(page_url, data={"csrf_token": tokens["page"]}),
            lambda c: c.post(resend_url(world), headers=bearer(world.secretary_token)),
            lambda c: c.post(resend_url(world), headers=bearer(world.chair_token)),
        ],
    )
    assert responses[0].status_code == 303
    api = sorted(r.status_code for r in responses[1:])
    assert api in ([200, 409], [409, 409])
    for r in responses[1:]:
        if r.status_code == 409:
            assert r.get_json()["code"] == "agenda-unchanged"
    assert len(changed_mails(app)) == MEMBERS
    with app.app_context():
        assert len(audits("agenda.resent")) == 1
