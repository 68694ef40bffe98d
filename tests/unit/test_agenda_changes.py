"""What changed in an agenda since it was mailed: items new, changed (number, title or text)
and removed, by their ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wijkraad.meetings.rules import SentItem, agenda_changes

OPENING = SentItem(1, "1", "Opening", "a")
PLAY = SentItem(2, "2", "Speeltuin", "b")
BUDGET = SentItem(3, "3", "Begroting", "c")


def test_the_same_agenda_has_no_changes():
    changes = agenda_changes([OPENING, PLAY], [OPENING, PLAY])
    assert not changes
    assert changes.mark(1) is None


def test_new_changed_and_removed_items():
    play_first = SentItem(2, "1", "Speeltuin", "b")
    budget_text = SentItem(3, "2", "Begroting", "other")
    changes = agenda_changes(
        [OPENING, PLAY, BUDGET], [play_first, budget_text, SentItem(4, "3", "Rondvraag", "d")]
    )
    assert changes
    assert changes.new == {4} and changes.changed == {2, 3}
    assert changes.removed == (OPENING,)
    assert [changes.mark(i) for i in (2, 3, 4)] == ["changed", "changed", "new"]


def test_a_new_title_alone_is_a_change():
    changes = agenda_changes([OPENING], [SentItem(1, "1", "Opening en mededelingen", "a")])
    assert changes.changed == {1} and not changes.new and not changes.removed


items = st.lists(
    st.builds(
        SentItem, st.integers(1, 8), st.sampled_from("123"), st.sampled_from("ab"), st.just("x")
    ),
    unique_by=lambda i: i.id,
)


@given(items, items)
def test_every_item_is_accounted_for_once(sent, now):
    changes = agenda_changes(sent, now)
    now_ids = {i.id for i in now}
    assert changes.new | changes.changed <= now_ids
    assert not changes.new & changes.changed
    assert {i.id for i in changes.removed} == {i.id for i in sent} - now_ids
    assert bool(changes) == (sorted(sent, key=lambda i: i.id) != sorted(now, key=lambda i: i.id))
