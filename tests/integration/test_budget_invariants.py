"""Random sequences of allocations, adoptions, progress, cancellations, transfers between lines
(voted by two thirds) and top-ups of earlier decisions through the budget's services (and the
real adoption of a formality with money, the real vote of a transfer), checking after every step that no
rule of DOMAIN section 4 breaks: allocations within the total, commitments within each line's
allocation, spending within each commitment, remaining = allocated - committed and never
negative, and the reads' sums equal to what the rows add up to."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.conftest import clean
from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.budget import queries, rules
from wijkraad.budget import services as budget
from wijkraad.budget.models import Budget, BudgetLine, Execution, ProgressNote, TopUp, Transfer
from wijkraad.budget.rules import ExecutionStatus
from wijkraad.councils import services as councils
from wijkraad.councils.rules import Role, Seat
from wijkraad.errors import Conflict, Invalid
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.motions.rules import Requirement
from wijkraad.voting import decisions
from wijkraad.voting import services as voting
from wijkraad.voting.rules import GroupCounts, Outcome, RoundMode, Tally

# WIJKRAAD_BUDGET_EXAMPLES raises the number of random sequences (to hunt for rare ones).
EXAMPLES = int(os.environ.get("WIJKRAAD_BUDGET_EXAMPLES", "12"))
ADMIN = Actor(user_id=None, is_admin=True)
TOTAL = 1_000_000
cents = st.integers(min_value=0, max_value=600_000)


class BudgetMachine(RuleBasedStateMachine):
    app = None  # set by the test

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []
        self.decisions: list[int] = []
        self.n = 0
        # What the machine expects: each line's allocation, each execution's commitment.
        self.allocated: dict[int, int] = {}
        self.committed: dict[int, int] = {}

    @initialize()
    def setup(self) -> None:
        db.session.remove()  # nothing of the previous example stays in the session
        clean(self.app)
        session = db.session
        now, today = clock.now(), clock.today()
        self.today = today
        council = councils.create_council(
            session,
            ADMIN,
            "raad",
            councils.CouncilData(
                name="Wijkraad", municipality="Groningen", resident_seats=3, councillor_seats=1
            ),
        )
        members = [
            councils.appoint_member(
                session,
                ADMIN,
                council,
                name=f"Bewoner {i}",
                email=f"b{i}@example.org",
                seat=Seat.RESIDENT,
                role=Role.CHAIR if i == 0 else Role.MEMBER,
                starts_on=today - timedelta(days=1),
            )
            for i in range(2)
        ]
        meeting = meetings.create_meeting(
            session, ADMIN, council, title="Vergadering", starts_at=now, location="Zaal"
        )
        self.item = meetings.add_item(session, ADMIN, meeting, title="Hamerstuk", is_formality=True)
        meetings.publish(session, ADMIN, meeting, now)
        attendance.set_attendance(
            session,
            ADMIN,
            meeting,
            present={m.id for m in members},
            absent_with_notice=set(),
            now=now,
            on=today,
        )
        meetings.open_meeting(session, ADMIN, meeting, now, today)
        self.council_id = council.id
        self.budget = budget.create_budget(
            session, ADMIN, council, year=meeting.starts_at.year, total_cents=TOTAL
        )
        session.commit()

    @rule(amount=cents)
    def allocate(self, amount: int) -> None:
        self.n += 1
        allocated = sum(db.session.scalars(sa.select(BudgetLine.allocated_cents)))
        try:
            line = budget.add_line(
                db.session,
                ADMIN,
                self.budget,
                code=f"L{self.n}",
                name="Post",
                allocated_cents=amount,
            )
        except Conflict as refused:
            db.session.rollback()
            assert refused.code == "over-allocated"
            assert allocated + amount > TOTAL
        else:
            db.session.commit()
            assert allocated + amount <= TOTAL
            self.lines.append(line.id)
            self.allocated[line.id] = amount

    @precondition(lambda self: self.lines)
    @rule(data=st.data(), amount=cents)
    def adopt(self, data, amount: int) -> None:
        line_id = data.draw(st.sampled_from(self.lines))
        left = budget.remaining(db.session, line_id)
        self.n += 1
        motion = budget.submit_motion(
            db.session,
            ADMIN,
            self.item,
            title=f"Voorstel {self.n}",
            text="x",
            amount_cents=amount,
            budget_line_id=line_id,
            on=self.today,
        )
        db.session.commit()
        try:
            decision = decisions.adopt_formality(db.session, ADMIN, motion, on=self.today)
        except Conflict as refused:
            db.session.rollback()
            assert refused.code == "budget-exceeded" and amount > left
            assert refused.extensions["remaining_cents"] == left
        else:
            db.session.commit()
            assert amount <= left
            if amount:
                self.decisions.append(decision.id)
                self.committed[decision.id] = amount

    @precondition(lambda self: self.decisions)
    @rule(data=st.data(), spent=cents, status=st.sampled_from(list(ExecutionStatus)))
    def progress(self, data, spent: int, status: ExecutionStatus) -> None:
        decision_id = data.draw(st.sampled_from(self.decisions))
        execution = budget.execution_of(db.session, decision_id)
        before = rules.Execution(execution.committed_cents, execution.spent_cents, execution.status)
        try:
            budget.record_progress(
                db.session,
                ADMIN,
                execution,
                status=status,
                spent_cents=spent,
                note="Voortgang",
                on=self.today,
                now=clock.now(),
            )
        except Conflict as refused:
            db.session.rollback()
            if refused.code == "overspent":
                assert not rules.spending_fits(before, spent)
            else:
                assert refused.code == "execution-status"
                assert not rules.may_move(before.status, status)
        else:
            db.session.commit()
            assert rules.may_move(before.status, status) and rules.spending_fits(before, spent)

    @precondition(lambda self: self.decisions)
    @rule(data=st.data())
    def cancel(self, data) -> None:
        decision_id = data.draw(st.sampled_from(self.decisions))
        execution = budget.execution_of(db.session, decision_id)
        line_id = execution.line_id
        final = execution.status in rules.FINAL
        left_before = budget.remaining(db.session, line_id)
        unspent = execution.committed_cents - execution.spent_cents
        try:
            budget.record_progress(
                db.session,
                ADMIN,
                execution,
                status=ExecutionStatus.CANCELLED,
                spent_cents=0,
                note="Geannuleerd",
                on=self.today,
                now=clock.now(),
            )
        except Conflict as refused:
            db.session.rollback()
            assert final and refused.code == "execution-status"
        else:
            db.session.commit()
            assert budget.remaining(db.session, line_id) == left_before + unspent

    @precondition(lambda self: len(self.lines) >= 2)
    @rule(data=st.data(), amount=st.integers(min_value=1, max_value=600_000))
    def transfer(self, data, amount: int) -> None:
        """A transfer voted on in a round: two thirds of the present vote for it."""
        source, target = data.draw(st.permutations(self.lines))[:2]
        left = budget.remaining(db.session, source)
        self.n += 1
        motion = budget.submit_motion(
            db.session,
            ADMIN,
            self.item,
            title=f"Verschuiving {self.n}",
            text="x",
            amount_cents=amount,
            budget_line_id=target,
            source_line_id=source,
            requirement=Requirement.TWO_THIRDS,
            on=self.today,
        )
        db.session.commit()
        try:
            vote_round = voting.open_round(
                db.session, ADMIN, motion, mode=RoundMode.ANALOG, now=clock.now(), on=self.today
            )
        except Conflict as refused:
            db.session.rollback()
            assert refused.code == "budget-exceeded" and amount > left
            assert refused.extensions["remaining_cents"] == left
            return
        db.session.commit()
        assert amount <= left
        yes = Tally(residents=GroupCounts(2, 0, 0), councillors=GroupCounts(0, 0, 0))
        voting.set_counts(db.session, ADMIN, vote_round, yes)
        decision = decisions.close_round(
            db.session, ADMIN, vote_round, now=clock.now(), on=self.today
        )
        db.session.commit()
        assert decision is not None and decision.outcome is Outcome.ADOPTED
        self.allocated[source] -= amount
        self.allocated[target] += amount

    @precondition(lambda self: self.decisions)
    @rule(data=st.data(), amount=st.integers(min_value=1, max_value=600_000))
    def top_up(self, data, amount: int) -> None:
        """A further decision (a formality) adds money to an earlier one's execution."""
        decision_id = data.draw(st.sampled_from(self.decisions))
        execution = budget.execution_of(db.session, decision_id)
        line_id, status = execution.line_id, execution.status
        left = budget.remaining(db.session, line_id)
        self.n += 1
        try:
            motion = budget.submit_motion(
                db.session,
                ADMIN,
                self.item,
                title=f"Aanvulling {self.n}",
                text="x",
                amount_cents=amount,
                budget_line_id=line_id,
                supplements_decision_id=decision_id,
                on=self.today,
            )
        except Invalid as refused:
            db.session.rollback()
            assert refused.code == "top-up-closed" and not rules.may_top_up(status)
            return
        db.session.commit()
        assert rules.may_top_up(status)
        try:
            decisions.adopt_formality(db.session, ADMIN, motion, on=self.today)
        except Conflict as refused:
            db.session.rollback()
            assert refused.code == "budget-exceeded" and amount > left
        else:
            db.session.commit()
            assert amount <= left
            self.committed[decision_id] += amount

    def teardown(self) -> None:
        db.session.rollback()
        db.session.remove()

    @invariant()
    def no_rule_breaks(self) -> None:
        db.session.expire_all()
        total = db.session.scalar(sa.select(Budget.total_cents))
        lines = {
            line.code: (
                line.allocated_cents,
                [
                    rules.Execution(e.committed_cents, e.spent_cents, e.status)
                    for e in db.session.scalars(
                        sa.select(Execution).where(Execution.line_id == line.id)
                    )
                ],
                line.id,
            )
            for line in db.session.scalars(sa.select(BudgetLine))
        }
        assert rules.broken_invariants(total, {k: v[:2] for k, v in lines.items()}) == []
        # the read agrees with the rows, line by line and in all
        view = queries.budget_view(db.session, ADMIN, self.council_id, self.budget.year)
        by_id = {line.id: line for line in view.lines}
        for allocation, executions, line_id in lines.values():
            expected = rules.Figures.of(allocation, executions)
            assert by_id[line_id].figures == expected
            assert expected.remaining_cents >= 0
        assert view.figures.allocated_cents <= view.total_cents
        spent_in_notes = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(ProgressNote.spent_cents), 0))
        )
        assert view.figures.spent_cents == spent_in_notes
        # transfers moved exactly what the machine voted; top-ups added what it adopted
        for line_id, expected_allocation in self.allocated.items():
            assert by_id[line_id].figures.allocated_cents == expected_allocation
        for decision_id, expected_commitment in self.committed.items():
            execution = budget.execution_of(db.session, decision_id)
            assert execution.committed_cents == expected_commitment
            added = db.session.scalar(
                sa.select(sa.func.coalesce(sa.func.sum(TopUp.amount_cents), 0)).where(
                    TopUp.execution_id == execution.id
                )
            )
            assert expected_commitment - added > 0  # what it first committed is kept apart
        moved = db.session.scalars(sa.select(Transfer)).all()
        assert all(t.amount_cents > 0 and t.from_line_id != t.to_line_id for t in moved)


@pytest.mark.parametrize("steps", [25])
def test_no_sequence_breaks_the_budgets_rules(app, steps):
    BudgetMachine.app = app
    with app.app_context():  # the services alone, no requests: one context throughout
        run_state_machine_as_test(
            BudgetMachine,
            settings=settings(
                max_examples=EXAMPLES,
                stateful_step_count=steps,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
            ),
        )
