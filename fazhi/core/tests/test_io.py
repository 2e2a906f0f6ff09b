"""Excel import/export: headers, labels, all-or-nothing, row/column errors, formula cells."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from fazhi.core import io, resources
from fazhi.core.models import ChangeRecord, Grid, Staff, Village

pytestmark = pytest.mark.django_db


def _book(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def villages():
    return resources.get("core", "villages")


def test_export_has_chinese_headers_and_choice_labels(cast):
    content = io.export_workbook(villages(), Village.objects.filter(township=cast.a))
    ws = load_workbook(BytesIO(content)).active
    assert [c.value for c in ws[1]] == ["编号", "乡镇", "名称", "类型", "编码", "户数"]
    assert ws["D2"].value == "村"


def test_import_creates_rows_with_labels_and_dates(cast):
    result = io.import_workbook(
        resources.get("core", "village-contacts"),
        _book(
            [
                ["乡镇", "分包村(社区、场)", "分包领导", "起始日期", "结束日期"],
                [
                    "甲镇",
                    "甲一村",
                    Staff.objects.create(township=cast.a, name="刘").name,
                    "2025年3月1日",
                    None,
                ],
            ]
        ),
        actor=cast.a_operator,
    )
    assert result.errors == [] and result.created == 1


def test_all_errors_listed_with_row_and_column_and_nothing_written(cast):
    count = Village.objects.count()
    result = io.import_workbook(
        villages(),
        _book(
            [
                ["乡镇", "名称", "类型", "户数"],
                ["甲镇", "新村一", "村", 10],
                ["乙镇", "新村二", "村", 10],  # not the operator's township
                ["甲镇", "", "镇", "十"],  # three errors in one row
            ]
        ),
        actor=cast.a_operator,
    )
    where = {(e.row, e.column) for e in result.errors}
    assert where == {(3, "乡镇"), (4, "名称"), (4, "类型"), (4, "户数")}
    assert Village.objects.count() == count
    assert "可选" in next(e.message for e in result.errors if e.column == "类型")


def test_error_found_while_writing_rolls_back_every_row(cast):
    count = Village.objects.count()
    result = io.import_workbook(
        villages(),
        _book([["乡镇", "名称"], ["甲镇", "全新村"], ["甲镇", "全新村"]]),  # duplicate name
        actor=cast.a_operator,
    )
    assert result.errors and result.errors[0].row == 3
    assert Village.objects.count() == count
    assert not ChangeRecord.objects.filter(object_repr="全新村").exists()


def test_unknown_header_is_an_error(cast):
    result = io.import_workbook(
        villages(), _book([["乡镇", "名称", "备注栏"]]), actor=cast.a_operator
    )
    assert [(e.row, e.column) for e in result.errors] == [(1, "备注栏")]


def test_formula_like_cells_are_neutralised_and_restored(cast):
    staff = Staff.objects.create(township=cast.a, name="=HYPERLINK(1)", position="+职务")
    content = io.export_workbook(resources.get("core", "staff"), Staff.objects.filter(pk=staff.pk))
    ws = load_workbook(BytesIO(content)).active
    assert ws["C2"].value == "'=HYPERLINK(1)" and ws["C2"].data_type == "s"
    result = io.import_workbook(
        resources.get("core", "staff"), BytesIO(content), actor=cast.a_operator
    )
    assert result.errors == [] and result.unchanged == 1


def test_related_rows_resolve_only_within_scope(cast):
    Grid.objects.create(township=cast.b, village=cast.b1, name="乙格")
    result = io.import_workbook(
        resources.get("core", "grids"),
        _book([["乡镇", "所属村(社区、场)", "网格名称"], ["甲镇", "乙一村", "偷渡格"]]),
        actor=cast.a_operator,
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "所属村(社区、场)")]


def test_export_then_edit_then_import_updates_only_changed_rows(cast):
    Village.objects.filter(pk=cast.a2.pk).update(households=5)
    content = io.export_workbook(villages(), Village.objects.filter(township=cast.a).order_by("pk"))
    wb = load_workbook(BytesIO(content))
    ws = wb.active
    ws["F2"] = 300  # households of 甲一村
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    result = io.import_workbook(villages(), out, actor=cast.a_operator)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Village.objects.get(pk=cast.a1.pk).households == 300


def test_not_an_excel_file_is_a_clear_error(cast):
    result = io.import_workbook(villages(), BytesIO(b"not excel"), actor=cast.a_operator)
    assert result.errors[0].message == "文件不是有效的 Excel（.xlsx）文件。"


def test_import_page_lists_errors(cast, login):
    client = login(cast.a_operator)
    upload = _book([["乡镇", "名称", "类型"], ["甲镇", "某村", "城"]])
    upload.name = "v.xlsx"
    response = client.post(villages().url("import"), {"file": upload})
    assert response.status_code == 400
    assert (
        "第2行" in str(response.context["result"].errors[0]) and "类型" in response.content.decode()
    )
    assert not Village.objects.filter(name="某村").exists()


def test_date_column_accepts_excel_dates(cast):
    staff = Staff.objects.create(township=cast.a, name="周")
    result = io.import_workbook(
        resources.get("core", "village-contacts"),
        _book(
            [
                ["乡镇", "分包村(社区、场)", "分包领导", "起始日期"],
                ["甲镇", "甲二村", staff.name, dt.datetime(2025, 2, 3)],
            ]
        ),
        actor=cast.a_operator,
    )
    assert result.errors == [] and result.created == 1
