"""Receipt and case numbers: per township, per year, per kind; unique and gapless, also under
parallel writers on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from fazhi.core.models import Counter, County, Township
from fazhi.core.numbering import current_number, format_number, next_number


@pytest.mark.django_db
class TestNumbers:
    def test_first_number_of_a_year(self, cast):
        sizhuang = Township.objects.create(county=cast.county, name="寺庄镇")
        assert next_number(sizhuang, "信", year=2026) == (1, "〔2026〕寺庄镇信字第1号")
        assert next_number(sizhuang, "信", year=2026) == (2, "〔2026〕寺庄镇信字第2号")

    def test_format(self):
        assert format_number("寺庄镇", "信", 2026, 12) == "〔2026〕寺庄镇信字第12号"

    def test_counters_are_separate_per_township_year_and_kind(self, cast):
        next_number(cast.a, "信", year=2025)
        next_number(cast.a, "信", year=2025)
        assert next_number(cast.a, "信", year=2026)[0] == 1
        assert next_number(cast.a, "调", year=2025)[0] == 1
        assert next_number(cast.b, "信", year=2025) == (1, "〔2025〕乙镇信字第1号")
        assert current_number(cast.a, "信", year=2025) == 2
        assert current_number(cast.c, "信", year=2025) == 0

    def test_township_may_be_given_by_id(self, cast):
        assert next_number(cast.a.pk, "罚", year=2025) == (1, "〔2025〕甲镇罚字第1号")

    def test_sequential_calls_are_unique_and_gapless(self, cast):
        numbers = [next_number(cast.a, "信", year=2025)[0] for _ in range(50)]
        assert numbers == list(range(1, 51))
        texts = {next_number(cast.a, "信", year=2025)[1] for _ in range(10)}
        assert len(texts) == 10

    def test_a_rolled_back_record_gives_its_number_back(self, cast):
        next_number(cast.a, "信", year=2025)
        with pytest.raises(RuntimeError), transaction.atomic():
            assert next_number(cast.a, "信", year=2025)[0] == 2
            raise RuntimeError("the record failed to save")
        assert next_number(cast.a, "信", year=2025)[0] == 2

    def test_an_existing_counter_continues(self, cast):
        Counter.objects.create(township=cast.a, year=2025, kind="信", value=41)
        assert next_number(cast.a, "信", year=2025)[0] == 42

    @pytest.mark.parametrize("kind,year", [("", 2025), ("信:x", 2025), ("信", 0), ("信", 20250)])
    def test_bad_kind_or_year_is_refused(self, cast, kind, year):
        with pytest.raises(ValueError):
            next_number(cast.a, kind, year=year)


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_on_postgresql_get_unique_gapless_numbers():
    if connection.vendor != "postgresql":
        pytest.skip(
            "需要 PostgreSQL：SQLite 的测试库为共享内存库，多线程多连接并发写无法在其上复现；"
            "SQLite 上由 test_sequential_calls_are_unique_and_gapless 检验唯一性"
        )
    county = County.objects.create(name="并发县", province="测试省")
    township = Township.objects.create(county=county, name="寺庄镇")
    writers, per_writer = 8, 10
    results: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(writers)

    def work() -> None:
        try:
            barrier.wait()  # every writer starts at once; the counter row does not exist yet
            for _ in range(per_writer):
                number = next_number(township, "信", year=2026)
                with lock:
                    results.append(number)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    numbers = sorted(n for n, _ in results)
    assert numbers == list(range(1, writers * per_writer + 1))  # unique and gapless
    assert len({text for _, text in results}) == writers * per_writer
    assert Counter.objects.get(township=township, year=2026, kind="信").value == 80


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_in_longer_transactions_on_postgresql():
    """Writers that number a record and keep working before commit still never collide."""
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL：并发写入需要多个真实连接")
    county = County.objects.create(name="并发县", province="测试省")
    township = Township.objects.create(county=county, name="寺庄镇")
    taken: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def work(fail: bool) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                try:
                    with transaction.atomic():
                        n, _ = next_number(township, "调", year=2026)
                        Township.objects.filter(pk=township.pk).exists()
                        if fail:
                            raise LookupError("record rejected")
                        taken.append(n)
                except LookupError:
                    pass
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i == 0,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(taken) == list(range(1, 16))  # the failing writer's numbers were given back
