"""An API token's last use is saved, also on requests that only read (and so never commit)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import bearer
from wijkraad.auth.models import ApiToken
from wijkraad.extensions import db


def _last_used(app, token_id: int):
    with app.app_context():
        query = sa.select(ApiToken.last_used_at).where(ApiToken.id == token_id)
        return db.session.scalar(query)


def test_last_use_is_saved_after_a_read(app, client, make):
    with app.app_context():
        user = make.user()
        token = make.token(user)
        token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == user.id))
    assert _last_used(app, token_id) is None

    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    first = _last_used(app, token_id)
    assert first is not None

    # Within the minute it is not written again.
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert _last_used(app, token_id) == first

    # A minute later it is.
    with app.app_context():
        db.session.execute(
            sa.update(ApiToken)
            .where(ApiToken.id == token_id)
            .values(last_used_at=first - timedelta(minutes=5))
        )
        db.session.commit()
    assert client.get("/api/v1/councils", headers=bearer(token)).status_code == 200
    assert _last_used(app, token_id) > first - timedelta(minutes=5)
