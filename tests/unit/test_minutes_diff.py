"""What changed between two texts of the minutes: readable pieces that put both texts back
together exactly, without app or database."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkraad.minutes.diff import Change, Segment, new_text, normalized, old_text, text_diff

SAME, REMOVED, ADDED = Change.SAME, Change.REMOVED, Change.ADDED


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "", ()),
        ("gelijk", "gelijk", ((SAME, "gelijk"),)),
        ("", "nieuw", ((ADDED, "nieuw"),)),
        ("weg", "", ((REMOVED, "weg"),)),
        (
            "Veel insprekers over de bankjes.",
            "Veel insprekers over de nieuwe bankjes.",
            ((SAME, "Veel insprekers over de "), (ADDED, "nieuwe "), (SAME, "bankjes.")),
        ),
        (
            "De wijkraad besluit tot vier bankjes.",
            "De wijkraad besluit tot zes bankjes.",
            (
                (SAME, "De wijkraad besluit tot "),
                (REMOVED, "vier "),
                (ADDED, "zes "),
                (SAME, "bankjes."),
            ),
        ),
        (
            "Eerste alinea.\nTweede alinea.\n",
            "Eerste alinea.\nDerde alinea.\n",
            (
                (SAME, "Eerste alinea.\n"),
                (REMOVED, "Tweede "),
                (ADDED, "Derde "),
                (SAME, "alinea.\n"),
            ),
        ),
        (
            "Een zin.",
            "Een zin.\nEen nieuwe regel.",
            ((SAME, "Een zin."), (ADDED, "\nEen nieuwe regel.")),
        ),
    ],
)
def test_changes_read_word_by_word(old, new, expected):
    assert text_diff(old, new) == tuple(Segment(change, text) for change, text in expected)


_TEXT = st.text(alphabet=st.sampled_from(list("ab c\n.")), max_size=60)


@given(_TEXT, _TEXT)
def test_the_pieces_put_both_texts_back_together(old, new):
    segments = text_diff(old, new)
    assert old_text(segments) == old
    assert new_text(segments) == new
    assert all(s.text for s in segments)
    # Neighbouring pieces differ in kind: nothing is split for no reason.
    assert all(a.change is not b.change for a, b in pairwise(segments))


def test_equal_texts_have_only_unchanged_pieces():
    assert {s.change for s in text_diff("a\nb c", "a\nb c")} == {SAME}


def test_two_long_different_texts_are_compared_quickly():
    words = ["de", "het", "een", "bankjes", "park", "wijkraad", "besluit", "over"]
    old = " ".join(words[i % 8] for i in range(3_300))  # 20,000 characters on one line
    new = " ".join(words[(i * 5) % 8] for i in range(3_300))
    start = time.perf_counter()
    segments = text_diff(old, new)
    assert time.perf_counter() - start < 2
    assert old_text(segments) == old and new_text(segments) == new


def test_line_ends_are_kept_as_lf():
    assert normalized("een\r\ntwee\rdrie\n") == "een\ntwee\ndrie\n"
