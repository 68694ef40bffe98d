"""The public record's reads of decisions: what each caller sees, the names the public may know,
filters and pages, and a fixed number of statements whatever the number of decisions."""

from __future__ import annotations

import pytest

from tests.querycount import counting
from tests.record_world import ADMIN, build_record
from wijkraad.auth.actor import ANONYMOUS, Actor, CouncilSeat
from wijkraad.councils.rules import Role, Seat
from wijkraad.errors import NotFound
from wijkraad.extensions import db
from wijkraad.publishing import queries
from wijkraad.publishing.queries import DecisionFilters
from wijkraad.voting.rules import Choice, Outcome


@pytest.fixture
def record(app):
    with app.app_context():
        return build_record(db.session, public_names=False)


def member(record, name: str = "Carla Bewoner") -> Actor:
    return Actor(
        user_id=None,
        seats={record.council_id: CouncilSeat(record.members[name], Seat.RESIDENT, Role.MEMBER)},
    )


def test_a_decision_reads_whole(app, record):
    with app.app_context():
        view = queries.decision_view(db.session, ANONYMOUS, record.public[0])
    assert view.identifier == f"OST-{view.decided_on.year}-002"  # the formality was 001
    assert view.title == "Bankjes in het park 1"
    assert view.outcome is Outcome.ADOPTED
    assert view.meeting_id == record.meeting_id and view.council_slug == "oost"
    assert view.tally is not None
    assert (view.tally.residents.yes, view.tally.residents.abstain) == (2, 1)
    assert (view.tally.councillors.yes, view.tally.councillors.no) == (1, 0)
    assert sorted(v.choice for v in view.votes) == sorted(
        [Choice.YES, Choice.YES, Choice.YES, Choice.ABSTAIN]
    )


def test_residents_names_only_where_the_council_publishes_them(app, record):
    with app.app_context():
        public = queries.decision_view(db.session, ANONYMOUS, record.public[0])
        inside = queries.decision_view(db.session, member(record), record.public[0])
    shown = {(v.seat, v.name) for v in public.votes}
    assert (Seat.COUNCILLOR, "Dirk Raadslid") in shown
    assert {name for seat, name in shown if seat is Seat.RESIDENT} == {None}
    assert "Carla Bewoner" in {v.name for v in inside.votes}


def test_a_confidential_decision_is_not_found_by_the_public(app, record):
    with app.app_context():
        with pytest.raises(NotFound):
            queries.decision_view(db.session, ANONYMOUS, record.confidential)
        outsider = Actor(
            user_id=None, seats={record.council_id + 1000: member(record).seats[record.council_id]}
        )
        with pytest.raises(NotFound):
            queries.decision_view(db.session, outsider, record.confidential)
        assert queries.decision_view(db.session, member(record), record.confidential).id == (
            record.confidential
        )
        assert queries.decision_view(db.session, ADMIN, record.confidential)
        public = queries.decisions_of(db.session, ANONYMOUS, record.council_id)
        inside = queries.decisions_of(db.session, member(record), record.council_id)
        meeting = queries.decisions_of_meeting(db.session, ANONYMOUS, record.meeting_id)
    assert record.confidential not in {d.id for d in public.decisions}
    assert public.total == len(record.public) + 1  # and the formality
    assert record.confidential in {d.id for d in inside.decisions}
    assert record.confidential not in {d.id for d in meeting}


def test_filters_search_and_pages(app, record):
    with app.app_context():
        adopted = queries.decisions_of(
            db.session, ANONYMOUS, record.council_id, DecisionFilters(outcome=Outcome.ADOPTED)
        )
        found = queries.decisions_of(
            db.session, ANONYMOUS, record.council_id, DecisionFilters(q="BANKJES park")
        )
        by_identifier = queries.decisions_of(
            db.session,
            ANONYMOUS,
            record.council_id,
            DecisionFilters(q=found.decisions[0].identifier.lower()),
        )
        odd = queries.decisions_of(
            db.session, ANONYMOUS, record.council_id, DecisionFilters(q="100%_")
        )
        none = queries.decisions_of(
            db.session, ANONYMOUS, record.council_id, DecisionFilters(year=1999)
        )
        first = queries.decisions_of(db.session, ANONYMOUS, record.council_id, per_page=2)
        second = queries.decisions_of(db.session, ANONYMOUS, record.council_id, page=2, per_page=2)
        years = queries.decision_years(db.session, ANONYMOUS, record.council_id)
    assert {d.outcome for d in adopted.decisions} == {Outcome.ADOPTED}
    assert adopted.total == 3  # the formality and park 1 and 3
    assert found.total == 4 and found.decisions[0].title == "Bankjes in het park 4"
    assert [d.id for d in by_identifier.decisions] == [found.decisions[0].id]
    assert odd.total == 0  # LIKE's wildcards are searched for as themselves
    assert none.total == 0 and none.decisions == ()
    assert first.total == second.total == 5 and first.pages == 3 and first.has_next
    newest_first = [d.id for d in first.decisions + second.decisions]
    assert len(set(newest_first)) == 4
    assert newest_first == sorted(newest_first, reverse=True)
    assert len(years) == 1


def test_statements_do_not_grow_with_the_decisions(app):
    counts = []
    for slug, code, n in (("klein", "KLN", 2), ("groot", "GRT", 12)):
        with app.app_context():
            record = build_record(db.session, slug=slug, code=code, public=n)
        with app.app_context():
            db.session.remove()
            with counting(db.engine) as count:
                page = queries.decisions_of(db.session, member(record), record.council_id)
                queries.decisions_of_meeting(db.session, ANONYMOUS, record.meeting_id)
                queries.decision_view(db.session, ANONYMOUS, record.public[-1])
            assert len(page.decisions) == n + 2
            counts.append(count.total)
    assert counts[0] == counts[1], counts
