"""Completing a meeting's decisions: the secretary (or the chair, or an administrator) adds the
explanation and the commitments and may shorten the text; within limits, audited, frozen with
the approved minutes, and two secretaries saving at once never overwrite each other silently."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_from
from tests.integration.minutes_pages import (
    ANNA,
    BRAM,
    CARLA,
    actor,
    client_of,
    form_on,
    later_open_meeting,
)
from tests.record_world import ADMIN, build_record
from wijkraad import clock
from wijkraad.audit import AuditEvent
from wijkraad.errors import Conflict, Forbidden, Invalid
from wijkraad.extensions import db
from wijkraad.meetings.models import Meeting
from wijkraad.minutes import services
from wijkraad.minutes.decisions import complete_decision, decision_version, get_decision
from wijkraad.voting.models import Decision


@pytest.fixture
def record(app):
    with app.app_context():
        return build_record(db.session, public_names=False, public=2)


def text(response) -> str:
    return response.get_data(as_text=True)


def page_url(record) -> str:
    return f"/vergaderingen/{record.meeting_id}/besluiten/aanvullen"


def complete(who, decision_id: int, **values: str) -> Decision:
    decision = get_decision(db.session, decision_id)
    texts = {
        "text": decision.text,
        "explanation": decision.explanation,
        "commitments": decision.commitments,
    }
    return complete_decision(db.session, who, decision, **{**texts, **values})


def approve_minutes(record) -> None:
    later = db.session.get(Meeting, later_open_meeting(record))
    meeting = db.session.get(Meeting, record.meeting_id)
    minutes = services.start(db.session, actor(record, BRAM), meeting, clock.now())
    services.save(
        db.session,
        actor(record, BRAM),
        minutes,
        based_on=0,
        remarks="Opening.",
        notes={},
        now=clock.now(),
    )
    services.approve(db.session, actor(record, ANNA), minutes, at_meeting=later, on=clock.today())
    db.session.commit()


def test_who_may_complete_a_decision_and_what_is_kept(app, record):
    decision_id = record.public[0]
    with app.app_context():
        with pytest.raises(Forbidden):
            complete(actor(record, CARLA), decision_id, explanation="Waarom.")
        db.session.rollback()
        west = build_record(db.session, slug="west", code="WST")
        with pytest.raises(Forbidden):
            complete(actor(west, BRAM), decision_id, explanation="Elders.")
        db.session.rollback()
        old_text = get_decision(db.session, decision_id).text
        complete(
            actor(record, BRAM),
            decision_id,
            text="Vier bankjes in het park.",
            explanation="Veel\r\nbewoners vroegen erom.",
            commitments="De wethouder schrijft de buurt voor 1 juni.",
        )
        complete(actor(record, ANNA), decision_id, commitments="Toezegging van de voorzitter.")
        complete(ADMIN, record.confidential, explanation="Besloten toelichting.")
        db.session.commit()

        decision = get_decision(db.session, decision_id)
        assert decision.text == "Vier bankjes in het park."
        assert decision.explanation == "Veel\nbewoners vroegen erom."
        assert decision.commitments == "Toezegging van de voorzitter."
        events = db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.action == "decision.complete")
            .order_by(AuditEvent.id)
        ).all()
        assert [e.subject_id for e in events] == [decision_id, decision_id, record.confidential]
        assert events[0].data["old"]["text"] == old_text
        assert events[0].data["new"] == {
            "text": "Vier bankjes in het park.",
            "explanation": "Veel\nbewoners vroegen erom.",
            "commitments": "De wethouder schrijft de buurt voor 1 juni.",
        }
        assert events[1].data["old"]["commitments"] == "De wethouder schrijft de buurt voor 1 juni."
        assert events[0].actor_user_id == actor(record, BRAM).user_id


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({"text": "x" * 201}, "text"),
        ({"explanation": "x" * 20_001}, "explanation"),
        ({"commitments": "x" * 20_001}, "commitments"),
    ],
)
def test_the_texts_stay_within_their_limits(app, record, values, field):
    with app.app_context():
        with pytest.raises(Invalid) as refused:
            complete(actor(record, BRAM), record.public[0], **values)
        assert [e.field for e in refused.value.errors] == [field]
        db.session.rollback()
        complete(actor(record, BRAM), record.public[0], text="x" * 200, explanation="y" * 20_000)
        db.session.commit()


def test_a_stale_version_is_refused(app, record):
    with app.app_context():
        decision = get_decision(db.session, record.public[0])
        seen = decision_version(decision.text, decision.explanation, decision.commitments)
        complete_decision(
            db.session,
            actor(record, ANNA),
            decision,
            text=decision.text,
            explanation="Eerst.",
            commitments="",
            based_on=seen,
        )
        db.session.commit()
        with pytest.raises(Conflict) as stale:
            complete_decision(
                db.session,
                actor(record, BRAM),
                decision,
                text=decision.text,
                explanation="Later, van een oudere versie.",
                commitments="",
                based_on=seen,
            )
        assert stale.value.code == "decision-changed" and stale.value.status == 409
        db.session.rollback()
        assert get_decision(db.session, record.public[0]).explanation == "Eerst."


def test_frozen_once_the_minutes_are_approved(app, record):
    with app.app_context():
        approve_minutes(record)
        with pytest.raises(Conflict) as frozen:
            complete(actor(record, BRAM), record.public[0], explanation="Te laat.")
        assert frozen.value.code == "decision-frozen" and frozen.value.status == 409
    bram = client_of(app, record, BRAM)
    page = bram.get(page_url(record))
    assert page.status_code == 200
    assert "de besluiten veranderen niet meer" in text(page)
    assert "<textarea" not in text(page)
    token = csrf_from(text(page))
    late = bram.post(
        f"/besluiten/{record.public[0]}/aanvullen",
        data={
            "csrf_token": token,
            f"besluit-{record.public[0]}-based_on": "x",
            f"besluit-{record.public[0]}-text": "Te laat.",
        },
    )
    assert late.status_code == 409
    assert "het besluit verandert niet meer" in text(late)


def test_two_secretaries_at_once_one_wins(app, record):
    decision_id = record.public[0]
    with app.app_context():
        decision = get_decision(db.session, decision_id)
        seen = decision_version(decision.text, decision.explanation, decision.commitments)
        original = decision.text
        writers = [actor(record, BRAM), actor(record, ANNA)]
    barrier = threading.Barrier(2)
    results: dict[int, str] = {}

    def save(index: int) -> None:
        with app.app_context():
            mine = get_decision(db.session, decision_id)
            barrier.wait(timeout=30)
            try:
                complete_decision(
                    db.session,
                    writers[index],
                    mine,
                    text=original,
                    explanation=f"toelichting van schrijver {index}",
                    commitments="",
                    based_on=seen,
                )
                db.session.commit()
                results[index] = "saved"
            except Conflict as refused:
                db.session.rollback()
                results[index] = refused.code
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results.values()) == ["decision-changed", "saved"]
    winner = next(i for i, r in results.items() if r == "saved")
    with app.app_context():
        assert get_decision(db.session, decision_id).explanation == (
            f"toelichting van schrijver {winner}"
        )
        saves = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "decision.complete")
        )
        assert saves == 1


def test_the_page_lists_the_meetings_decisions_and_saves_one(app, record):
    bram = client_of(app, record, BRAM)
    page = bram.get(page_url(record))
    assert page.status_code == 200
    html = text(page)
    with app.app_context():
        identifiers = [
            d.identifier for d in db.session.scalars(sa.select(Decision).order_by(Decision.id))
        ]
    for identifier in identifiers:  # the confidential one too: the secretary is a member
        assert identifier in html
    target = record.public[1]
    action = f"/besluiten/{target}/aanvullen"
    data = form_on(html, action)
    prefix = f"besluit-{target}-"
    saved = bram.post(
        action,
        data={
            **data,
            prefix + "text": "Geen bankjes.",
            prefix + "commitments": "De voorzitter belt de buurtvereniging.",
        },
    )
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(f"{page_url(record)}#besluit-{target}")
    after = text(bram.get(saved.headers["Location"]))
    assert "is bijgewerkt" in after
    assert form_on(after, action)[prefix + "text"] == "Geen bankjes."

    empty = bram.post(action, data={**form_on(after, action), prefix + "text": " "})
    assert empty.status_code == 422 and "Vul de tekst van het besluit in." in text(empty)
    long = bram.post(action, data={**form_on(after, action), prefix + "text": "x" * 201})
    assert long.status_code == 422 and "te lang" in text(long)
    huge = {**form_on(after, action), prefix + "explanation": "x" * 20_001}
    assert bram.post(action, data=huge).status_code == 422

    carla = client_of(app, record, CARLA)
    assert carla.get(page_url(record)).status_code == 403
    token = csrf_from(text(carla.get(f"/vergaderingen/{record.meeting_id}")))
    assert carla.post(action, data={**data, "csrf_token": token}).status_code == 403
    anonymous = app.test_client()
    assert anonymous.get(page_url(record)).status_code == 302
    # The confidential decision does not exist for the public, not even to be refused.
    assert anonymous.post(f"/besluiten/{record.confidential}/aanvullen").status_code in (400, 404)
    assert bram.post("/besluiten/999999/aanvullen", data=data).status_code == 404


def test_two_secretaries_through_the_page(app, record):
    bram, anna = client_of(app, record, BRAM), client_of(app, record, ANNA)
    target = record.public[0]
    action, prefix = f"/besluiten/{target}/aanvullen", f"besluit-{target}-"
    loaded = {
        "bram": form_on(text(bram.get(page_url(record))), action),
        "anna": form_on(text(anna.get(page_url(record))), action),
    }
    first = {
        prefix + "explanation": "Bram: de buurt wil schaduw.",
        prefix + "commitments": "Bram: de wethouder belt.",  # only Bram changes this one
    }
    assert bram.post(action, data={**loaded["bram"], **first}).status_code == 303

    mine = {prefix + "explanation": "Anna: de buurt wil zitplekken."}
    conflict = anna.post(action, data={**loaded["anna"], **mine})
    assert conflict.status_code == 409
    html = text(conflict)
    shown = form_on(html, action)
    assert shown[prefix + "explanation"] == "Anna: de buurt wil zitplekken."  # kept
    assert "Bram: de buurt wil schaduw." in html  # and the other's, beside it
    assert "Intussen opgeslagen" in html
    assert shown[prefix + "commitments"] == "Bram: de wethouder belt."  # taken over
    assert "u had dit veld niet veranderd" in html
    assert anna.post(action, data=shown).status_code == 303
    with app.app_context():
        decision = get_decision(db.session, target)
        assert decision.explanation == "Anna: de buurt wil zitplekken."
        assert decision.commitments == "Bram: de wethouder belt."
