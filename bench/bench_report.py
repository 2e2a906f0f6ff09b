"""Benchmark the annual report: figures vs a hand-written SQL aggregate, the .docx vs plain
python-docx, and a county batch of 20 townships. Ratios are measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_report_bench \\
        .venv/bin/python bench/bench_report.py [--townships 200] [--rows 200000 1000000] [--demo]

1. One township's report figures of 人民调解 (排查, 化解, 成功率, 调解员培训) through the registry
   (`Figures.compute`, batched, with statuses) vs one hand-written SQL statement over the same
   rows, at each size of the disputes table (spread over --townships townships), and the growth
   of the registry's time from the smallest to the largest size.
2. The report as .docx (`output.to_docx`: GB/T 9704 layout, footer field, 数据来源 table) vs
   python-docx writing the same paragraphs with no formatting.
3. A county batch: 20 townships' .docx zipped (`reports.jobs.batch_docx`), total time; then the
   county board's findings for those 20 drafts served from the cache vs rendered and checked.
4. Every report figure of one township-year (92 metrics over 40 tables) through the registry
   (`Figures.compute`: one statement, with statuses) vs a hand-written SQL statement of the same
   figures (`bench/_report_sql.py`: one filtered aggregate per table, cross-joined, plus a read
   of the declarations). Before timing, the two are compared figure by figure (value, numerator,
   denominator, recorded or not) for every township; with --demo the demo is loaded first so
   every module's tables have rows, and the busiest demo township is timed as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_setup, paired, row, vendor  # noqa: E402

CODES = [
    "disputes.screened",
    "disputes.resolved",
    "disputes.mediation_success_rate",
    "disputes.mediator_trainings",
]

SQL = """
SELECT
  (SELECT COUNT(*) FROM disputes_dispute d
    WHERE d.township_id = %(t)s AND d.received_on BETWEEN %(a)s AND %(b)s) AS screened,
  (SELECT COUNT(*) FROM disputes_dispute d
    WHERE d.township_id = %(t)s AND d.received_on BETWEEN %(a)s AND %(b)s
      AND d.status = 'succeeded' AND d.concluded_on <= %(b)s) AS resolved,
  (SELECT COUNT(*) FROM disputes_mediatortraining m
    WHERE m.township_id = %(t)s AND m.held_on BETWEEN %(a)s AND %(b)s) AS trainings
