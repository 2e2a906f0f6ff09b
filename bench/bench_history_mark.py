"""The history marks on SQLite (not a test): what inserting history costs under each scheme, and
what `records_versions` costs to read at 1M+ history rows a township.

    .venv/bin/python bench/bench_history_mark.py [--rows 50000] [--repeat 5] [--big 1000000]

SQLite only (PostgreSQL keeps its statement-level triggers, untouched by migration core 0011).
In one database, the schema switched between runs (DDL, outside the clock):
  - trigger: 0008–0010's per-row trigger on both history tables (UPDATE + INSERT WHERE NOT
    EXISTS of core_historymark), no township index — the schema before core 0011;
  - index: core 0011's schema — the index on (township_id), no trigger;
  - bare: neither (what the history tables cost by themselves).
Insert: `--rows` change records (then as many domain events) of 20 townships by
`audit.insert_rows` (one executemany), in a transaction rolled back; best of `--repeat`, the
schemes alternated. Read: `--big` change records and domain events of one township loaded (one
INSERT … SELECT a table), then `records_versions` of 20 townships under the current schema
against the highest ids read through the composite index (what 0011 without its index would
read) and against the old marks' read (a SUM of core_historymark)."""

from __future__ import annotations

import argparse
import time

from _setup import django_setup, samples, vendor


class _Undo(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--big", type=int, default=1_000_000)
    args = parser.parse_args()
    django_setup("history_mark")
    assert vendor() == "sqlite", "SQLite only: PostgreSQL's marks are not changed"

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from fazhi.core import audit
    from fazhi.core.migrations import _history_mark as hm
    from fazhi.core.models import ChangeRecord, County, DomainEvent, Township

    county = County.objects.create(name="基准县", province="基准省")
    towns = Township.objects.bulk_create(
        Township(county=county, name=f"基准{j:02d}镇") for j in range(20)
    )
    ids = [t.pk for t in towns]
    ct = ContentType.objects.get_for_model(Township).pk

    def schema(kind: str) -> None:
        with connection.cursor() as cursor:
            for table in hm.HISTORY:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_mark")
                cursor.execute(f"DROP INDEX IF EXISTS {hm.SQLITE_INDEX_NAME.format(table=table)}")
                if kind == "trigger":
                    cursor.execute(hm.SQLITE_TRIGGER.format(table=table))
                elif kind == "index":
                    cursor.execute(hm.SQLITE_INDEX.format(table=table))

    changes = [
        {
            "township_id": ids[i % 20],
            "content_type_id": ct,
            "object_id": str(i),
            "object_repr": f"第{i}件",
            "action": "update",
            "changes": {"title": {"label": "标题", "before": f"旧{i}", "after": f"新{i}"}},
            "actor_name": "张三",
        }
        for i in range(args.rows)
    ]
    events = [
        {
            "township_id": ids[i % 20],
            "kind": "bench.event",
            "label": f"事件{i}",
            "content_type_id": ct,
            "object_id": str(i),
            "payload": {"n": i},
            "actor_name": "张三",
        }
        for i in range(args.rows)
    ]

    def insert(model, rows) -> tuple[float, float]:
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            with transaction.atomic():
                audit.insert_rows(model, rows)
                raise _Undo
        except _Undo:
            pass
        return time.perf_counter() - w0, time.process_time() - c0

    kinds = ("trigger", "index", "bare")
    best: dict[tuple[str, str], tuple[float, float]] = {}
    for _ in range(args.repeat):
        for kind in kinds:
            schema(kind)
            for model, rows in ((ChangeRecord, changes), (DomainEvent, events)):
                wall, cpu = insert(model, rows)
                key = (kind, model.__name__)
                old = best.get(key, (float("inf"), float("inf")))
                best[key] = (min(old[0], wall), min(old[1], cpu))
    print(f"database: sqlite, insert {args.rows:,} rows a table, best of {args.repeat}")
    for model in ("ChangeRecord", "DomainEvent"):
        bare = best[("bare", model)][0]
        for kind in kinds:
            wall, cpu = best[(kind, model)]
            print(
                f"  {model:12} {kind:8} {wall:6.2f} s wall (CPU {cpu:5.2f}) | x{wall / bare:4.2f}"
                " of bare"
            )

    # the read at scale, under core 0011's schema
    schema("index")
    if args.big:
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_changerecord (township_id, content_type_id, object_id,"
                " object_repr, action, changes, parent_object_id, actor_name, request_id,"
                " job_id, at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                " WHERE i < %s) SELECT %s, %s, i, '第' || i || '件', 'update', '{}', '', '张三',"
                " '', '', '2026-01-01 00:00:00' FROM n",
                [args.big, ids[0], ct],
            )
            cursor.execute(
                "INSERT INTO core_domainevent (township_id, kind, label, content_type_id,"
                " object_id, payload, actor_name, request_id, job_id, at) WITH RECURSIVE"
                " n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) SELECT %s,"
                " 'bench.event', '事件' || i, %s, i, '{}', '张三', '', '', '2026-01-01 00:00:00'"
                " FROM n",
                [args.big, ids[0], ct],
            )
            cursor.execute("ANALYZE")
        loaded = time.perf_counter() - t0

        def composite() -> None:
            # the highest ids without 0011's index: through (township, content type, object)
            with connection.cursor() as cursor:
                for table, index in (
                    ("core_changerecord", "change_object"),
                    ("core_domainevent", "event_object"),
                ):
                    cursor.execute(
                        f"SELECT township_id, MAX(id) FROM {table} INDEXED BY {index}"
                        " WHERE township_id IN (SELECT value FROM json_each(%s))"
                        " GROUP BY township_id",
                        [str(ids)],
                    )
                    cursor.fetchall()

        def marks() -> None:
            from django.db.models import Count, Sum

            from fazhi.core.models import HistoryMark

            list(
                HistoryMark.objects.filter(township_id__in=ids)
                .order_by()
                .values_list("township_id")
                .annotate(added=Sum("added"), rows=Count("pk"))
            )

        def timed(fn, repeat: int) -> float:
            return min(samples(fn, repeat=repeat))

        assert audit.records_versions(ids)[ids[0]] >= 2 * args.big
        print(
            f"read, 20 townships, {args.big:,} change records and {args.big:,} domain events"
            f" in one (loaded in {loaded:.0f} s), best of 20 (composite: of 3):"
        )
        print(
            f"  records_versions (0011 index)       {timed(lambda: audit.records_versions(ids), 20):8.3f} ms"
        )
        print(f"  highest ids via composite index     {timed(composite, 3):8.3f} ms")
        print(f"  old marks (SUM of core_historymark) {timed(marks, 20):8.3f} ms")


if __name__ == "__main__":
    main()
