"""The 人民调解 statistics table (by dispute type × outcome) in the layout of the line system's
report, computed from the same records as the registry's figures — nothing typed twice.

A dispute counts in the period it was registered; its outcome is the one it had at the period's
end (concluded later → 尚未办结). So the 合计 row equals the registry's 排查件数, the 调解成功
column its 化解件数, and 成功率 its 化解成功率.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from fazhi.disputes import choices as c
from fazhi.disputes.models import Dispute, MediationAgreement
from fazhi.indicators.registry import Period, rate

OPEN = "open"
OUTCOME_COLUMNS: list[tuple[str, str]] = [
    (c.DisputeStatus.SUCCEEDED, "调解成功"),
    (c.DisputeStatus.FAILED, "调解不成"),
    (c.DisputeStatus.TERMINATED, "终止调解"),
    (c.DisputeStatus.TRANSFERRED, "转诉讼·仲裁·行政处理"),
    (OPEN, "尚未办结"),
]


@dataclass
class Row:
    label: str
    received: int = 0
    outcomes: Counter = field(default_factory=Counter)
    amount: Decimal = Decimal(0)
    people: int = 0

    @property
    def cells(self) -> list[int]:
        return [self.outcomes[key] for key, _ in OUTCOME_COLUMNS]

    @property
    def success_rate(self) -> str:
        value = rate(self.outcomes[c.DisputeStatus.SUCCEEDED], self.received)
        return "—" if value is None else f"{value}%"


@dataclass
class Table:
    township: Any
    period: Period
    by_type: list[Row]
    total: Row
    by_source: list[tuple[str, int]]
    agreements: int
    court_applications: int

    @property
    def headers(self) -> list[str]:
        return [
            "纠纷类型",
            "受理纠纷数",
            *[label for _, label in OUTCOME_COLUMNS],
            "调解成功率",
            "涉及金额(元)",
            "涉及人数",
        ]


def outcome_at_end(dispute: Dispute, period: Period) -> str:
    if dispute.status in c.OUTCOMES and dispute.concluded_on and dispute.concluded_on <= period.end:
        return dispute.status
    return OPEN


def records(township: Any, period: Period) -> QuerySet:
    return Dispute.objects.filter(
        township=township, received_on__gte=period.start, received_on__lte=period.end
    )


def build(township: Any, period: Period) -> Table:
    rows = {value: Row(label) for value, label in c.DisputeType.choices}
    total = Row("合计")
    sources: Counter = Counter()
    for d in records(township, period).only(
        "kind", "status", "concluded_on", "amount", "people_count", "source"
    ):
        outcome = outcome_at_end(d, period)
        for row in (rows[d.kind], total):
            row.received += 1
            row.outcomes[outcome] += 1
            row.amount += d.amount or 0
            row.people += d.people_count or 0
        sources[d.source] += 1
    agreements = MediationAgreement.objects.filter(
        township=township,
        dispute__received_on__gte=period.start,
        dispute__received_on__lte=period.end,
        effective_on__lte=period.end,
    )
    return Table(
        township=township,
        period=period,
        by_type=list(rows.values()),
        total=total,
        by_source=[(label, sources[value]) for value, label in c.DisputeSource.choices],
        agreements=agreements.count(),
        court_applications=agreements.filter(court_applied_on__lte=period.end).count(),
    )


def workbook(table: Table) -> bytes:
    """The table as .xlsx, laid out for printing and for copying into the line system."""
    wb = Workbook()
    ws = wb.active
    ws.title = "人民调解统计表"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    width = len(table.headers)
    ws.append([f"{table.township.name}人民调解工作统计表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(
        [
            f"统计期间：{table.period.start:%Y年%m月%d日}至{table.period.end:%Y年%m月%d日}（按登记日期；办结情况截至期末）"
        ]
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append(table.headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F4F7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in [*table.by_type, table.total]:
        ws.append(
            [row.label, row.received, *row.cells, row.success_rate, float(row.amount), row.people]
        )
    last = ws.max_row
    for line in ws.iter_rows(min_row=3, max_row=last, max_col=width):
        for cell in line:
            cell.border = border
    for cell in ws[last]:
        cell.font = Font(bold=True)
    ws.append([])
    ws.append(["按来源", "件数"])
    for label, count in table.by_source:
        ws.append([label, count])
    ws.append([])
    ws.append(["达成书面调解协议(件)", table.agreements])
    ws.append(["申请司法确认(件)", table.court_applications])
    ws.column_dimensions["A"].width = 22
    for index in range(2, width + 1):
        ws.column_dimensions[get_column_letter(index)].width = 13
    ws.freeze_panes = "B4"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
