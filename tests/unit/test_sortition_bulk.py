"""The cyclic garbage collector is paused during a bulk step and restored after it, also when
the step fails."""

from __future__ import annotations

import gc

import pytest

from wijkraad.sortition import bulk


def test_the_collector_is_paused_during_the_step_and_restored_after():
    assert gc.isenabled()
    with bulk.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_restored_when_the_step_fails():
    with pytest.raises(RuntimeError), bulk.collector_paused():
        raise RuntimeError("the step failed")
    assert gc.isenabled()


def test_a_paused_collector_stays_paused_after_a_nested_step():
    gc.disable()
    try:
        with bulk.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
