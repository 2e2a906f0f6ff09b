"""The platform's fast path of the draw algorithm version 2 (documented in draw.py).

draw.py is the standalone, standard-library-only definition that citizens download; this module
computes the same result with numpy (PCG64's `random_raw` is the documented stream, bit-stable by
numpy's NEP 19) and over the list as the database returns it, ordered by (class, code), so that
the work is in proportion to the number drawn: each class is a slice found by bisection, its
positions come from the stream block by block, and only the drawn rows are touched.
Tests check it equals draw.draw(…, "v2") on many populations, seeds and ratios.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_right
from collections.abc import Sequence
from operator import itemgetter

import numpy as np

from fazhi.inspections import draw

_CLASS = itemgetter(1)


_local = threading.local()  # one bit generator per thread, its state set for each class


def _generator(seed: str, credit_class: str) -> np.random.PCG64:
    state, increment = draw.stream_state(seed, credit_class)
    generator = getattr(_local, "generator", None)
    if generator is None:  # (a new PCG64 seeds itself from the OS: 20 µs, here once)
        generator = _local.generator = np.random.PCG64(0)
    generator.state = {
        "bit_generator": "PCG64",
        "state": {"state": state, "inc": increment},
        "has_uint32": 0,
        "uinteger": 0,
    }
    return generator


#: above this class size the first occurrences are found by sorting instead of a scatter array
SCATTER_LIMIT = 1 << 26
#: the first block of the stream is this many times the expected need (rarely a second one)
BLOCK_MARGIN = 1.1


def _first_occurrences(read: np.ndarray, total: int) -> np.ndarray:
    """Indices of the first occurrence of each value in `read`, ascending."""
    if total <= SCATTER_LIMIT:
        backwards = np.arange(len(read), 0, -1, dtype=np.int64)  # larger = earlier
        first_seen = np.zeros(total, dtype=np.int64)
        np.maximum.at(first_seen, read, backwards)
        return np.flatnonzero(first_seen[read] == backwards)
    _, first = np.unique(read, return_index=True)
    return np.sort(first)


def positions(seed: str, credit_class: str, total: int, count: int) -> np.ndarray:
    """draw.positions vectorised: the first `count` distinct accepted positions of the class's
    stream, in stream order. The stream is read in blocks sized to the expected need (another
    block only when the first falls short); in the positions read so far each value's first
    occurrence is found at once (one scatter of the reversed index with np.maximum.at, or a
    stable sort for huge classes), which is the sequential definition; outputs past the count
    are read but unused, so the result depends only on the stream's prefix. O(count) work, plus
    one zeroed array of `total` int64 (calloc: pages never written are never touched)."""
    if count == 0:
        return np.empty(0, dtype=np.int64)
    generator = _generator(seed, credit_class)
    limit = total * ((1 << 64) // total)
    reject = limit < 1 << 64
    size = np.uint64(total)
    read = np.empty(0, dtype=np.int64)
    distinct = 0
    while True:
        free, need = total - distinct, count - distinct
        # expected draws for `need` new distinct positions among `free`: total·ln(free/(free−need))
        if need < free:
            expected = total * math.log(free / (free - need))
        else:
            expected = total * (math.log(total) + 1)
        raw = generator.random_raw(int(expected * BLOCK_MARGIN) + 64)
        if reject:
            raw = raw[raw < np.uint64(limit)]
        read = np.concatenate((read, (raw % size).astype(np.int64)))
        firsts = _first_occurrences(read, total)
        distinct = len(firsts)
        if distinct >= count:
            return read[firsts[:count]]


def chosen(seed: str, credit_class: str, total: int, n: int) -> np.ndarray:
    """draw.chosen vectorised: the drawn positions of the class in the published order."""
    if 2 * n <= total:
        return positions(seed, credit_class, total, n)
    keep = np.ones(total, dtype=bool)
    keep[positions(seed, credit_class, total, total - n)] = False
    return np.flatnonzero(keep)


def draw_sorted(
    rows: Sequence[tuple[str, str]], seed: str, ratios: dict[str, float]
) -> list[tuple[str, str]]:
    """Version 2 over [(code, class)] already in the canonical order, sorted by (class, code)
    (the database read orders it so, in the "C" collation): equal to draw.draw(rows, seed,
    ratios, "v2"), touching only the drawn rows."""
    result: list[tuple[str, str]] = []
    start = 0
    while start < len(rows):
        credit_class = rows[start][1]
        end = bisect_right(rows, credit_class, lo=start, key=_CLASS)
        n = draw.quota(end - start, ratios.get(credit_class, 0))
        if n == end - start:
            result.extend(rows[start:end])
        elif n:
            picked = (chosen(seed, credit_class, end - start, n) + start).tolist()
            result.extend(itemgetter(*picked)(rows) if len(picked) > 1 else [rows[picked[0]]])
        start = end
    return result
