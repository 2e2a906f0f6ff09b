"""Counters of attempts (core.limits): atomic, so a limit holds under concurrent requests in any
worker (issue 7: the database cache's incr read and wrote back, and two requests both passed)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, connections
from django.test import override_settings

from fazhi.core import limits
from fazhi.core.models import RateCounter

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_hit_counts_within_the_window_and_starts_again_after_it():
    with time_machine.travel(START, tick=False):
        assert [limits.hit("k", 60) for _ in range(3)] == [1, 2, 3]
        assert limits.count("k") == 3
        assert limits.hit("other", 60) == 1  # counters are independent
    with time_machine.travel(START + dt.timedelta(seconds=59), tick=False):
        assert limits.hit("k", 60) == 4  # the window is not extended by later hits
    with time_machine.travel(START + dt.timedelta(seconds=61), tick=False):
        assert limits.count("k") == 0
        assert limits.hit("k", 60) == 1
        # expired counters of other keys are deleted as new ones are written
        assert not RateCounter.objects.filter(key="other").exists()


@pytest.mark.django_db
def test_give_back_and_reset():
    limits.hit("k", 60)
    limits.hit("k", 60)
    limits.give_back("k")
    assert limits.count("k") == 1
    limits.give_back("k", 5)
    assert limits.count("k") == 0  # never below zero
    limits.hit("k", 60)
    limits.reset("k")
    assert limits.count("k") == 0
    assert limits.hit("k", 60) == 1


def _parallel(threads: int, work) -> list:
    results, errors = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def run(i: int) -> None:
        try:
            barrier.wait()  # every request starts at once
            value = work(i)
            with lock:
                results.append(value)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert not errors, errors
    return results


NEEDS_PG = "需要 PostgreSQL：SQLite 的测试库为共享内存库，多线程多连接并发写无法在其上复现"


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_on_postgresql_each_get_their_own_count():
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_PG)
    threads, per_thread = 8, 10
    results = _parallel(threads, lambda i: [limits.hit("race", 600) for _ in range(per_thread)])
    counts = sorted(n for chunk in results for n in chunk)
    assert counts == list(range(1, threads * per_thread + 1))  # no count seen twice
    assert limits.count("race") == threads * per_thread


@pytest.mark.django_db(transaction=True)
@override_settings(FAZHI_PETITION_PORTAL_RECEIPT_FAILURES=3)
def test_concurrent_wrong_codes_on_postgresql_pass_only_up_to_the_limit():
    """The probe's race: eight wrong codes for one receipt at once, limit 3 — exactly three are
    checked (NotFound), the others are refused (Throttled), whatever the interleaving."""
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_PG)
    from fazhi.petitions import portal

    def attempt(i: int) -> str:
        try:
            portal.lookup_petition("〔2026〕甲镇信字第1号", f"WRONG{i:03d}", f"10.9.0.{i}")
        except portal.Throttled:
            return "throttled"
        except portal.NotFound:
            return "checked"
        return "found"  # pragma: no cover

    outcomes = _parallel(8, attempt)
    assert sorted(outcomes) == ["checked"] * 3 + ["throttled"] * 5
