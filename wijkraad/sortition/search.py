"""The search behind quotas (``procedure``): the first set in a given order of the pool's
persons that meets the quotas, and with it whether any set does. Pure and deterministic; the
persons are given by their strata alone (``{column: value}``), and answered by index."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

Quotas = Mapping[str, Mapping[str, tuple[int, int]]]


class TooIntricate(Exception):
    """The search needed more undo steps than it was allowed."""


class Search:
    """The feasibility test and the search for the first set in a given order meeting the
    quotas. Per quota column it tracks, for every value: how many are taken (``count``), how
    many of the candidates not yet decided have it (``left``), and the column's sums ``need``
    (the minimums still missing), ``room`` (how many more it can still take) and ``short`` (the
    values whose missing minimum exceeds what is left). A state is *open* when in every column
    nothing is over its maximum, ``short`` is 0 and need <= slots <= room. An open state is
    necessary for a completion; for one quota column it is also sufficient, and for more the
    search backtracks when an open state proves a dead end."""

    def __init__(self, strata: Sequence[Mapping[str, str]], quotas: Quotas, invite: int) -> None:
        self.invite = invite
        self.names = sorted(quotas)
        self.low: list[list[int]] = []
        self.high: list[list[int]] = []
        self.values: list[tuple[int, ...]] = []  # per entry: the value index in each column
        indexes: list[dict[str, int]] = []
        for column in self.names:
            index: dict[str, int] = {}
            low: list[int] = []
            high: list[int] = []
            for value, (lo, hi) in sorted(quotas[column].items()):
                index[value] = len(low)
                low.append(lo)
                high.append(min(hi, invite))
            indexes.append(index)
            self.low.append(low)
            self.high.append(high)
        for values in strata:
            row = []
            for c, column in enumerate(self.names):
                value = values[column]
                if value not in indexes[c]:  # not in the quotas: 0 <= count <= invite
                    indexes[c][value] = len(self.low[c])
                    self.low[c].append(0)
                    self.high[c].append(invite)
                row.append(indexes[c][value])
            self.values.append(tuple(row))

    def _term(self, c: int, v: int, count: int, left: int) -> tuple[int, int, int, int]:
        lo, hi = self.low[c][v], self.high[c][v]
        missing = lo - count
        return (
            missing if missing > 0 else 0,
            min(hi - count, left),
            1 if missing > left else 0,
            1 if count > hi else 0,
        )

    def complete(
        self, fixed: Iterable[int], candidates: Iterable[int], *, max_steps: int
    ) -> list[int] | None:
        """The first set in the order of ``candidates`` (entry indexes) that together with
        ``fixed`` (entry indexes, taken already) makes ``invite`` meeting the quotas: the chosen
        candidates in order, or None when there is none."""
        order = list(candidates)
        fixed = list(fixed)
        names = range(len(self.names))
        count = [[0] * len(low) for low in self.low]
        left = [[0] * len(low) for low in self.low]
        for i in fixed:
            for c, v in enumerate(self.values[i]):
                count[c][v] += 1
        for i in order:
            for c, v in enumerate(self.values[i]):
                left[c][v] += 1
        need = [0] * len(count)
        room = [0] * len(count)
        short = [0] * len(count)
        over = [0] * len(count)
        for c in names:
            for v in range(len(count[c])):
                n, r, s, o = self._term(c, v, count[c][v], left[c][v])
                need[c] += n
                room[c] += r
                short[c] += s
                over[c] += o
        slots = self.invite - len(fixed)
        if slots < 0:
            return None

        term = self._term

        def step(i: int, took: int, sign: int, check: bool, slots_after: int) -> bool:
            """Move entry ``i`` out of the undecided (``sign`` 1) or back (-1), taken when
            ``took``; with ``check``, only say whether the state after would be open."""
            ok = True
            for c, v in enumerate(self.values[i]):
                old = term(c, v, count[c][v], left[c][v])
                new_count = count[c][v] + sign * took
                new_left = left[c][v] - sign
                new = term(c, v, new_count, new_left)
                if check:
                    if (
                        over[c] - old[3] + new[3]
                        or short[c] - old[2] + new[2]
                        or need[c] - old[0] + new[0] > slots_after
                        or room[c] - old[1] + new[1] < slots_after
                    ):
                        ok = False
                        break
                else:
                    count[c][v] = new_count
                    left[c][v] = new_left
                    need[c] += new[0] - old[0]
                    room[c] += new[1] - old[1]
                    short[c] += new[2] - old[2]
                    over[c] += new[3] - old[3]
            return ok

        def is_open(slots_now: int) -> bool:
            return all(
                not over[c] and not short[c] and need[c] <= slots_now <= room[c] for c in names
            )

        if slots > len(order) or not is_open(slots):
            return None
        took: list[int] = []  # per decided candidate: 1 taken, 0 skipped
        branches: list[int] = []  # indexes into order where a taken candidate may be skipped
        chosen = 0
        at = 0
        steps = 0
        while chosen < slots:
            if at < len(order) and step(order[at], 1, 1, True, slots - chosen - 1):
                step(order[at], 1, 1, False, 0)
                took.append(1)
                branches.append(at)
                chosen += 1
                at += 1
                continue
            if at < len(order) and step(order[at], 0, 1, True, slots - chosen):
                step(order[at], 0, 1, False, 0)
                took.append(0)
                at += 1
                continue
            # A dead end: undo back to the last taken candidate and skip it instead.
            while True:
                if not branches:
                    return None
                back = branches.pop()
                while at > back:
                    at -= 1
                    steps += 1
                    was = took.pop()
                    step(order[at], was, -1, False, 0)
                    chosen -= was
                if steps > max_steps:
                    raise TooIntricate(steps)
                if step(order[at], 0, 1, True, slots - chosen):
                    step(order[at], 0, 1, False, 0)
                    took.append(0)
                    at += 1
                    break
        return [order[k] for k in range(at) if took[k]]
