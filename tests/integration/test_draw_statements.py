"""The reads of draws take as many SQL statements for a large pool, many invitations and a
large panel as for small ones: the public record (page, download, API), a council's draws,
the administrators' draw page, invitations and letters, the panel and the reply page."""

from __future__ import annotations

from tests.integration.draws_world import drawn, ok, world
from tests.querycount import counting
from wijkraad.extensions import db


def statements(app, client, url: str, headers=None) -> int:
    with app.app_context():
        engine = db.engine
    with counting(engine) as count:
        assert client.get(url, headers=headers or {}).status_code == 200, url
    return len(count.statements)


def accept_and_decline(client, w, draw, accepted: int) -> None:
    rows = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    for n, invitation in enumerate(rows[: accepted + 1]):
        reply = {"reply": "accepted", "email": f"p{draw['id']}-{n}@example.org"}
        if n == accepted:
            reply = {"reply": "declined"}
        url = f"/api/v1/invitations/{invitation['id']}/reply"
        ok(client.post(url, json=reply, headers=w.admin))


def test_draw_reads_do_not_grow_with_the_data(app, client, make, web):
    sizes = []
    for slug, size, invite, accepted in (("klein", 12, 3, 1), ("groot", 60, 12, 6)):
        w = world(app, make, slug=slug)
        draw = drawn(client, w, size=size, invite=invite, purpose="panel")
        accept_and_decline(client, w, draw, accepted)
        sizes.append((slug, draw, w))
    with app.app_context():
        make.user("lezer@example.org", admin=True)
    reads = [
        ("/api/v1/draws/{id}", "anonymous"),
        ("/api/v1/draws/{id}/invitations", "token"),
        ("/api/v1/councils/{slug}/panel", "token"),
        ("/lotingen/{id}", "anonymous"),
        ("/lotingen/{id}/verslag.json", "anonymous"),
        ("/wijkraden/{slug}/lotingen", "anonymous"),
        ("/loting/antwoord", "anonymous"),
        ("/lotingen/{id}", "admin"),
        ("/lotingen/{id}/beheer", "admin"),
        ("/lotingen/{id}/brieven.pdf", "admin"),
        ("/wijkraden/{slug}/lotingen", "admin"),
        ("/wijkraden/{slug}/wijkpanel", "admin"),
    ]
    counts: dict[tuple[str, str], list[int]] = {}
    for who in ("anonymous", "token", "admin"):
        if who == "admin":
            web.login("lezer@example.org")
        for path, reader in reads:
            if reader != who:
                continue
            for slug, draw, w in sizes:
                url = path.format(id=draw["id"], slug=slug)
                headers = w.admin if who == "token" else None
                counts.setdefault((path, who), []).append(statements(app, client, url, headers))
    grown = {read: n for read, n in counts.items() if len(set(n)) != 1}
    assert grown == {}
