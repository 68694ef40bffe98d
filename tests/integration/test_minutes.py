"""Minutes: drafted from what the app knows plus the secretary's notes, every save a revision,
two saves at once never both win, approved at a later meeting and then frozen; drafts only for
members, confidential items' notes never public."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.record_world import actor_of, build_record
from wijkraad import clock
from wijkraad.audit import AuditEvent
from wijkraad.auth.actor import ANONYMOUS
from wijkraad.councils.models import Membership
from wijkraad.errors import Conflict, Forbidden, Invalid, NotFound
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import Presence
from wijkraad.minutes import queries, services
from wijkraad.minutes.models import Minutes, MinutesRevision
from wijkraad.minutes.rules import MinutesStatus


@pytest.fixture
def record(app):
    with app.app_context():
        return build_record(db.session, public_names=False, public=2)


def people(record):
    """The chair, the secretary and a member, as actors."""
    found = {}
    for name in ("Anna de Voorzitter", "Bram Bewoner", "Carla Bewoner"):
        found[name.split()[0].lower()] = actor_of(db.session.get(Membership, record.members[name]))
    return found


def items(record) -> dict[str, int]:
    rows = db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.meeting_id == record.meeting_id)
    )
    return {item.title: item.id for item in rows}


def later_open_meeting(record) -> Meeting:
    who = people(record)
    meeting = db.session.get(Meeting, record.meeting_id)
    later = meetings.create_meeting(
        db.session,
        who["anna"],
        meeting.council,
        title="Volgende vergadering",
        starts_at=meeting.starts_at + timedelta(days=28),
        location="Buurthuis",
    )
    meetings.publish(db.session, who["anna"], later, clock.now())
    seated = list(record.members.values())
    attendance.set_attendance(
        db.session,
        who["anna"],
        later,
        present=set(seated),
        absent_with_notice=set(),
        now=clock.now(),
        on=clock.today(),
    )
    meetings.open_meeting(db.session, who["anna"], later, clock.now(), clock.today())
    db.session.commit()
    return later


def test_the_secretary_writes_and_every_save_is_a_revision(app, record):
    with app.app_context():
        who = people(record)
        meeting = db.session.get(Meeting, record.meeting_id)
        with pytest.raises(Forbidden):
            services.start(db.session, who["carla"], meeting, clock.now())
        minutes = services.start(db.session, who["bram"], meeting, clock.now())
        again = services.start(db.session, who["anna"], meeting, clock.now())
        assert again.id == minutes.id
        park = items(record)["Speeltuin Oosterpark"]
        services.save(
            db.session,
            who["bram"],
            minutes,
            based_on=0,
            remarks="Opening om 19.30 uur.",
            notes={park: "Veel insprekers over de bankjes."},
            now=clock.now(),
        )
        services.save(
            db.session,
            who["bram"],
            minutes,
            based_on=1,
            remarks="Opening om 19.35 uur.",
            notes={},
            now=clock.now(),
        )
        db.session.commit()
        with pytest.raises(Conflict) as stale:
            services.save(
                db.session, who["bram"], minutes, based_on=1, remarks="x", notes={}, now=clock.now()
            )
        assert stale.value.code == "minutes-changed"
        db.session.rollback()
        with pytest.raises(Invalid):
            services.save(
                db.session,
                who["bram"],
                minutes,
                based_on=2,
                remarks="",
                notes={999_999: "elders"},
                now=clock.now(),
            )
        db.session.rollback()
        revisions = db.session.scalars(
            sa.select(MinutesRevision).order_by(MinutesRevision.number)
        ).all()
        assert [r.number for r in revisions] == [1, 2]
        assert revisions[1].content == {
            "remarks": "Opening om 19.35 uur.",
            "notes": {str(park): "Veel insprekers over de bankjes."},
        }
        assert all(r.author_id == who["bram"].user_id for r in revisions)
        view = queries.minutes_view(db.session, who["carla"], record.meeting_id)
        assert view.status is MinutesStatus.DRAFT and view.revision == 2
        assert [r.number for r in view.revisions] == [2, 1]
        by_title = {i.item.title: i.notes for i in view.items}
        assert by_title["Speeltuin Oosterpark"] == "Veel insprekers over de bankjes."
        saves = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "minutes.save")
        )
        assert saves == 2


def test_two_saves_at_once_from_the_same_revision_one_wins(app, record):
    with app.app_context():
        who = people(record)
        minutes = services.start(
            db.session, who["bram"], db.session.get(Meeting, record.meeting_id), clock.now()
        )
        db.session.commit()
        minutes_id, secretary = minutes.id, who["bram"]
    barrier = threading.Barrier(2)
    results: dict[int, str] = {}

    def save(index: int) -> None:
        with app.app_context():
            mine = db.session.get(Minutes, minutes_id)
            barrier.wait(timeout=30)
            try:
                services.save(
                    db.session,
                    secretary,
                    mine,
                    based_on=0,
                    remarks=f"versie van schrijver {index}",
                    notes={},
                    now=clock.now(),
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
    assert sorted(results.values()) == ["minutes-changed", "saved"]
    with app.app_context():
        revisions = db.session.scalars(sa.select(MinutesRevision)).all()
        assert [r.number for r in revisions] == [1]
        winner = next(i for i, r in results.items() if r == "saved")
        assert revisions[0].content["remarks"] == f"versie van schrijver {winner}"


def test_approved_at_a_later_meeting_then_public_and_frozen(app, record):
    with app.app_context():
        who = people(record)
        meeting = db.session.get(Meeting, record.meeting_id)
        minutes = services.start(db.session, who["bram"], meeting, clock.now())
        hidden = items(record)["Benoeming"]
        services.save(
            db.session,
            who["bram"],
            minutes,
            based_on=0,
            remarks="",
            notes={hidden: "Geheim: de kandidaat heet Fien."},
            now=clock.now(),
        )
        db.session.commit()
        with pytest.raises(NotFound):
            queries.minutes_view(db.session, ANONYMOUS, record.meeting_id)
        with pytest.raises(Invalid):  # not at a later meeting
            services.approve(db.session, who["anna"], minutes, at_meeting=meeting, on=clock.today())
        later = later_open_meeting(record)
        with pytest.raises(Forbidden):
            services.approve(db.session, who["bram"], minutes, at_meeting=later, on=clock.today())
        services.approve(db.session, who["anna"], minutes, at_meeting=later, on=clock.today())
        db.session.commit()
        with pytest.raises(Conflict) as frozen:
            services.save(
                db.session, who["bram"], minutes, based_on=1, remarks="x", notes={}, now=clock.now()
            )
        assert frozen.value.code == "minutes-approved"
        db.session.rollback()
        public = queries.minutes_view(db.session, ANONYMOUS, record.meeting_id)
        assert public.status is MinutesStatus.APPROVED
        assert public.approved_at_meeting_id == later.id
        assert public.revisions == ()
        assert "Benoeming" not in {i.item.title for i in public.items}
        assert all("Fien" not in i.notes for i in public.items)
        residents = [a for a in public.attendees if a.seat.value == "resident"]
        assert residents and {a.name for a in residents} == {None}
        assert {a.presence for a in public.attendees} == {
            Presence.PRESENT,
            Presence.ABSENT_WITH_NOTICE,
        }
        assert public.chair is not None
