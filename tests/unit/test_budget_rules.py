"""The budget's pure rules: remaining money, what fits, the execution's moves, Dutch euros."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency
from hypothesis import given
from hypothesis import strategies as st

from wijkraad.budget import rules
from wijkraad.budget.rules import Execution, ExecutionStatus, Figures

S = ExecutionStatus


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (0, "€\u00a00,00"),
        (5, "€\u00a00,05"),
        (123456, "€\u00a01.234,56"),
        (20_000_000, "€\u00a0200.000,00"),
        (100_000_000_000, "€\u00a01.000.000.000,00"),
        (-1250, "€\u00a0-12,50"),
    ],
)
def test_dutch_euros(cents, shown):
    assert rules.dutch_euros(cents) == shown


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_dutch_euros_agrees_with_babels_dutch_format(cents):
    assert rules.dutch_euros(cents) == format_currency(Decimal(cents) / 100, "EUR", locale="nl")


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.PLANNED, S.PLANNED, True),
        (S.PLANNED, S.IN_PROGRESS, True),
        (S.PLANNED, S.DONE, True),
        (S.PLANNED, S.CANCELLED, True),
        (S.IN_PROGRESS, S.PLANNED, False),
        (S.IN_PROGRESS, S.IN_PROGRESS, True),
        (S.IN_PROGRESS, S.DONE, True),
        (S.IN_PROGRESS, S.CANCELLED, True),
        (S.DONE, S.IN_PROGRESS, False),
        (S.DONE, S.DONE, False),
        (S.DONE, S.CANCELLED, False),
        (S.CANCELLED, S.PLANNED, False),
        (S.CANCELLED, S.CANCELLED, False),
    ],
)
def test_the_moves_of_an_execution(current, target, allowed):
    assert rules.may_move(current, target) is allowed


def test_a_cancelled_decision_holds_only_what_it_spent():
    executions = [
        Execution(10_000, 2_500, S.IN_PROGRESS),
        Execution(40_000, 15_000, S.CANCELLED),
        Execution(5_000, 5_000, S.DONE),
    ]
    figures = Figures.of(100_000, executions)
    assert figures == Figures(100_000, 10_000 + 15_000 + 5_000, 22_500)
    assert figures.remaining_cents == 70_000


def test_what_fits():
    assert rules.allocation_fits(100, 60, 40)
    assert not rules.allocation_fits(100, 60, 41)
    assert not rules.allocation_fits(100, 0, -1)
    line = Figures(1_000, 700, 0)
    assert rules.commitment_fits(line, 300)
    assert not rules.commitment_fits(line, 301)
    running = Execution(500, 200, S.IN_PROGRESS)
    assert rules.spending_fits(running, 300)
    assert not rules.spending_fits(running, 301)
    assert not rules.spending_fits(Execution(500, 200, S.DONE), 1)
    assert not rules.spending_fits(running, -1)


def test_broken_invariants_are_named():
    fine = {"A": (600, [Execution(500, 100)]), "B": (400, [])}
    assert rules.broken_invariants(1_000, fine) == []
    over = {"A": (700, [Execution(800, 900)]), "B": (400, [])}
    found = rules.broken_invariants(1_000, over)
    assert any("allocations" in f for f in found)
    assert any("commitments" in f for f in found)
    assert any("spent" in f for f in found)


@pytest.mark.parametrize(
    ("part", "whole", "width", "units"),
    [
        (0, 100, 300, 0),
        (50, 100, 300, 150),
        (100, 100, 300, 300),
        (200, 100, 300, 300),
        (1, 0, 300, 0),
    ],
)
def test_share_of_a_bar(part, whole, width, units):
    assert rules.share(part, whole, width) == units


@pytest.mark.parametrize(
    ("allocated", "committed", "amount", "fits"),
    [
        (1000, 0, 1000, True),  # all that remains may move
        (1000, 400, 600, True),
        (1000, 400, 601, False),  # never what is committed on the source
        (1000, 0, 0, False),  # moving nothing is no transfer
        (1000, 0, -1, False),
        (0, 0, 1, False),
    ],
)
def test_what_a_transfer_may_move(allocated, committed, amount, fits):
    assert rules.transfer_fits(rules.Figures(allocated, committed, 0), amount) is fits


@pytest.mark.parametrize(
    ("status", "open_"),
    [
        (ExecutionStatus.PLANNED, True),
        (ExecutionStatus.IN_PROGRESS, True),
        (ExecutionStatus.DONE, False),
        (ExecutionStatus.CANCELLED, False),
        (None, False),  # a decision without an execution took no money to add to
    ],
)
def test_which_executions_a_decision_may_top_up(status, open_):
    assert rules.may_top_up(status) is open_
