"""Import bombs and bad numbers: bounded before parsing, clear Chinese errors, nothing written;
queries per imported row bounded; control/bidi characters refused everywhere."""

import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from fazhi.core import io, resources, validators
from fazhi.core.models import Grid, Job, Village

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


def _with_shared_strings(book: BytesIO, size: int) -> BytesIO:
    out = BytesIO()
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/sharedStrings.xml", b" " * size)  # compresses to almost nothing
    out.seek(0)
    return out


def test_unpacked_size_is_bounded_before_parsing(cast, monkeypatch):
    monkeypatch.setattr(io, "MAX_SHARED_STRINGS_BYTES", 2000)
    rows = [["乡镇", "名称"], *[["甲镇", f"很长的村名{i:04d}" * 5] for i in range(200)]]
    bomb = _with_shared_strings(_book(rows), 100_000)
    assert len(bomb.getvalue()) < 20_000
    result = io.import_workbook(villages(), bomb, actor=cast.a_operator)
    assert len(result.errors) == 1 and "上限" in result.errors[0].message
    monkeypatch.setattr(io, "MAX_UNPACKED_BYTES", 5000)
    result = io.import_workbook(villages(), _book(rows), actor=cast.a_operator)
    assert "解压后不能超过" in result.errors[0].message
    assert not Village.objects.filter(name__startswith="很长").exists()


def test_long_cell_and_too_many_rows_are_refused_with_the_limit(cast, monkeypatch):
    result = io.import_workbook(
        villages(), _book([["乡镇", "名称"], ["甲镇", "长" * 6000]]), actor=cast.a_operator
    )
    assert "第2行“名称”列" in str(result.errors[0]) and "5000" in result.errors[0].message
    monkeypatch.setattr(io, "MAX_ROWS", 3)
    rows = [["乡镇", "名称"], *[["甲镇", f"新村{i}"] for i in range(5)]]
    result = io.import_workbook(villages(), _book(rows), actor=cast.a_operator)
    assert "行数过多" in result.errors[0].message
    assert not Village.objects.filter(name__startswith="新村").exists()


@pytest.mark.parametrize("bad", ["1e1000000", "9" * 5000, "①", "-3", "1e-1000000"])
def test_numbers_are_parsed_with_limits(cast, bad):
    result = io.import_workbook(
        villages(), _book([["乡镇", "名称", "户数"], ["甲镇", "数村", bad]]), actor=cast.a_operator
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "户数")]
    assert not Village.objects.filter(name="数村").exists()


def test_parse_helpers():
    assert validators.parse_int("１２") == 12 and validators.parse_int(3.0) == 3
    assert str(validators.parse_decimal("1,200.5")) == "1200.50"
    for bad, fn in (
        ("1e1000000", validators.parse_int),
        ("-1", validators.parse_decimal),
        ("1.234", validators.parse_decimal),
        (float("inf"), validators.parse_decimal),
        ("1e20", validators.parse_decimal),
    ):
        with pytest.raises(ValueError):
            fn(bad)


def test_control_and_bidi_characters_are_refused_by_every_write(cast):
    for name in ("甲\u202e村", "甲\u2066村", "甲\x7f村"):
        result = io.import_workbook(
            villages(), _book([["乡镇", "名称"], ["甲镇", name]]), actor=cast.a_operator
        )
        assert [(e.row, e.column) for e in result.errors] == [(2, "名称")]
    for name in ("甲\u202e村", "甲\x07村"):
        with pytest.raises(ValidationError) as caught:
            Village(township=cast.a, name=name).full_clean()
        assert "name" in caught.value.message_dict


def test_large_file_goes_to_a_job_before_it_is_read(cast, monkeypatch):
    monkeypatch.setattr(io, "IMPORT_JOB_BYTES", 100)
    monkeypatch.setattr(io, "read_sheet", lambda *a, **k: pytest.fail("read in the request"))
    result = io.import_workbook(
        villages(), _book([["乡镇", "名称"], ["甲镇", "大村"]]), actor=cast.a_operator
    )
    assert result.job_id and Job.objects.filter(pk=result.job_id).exists()


def test_queries_per_imported_row_are_bounded(cast):
    grids = resources.get("core", "grids")

    def run(n, start):
        rows = [["乡镇", "所属村(社区、场)", "网格名称"]]
        rows += [["甲镇", "甲一村", f"格{start + i}"] for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            result = io.import_workbook(grids, _book(rows), actor=cast.a_operator)
        assert result.errors == [] and result.created == n
        return len(ctx)

    small, large = run(5, 0), run(25, 100)
    # per row: the uniqueness check, the insert, the savepoint of the create service and the
    # scope re-check; lookups, change records and events do not grow with the rows
    assert (large - small) / 20 <= 5, (small, large)
    assert Grid.objects.count() == 30
