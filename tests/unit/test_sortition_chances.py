"""Equal chances: over a fixed list of seeds (not flaky: the same seeds every run) every eligible
person is invited about equally often, by a chi-square test at the 0.1% level. Without quotas
each of n eligible persons is invited with chance invite/n exactly (the first ``invite`` of a
uniformly shuffled order); with quotas, persons with the same values in the quota columns have
the same chance (the procedure treats them symmetrically), so the test runs within each
stratum."""

from __future__ import annotations

import math
from collections import Counter

from wijkraad.sortition import procedure
from wijkraad.sortition.procedure import Entry

SEEDS = [f"proef {k}" for k in range(3000)]


def critical(df: int, z: float = 3.0902) -> float:
    """The chi-square distribution's 99.9% point for ``df`` degrees of freedom
    (Wilson-Hilferty, within 1% for df >= 5)."""
    h = 2 / (9 * df)
    return df * (1 - h + z * math.sqrt(h)) ** 3


def chi_square(counts: Counter, people: list[int], rounds: int, chance: float) -> float:
    """Each person's number of invitations is binomial(rounds, chance); their total is fixed,
    hence len(people) - 1 degrees of freedom."""
    expected = rounds * chance
    return sum((counts[p] - expected) ** 2 for p in people) / (expected * (1 - chance))


def invitations(entries, invite, quotas) -> Counter:
    counts: Counter = Counter()
    for seed in SEEDS:
        counts.update(procedure.rank(entries, seed, invite, quotas)[:invite])
    return counts


def test_the_critical_values_are_right():
    assert abs(critical(19) - 43.82) < 0.3
    assert abs(critical(29) - 58.30) < 0.3


def test_without_quotas_every_eligible_person_has_the_same_chance():
    # A register of 40: positions are given to the 30 eligible only (16+, not opted out), so
    # the 10 others cannot be drawn whatever the seed.
    entries = [Entry(p, {}, f"{p:064x}") for p in range(1, 31)]
    counts = invitations(entries, 6, {})
    assert set(counts) <= {e.position for e in entries}
    assert sum(counts.values()) == 6 * len(SEEDS)
    people = [e.position for e in entries]
    assert chi_square(counts, people, len(SEEDS), 6 / 30) < critical(len(people) - 1)


def test_with_quotas_chances_are_equal_within_each_stratum():
    entries = [
        Entry(p, {"wijk": "Noord" if p <= 10 else "Zuid"}, f"{p:064x}") for p in range(1, 41)
    ]
    quotas = {"wijk": {"Noord": (3, 3)}}
    counts = invitations(entries, 8, quotas)
    for stratum, people, invited in (("Noord", range(1, 11), 3), ("Zuid", range(11, 41), 5)):
        people = list(people)
        assert sum(counts[p] for p in people) == invited * len(SEEDS), stratum
        statistic = chi_square(counts, people, len(SEEDS), invited / len(people))
        assert statistic < critical(len(people) - 1), stratum


def test_the_test_catches_a_procedure_that_favours_the_first_positions():
    """The check can fail: invite by seed order, but give the first positions a second go."""
    counts: Counter = Counter()
    for seed in SEEDS:
        order = procedure.seed_order(range(1, 31), seed)
        head = order[:6]
        if head[-1] > 25:  # an unlucky last place goes to the first of 1 to 10 after it
            head[-1] = next(p for p in order[6:] if p <= 10)
        counts.update(head)
    statistic = chi_square(counts, list(range(1, 31)), len(SEEDS), 6 / 30)
    assert statistic > critical(29)
