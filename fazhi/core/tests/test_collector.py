"""core.collector.fewer_collections: the youngest generation's threshold raised inside the
block and restored by the last block to leave, on any thread; bulk_write uses it."""

from __future__ import annotations

import gc
import threading

from fazhi.core import collector
from fazhi.core.io import bulk_write


def test_the_threshold_is_raised_inside_and_restored_after():
    before = gc.get_threshold()
    with collector.fewer_collections():
        inside = gc.get_threshold()
        assert inside[0] >= collector.YOUNG_THRESHOLD and inside[1:] == before[1:]
        assert gc.isenabled()  # collections far apart, not switched off
    assert gc.get_threshold() == before


def test_nested_blocks_restore_at_the_last_exit_even_on_an_error():
    before = gc.get_threshold()
    try:
        with collector.fewer_collections():
            with collector.fewer_collections():
                pass
            assert gc.get_threshold()[0] >= collector.YOUNG_THRESHOLD  # the outer still open
            raise ValueError("stop")
    except ValueError:
        pass
    assert gc.get_threshold() == before


def test_blocks_on_two_threads_overlap():
    """The thresholds are the process's: a block leaving while another thread's is open leaves
    them raised; the last to leave restores them."""
    before = gc.get_threshold()
    entered, release = threading.Event(), threading.Event()
    seen: list[tuple[int, ...]] = []

    def other() -> None:
        with collector.fewer_collections():
            entered.set()
            release.wait(5)
        seen.append(gc.get_threshold())

    thread = threading.Thread(target=other)
    with collector.fewer_collections():
        thread.start()
        entered.wait(5)
    seen.append(gc.get_threshold())  # this block left, the other's still open
    release.set()
    thread.join(5)
    assert seen[0][0] >= collector.YOUNG_THRESHOLD
    assert seen[1] == before == gc.get_threshold()


def test_bulk_write_collects_far_apart(db):
    before = gc.get_threshold()
    with bulk_write():
        assert gc.get_threshold()[0] >= collector.YOUNG_THRESHOLD
    assert gc.get_threshold() == before
