"""The 涉企行政检查 statistics table a county line department asks for (行政执法统计年报, §12:
"inspection counts per enterprise go into the yearly enforcement statistics"), built from the
record sets the indicator registry defines — nothing typed twice.

- 按检查主体: per enforcement body, the completed inspections it took part in (lead or joint),
  of them joint ones, the enterprises it inspected, the over-cap inspections, the hazards
  found and rectified. A joint inspection counts for every body on it, so the body rows may add
  up to more than the 合计 row, which counts each visit once (进一次门、查多项事) and is the
  registry's own figure (`inspections.inspections`, `enterprises_inspected`, `over_cap`,
  `hazards_found`, `hazards_rectified`).
- 按企业: per enterprise, the visits by each body, the visits in all (a joint one once) and the
  over-cap inspections.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from fazhi.indicators import registry
from fazhi.indicators.registry import Period

BODY_HEADERS = [
    "检查主体",
    "涉企检查次数",
    "其中联合检查",
    "检查企业数",
    "超频次检查预警数",
    "发现隐患数",
    "整改隐患数",
]
#: a registry figure with no records (kept apart from 0, as the registry does)
NONE = "—"
TOTAL_CODES = (
    "inspections.inspections",
    "inspections.enterprises_inspected",
    "inspections.over_cap",
    "inspections.hazards_found",
    "inspections.hazards_rectified",
)


@dataclass
class BodyRow:
    label: str
    visits: int = 0
    joint: int = 0
    enterprises: set[int] = field(default_factory=set)
    over_cap: int = 0
    hazards_found: int = 0
    hazards_rectified: int = 0

    @property
    def cells(self) -> list[int]:
        return [
            self.visits,
            self.joint,
            len(self.enterprises),
            self.over_cap,
            self.hazards_found,
            self.hazards_rectified,
        ]


@dataclass
class EnterpriseRow:
    name: str
    credit_code: str
    credit_class: str
    by_body: Counter = field(default_factory=Counter)
    visits: int = 0
    over_cap: int = 0
    #: visits by each body of the table, in the table's body order
    cells: list[int] = field(default_factory=list)


@dataclass
class Table:
    township: Any
    period: Period
    bodies: list[str]
    by_body: list[BodyRow]
    #: the registry's figures in BODY_HEADERS order (without the label); None = no records
    total: list[Any]
    by_enterprise: list[EnterpriseRow]

    @property
    def enterprise_headers(self) -> list[str]:
        return [
            "企业名称",
            "统一社会信用代码",
            "信用风险分类",
            *[f"{b}检查次数" for b in self.bodies],
            "入企检查次数（联合检查计一次）",
            "超频次检查",
        ]


def _records(code: str, township: Any, period: Period) -> Any:
    return registry.metric(code).records(township, period)


def build(township: Any, period: Period) -> Table:
    done = _records("inspections.inspections", township, period).select_related(
        "body", "enterprise"
    )
    rows: dict[int, BodyRow] = {}
    firms: dict[int, EnterpriseRow] = {}
    joint_of: dict[int, list[Any]] = defaultdict(list)
    inspections = list(done.prefetch_related("joint_bodies"))
    for insp in inspections:
        joint_of[insp.pk] = [b for b in insp.joint_bodies.all() if b.pk != insp.body_id]
    for insp in inspections:
        bodies = [insp.body, *joint_of[insp.pk]]
        firm = firms.get(insp.enterprise_id)
        if firm is None:
            e = insp.enterprise
            firm = firms[e.pk] = EnterpriseRow(e.name, e.credit_code, e.credit_class)
        firm.visits += 1
        for b in bodies:
            row = rows.setdefault(b.pk, BodyRow(b.name))
            row.visits += 1
            row.joint += 1 if len(bodies) > 1 else 0
            row.enterprises.add(insp.enterprise_id)
            firm.by_body[b.name] += 1
    planned_over = _records("inspections.over_cap", township, period).select_related(
        "body", "enterprise"
    )
    for insp in planned_over.prefetch_related("joint_bodies"):
        for b in {insp.body, *insp.joint_bodies.all()}:
            rows.setdefault(b.pk, BodyRow(b.name)).over_cap += 1
        firm = firms.get(insp.enterprise_id)
        if firm is None:
            e = insp.enterprise
            firm = firms[e.pk] = EnterpriseRow(e.name, e.credit_code, e.credit_class)
        firm.over_cap += 1
    found = _records("inspections.hazards_found", township, period).select_related(
        "inspection__body"
    )
    rectified = set(
        _records("inspections.hazards_rectified", township, period).values_list("pk", flat=True)
    )
    for h in found:
        row = rows.setdefault(h.inspection.body_id, BodyRow(h.inspection.body.name))
        row.hazards_found += 1
        row.hazards_rectified += 1 if h.pk in rectified else 0
    figures = registry.compute_many(TOTAL_CODES, township, period)
    total = [
        figures["inspections.inspections"].value,
        sum(1 for i in inspections if joint_of[i.pk]),
        figures["inspections.enterprises_inspected"].value,
        figures["inspections.over_cap"].value,
        figures["inspections.hazards_found"].value,
        figures["inspections.hazards_rectified"].value,
    ]
    body_rows = sorted(rows.values(), key=lambda r: r.label)
    for firm in firms.values():
        firm.cells = [firm.by_body.get(r.label, 0) for r in body_rows]
    return Table(
        township=township,
        period=period,
        bodies=[r.label for r in body_rows],
        by_body=body_rows,
        total=total,
        by_enterprise=sorted(firms.values(), key=lambda f: (-f.visits, f.credit_code)),
    )


def _sheet_head(ws: Any, title: str, subtitle: str, headers: list[str]) -> None:
    width = len(headers)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F4F7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _borders(ws: Any, width: int) -> None:
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for line in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=width):
        for cell in line:
            cell.border = border
    ws.column_dimensions["A"].width = 28
    for index in range(2, width + 1):
        ws.column_dimensions[get_column_letter(index)].width = 14
    ws.freeze_panes = "B4"


def workbook(table: Table) -> bytes:
    """The table as .xlsx: sheet 按检查主体 (with the 合计 row from the registry) and sheet 按企业."""
    period = f"统计期间：{table.period.start:%Y年%m月%d日}至{table.period.end:%Y年%m月%d日}"
    wb = Workbook()
    ws = wb.active
    ws.title = "按检查主体"
    _sheet_head(
        ws,
        f"{table.township.name}涉企行政检查统计表",
        f"{period}（完成检查按检查日期，超频次按计划日期，隐患按发现日期；联合检查计入每个参加主体，合计行每次入企只计一次）",
        BODY_HEADERS,
    )
    for row in table.by_body:
        ws.append([row.label, *row.cells])
    ws.append(
        ["合计（入企次数，联合检查计一次）", *[NONE if v is None else v for v in table.total]]
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    _borders(ws, len(BODY_HEADERS))
    ws2 = wb.create_sheet("按企业")
    headers = table.enterprise_headers
    _sheet_head(ws2, f"{table.township.name}涉企行政检查次数（按企业）", period, headers)
    for firm in table.by_enterprise:
        ws2.append(
            [
                firm.name,
                firm.credit_code,
                firm.credit_class,
                *firm.cells,
                firm.visits,
                firm.over_cap,
            ]
        )
    _borders(ws2, len(headers))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
