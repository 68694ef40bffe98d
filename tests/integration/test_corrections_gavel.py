"""The chair's gavel on a formality item of an open meeting: one press makes the motion from
the item and adopts it without a vote (decision number, decision list, public record, audit),
unless a member asked for a vote, which they do from the item too."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import url_for

from tests.conftest import Web
from tests.integration.correction_world import (
    ADMIN,
    CHAIR,
    MEMBER,
    SECRETARY,
    World,
    audits,
    build,
    login,
    open_it,
    page,
    press,
    publish,
)
from wijkraad import clock
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import MotionStatus
from wijkraad.voting.models import Decision


@pytest.fixture
def world(app, make) -> World:
    with app.app_context():
        world = build(make)
        open_it(world)
        return world


def meeting_url(world: World) -> str:
    return f"/vergaderingen/{world.meeting_id}"


def motions_of(item_id: int) -> list[Motion]:
    return list(
        db.session.scalars(
            sa.select(Motion).where(Motion.agenda_item_id == item_id).order_by(Motion.id)
        )
    )


def test_one_gavel_makes_the_motion_from_the_item_and_adopts_it(app, world):
    item = world.items["Verslag"]
    web = login(app, CHAIR)
    shown = page(web, meeting_url(world))
    assert shown.count("Hamerslag: aangenomen<span") == 1  # only on the formality
    response = press(web, f"/agendapunten/{item}/hamerslag", meeting_url(world))
    assert response.status_code == 303
    after = page(web, response.headers["Location"])
    with app.app_context():
        [motion] = motions_of(item)
        assert (motion.title, motion.text) == ("Verslag", "Over Verslag")
        assert motion.status is MotionStatus.ADOPTED and not motion.vote_requested
        [decision] = db.session.scalars(sa.select(Decision)).all()
        assert decision.motion_id == motion.id and decision.round_id is None
        assert decision.identifier in after
        assert (
            f"Hamerslag: &#39;Verslag&#39; is aangenomen (besluit {decision.identifier})." in after
        )
        assert [r.subject_id for r in audits("motion.from_item")] == [motion.id]
        assert [r.subject_id for r in audits("decision.record")] == [decision.id]
        identifier = decision.identifier
    assert "Hamerslag: aangenomen<span" not in after
    # On the decision list and in the public record.
    with app.test_request_context():
        record = url_for("archive.decision", identifier=identifier)
    assert "Verslag" in page(web, record)
    public = app.test_client().get(f"/api/v1/meetings/{world.meeting_id}").get_json()
    [verslag] = [i for i in public["agenda"] if i["id"] == item]
    assert verslag["motions"][0]["decision"]["identifier"] == identifier
    # A second press finds it decided.
    again = press(web, f"/agendapunten/{item}/hamerslag", meeting_url(world))
    assert "Over dit hamerstuk is al besloten." in page(web, again.headers["Location"])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 1


def test_the_gavel_takes_the_motion_already_on_the_item(app, world):
    item = world.items["Verslag"]
    with app.app_context():
        existing = motions.submit_motion(
            db.session,
            ADMIN,
            db.session.get(AgendaItem, item),
            title="Verslag vaststellen",
            text="Het verslag wordt vastgesteld.",
            on=clock.today(),
        ).id
        db.session.commit()
    web = login(app, CHAIR)
    response = press(web, f"/agendapunten/{item}/hamerslag", meeting_url(world))
    assert response.status_code == 303
    with app.app_context():
        [motion] = motions_of(item)
        assert motion.id == existing and motion.status is MotionStatus.ADOPTED


def test_a_member_asks_for_a_vote_and_the_gavel_gives_way(app, world):
    item = world.items["Verslag"]
    member = login(app, MEMBER)
    shown = page(member, meeting_url(world))
    assert "Stemming vragen<span" in shown and "Hamerslag: aangenomen" not in shown
    response = press(member, f"/agendapunten/{item}/stemming-vragen", meeting_url(world))
    assert response.status_code == 303
    assert "U hebt om stemming gevraagd over &#39;Verslag&#39;." in page(
        member, response.headers["Location"]
    )
    with app.app_context():
        [motion] = motions_of(item)
        assert motion.vote_requested and motion.status is MotionStatus.SUBMITTED
        assert [r.data["vote_requested"] for r in audits("motion.from_item")] == [True]
    chair = login(app, CHAIR)
    shown = page(chair, meeting_url(world))
    assert "Hamerslag: aangenomen" not in shown
    assert "Een lid heeft om stemming gevraagd: dit hamerstuk gaat niet met een hamerslag" in shown
    assert "Stemming openen" in shown  # the normal way of a vote
    # A gavel posted from a page opened before is refused.
    response = press(chair, f"/agendapunten/{item}/hamerslag", meeting_url(world))
    assert "Een lid heeft om stemming gevraagd" in page(chair, response.headers["Location"])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 0


def test_only_the_chair_gavels_and_only_on_a_formality_of_an_open_meeting(app, make):
    with app.app_context():
        world = build(make)
        publish(world)
    chair = login(app, CHAIR)
    item = world.items["Verslag"]
    response = press(chair, f"/agendapunten/{item}/hamerslag", meeting_url(world))
    assert "De vergadering is niet geopend." in page(chair, response.headers["Location"])
    with app.app_context():
        open_it(world)
    response = press(chair, f"/agendapunten/{world.items['Opening']}/hamerslag", meeting_url(world))
    assert "Dit agendapunt is geen hamerstuk." in page(chair, response.headers["Location"])
    secretary = login(app, SECRETARY)
    assert "Hamerslag: aangenomen" not in page(secretary, meeting_url(world))
    response = press(secretary, f"/agendapunten/{item}/hamerslag", meeting_url(world))
    assert response.status_code == 403
    anonymous = press(Web(app.test_client()), f"/agendapunten/{item}/hamerslag", meeting_url(world))
    assert anonymous.status_code == 302 and "/aanmelden" in anonymous.headers["Location"]
    with app.app_context():
        assert motions_of(item) == [] and audits("decision.record") == []


def test_a_member_asks_for_a_vote_from_the_phone_while_the_formality_is_discussed(app, world):
    phone = f"/vergaderingen/{world.meeting_id}/stemmen"
    member = login(app, MEMBER)
    assert "Hamerstuk in behandeling" not in page(member, phone)  # nothing under discussion
    with app.app_context():
        meeting = db.session.get(AgendaItem, world.items["Verslag"]).meeting
        meetings.set_current_item(
            db.session, ADMIN, meeting, db.session.get(AgendaItem, world.items["Opening"])
        )
        db.session.commit()
    assert "Hamerstuk in behandeling" not in page(member, phone)  # no formality
    with app.app_context():
        meeting = db.session.get(AgendaItem, world.items["Verslag"]).meeting
        meetings.set_current_item(
            db.session, ADMIN, meeting, db.session.get(AgendaItem, world.items["Verslag"])
        )
        db.session.commit()
    shown = page(member, phone)
    assert "Hamerstuk in behandeling" in shown and "2. Verslag" in shown
    item = world.items["Verslag"]
    response = press(member, f"/agendapunten/{item}/stemming-vragen", phone, {"next": phone})
    assert response.status_code == 303 and response.headers["Location"].endswith(phone)
    after = page(member, phone)
    assert "U hebt om stemming gevraagd over &#39;Verslag&#39;." in after
    assert "Hamerstuk in behandeling" not in after
    with app.app_context():
        [motion] = motions_of(item)
        assert motion.vote_requested
    # Only a path on this site is followed.
    elsewhere = press(
        member, f"/agendapunten/{item}/stemming-vragen", phone, {"next": "https://evil.example/"}
    )
    assert elsewhere.headers["Location"].endswith(f"/vergaderingen/{world.meeting_id}#punt-{item}")
