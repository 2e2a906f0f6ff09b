"""The cyclic garbage collector during a bulk write: collections of the youngest generation
far apart.

CPython's collector runs on the youngest generation whenever 700 more container objects have
been made than freed, and each run walks every young object still alive. A bulk writer (a
ledger import, the demo loader) keeps a batch's rows, parties, model instances and history
alive while it builds the next, so at the default threshold each run walks thousands of live
objects to find none to free: measured at 20,000 dispute rows on PostgreSQL, 1,981 young, 181
middle and 17 full collections took 3.3 s of the import's 19.8 s of CPU and freed 202 objects
(`bench/bench_import.py`; docs/performance.md). Inside `fewer_collections()` the youngest
generation is collected every YOUNG_THRESHOLD net allocations instead (the same import: two
collections, nothing else changed). The collector is not switched off: a reference cycle made
inside the block (an error kept with its traceback, say) is still freed, a little later.

The thresholds are the process's: the first block to enter raises them and the last to leave
restores them (a lock and a count, so that blocks on several threads nest)."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

#: net allocations between two collections of the youngest generation inside a bulk write
#: (CPython's default is 700)
YOUNG_THRESHOLD = 100_000

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, ...] = ()


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the youngest generation every YOUNG_THRESHOLD net allocations inside the block."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(max(_saved[0], YOUNG_THRESHOLD), *_saved[1:])
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)
