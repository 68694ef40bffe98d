"""The write boundary (``web.write``): one commit on success; a refusal rolls everything back and
is answered by its surface (the API's problem+json, a form field, a flash, an htmx fragment)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask import Flask, flash, get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField

from tests.conftest import Web
from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council
from wijkraad.councils.rules import Role
from wijkraad.errors import Conflict, Forbidden, Invalid, NotFound
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Meeting, Recusal
from wijkraad.meetings.rules import Presence
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.web import FLASH, KEEP, write

STARTS_AT = datetime(2026, 12, 1, 19, 30, tzinfo=clock.AMSTERDAM)
ADMIN = Actor(user_id=None, is_admin=True)


def new_meeting(council_id: int, title: str = "Vergadering") -> Meeting:
    council = db.session.get(Council, council_id)
    return meetings.create_meeting(
        db.session, ADMIN, council, title=title, starts_at=STARTS_AT, location="Buurthuis"
    )


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


class TitleForm(FlaskForm):
    title = StringField()


@pytest.fixture
def council(app, make) -> int:
    with app.app_context():
        return make.council("oost").id


@pytest.fixture
def request_context(app: Flask):
    """One request, for the tests of ``write`` itself (no test client)."""
    with app.test_request_context("/", method="POST"):
        yield


def test_a_write_commits_once_at_the_end(council, request_context):
    with write(FLASH) as attempt:
        new_meeting(council)
    assert attempt.refusal is None
    db.session.rollback()  # nothing left to undo: it was committed
    assert count(Meeting) == 1


@pytest.mark.parametrize("shown", [FLASH, KEEP, "form"])
def test_a_refusal_rolls_back_and_drops_the_success_message(council, request_context, shown):
    form = TitleForm(meta={"csrf": False})
    with write(form if shown == "form" else shown) as attempt:
        new_meeting(council)
        flash("Gelukt.", "ok")
        raise Conflict("meeting-closed")
    assert count(Meeting) == 0
    assert isinstance(attempt.refusal, Conflict)
    flashed = get_flashed_messages(with_categories=True)
    if shown == KEEP:
        assert flashed == []  # the fragment shows it
    else:
        assert flashed == [("error", "Deze vergadering is gesloten of geannuleerd.")]


def test_a_refusal_lands_on_the_form_field_it_names(council, request_context):
    form = TitleForm(meta={"csrf": False})
    with write(form):
        raise Invalid("field-required", field="title")
    assert form.title.errors == ["Dit veld is verplicht."]
    assert get_flashed_messages() == []


@pytest.mark.parametrize("shown", [None, FLASH, KEEP])
@pytest.mark.parametrize("error", [Forbidden(), NotFound("meeting-not-found")])
def test_who_may_not_be_here_gets_the_error_page(council, request_context, shown, error):
    with pytest.raises(type(error)), write(shown):
        new_meeting(council)
        raise error
    assert count(Meeting) == 0


def test_a_refusal_with_a_reason_is_explained_in_place(request_context):
    with write(FLASH) as attempt:
        raise Forbidden("not-entitled")
    assert attempt.refusal is not None and attempt.refusal.code == "not-entitled"
    assert get_flashed_messages() == [attempt.refusal.message]


def test_the_api_surface_passes_every_refusal_on(council, request_context):
    with pytest.raises(Conflict), write():
        new_meeting(council)
        raise Conflict("meeting-closed")
    assert count(Meeting) == 0


def test_a_failed_commit_keeps_no_success_message(council, request_context, monkeypatch):
    def broken() -> None:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError), write(FLASH):
        new_meeting(council)
        flash("Gelukt.", "ok")
        monkeypatch.setattr(db.session, "commit", broken)
    assert get_flashed_messages() == []


# -------------------------------------------------- refusals on the pages


@pytest.fixture
def secretary(app, make, council, web: Web) -> Web:
    with app.app_context():
        member = make.member(
            db.session.get(Council, council), role=Role.SECRETARY, email="secretaris@example.org"
        )
        assert member.person.user is not None
    assert web.login("secretaris@example.org").status_code == 302
    return web


def test_a_recusal_without_a_member_is_flashed(app, council, secretary):
    with app.app_context():
        meeting = new_meeting(council)
        item = meetings.add_item(db.session, ADMIN, meeting, title="Speeltuin")
        db.session.commit()
        meeting_id, item_id = meeting.id, item.id
    page = f"/vergaderingen/{meeting_id}"
    response = secretary.post_form(
        f"/agendapunten/{item_id}/verschoningen", {"member_id": ""}, page=page
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{page}#punt-{item_id}")
    assert "Kies het lid dat zich verschoont." in secretary.get(page).get_data(as_text=True)
    with app.app_context():
        assert count(Recusal) == 0


def test_scheduling_without_an_item_is_flashed(app, make, council, secretary):
    with app.app_context():
        meeting = new_meeting(council)
        item = meetings.add_item(db.session, ADMIN, meeting, title="Speeltuin")
        for m in meeting.council.current_memberships(clock.today()):
            attendance.mark(db.session, ADMIN, meeting, m.id, Presence.PRESENT, clock.now())
        motion = motions.submit_motion(
            db.session, ADMIN, item, title="Schommels", text="Twee schommels.", on=clock.today()
        )
        db.session.commit()
        meeting_id, motion_id = meeting.id, motion.id
    page = f"/vergaderingen/{meeting_id}"
    response = secretary.post_form(
        f"/voorstellen/{motion_id}/agenderen", {"agenda_item_id": ""}, page=page
    )
    assert response.status_code == 303
    html = secretary.get(page).get_data(as_text=True)
    assert "Kies een agendapunt van een latere vergadering." in html


def test_an_amount_without_a_budget_line_is_refused_on_the_line(app, council, secretary):
    with app.app_context():
        meeting = new_meeting(council)
        item_id = meetings.add_item(db.session, ADMIN, meeting, title="Speeltuin").id
        db.session.commit()
    response = secretary.post_form(
        f"/agendapunten/{item_id}/voorstellen/nieuw",
        {"title": "Schommels", "text": "Twee schommels.", "requirement": "majority"}
        | {"amount_cents": "1250,00"},
    )
    assert response.status_code == 422
    error = re.search(
        r'id="budget_line_id-error">(.*?)</div>', response.get_data(as_text=True), re.S
    )
    assert error and "Noem de begrotingspost bij een bedrag." in error.group(1)
    with app.app_context():
        assert count(Motion) == 0
