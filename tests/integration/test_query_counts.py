"""Every page and API read loads what it needs in a fixed number of SQL statements: the count
must not grow with the number of motions in a meeting nor with the number of members.

Each read of ``tests.querycount.READS`` is sent as the role that sees the most, at every size
of its axis (0, 10 and 40 motions; 17 and 400 members; all councils before and after a council
of 400 joins them), and the statement counts must be equal. The attendance writes are held to
the same: setting a register of 400 takes as many statements as one of 17.

The data (tests/querycount_world.py) is built once per database for this module, on the
session's app directly, and the tables are emptied again at the end. ``python -m
tests.querycount_report`` prints the same counts as a table.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import clean
from tests.querycount import READS, Meter, Read, counting, describe, prepare
from wijkraad.extensions import db


@pytest.fixture(scope="module")
def meter(app_session: Flask) -> Iterator[Meter]:
    clean(app_session)
    meter = prepare(app_session)
    yield meter
    clean(app_session)


@pytest.mark.parametrize("read", READS, ids=lambda read: read.name)
def test_statements_do_not_grow_with_the_data(meter: Meter, read: Read) -> None:
    counts = meter.counts(read)
    assert len({m.count.total for m in counts.values()}) == 1, describe(read, counts)


def test_every_read_page_and_api_read_is_measured(app_session: Flask) -> None:
    """A new GET route needs its line in READS (or a reason here why it has none)."""
    measured = {read.path.split("?")[0] for read in READS if read.method == "GET"}
    placeholder = {
        "slug": "{slug}",
        "meeting_id": "{meeting}",
        "round_id": "{round_open}",
        "item_id": "{item}",
        "user_id": "{chair_user}",
        "membership_id": "{last_membership}",
        "motion_id": "{motion}",
        "token": "{invite}",
        "number": "{revision}",
        "year": "{year}",
        "identifier": "{identifier}",
        "decision_id": "{decision}",
        "document_id": "{document}",
        "filename": "{document_filename}",
    }
    # The seat invitations' pages and reads need an invitation link per size, which the
    # measuring world does not keep yet: listed here until it does.
    not_yet = {
        "/zetel-uitnodiging/<token>",
        "/wijkraden/<slug>/leden/<int:membership_id>/uitnodiging",
        "/api/v1/seat-invitations/<token>",
        # Needs a closed meeting, which the measuring world does not hold (its meetings are
        # open); tests/integration/test_pdf.py counts the list's read at two sizes.
        "/vergaderingen/<int:meeting_id>/besluitenlijst.pdf",
        "/api/v1/meetings/<int:meeting_id>/decision-list.pdf",
        # Needs a mailed password link per size; its read is one statement by construction
        # (the link's row joined to its user, ``auth.recovery.user_for_link``).
        "/wachtwoord-herstellen/<token>",
        # Corrections until a meeting opens: the measuring world's meetings with an agenda are
        # open, where these answer with the way back (303); the draft meeting's form is
        # measured as /vergaderingen/{register}/wijzigen.
        "/vergaderingen/<int:meeting_id>/wijzigen",
        "/agendapunten/<int:item_id>/wijzigen",
        "/agendapunten/<int:item_id>/verwijderen",
        # Needs a logo, which the measuring world does not have; its read is the look's one
        # statement (tests/integration/test_look.py fetches it).
        "/huisstijl/logo",
        # Draws by lot: tests/integration/test_draw_statements.py counts each read at two
        # sizes of pool, invitations and panel.
        "/wijkraden/<slug>/lotingen",
        "/wijkraden/<slug>/wijkpanel",
        "/lotingen/<int:draw_id>",
        "/lotingen/<int:draw_id>/beheer",
        "/lotingen/<int:draw_id>/brieven.pdf",
        "/lotingen/<int:draw_id>/verslag.json",
        "/loting/antwoord",
        "/api/v1/draws/<int:draw_id>",
        "/api/v1/draws/<int:draw_id>/invitations",
        "/api/v1/councils/<slug>/panel",
    }
    missing = []
    for rule in app_session.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static" or rule.rule in not_yet:
            continue
        path = rule.rule
        for name, value in placeholder.items():
            path = path.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
        # A decision with money where the read is about its money.
        variants = {
            path,
            path.replace("{round_open}", "{round_closed}"),
            path.replace("{decision}", "{money_decision}"),
        }
        if not variants & measured:
            missing.append(rule.rule)
    assert missing == [], missing


def test_the_counter_sees_each_statement_and_the_transaction_apart(app_session: Flask) -> None:
    import sqlalchemy as sa

    with app_session.app_context():
        with counting(db.engine) as count, db.engine.begin() as conn:
            conn.execute(sa.text("SELECT 1"))
            conn.execute(sa.text("SELECT 2"))
        db.session.remove()
    assert count.total == 2
    assert count.transactions["begin"] == 1 and count.transactions["commit"] == 1


def test_the_sizes_hold_what_they_say(meter: Meter) -> None:
    """The data behind the counts: members, motions, rounds and votes as the sizes promise."""
    import sqlalchemy as sa

    from wijkraad.meetings.models import AgendaItem, Attendance
    from wijkraad.motions.models import Motion
    from wijkraad.voting.models import Decision, RoundStatus, Vote, VoteRound

    def scalar(query: sa.Select) -> int:
        return db.session.scalar(query) or 0

    with meter.app.app_context():
        for key, place in meter.world.places.items():
            meeting = place.ids["meeting"]
            size = place.size
            of_meeting = Motion.agenda_item_id.in_(
                sa.select(AgendaItem.id).where(AgendaItem.meeting_id == meeting)
            )
            rounds = sa.select(sa.func.count(VoteRound.id)).where(VoteRound.meeting_id == meeting)
            assert len(place.seated) == size.members, key
            assert scalar(sa.select(sa.func.count(Motion.id)).where(of_meeting)) == size.motions
            assert scalar(rounds.where(VoteRound.status == RoundStatus.OPEN)) == min(
                size.motions, 1
            )
            assert (
                scalar(rounds.where(VoteRound.status == RoundStatus.CLOSED))
                == size.motions // 10 * 4
            )
            present = scalar(
                sa.select(sa.func.count(Attendance.id)).where(
                    Attendance.meeting_id == meeting, Attendance.presence == "present"
                )
            )
            assert present == size.members - size.members // 10, key
            outcomes = db.session.execute(
                sa.select(VoteRound.outcome, sa.func.count(VoteRound.id))
                .where(VoteRound.meeting_id == meeting, VoteRound.outcome.is_not(None))
                .group_by(VoteRound.outcome)
            ).all()
            blocks = size.motions // 10
            expected = {"adopted": 2 * blocks, "rejected": blocks, "invalid": blocks}
            assert {o.value: n for o, n in outcomes} == (expected if blocks else {}), key
            if size.motions:
                votes = sa.select(sa.func.count(Vote.id)).where(
                    Vote.round_id == place.ids["round_closed"]
                )
                assert scalar(votes) == present - 2, key  # all but the two recused on item 2
                decisions = sa.select(sa.func.count(Decision.id)).where(
                    Decision.meeting_id == meeting
                )
                assert scalar(decisions) == size.motions // 10 * 4, (
                    key
                )  # 2 adopted, rejected, formality
        db.session.remove()
