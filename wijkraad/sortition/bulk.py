"""Steps that make hundreds of thousands of small objects at once: a pool of 100,000 read,
hashed and written, its public record made or verified.

Python's cyclic garbage collector runs after every few hundred new container objects and then
walks the young ones, and now and then all of them: during such a step it would walk the
step's own rows again and again, while none of them is part of a cycle (lists, tuples and
dicts of texts and numbers, freed by reference counting as always). ``collector_paused``
holds it for the step's duration and restores it after, however the step ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
