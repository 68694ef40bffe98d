"""Pure rules about meetings: status moves, agenda numbering, attendance and quorum."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class MeetingStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Presence(StrEnum):
    PRESENT = "present"
    ABSENT_WITH_NOTICE = "absent_with_notice"
    ABSENT = "absent"


# Which status may follow which: a meeting never goes back.
MOVES: dict[MeetingStatus, set[MeetingStatus]] = {
    MeetingStatus.DRAFT: {MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED},
    MeetingStatus.PUBLISHED: {MeetingStatus.OPEN, MeetingStatus.CANCELLED},
    MeetingStatus.OPEN: {MeetingStatus.CLOSED},
    MeetingStatus.CLOSED: set(),
    MeetingStatus.CANCELLED: set(),
}

FOLLOW_UP_MIN_DELAY = timedelta(hours=24)

# The reason a member may give with their apologies: short, and seen by the chair and the
# secretary only.
APOLOGY_REASON_MAX = 200


def has_quorum(seated: int, present: int, *, is_follow_up: bool = False) -> bool:
    """More than half of the seated members present (3.2); a follow-up meeting needs none."""
    return is_follow_up or present * 2 > seated


def quorum_needed(seated: int) -> int:
    """How many present members make a quorum (3.2): the least number more than half."""
    return seated // 2 + 1


def may_send_apologies(status: MeetingStatus) -> bool:
    """A member sends (or withdraws) apologies for a published meeting that has not opened
    yet; once it is open, the chair keeps the register in the room."""
    return status is MeetingStatus.PUBLISHED


def everyone_present(
    seated: Iterable[int], register: Mapping[int, Presence]
) -> dict[int, Presence]:
    """The register after "everyone present": every seated member present, except those who
    sent notice, who stay absent with notice until the chair marks them one by one."""
    return {
        m: Presence.ABSENT_WITH_NOTICE
        if register.get(m) is Presence.ABSENT_WITH_NOTICE
        else Presence.PRESENT
        for m in seated
    }


def may_move(current: MeetingStatus, target: MeetingStatus) -> bool:
    return target in MOVES[current]


def follow_up_problem(
    original_starts_at: datetime, original_opened: bool, starts_at: datetime
) -> str | None:
    """A follow-up meeting (art. 20) is for a meeting that could not open for lack of quorum,
    and is convened at least 24 hours after it."""
    if original_opened:
        return "follow-up-of-opened-meeting"
    if starts_at - original_starts_at < FOLLOW_UP_MIN_DELAY:
        return "follow-up-too-soon"
    return None


@dataclass(frozen=True)
class ItemPosition:
    id: int
    parent_id: int | None
    position: int


def agenda_numbers(items: Sequence[ItemPosition]) -> dict[int, str]:
    """Numbers like "1", "2", "2.1" from each item's parent and position among its siblings."""
    children: dict[int | None, list[ItemPosition]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    numbers: dict[int, str] = {}

    def walk(parent: int | None, prefix: str) -> None:
        for index, item in enumerate(
            sorted(children.get(parent, []), key=lambda i: (i.position, i.id)), 1
        ):
            number = f"{prefix}{index}"
            numbers[item.id] = number
            walk(item.id, number + ".")

    walk(None, "")
    return numbers


@dataclass(frozen=True)
class SentItem:
    """An agenda item as mailed: what a member read of it (``text``: a digest of its text)."""

    id: int
    number: str
    title: str
    text: str


@dataclass(frozen=True)
class AgendaChanges:
    """What differs between the agenda as last mailed and as it is: the items new since,
    the ones changed (another number, title or text), and the ones removed."""

    new: frozenset[int]
    changed: frozenset[int]
    removed: tuple[SentItem, ...]

    def __bool__(self) -> bool:
        return bool(self.new or self.changed or self.removed)

    def mark(self, item_id: int) -> str | None:
        if item_id in self.new:
            return "new"
        if item_id in self.changed:
            return "changed"
        return None


def agenda_changes(sent: Sequence[SentItem], now: Sequence[SentItem]) -> AgendaChanges:
    """The changes from the agenda ``sent`` to the agenda ``now``, item by item (by id)."""
    before = {item.id: item for item in sent}
    after = {item.id for item in now}
    return AgendaChanges(
        new=frozenset(item.id for item in now if item.id not in before),
        changed=frozenset(item.id for item in now if item.id in before and before[item.id] != item),
        removed=tuple(item for item in sent if item.id not in after),
    )
