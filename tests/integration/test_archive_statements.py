"""The decisions archive and a decision's page take as many SQL statements with 200 decisions as
with 10: whatever the search, the filters and the page, on the site and in the API."""

from __future__ import annotations

import sqlalchemy as sa

from tests.integration.minutes_pages import ANNA, actor, item_ids
from tests.querycount import counting
from tests.record_world import build_record
from wijkraad import clock
from wijkraad.extensions import db
from wijkraad.meetings.models import AgendaItem
from wijkraad.motions import services as motions
from wijkraad.voting import decisions
from wijkraad.voting.models import Decision

READS = [
    "/wijkraden/oost/besluiten",
    "/wijkraden/oost/besluiten?q=bankjes+park",
    f"/wijkraden/oost/besluiten?uitkomst=adopted&jaar={clock.today().year}&pagina=2",
    "/besluiten?q=vijver",
    "/besluiten/{identifier}",
    "/wijkraden/oost",
    "/wijkraden/oost/besluiten.atom",
    "/api/v1/councils/oost/decisions?q=bankjes&outcome=adopted",
    "/api/v1/councils/oost/decisions?page=2&per_page=5",
    "/api/v1/decisions/{id}",
]


def add_decisions(record, count: int) -> None:
    """``count`` more decisions, adopted as formalities on the meeting's first item."""
    chair = actor(record, ANNA)
    opening = db.session.get(AgendaItem, item_ids(record)["Vaststellen agenda"])
    start = db.session.scalar(sa.select(sa.func.count(Decision.id)))
    for n in range(count):
        motion = motions.submit_motion(
            db.session,
            chair,
            opening,
            title=f"Bankjes bij de vijver {start + n}",
            text="Zoals voorgesteld.",
            on=clock.today(),
        )
        decisions.adopt_formality(db.session, chair, motion, on=clock.today())
    db.session.commit()


def measure(app, client, record) -> dict[str, int]:
    with app.app_context():
        first = db.session.get(Decision, record.public[0])
        values = {"identifier": first.identifier, "id": first.id}
        engine = db.engine
    counts = {}
    for read in READS:
        url = read.format(**values)
        assert client.get(url).status_code == 200, url  # once unmeasured
        with counting(engine) as count:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = count.total
    return counts


def test_the_archive_and_a_decision_do_not_grow_with_the_decisions(app, client):
    with app.app_context():
        record = build_record(db.session, public_names=False, public=4)
        add_decisions(record, 4)  # beside the formality, 4 public ones and a confidential one
        assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 10
    small = measure(app, client, record)
    with app.app_context():
        add_decisions(record, 190)
        assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 200
    large = measure(app, client, record)
    assert large == small
    assert all(n <= 12 for n in small.values()), small
