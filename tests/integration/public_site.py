"""What the tests of the public site share: a council's record with a closed meeting whose
decisions are completed (explanation, commitments, an amount on a budget line), a second
council, and reading pages as a visitor, a member or through the API."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask

from tests.integration.minutes_pages import BRAM, actor, client_of
from tests.record_world import ADMIN, Record, build_record
from wijkraad import clock
from wijkraad.budget import services as budget
from wijkraad.councils.models import Council
from wijkraad.extensions import db
from wijkraad.meetings.models import Meeting
from wijkraad.minutes.decisions import complete_decision, get_decision
from wijkraad.motions.models import Motion
from wijkraad.voting import services as voting
from wijkraad.voting.models import Decision

EXPLANATION = "De bewoners vroegen om bankjes bij de vijver; de gemeente plaatst ze in mei."
COMMITMENTS = "De wethouder zegt toe de bankjes voor de zomer te plaatsen."


@dataclass
class Site:
    record: Record
    identifiers: dict[int, str]  # decision id -> identifier, of ``record``
    other: Record  # a second council's record ("west", residents' names public)
    line_id: int  # the budget line of the first public decision: "Groen en spelen"


def completed(record: Record, decision_id: int, **values: str) -> None:
    """The decision's texts changed as the secretary changes them."""
    decision = get_decision(db.session, decision_id)
    texts = {
        "text": decision.text,
        "explanation": decision.explanation,
        "commitments": decision.commitments,
    }
    complete_decision(db.session, actor(record, BRAM), decision, **{**texts, **values})
    db.session.commit()


def close(record: Record) -> None:
    meeting = db.session.get(Meeting, record.meeting_id)
    voting.close_meeting(db.session, actor(record, "Anna de Voorzitter"), meeting, clock.now())
    db.session.commit()


def build_site(app: Flask, *, closed: bool = True, public: int = 4) -> Site:
    """``oost`` (residents' names not public) with ``public`` decisions on item 2, the first
    completed and with an amount on the budget line "Groen en spelen"; ``west`` with two."""
    with app.app_context():
        record = build_record(db.session, public_names=False, public=public)
        other = build_record(db.session, slug="west", code="WST", public_names=True, public=2)
        completed(record, record.public[0], explanation=EXPLANATION, commitments=COMMITMENTS)
        motion_id = db.session.scalar(
            sa.select(Decision.motion_id).where(Decision.id == record.public[0])
        )
        council = db.session.get(Council, record.council_id)
        year_budget = budget.create_budget(
            db.session, ADMIN, council, year=clock.today().year, total_cents=1_000_000
        )
        line = budget.add_line(
            db.session,
            ADMIN,
            year_budget,
            code="GROEN",
            name="Groen en spelen",
            allocated_cents=500_000,
        )
        db.session.flush()
        line_id = line.id
        db.session.execute(
            sa.update(Motion)
            .where(Motion.id == motion_id)
            .values(budget_line_id=line_id, amount_cents=125_000)
        )
        db.session.commit()
        if closed:
            close(record)
        identifiers = dict(
            db.session.execute(
                sa.select(Decision.id, Decision.identifier).where(
                    Decision.council_id == record.council_id
                )
            ).all()
        )
    return Site(record, identifiers, other, line_id)


def member_client(app: Flask, site: Site):  # type: ignore[no-untyped-def]
    return client_of(app, site.record, "Carla Bewoner")


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)
