"""The reads of a draw take as many SQL statements for a pool of 60 with 12 invited as for a
pool of 12 with 3 invited: the public record (page, download, API) and the administrators'
invitations (page and API)."""

from __future__ import annotations

from tests.integration.draws_world import drawn, ok, world
from tests.querycount import counting
from wijkraad.extensions import db


def statements(app, client, url: str, headers=None) -> int:
    with app.app_context():
        engine = db.engine
    with counting(engine) as count:
        assert client.get(url, headers=headers or {}).status_code == 200
    return len(count.statements)


def test_draw_reads_do_not_grow_with_the_pool(app, client, make, web):
    w = world(app, make)
    small = drawn(client, w, size=12, invite=3)
    large = drawn(client, w, size=60, invite=12)
    for draw in (small, large):
        for invitation in ok(
            client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin)
        )[:2]:
            ok(
                client.post(
                    f"/api/v1/invitations/{invitation['id']}/reply",
                    json={"reply": "declined"},
                    headers=w.admin,
                )
            )
    with app.app_context():
        make.user("lezer@example.org", admin=True)
    web.login("lezer@example.org")
    for path, headers in [
        ("/api/v1/draws/{id}", None),
        ("/api/v1/draws/{id}/invitations", w.admin),
        ("/lotingen/{id}", None),
        ("/lotingen/{id}/verslag.json", None),
        ("/lotingen/{id}/beheer", None),
    ]:
        counts = [statements(app, client, path.format(id=d["id"]), headers) for d in (small, large)]
        assert counts[0] == counts[1], (path, counts)
