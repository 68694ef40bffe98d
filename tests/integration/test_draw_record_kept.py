"""The public record of a draw is kept once made (in the database, shared by every server):
a read serves the kept bytes until the draw changes; then the record is made again."""

from __future__ import annotations

import sqlalchemy as sa

from tests.integration.draws_world import drawn, new_draw, ok, pool_csv, put_pool, world
from wijkraad.extensions import db
from wijkraad.publishing.models import RenderedFile
from wijkraad.sortition import record

KEPT = sa.select(RenderedFile).where(RenderedFile.kind == "draw-record")


def tamper(app, content: bytes) -> None:
    """Changes the kept bytes behind the app's back: what a read answers shows where it came
    from."""
    with app.app_context():
        db.session.execute(sa.update(RenderedFile).values(content=content))
        db.session.commit()


def test_a_drawn_draw_s_record_is_read_from_what_was_kept(app, client, make):
    w = world(app, make)
    draw = drawn(client, w, invite=3)
    url = f"/api/v1/draws/{draw['id']}"
    first = client.get(url)
    assert first.status_code == 200 and record.verify(first.data).ok
    with app.app_context():
        row = db.session.scalars(KEPT).one()
        assert row.subject == f"draw:{draw['id']}" and bytes(row.content) == first.data
    tamper(app, b'{"kept":true}')
    assert client.get(url).data == b'{"kept":true}'
    assert client.get(f"/lotingen/{draw['id']}/verslag.json").data == b'{"kept":true}'
    # Closing changes the draw: its record is made again, and verifies.
    ok(client.post(f"/api/v1/draws/{draw['id']}/close", headers=w.admin))
    closed = client.get(url)
    assert closed.get_json()["status"] == "closed" and record.verify(closed.data).ok
    assert closed.data != first.data
    with app.app_context():
        assert bytes(db.session.scalars(KEPT).one().content) == closed.data
    page = client.get(f"/lotingen/{draw['id']}").get_data(as_text=True)
    assert draw["seed"] in page


def test_an_open_draw_s_record_is_not_kept_and_an_announced_one_is_made_again(app, client, make):
    w = world(app, make)
    draw = new_draw(client, w)
    ok(put_pool(client, w, draw["id"], pool_csv(20)))
    url = f"/api/v1/draws/{draw['id']}"
    before = client.get(url).data
    with app.app_context():
        assert db.session.scalars(KEPT).all() == []
    ok(put_pool(client, w, draw["id"], pool_csv(25)))
    assert client.get(url).get_json()["pool_size"] == 25 and client.get(url).data != before
    ok(client.post(f"{url}/announce", json={"seed_source": "dobbelstenen"}, headers=w.admin))
    announced = client.get(url)
    assert announced.get_json()["status"] == "announced"
    tamper(app, b"{}")
    assert client.get(url).data == b"{}"
    drawn_now = ok(client.post(f"{url}/seed", json={"seed": "1 2 3"}, headers=w.admin))
    assert client.get(url).get_json()["ranking"] == drawn_now["ranking"]