"""


def grow(townships: list, target: int, county_village: dict) -> None:
    """Bring the disputes table to `target` rows, spread over the townships, in 2025 and 2024."""
    from fazhi.disputes.models import Dispute

    have = Dispute.objects.count()
    rng = random.Random(have)
    batch = []
    for i in range(have, target):
        t = townships[i % len(townships)]
        day = dt.date(2024 + (i // len(townships)) % 2, 1 + i % 12, 1 + i % 28)
        succeeded = rng.random() < 0.85
        batch.append(
            Dispute(
                township=t,
                number=f"B{i}",
                received_on=day,
                source="walk_in",
                kind="neighbour",
                title="纠纷",
                description="",
                village_id=county_village[t.pk],
                status="succeeded" if succeeded else "mediating",
                concluded_on=day if succeeded else None,
            )
        )
        if len(batch) == 20000:
            Dispute.objects.bulk_create(batch)
            batch = []
    if batch:
        Dispute.objects.bulk_create(batch)


def hand_figures(township_id: int, year: int) -> dict[str, tuple]:
    """Every report figure of one township-year from the hand-written statement."""
    import _report_sql as hand
    from django.db import connection

    sql, columns = hand.statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, hand.params(township_id, year))
        return hand.figures(cursor.fetchone(), columns)


def same_figures(townships: list, year: int) -> int:
    """Check the hand-written statement against the registry for each township (raw figures:
    value, numerator, denominator, recorded or not); the number of figures compared."""
    import _report_sql as hand

    from fazhi.indicators import registry

    metrics = [registry.metric(code) for code in hand.METRICS]
    compared = 0
    for t in townships:
        mine = hand_figures(t.pk, year)
        theirs = registry._raw_many(metrics, t, registry.Period.year(year))
        for m in metrics:
            f = theirs[m.code]
            rate = m.kind == registry.RATE
            got = (
                f.value,
                f.numerator if rate else None,
                f.denominator if rate else None,
                f.status == registry.RECORDED,
            )
            assert got == tuple(mine[m.code]), (t.name, year, m.code, got, mine[m.code])
            compared += 1
    return compared


def every_figure(township: Any, repeat: int, label: str = "one township") -> str:
    """Every report figure the hand-written statement covers, through the registry (settled,
    with the declarations) vs the hand-written statement and a read of the declarations."""
    import _report_sql as hand
    from django.db import connection

    from fazhi.indicators import registry
    from fazhi.reports.generate import Figures, report_metrics

    codes = list(hand.METRICS)
    uncovered = sorted({m.code for m in report_metrics()} - set(codes))

    def baseline() -> object:
        figures = hand_figures(township.pk, 2025)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT metric_code, kind FROM indicators_figuredeclaration"
                " WHERE township_id = %s AND year = %s",
                [township.pk, 2025],
            )
            declared = dict(cursor.fetchall())
        return figures, declared

    p, b, ratio = paired(lambda: Figures.compute(township, 2025, codes), baseline, repeat)
    assert registry.metric(codes[0])  # the codes are the registry's
    note = f"(the same figures; not covered: {', '.join(uncovered) or 'none'})"
    return row(f"{len(codes)} report figures, {label}", p, b, ratio, note)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=200)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 400_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load the demo first: every module's tables have rows for the figure check",
    )
    args = parser.parse_args()
    django_setup("report")
    from django.db import connection

    from fazhi.core.models import County, Township, Village
    from fazhi.disputes.models import MediatorTraining
    from fazhi.reports import annual, output
    from fazhi.reports.generate import Figures
    from fazhi.reports.jobs import batch_docx

    county = County.objects.create(name="基准县", province="基准省", city="基准市")
    townships = Township.objects.bulk_create(
        [Township(county=county, name=f"基准{i}镇") for i in range(args.townships)]
    )
    villages = {
        v.township_id: v.pk
        for v in Village.objects.bulk_create(
            [Village(township=t, name=f"{t.name}一村") for t in townships]
        )
    }
    MediatorTraining.objects.bulk_create(
        [
            MediatorTraining(township=t, held_on=dt.date(2025, 1 + k, 10), topic="培训")
            for t in townships
            for k in range(4)
        ]
    )
    one = townships[len(townships) // 2]
    params = {"t": one.pk, "a": dt.date(2025, 1, 1), "b": dt.date(2025, 12, 31)}

    def baseline() -> object:
        with connection.cursor() as cursor:
            cursor.execute(SQL, params)
            return cursor.fetchone()

    def project() -> object:
        return Figures.compute(one, 2025, CODES)

    if args.demo:
        from io import StringIO

        from django.core.management import call_command

        call_command("load_demo", stdout=StringIO())
    print(f"# bench_report on {vendor()}, {args.townships} townships")
    medians = []
    for size in args.rows:
        t0 = time.perf_counter()
        grow(townships, size, villages)
        if vendor() == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        grown = time.perf_counter() - t0
        compared = same_figures(list(Township.objects.all()), 2025)
        print(f"hand-written SQL = registry: {compared} figures compared over every township")
        figures = project().figures
        check = baseline()
        assert (
            figures["disputes.screened"].value,
            figures["disputes.resolved"].value,
            figures["disputes.mediator_trainings"].value,
        ) == tuple(check), (figures, check)
        p, b, ratio = paired(project, baseline, args.repeat)
        medians.append(sorted(p)[len(p) // 2])
        print(
            row(
                f"figures, disputes table {size:,} rows",
                p,
                b,
                ratio,
                f"(grown in {grown:.0f} s; same values as SQL)",
            )
        )
    if len(medians) > 1:
        print(
            f"registry p50 growth {args.rows[0]:,} → {args.rows[-1]:,} rows: "
            f"{medians[-1] / medians[0]:.2f}×"
        )

    print(every_figure(one, args.repeat))
    if args.demo:
        from fazhi.core.models import Township as T

        busiest = max(
            T.objects.exclude(county=county),
            key=lambda t: sum(1 for v in hand_figures(t.pk, 2025).values() if v[0] or v[1]),
        )
        print(every_figure(busiest, args.repeat, f"demo township {busiest.name}"))

    rendered = annual.preview(one, 2025)

    def plain_docx() -> bytes:
        from io import BytesIO

        from docx import Document

        doc = Document()
        doc.add_paragraph(rendered.title)
        for para in rendered.paragraphs:
            doc.add_paragraph(para["text"])
        for line in rendered.signature:
            doc.add_paragraph(line)
        for f in rendered.figures:
            doc.add_paragraph(f"{f['label']} {f['display']} {f['computed_at']}")
        out = BytesIO()
        doc.save(out)
        return out.getvalue()

    p, b, ratio = paired(lambda: output.to_docx(rendered), plain_docx, args.repeat)
    print(row(".docx (GB/T 9704 form) vs python-docx plain", p, b, ratio))

    small = County.objects.create(name="批量县", province="基准省", city="基准市")
    Township.objects.filter(pk__in=[t.pk for t in townships[:20]]).update(county=small)
    t0 = time.perf_counter()
    data, names = batch_docx(small.pk, 2025)
    elapsed = time.perf_counter() - t0
    print(
        f"county batch: {len(names)} townships' .docx zipped in {elapsed:.2f} s "
        f"({elapsed / len(names) * 1000:.0f} ms each, zip {len(data) / 1024:.0f} KiB)"
    )
    print(board(small))


def board(county: Any) -> str:
    """The county board's findings for a county whose townships all have a draft: every
    township rendered and checked (the cache emptied first) vs served from the cache."""
    from django.core.cache import cache

    from fazhi.core.models import Township
    from fazhi.reports import annual, generate
    from fazhi.reports.models import AnnualReport, ReportParagraph

    reports = {}
    for t in Township.objects.filter(county=county):
        r = AnnualReport.objects.create(township=t, year=2025, title=generate.title(t, 2025))
        ReportParagraph.objects.bulk_create(
            ReportParagraph(
                township=t, report=r, order=i, section=p.section, level=p.level, text=p.text
            )
            for i, p in enumerate(generate.draft_paragraphs(t, 2025), start=1)
        )
        reports[t.pk] = r

    def cold() -> object:
        cache.clear()
        return annual.board_findings(reports, 2025)

    cold()
    p, b, ratio = paired(lambda: annual.board_findings(reports, 2025), cold, 5)
    return row(f"county board, {len(reports)} drafts: cached vs cold", p, b, ratio)


if __name__ == "__main__":
    main()
