"""Checking a downloaded Popolo export: every vote event decided again by the council's rule.

Anyone can run it (``flask --app wijkraad verify outcomes FILE``): the export carries what the
rule needs (``extras`` of each vote event: the rule, the requirement, how many present members
were entitled to vote, whether every seated member was present, whether the motion tied
before), and the counts per group. Pure: no Flask, no database; the verdict comes from the same
function that decided the round (``voting.rules.decide``).

A vote event differs when its stated outcome or result is not what the rule gives for its
counts, when a group's stated result is not what its counts give, or when its counts do not add
up (all votes against the groups' counts, the named votes against the counts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wijkraad.councils.rules import DecisionRule, Seat
from wijkraad.motions.rules import Requirement
from wijkraad.publishing.popolo import FORMAT, OPTIONS, RESULTS
from wijkraad.voting.rules import GroupCounts, Outcome, Tally, decide, passes


class MalformedExport(Exception):
    """The file is not a Popolo export of this kind, or misses what a check needs."""


@dataclass(frozen=True)
class Difference:
    vote_event_id: str
    motion: str  # the motion's identifier (its decision's), or its id when it has none
    problem: str

    def __str__(self) -> str:
        return f"{self.motion} (vote event {self.vote_event_id}): {self.problem}"


@dataclass(frozen=True)
class Report:
    checked: int
    differences: tuple[Difference, ...]


def _get(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, Mapping) or key not in data:
        raise MalformedExport(f"{where}: '{key}' is missing")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise MalformedExport(f"{where}: '{key}' has the wrong type")
    return value


def _counts(entries: Any, where: str) -> dict[str, int]:
    if not isinstance(entries, list):
        raise MalformedExport(f"{where}: 'counts' is not a list")
    counts: dict[str, int] = {}
    for entry in entries:
        option = _get(entry, "option", str, where)
        value = _get(entry, "value", int, where)
        if value < 0 or option in counts:
            raise MalformedExport(f"{where}: count '{option}' is negative or repeated")
        counts[option] = value
    return counts


def _group(counts: Mapping[str, int]) -> GroupCounts:
    return GroupCounts(counts.get("yes", 0), counts.get("no", 0), counts.get("abstain", 0))


def _enum(enum: Any, value: Any, where: str, name: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise MalformedExport(
            f"{where}: '{name}' is not one of {[e.value for e in enum]}"
        ) from None


def check_outcomes(document: Any) -> Report:
    """Every vote event of a Popolo export checked; MalformedExport when it cannot be."""
    meta = _get(document, "meta", Mapping, "the file")
    if meta.get("format") != FORMAT:
        raise MalformedExport("the file is not a Popolo export of wijkraad (meta.format)")
    groups: dict[str, Seat] = {}
    for organization in _get(document, "organizations", list, "the file"):
        extras = organization.get("extras") if isinstance(organization, Mapping) else None
        seat = extras.get("seat") if isinstance(extras, Mapping) else None
        if seat is not None:
            groups[_get(organization, "id", str, "an organization")] = _enum(
                Seat, seat, "an organization", "extras.seat"
            )
    motions: dict[str, str] = {}
    for motion in _get(document, "motions", list, "the file"):
        motion_id = _get(motion, "id", str, "a motion")
        identifier = motion.get("identifier")
        motions[motion_id] = identifier if isinstance(identifier, str) else motion_id
    differences: list[Difference] = []
    events = _get(document, "vote_events", list, "the file")
    for event in events:
        event_id = _get(event, "id", str, "a vote event")
        where = f"vote event {event_id}"
        motion_id = _get(event, "motion_id", str, where)
        label = motions.get(motion_id, motion_id)
        differences.extend(
            Difference(event_id, label, problem) for problem in _check(event, groups, where)
        )
    return Report(len(events), tuple(differences))


def _check(event: Mapping[str, Any], groups: Mapping[str, Seat], where: str) -> list[str]:
    extras = _get(event, "extras", Mapping, where)
    rule = _enum(DecisionRule, _get(extras, "rule", str, where), where, "extras.rule")
    requirement = _enum(
        Requirement, _get(extras, "requirement", str, where), where, "extras.requirement"
    )
    entitled_present = _get(extras, "entitled_present", int, where)
    all_present = _get(extras, "all_seated_present", bool, where)
    earlier_tie = _get(extras, "earlier_tie", bool, where)
    stated = _enum(Outcome, _get(extras, "outcome", str, where), where, "extras.outcome")
    if entitled_present < 0:
        raise MalformedExport(f"{where}: 'entitled_present' is negative")
    by_seat: dict[Seat, dict[str, int]] = {}
    stated_group_results: dict[Seat, str] = {}
    for result in _get(event, "group_results", list, where):
        group_id = _get(result, "group_id", str, where)
        if group_id not in groups:
            raise MalformedExport(f"{where}: group '{group_id}' is not one of the council's")
        seat = groups[group_id]
        by_seat[seat] = _counts(_get(result, "counts", list, where), where)
        stated_group_results[seat] = _get(result, "result", str, where)
    if set(by_seat) != set(Seat):
        raise MalformedExport(f"{where}: needs the residents' and the councillors' results")
    problems = []
    tally = Tally(
        residents=_group(by_seat[Seat.RESIDENT]), councillors=_group(by_seat[Seat.COUNCILLOR])
    )
    total = _counts(_get(event, "counts", list, where), where)
    sums = {o: sum(c.get(o, 0) for c in by_seat.values()) for o in OPTIONS}
    for option in OPTIONS:
        if total.get(option, 0) != sums[option]:
            problems.append(
                f"{option}: {total.get(option, 0)} in all, but {sums[option]} in the groups"
            )
    if "votes" in event:
        named = Counter(
            _get(vote, "option", str, where) for vote in _get(event, "votes", list, where)
        )
        for option in OPTIONS:
            if named.get(option, 0) != total.get(option, 0):
                problems.append(
                    f"{option}: {named.get(option, 0)} named votes, but the count says "
                    f"{total.get(option, 0)}"
                )
    verdict = decide(
        tally,
        rule=rule,
        requirement=requirement,
        entitled_present=entitled_present,
        all_seated_present=all_present,
        earlier_tie=earlier_tie,
    )
    if verdict.outcome is not stated:
        problems.append(
            f"the export says {stated.value}, the council's rule gives "
            f"{verdict.outcome.value} ({verdict.reason})"
        )
    if event.get("result") != RESULTS[verdict.outcome]:
        problems.append(
            f"result {event.get('result')!r}, the council's rule gives {RESULTS[verdict.outcome]!r}"
        )
    for seat, counts in ((Seat.RESIDENT, tally.residents), (Seat.COUNCILLOR, tally.councillors)):
        expected = "pass" if passes(counts, requirement) else "fail"
        if stated_group_results[seat] != expected:
            problems.append(
                f"the {seat.value}s' result is {stated_group_results[seat]!r}, "
                f"their counts give {expected!r}"
            )
    return problems
