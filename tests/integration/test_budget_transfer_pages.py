"""Transfers and top-ups on the pages: the motion form proposes them (and refuses a transfer
asking a simple majority), the budget page, the decision page, the execution page and the
accountability report PDF show them."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import PASSWORD, Web, bearer
from tests.integration.budget_world import (
    YEAR,
    Room,
    adopt,
    line,
    motion,
    ok,
    open_round,
    room_fixture,  # noqa: F401
    vote_all,
)
from tests.integration.pdf_record import text_of
from wijkraad.extensions import db
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import Requirement


def _web_as(app, email: str) -> Web:
    web = Web(app.test_client())
    assert web.login(email, PASSWORD).status_code == 302
    return web


def _vote_and_close(client, room: Room, motion_id: int) -> dict:
    round_id = ok(open_round(client, room, motion_id), 201)["id"]
    vote_all(client, room, round_id)
    return ok(client.post(f"/api/v1/rounds/{round_id}/close", headers=bearer(room.chair)), 200)


def test_the_motion_form_proposes_a_transfer_by_two_thirds(app, client, room: Room):
    chair = _web_as(app, room.chair_email)
    url = f"/agendapunten/{room.item_id}/voorstellen/nieuw"
    page = chair.get(url).get_data(as_text=True)
    assert 'name="source_line_id"' in page and "Van begrotingspost" in page
    assert "tweederdemeerderheid" in page  # the form says what a transfer needs
    form = {
        "title": "Geld naar groen",
        "text": "Van ontmoeten naar groen.",
        "amount_cents": "2.000,00",
        "budget_line_id": str(room.lines["GROEN"]),
        "source_line_id": str(room.lines["SOC"]),
    }
    # a simple majority: refused on the requirement's field, nothing made
    r = chair.post_form(url, {**form, "requirement": "majority"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert 'id="requirement-error"' in html and "tweederdemeerderheid" in html
    same = {**form, "source_line_id": str(room.lines["GROEN"]), "requirement": "two_thirds"}
    r = chair.post_form(url, same)
    assert r.status_code == 422 and 'id="source_line_id-error"' in r.get_data(as_text=True)
    r = chair.post_form(url, {**form, "requirement": "two_thirds"})
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    with app.app_context():
        made = db.session.scalar(sa.select(Motion).where(Motion.title == "Geld naar groen"))
        assert made.source_line_id == room.lines["SOC"]
        assert made.budget_line_id == room.lines["GROEN"]
        assert made.amount_cents == 200_000 and made.requirement is Requirement.TWO_THIRDS
        motion_id = made.id
    meeting = chair.get(f"/vergaderingen/{room.meeting_id}").get_data(as_text=True)
    assert "Verschuift van SOC Ontmoeten" in meeting and "naar GROEN Groen en spelen" in meeting
    closed = _vote_and_close(client, room, motion_id)
    assert closed["outcome"] == "adopted"
    assert line(client, room, "SOC")["allocated_cents"] == 4_800_000
    identifier = closed["decision"]["identifier"]

    # the budget page, per line
    budget_page = client.get(f"/wijkraden/{room.slug}/begroting/{YEAR}").get_data(as_text=True)
    flat = " ".join(budget_page.split())
    assert "€ 2.000,00 verschoven naar GROEN Groen en spelen" in flat
    assert "€ 2.000,00 verschoven van SOC Ontmoeten" in flat
    assert f"/besluiten/{identifier}" in budget_page
    # the decision's page and the decision list
    decision = " ".join(client.get(f"/besluiten/{identifier}").get_data(as_text=True).split())
    assert "€ 2.000,00 van Ontmoeten naar Groen en spelen" in decision
    archive = " ".join(
        client.get(f"/wijkraden/{room.slug}/besluiten").get_data(as_text=True).split()
    )
    assert "€ 2.000,00 van Ontmoeten naar Groen en spelen" in archive
    # the accountability report
    report = client.get(f"/wijkraden/{room.slug}/begroting/{YEAR}/verantwoording.pdf")
    assert report.status_code == 200
    text = " ".join(text_of(report.data).split())
    assert "€ 2.000,00 verschoven naar GROEN Groen en spelen" in text
    assert f"besluit {identifier}" in text


def test_the_motion_form_tops_up_an_open_decision(app, client, room: Room):
    first = adopt(client, room, 1_000_000)["decision"]
    chair = _web_as(app, room.chair_email)
    url = f"/agendapunten/{room.item_id}/voorstellen/nieuw"
    page = chair.get(url).get_data(as_text=True)
    assert 'name="supplements_decision_id"' in page and "Aanvulling op besluit" in page
    assert first["identifier"] in page
    r = chair.post_form(
        url,
        {
            "title": "Meer speeltuin",
            "text": "Er komt geld bij.",
            "requirement": "majority",
            "amount_cents": "500",
            "budget_line_id": str(room.lines["SOC"]),  # not the decision's line
            "supplements_decision_id": str(first["id"]),
        },
    )
    assert r.status_code == 422
    assert 'id="supplements_decision_id-error"' in r.get_data(as_text=True)
    r = chair.post_form(
        url,
        {
            "title": "Meer speeltuin",
            "text": "Er komt geld bij.",
            "requirement": "majority",
            "amount_cents": "500",
            "budget_line_id": str(room.lines["GROEN"]),
            "supplements_decision_id": str(first["id"]),
        },
    )
    assert r.status_code == 303
    with app.app_context():
        made = db.session.scalar(sa.select(Motion).where(Motion.title == "Meer speeltuin"))
        assert made.supplements_decision_id == first["id"]
        motion_id = made.id
    closed = _vote_and_close(client, room, motion_id)
    assert closed["outcome"] == "adopted"
    top_up_id = closed["decision"]["identifier"]
    flat = " ".join(
        client.get(f"/wijkraden/{room.slug}/begroting/{YEAR}").get_data(as_text=True).split()
    )
    assert f"Aangevuld met € 500,00 door besluit {top_up_id}." in flat
    assert "€ 10.500,00 toegezegd" in flat
    secretary = _web_as(app, room.secretary_email)
    progress = secretary.get(f"/begroting/besluiten/{first['id']}/voortgang").get_data(as_text=True)
    flat = " ".join(progress.split())
    assert f"aangevuld met € 500,00 door besluit {top_up_id}" in flat
    assert "Er kan nog € 10.500,00 worden uitgegeven." in flat
    report = client.get(f"/wijkraden/{room.slug}/begroting/{YEAR}/verantwoording.pdf")
    text = " ".join(text_of(report.data).split())
    assert f"aangevuld met € 500,00 door besluit {top_up_id}" in text


def _article(page: str, motion_id: int) -> str:
    start = page.index(f'id="voorstel-{motion_id}"')
    return page[start : page.index("</article>", start)]


def test_the_chair_sees_that_a_finished_decision_can_take_no_top_up(app, client, room: Room):
    first = adopt(client, room, 1_000_000)["decision"]["id"]
    topping = motion(client, room, 100, supplements_decision_id=first)
    other = motion(client, room, 100)
    chair = _web_as(app, room.chair_email)
    note = "Het besluit dat dit voorstel aanvult is al afgerond"

    # While the execution is open the round can open, as on any motion.
    page = chair.get(f"/vergaderingen/{room.meeting_id}").get_data(as_text=True)
    assert f'action="/voorstellen/{topping}/stemming"' in _article(page, topping)
    assert note not in page

    progress = f"/api/v1/decisions/{first}/progress"
    done = {"status": "done", "spent_cents": 0, "note": "Klaar"}
    ok(client.post(progress, json=done, headers=bearer(room.secretary)), 201)
    page = chair.get(f"/vergaderingen/{room.meeting_id}").get_data(as_text=True)
    article = " ".join(_article(page, topping).split())
    assert f"{note} (uitgevoerd of geannuleerd): er kan geen geld meer bij." in article
    assert "Er kan nu geen stemming worden geopend:" in article
    assert f'action="/voorstellen/{topping}/stemming"' not in article
    # Only that motion: the others keep their button.
    assert f'action="/voorstellen/{other}/stemming"' in _article(page, other)
    assert note not in _article(page, other)
    # And the service refuses its round for the same reason.
    refused = open_round(client, room, topping)
    assert refused.status_code == 409 and refused.get_json()["code"] == "top-up-closed"
