"""The pool's hash is made when the pool is read, from the rows as written, and it is what
the announcement publishes: the record of an announced draw carries that hash, so a pool row
changed in the database afterwards makes the record fail verification."""

from __future__ import annotations

import json

import sqlalchemy as sa

from tests.integration.draws_world import drawn, new_draw, ok, pool_csv, put_pool, world
from wijkraad.extensions import db
from wijkraad.sortition import procedure, record, services
from wijkraad.sortition.models import Draw, PoolEntry


def stored(app, draw_id: int) -> tuple[str | None, str]:
    """The draw's stored pool hash and the hash of its pool as read back from the database."""
    with app.app_context():
        draw = db.session.get(Draw, draw_id)
        return draw.pool_sha256, procedure.pool_sha256(services.entries_of(db.session, draw_id))


def test_the_hash_made_on_upload_is_the_hash_of_the_rows_read_back(app, client, make):
    w = world(app, make)
    draw = new_draw(client, w, quotas={"district": {"noord": [1, 3]}})
    ok(put_pool(client, w, draw["id"], pool_csv(40, young=3)))
    made, read_back = stored(app, draw["id"])
    assert made == read_back
    public = ok(client.get(f"/api/v1/draws/{draw['id']}"))
    assert public["pool_sha256"] == made and public["eligible"] == 37
    # A new file makes a new hash; the announcement publishes the one of the pool as it is.
    ok(put_pool(client, w, draw["id"], pool_csv(41)))
    newer, read_back = stored(app, draw["id"])
    assert newer == read_back != made
    url = f"/api/v1/draws/{draw['id']}"
    announced = ok(
        client.post(f"{url}/announce", json={"seed_source": "dobbelstenen"}, headers=w.admin)
    )
    assert announced["pool_sha256"] == newer
    assert ok(client.get(url))["pool_sha256"] == newer


def test_a_pool_changed_after_the_announcement_no_longer_verifies(app, client, make):
    w = world(app, make)
    draw = drawn(client, w, invite=3)
    url = f"/api/v1/draws/{draw['id']}"
    assert record.verify(client.get(url).data).ok
    with app.app_context():
        row = db.session.scalars(
            sa.select(PoolEntry).where(PoolEntry.draw_id == draw["id"], PoolEntry.position == 7)
        ).one()
        strata = dict(row.strata)
        strata["district"] = "zuid" if strata["district"] != "zuid" else "noord"
        db.session.execute(sa.update(PoolEntry).where(PoolEntry.id == row.id).values(strata=strata))
        # The draw's row changes too (closing it), so its record is made again from the rows.
        db.session.commit()
    ok(client.post(f"{url}/close", headers=w.admin))
    changed = client.get(url)
    assert changed.status_code == 200
    verdict = record.verify(changed.data)
    assert not verdict.ok
    assert "pool_sha256 is not the hash of the published pool" in verdict.problems
    # The record still carries the hash announced before the change.
    assert json.loads(changed.data)["pool_sha256"] == draw["pool_sha256"]


def test_the_strata_counted_once_are_the_pool_s(app, client, make):
    w = world(app, make)
    draw = new_draw(client, w)
    ok(put_pool(client, w, draw["id"], pool_csv(31, young=4)))
    with app.app_context():
        grouped = services.strata_of_pool(db.session, draw["id"])
        entries = services.entries_of(db.session, draw["id"])
    key = lambda e: e.strata["district"]  # noqa: E731
    assert sorted(map(key, grouped)) == sorted(map(key, entries))
    assert len(grouped) == 27
