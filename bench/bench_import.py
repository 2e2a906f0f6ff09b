"""Ledger import against an openpyxl read-only pass over the same file (not a test).

    .venv/bin/python bench/bench_import.py [--rows 1000] [--generic-rows 1000] [--memory]
        [--petition-rows 0] [--petition-codes] [--statements] [--repeat-parties]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_perf_bench .venv/bin/python bench/bench_import.py

Builds a throwaway database with one township (20 villages, 5 mediators, an operator), writes a
dispute ledger of N rows (two applicants with phones, one respondent, a mediator on half of
them, outcomes mixed) and a grid sheet of M rows for the generic resource import, then times
  - baseline: openpyxl read-only pass reading every cell of the same file, before the import
    and again after it (the ratio is against their mean: the machine's speed drifts);
  - project: disputes.io.import_ledger / core.io.import_workbook (validation and the write,
    all in one transaction, as the background job runs it).
Prints seconds, the ratio, queries per row, and with --memory the peak Python allocation of
both (tracemalloc, in an earlier run of each, rolled back: the timed run is untouched and
imports into the same empty township) and their ratio. With --statements, the wall time spent
in each kind of statement by table (COPY core_changerecord, SELECT parties_party …) and in the
import's COMMIT, timed apart (the import then runs inside an outer transaction).
The ledger's rows are in date order over three years (a real ledger is kept in order).
With --petition-rows N, a petition ledger of N rows (registered, accepted, an opinion served
and rated on most rows) is imported by petitions.io.import_ledger against the same openpyxl
pass; --petition-codes makes a receipt code and its password hash for every row as the import
did before imported petitions stopped getting one (register_petition's issue_code forced on).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import os
import re
import time
import tracemalloc
from io import BytesIO

from _setup import django_setup, vendor


def ledger_file(rows: int, repeat_parties: bool = False) -> bytes:
    from openpyxl import Workbook

    from fazhi.disputes import io

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("矛盾纠纷台账")
    head = [col.header for col in io.COLUMNS]
    ws.append(head)
    outcomes = ["调解成功", "调解中", "已登记", "调解不成", "调解成功"]
    first = dt.date(2023, 1, 1)
    for i in range(rows):
        outcome = outcomes[i % len(outcomes)]
        received = first + dt.timedelta(days=i * 1095 // rows)  # in order, over three years
        values = {
            "登记日期": received.isoformat(),
            "村(社区)": f"村{i % 20:02d}",
            "纠纷类型": "邻里纠纷" if i % 3 else "婚姻家庭纠纷",
            "来源": "排查发现",
            "申请人": f"申请人{i}、申请人{i}乙",
            "申请人电话": f"138{i:08d}、139{i:08d}",
            "被申请人": f"被申请人{i % 500}",
            # with a phone, a respondent is matched and recurs: 500 of them over the file, each
            # with repeat-party warnings and earlier disputes read (`--repeat-parties`)
            "被申请人电话": f"137{i % 500:08d}" if repeat_parties else None,
            "纠纷简要情况": f"第{i}件：因宅基地界址发生争执，双方多次协商未果。",
            "涉及金额(元)": (i % 7) * 1000,
            "涉及人数": 2 + i % 4,
            "调解员": f"调解员{i % 5}" if i % 2 else None,
            "调解结果": outcome,
            "办结日期": (received + dt.timedelta(days=12)).isoformat()
            if outcome in ("调解成功", "调解不成")
            else None,
        }
        ws.append([values.get(h) for h in head])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def petition_file(rows: int) -> bytes:
    from openpyxl import Workbook

    from fazhi.petitions import io

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("信访台账")
    head = [col.header for col in io.LEDGER]
    ws.append(head)
    first = dt.date(2023, 1, 1)
    for i in range(rows):
        received = first + dt.timedelta(days=i * 1095 // rows)
        done = i % 4 != 3
        values = {
            "收到日期": received.isoformat(),
            "信访形式": "走访" if i % 2 else "来信",
            "信访人": f"信访人{i}",
            "联系电话": f"136{i:08d}",
            "涉及村": f"村{i % 20:02d}",
            "问题类别": "农业农村与惠农补贴",
            "信访事项摘要": f"第{i}件：耕地补贴未发放",
            "信访请求": "要求补发补贴",
            "受理告知日期": (received + dt.timedelta(days=2)).isoformat(),
            "承办单位": "基准镇司法所",
            "处理结论": "支持" if done else None,
            "查明的事实": "银行账号错误" if done else None,
            "处理意见": "补发" if done else None,
            "法律政策依据": "《耕地地力保护补贴资金管理办法》" if done else None,
            "答复送达日期": (received + dt.timedelta(days=20)).isoformat() if done else None,
            "满意度": "满意" if done and i % 2 else None,
        }
        ws.append([values.get(h) for h in head])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def grid_file(resource, rows: int) -> bytes:
    from openpyxl import Workbook

    from fazhi.core import io

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("网格")
    head = io.headers(resource)
    ws.append(head)
    for i in range(rows):
        values = {
            "乡镇": "基准镇",
            "所属村(社区、场)": f"村{i % 20:02d}",
            "网格名称": f"导入格{i:06d}",
        }
        ws.append([values.get(h) for h in head])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def openpyxl_pass(data: bytes) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    n = 0
    for values in wb.worksheets[0].iter_rows(values_only=True):
        n += sum(1 for v in values if v is not None)
    wb.close()
    return n


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def measure(
    label: str, data: bytes, run, rows: int, memory: bool, statements: bool = False
) -> None:
    from django.db import connection, transaction

    if memory:  # first, rolled back: the timed run then imports into the same empty township
        tracemalloc.start()
        openpyxl_pass(data)
        base_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        run_rollback(run, data)
        print(
            f"{label:<26} {rows:>7,} rows: peak memory: import {_peak_mb:.1f} MiB | openpyxl "
            f"{base_peak / 2**20:.1f} MiB | ratio {_peak_mb / (base_peak / 2**20):.2f}×",
            flush=True,
        )
    t0, c0 = time.perf_counter(), time.process_time()
    openpyxl_pass(data)
    base, base_cpu = time.perf_counter() - t0, time.process_time() - c0
    counter = Counter()
    timer = Statements() if statements else None
    with connection.execute_wrapper(counter), contextlib.ExitStack() as stack:
        if timer is not None:
            stack.enter_context(connection.execute_wrapper(timer))
            outer = transaction.atomic()  # the import's own commit, timed apart
            outer.__enter__()
        s0 = server_cpu()
        t0, c0 = time.perf_counter(), time.process_time()
        result = run(BytesIO(data))
        if timer is not None:
            t1 = time.perf_counter()
            outer.__exit__(None, None, None)
            timer.totals["COMMIT"] += time.perf_counter() - t1
            timer.counts["COMMIT"] += 1
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        s1 = server_cpu()
    assert not result.errors, result.errors[:5]
    # the baseline again after the import: this machine's speed drifts over minutes (the same
    # pass took 17-22 s of CPU within an hour), so the ratio is taken against the mean of the
    # passes before and after, and both are printed
    t0, c0 = time.perf_counter(), time.process_time()
    openpyxl_pass(data)
    after, after_cpu = time.perf_counter() - t0, time.process_time() - c0
    base_mean, base_cpu_mean = (base + after) / 2, (base_cpu + after_cpu) / 2
    print(
        f"{label:<26} {rows:>7,} rows: import {took:7.2f} s (CPU {cpu:6.2f}) | openpyxl pass "
        f"{base:5.2f}/{after:5.2f} s before/after (CPU {base_cpu:5.2f}/{after_cpu:5.2f}) | ratio "
        f"{took / base_mean:6.1f}× (CPU {cpu / base_cpu_mean:6.1f}×) | {counter.n / rows:5.2f} "
        "queries/row",
        flush=True,
    )
    if s0 is not None and s1 is not None:
        print(
            f"  server backend CPU {s1 - s0:6.2f} s (this process {cpu:6.2f} s, wall {took:6.2f} s)",
            flush=True,
        )
    if timer is not None:
        print(f"  wall in statements by kind and table (of {took:.2f} s):")
        for key, seconds in timer.totals.most_common(12):
            print(f"  {seconds:8.2f} s {timer.counts[key]:7,} × {key}")


def server_cpu() -> float | None:
    """PostgreSQL on this machine: the CPU seconds (user + system) of this connection's server
    process so far, from /proc (None elsewhere): with the client's CPU and the wall, it tells
    whether an import waits on the client or on the server."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:  # the server runs elsewhere (or as a user whose /proc this cannot read)
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Statements:
    """Wall time spent in each kind of statement (COPY/INSERT/SELECT/… and its table): the
    client's formatting and the server's work together, as the import waits for both."""

    def __init__(self) -> None:
        self.totals: collections.Counter[str] = collections.Counter()
        self.counts: collections.Counter[str] = collections.Counter()

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            verb = sql.split(None, 1)[0].upper()
            table = re.search(r'(?:INTO|FROM|UPDATE|COPY)\s+"?(\w+)', sql, re.IGNORECASE)
            key = f"{verb} {table.group(1) if table else ''}"
            self.totals[key] += time.perf_counter() - t0
            self.counts[key] += 1


