"""The audit log records every state change with actor and time, and is never changed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.test_api_voting import council, meeting_with_motion  # noqa: F401  (fixture)
from wijkraad.audit import AuditEvent, AuditLogIsAppendOnly
from wijkraad.extensions import db


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_meeting_leaves_a_complete_trail(app, client, council):  # noqa: F811
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    chair = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=chair)
    round_id = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={}, headers=chair
    ).get_json()["id"]
    client.post(
        f"/api/v1/rounds/{round_id}/votes",
        json={"choice": "yes"},
        headers=bearer(council.residents[3][1]),
    )
    client.post(f"/api/v1/rounds/{round_id}/close", headers=chair)
    with app.app_context():
        trail = actions()
        vote = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "vote.cast"))
    for expected in [
        "meeting.create",
        "agenda.add",
        "meeting.published",
        "attendance.mark",
        "motion.submit",
        "meeting.open",
        "round.open",
        "vote.cast",
        "round.close",
    ]:
        assert expected in trail, expected
    assert vote.actor_user_id is not None and vote.at is not None
    assert vote.data["choice"] == "yes"


def test_audit_events_cannot_be_changed_or_deleted(app, make):
    with app.app_context():
        make.council("oost")
        event = db.session.scalar(sa.select(AuditEvent))
        event.action = "rewritten"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        event = db.session.scalar(sa.select(AuditEvent))
        db.session.delete(event)
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.action)) == "council.create"
