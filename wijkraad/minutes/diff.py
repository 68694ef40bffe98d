"""What changed between two texts of the minutes, readable: line by line, and word by word
within the lines that changed. Pure Python (difflib), no Flask, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

# Words with the space after them, compared without it: a changed word shows as one change,
# and the many equal spaces do not slow the matching down.
_WORDS = re.compile(r"\S+\s*|\s+")
# Above this many word pairs (two blocks of 2,000 words) a changed block is shown as removed and
# added as a whole: a word diff of such blocks costs more than it helps the reader.
_WORD_DIFF_LIMIT = 4_000_000


class Change(StrEnum):
    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"


@dataclass(frozen=True)
class Segment:
    change: Change
    text: str


def normalized(text: str) -> str:
    """Text as it is kept: browsers send line ends as CRLF; we keep LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _add(segments: list[Segment], change: Change, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].change is change:
        segments[-1] = Segment(change, segments[-1].text + text)
    else:
        segments.append(Segment(change, text))


def _words(old: str, new: str, segments: list[Segment]) -> None:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    if len(a) * len(b) > _WORD_DIFF_LIMIT:
        _add(segments, Change.REMOVED, old)
        _add(segments, Change.ADDED, new)
        return
    keys_a, keys_b = [w.strip() for w in a], [w.strip() for w in b]
    for op, i1, i2, j1, j2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if op == "equal":
            for before, after in zip(a[i1:i2], b[j1:j2], strict=True):
                word = after.rstrip()
                _add(segments, Change.SAME, word)
                # The same word with other space after it (a line end instead of a space).
                if before[len(word) :] == after[len(word) :]:
                    _add(segments, Change.SAME, after[len(word) :])
                else:
                    _add(segments, Change.REMOVED, before[len(word) :])
                    _add(segments, Change.ADDED, after[len(word) :])
        else:
            _add(segments, Change.REMOVED, "".join(a[i1:i2]))
            _add(segments, Change.ADDED, "".join(b[j1:j2]))


def text_diff(old: str, new: str) -> tuple[Segment, ...]:
    """``old`` to ``new`` as a sequence of unchanged, removed and added pieces; joining the
    unchanged and removed pieces gives ``old``, the unchanged and added ones ``new``."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            _add(segments, Change.SAME, before)
        elif op == "replace":
            _words(before, after, segments)
        else:
            _add(segments, Change.REMOVED, before)
            _add(segments, Change.ADDED, after)
    return tuple(segments)


def old_text(segments: tuple[Segment, ...]) -> str:
    return "".join(s.text for s in segments if s.change is not Change.ADDED)


def new_text(segments: tuple[Segment, ...]) -> str:
    return "".join(s.text for s in segments if s.change is not Change.REMOVED)