_peak_mb = 0.0


def run_rollback(run, data: bytes) -> None:
    """Run the import again under tracemalloc inside a transaction that is rolled back."""
    global _peak_mb
    from django.db import transaction

    class Undo(Exception):
        pass

    tracemalloc.start()
    try:
        with transaction.atomic():
            run(BytesIO(data))
            raise Undo
    except Undo:
        pass
    _peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000, help="ledger rows")
    parser.add_argument("--generic-rows", type=int, default=1000, help="grid rows (generic import)")
    parser.add_argument("--memory", action="store_true")
    parser.add_argument(
        "--statements",
        action="store_true",
        help="time each kind of statement and the COMMIT apart (wall: client and server)",
    )
    parser.add_argument(
        "--repeat-parties",
        action="store_true",
        help="dispute ledger: respondents with phones, 500 recurring (the repeat-dispute path)",
    )
    parser.add_argument("--petition-rows", type=int, default=0, help="petition ledger rows")
    parser.add_argument(
        "--petition-codes", action="store_true", help="a hashed receipt code a row (as before)"
    )
    args = parser.parse_args()
    django_setup("import")

    from django.contrib.auth.models import User

    from fazhi.core import io as core_io
    from fazhi.core import resources
    from fazhi.core.models import County, Department, Membership, Township, Village
    from fazhi.disputes import io
    from fazhi.disputes.models import Mediator

    county = County.objects.create(name="基准县", province="基准省")
    township = Township.objects.create(county=county, name="基准镇")
    Village.objects.bulk_create(Village(township=township, name=f"村{j:02d}") for j in range(20))
    Mediator.objects.bulk_create(
        Mediator(township=township, name=f"调解员{j}", kind="full_time") for j in range(5)
    )
    Department.objects.create(township=township, name="基准镇司法所", kind="justice")
    user = User.objects.create_user("bench_op", password="x")
    Membership.objects.create(user=user, role="township_operator", township=township)
    print(f"database: {vendor()}")

    if args.rows:
        data = ledger_file(args.rows, args.repeat_parties)

        def ledger(fileobj):
            return io.import_ledger(fileobj, actor=user, allow_job=False)

        label = "dispute ledger" + (" (repeats)" if args.repeat_parties else " import")
        measure(label, data, ledger, args.rows, args.memory, args.statements)
    if args.generic_rows:
        grids = resources.get("core", "grids")
        data = grid_file(grids, args.generic_rows)

        def generic(fileobj):
            return core_io.import_workbook(grids, fileobj, actor=user, allow_job=False)

        measure("generic import (grids)", data, generic, args.generic_rows, args.memory)
    if args.petition_rows:
        from fazhi.petitions import io as petition_io
        from fazhi.petitions.services import registration

        data = petition_file(args.petition_rows)
        if args.petition_codes:
            real = registration.register_petition

            def with_code(*a, **kw):
                kw["issue_code"] = True
                return real(*a, **kw)

            registration.register_petition = with_code
            import fazhi.petitions.services as petition_services

            petition_services.register_petition = with_code

        def petitions(fileobj):
            return petition_io.import_ledger(fileobj, actor=user, allow_job=False)

        label = "petition ledger" + (" (codes)" if args.petition_codes else "")
        measure(label, data, petitions, args.petition_rows, args.memory, args.statements)


if __name__ == "__main__":
    main()
