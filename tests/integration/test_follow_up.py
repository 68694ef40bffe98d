"""A follow-up meeting (art. 20) takes over its original's agenda: each item is copied under the
same number, and the motions still undecided there go along; decided ones stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion

STARTS_AT = datetime(2026, 12, 1, 19, 30, tzinfo=clock.AMSTERDAM)
ADMIN = Actor(user_id=None, is_admin=True)


def test_the_undecided_motions_follow_their_items(app, make):
    with app.app_context():
        council = make.council("oost")
        original = motions.create_meeting(
            db.session, ADMIN, council, title="Vergadering", starts_at=STARTS_AT, location="Zaal"
        )
        opening = meetings.add_item(db.session, ADMIN, original, title="Opening")
        budget = meetings.add_item(db.session, ADMIN, original, title="Wijkbudget")
        garden = meetings.add_item(
            db.session, ADMIN, original, title="Moestuin", parent_id=budget.id
        )
        party = meetings.add_item(
            db.session, ADMIN, original, title="Buurtfeest", parent_id=budget.id
        )
        meetings.move_item(db.session, ADMIN, party, -1)  # 2.1 Buurtfeest, 2.2 Moestuin

        def motion(item, title):
            return motions.submit_motion(
                db.session, ADMIN, item, title=title, text=f"{title}.", on=clock.today()
            )

        kept, carried, withdrawn = (
            motion(garden, "Bakken"),
            motion(party, "Feest"),
            motion(garden, "Hek"),
        )
        motions.withdraw(db.session, ADMIN, withdrawn)
        meetings.publish(db.session, ADMIN, original, clock.now())

        follow_up = motions.create_meeting(
            db.session,
            ADMIN,
            council,
            title="Vervolg",
            starts_at=STARTS_AT + timedelta(days=2),
            location="Zaal",
            follow_up_of_id=original.id,
        )
        db.session.commit()
        copied = [(number, item.title) for number, item in meetings.ordered_items(follow_up)]
        assert copied == [
            ("1", "Opening"),
            ("2", "Wijkbudget"),
            ("2.1", "Buurtfeest"),
            ("2.2", "Moestuin"),
        ]
        where = {
            m.title: (
                m.agenda_item.meeting_id,
                meetings.numbers(m.agenda_item.meeting)[m.agenda_item_id],
            )
            for m in db.session.query(Motion)
        }
        assert where == {
            kept.title: (follow_up.id, "2.2"),
            carried.title: (follow_up.id, "2.1"),
            withdrawn.title: (original.id, "2.2"),
        }
        assert opening.meeting_id == original.id
