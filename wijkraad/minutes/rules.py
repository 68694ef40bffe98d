"""Pure rules about minutes (notulen): their states and what may change when."""

from __future__ import annotations

from enum import StrEnum


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"


# What the secretary writes per agenda item, and in general, at most (characters).
NOTE_MAX = 20_000


def editable(status: MinutesStatus) -> bool:
    """Approved minutes are published and frozen: nothing in them changes any more."""
    return status is MinutesStatus.DRAFT
