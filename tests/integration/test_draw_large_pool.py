"""A pool file larger than the ordinary request limit (1 MB): a district's register extract is
some megabytes, read whole through the API and through the page; over the pool's own limit it
is refused with 413 and nothing is read."""

from __future__ import annotations

import io

from tests.integration.draws_world import new_draw, ok, pool_csv, put_pool, world
from tests.integration.test_draw_pages import csrf_from, login_admin
from wijkraad.sortition import rules

ROWS = 25_000  # about 1.6 MB of CSV


def test_a_pool_of_some_megabytes_is_read_through_the_api(app, client, make):
    w = world(app, make)
    data = pool_csv(ROWS, young=10)
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    draw = new_draw(client, w)
    read = ok(put_pool(client, w, draw["id"], data))
    assert (read["pool_size"], read["eligible"]) == (ROWS, ROWS - 10)


def test_a_pool_of_some_megabytes_is_read_through_the_page(app, client, make, web):
    w = world(app, make)
    draw = new_draw(client, w)
    login_admin(app, make, web)
    token = csrf_from(web.get(f"/lotingen/{draw['id']}/beheer").get_data(as_text=True))
    upload = client.post(
        f"/lotingen/{draw['id']}/bestand",
        data={"csrf_token": token, "pool-file": (io.BytesIO(pool_csv(ROWS)), "pool.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 303, upload.get_data(as_text=True)
    assert ok(client.get(f"/api/v1/draws/{draw['id']}"))["pool_size"] == ROWS


def test_a_pool_over_its_limit_is_refused_and_nothing_is_read(app, client, make, monkeypatch):
    w = world(app, make)
    draw = new_draw(client, w)
    monkeypatch.setattr(rules, "POOL_MAX_BYTES", 1024 * 1024)
    answer = put_pool(client, w, draw["id"], pool_csv(ROWS))
    assert answer.status_code == 413 and answer.mimetype == "application/problem+json"
    assert ok(client.get(f"/api/v1/draws/{draw['id']}"))["pool_size"] == 0
    # Every other request keeps the ordinary limit.
    other = client.post(
        "/api/v1/councils/oost/opt-outs",
        data=b'{"person_ref": "' + b"x" * 2_000_000 + b'"}',
        headers={**w.admin, "Content-Type": "application/json"},
    )
    assert other.status_code == 413
