"""The entity directory import at scale: a background job that bounds the file, reads it once,
validating every row (errors by row and Chinese column header) and writing in bulk batches
inside one transaction (all or nothing: an error anywhere rolls back every batch), reporting
progress, with queries per batch and not per row."""

import io

import pytest
from openpyxl import Workbook

from fazhi.core import jobs
from fazhi.core.models import Job
from fazhi.inspections import directory
from fazhi.inspections.models import Enterprise
from fazhi.inspections.tests.helpers import enterprise

HEAD = ["名称", "统一社会信用代码", "信用风险分类", "行业", "地址", "在营"]
ROWS = 300


def code(n: int) -> str:
    return f"91410000MA{n:08d}"


def workbook(rows: int = ROWS, *, edit=None, write_only: bool = True) -> bytes:
    wb = Workbook(write_only=write_only)  # a write-only file declares no size (dimension)
    ws = wb.create_sheet("名录") if write_only else wb.active
    ws.append(HEAD)
    for n in range(rows):
        row = [f"测试企业{n}有限公司", code(n), "ABCD"[n % 4], "制造业", f"测试路{n}号", "是"]
        if edit:
            edit(n, row)
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, township, content: bytes):
    f = io.BytesIO(content)
    f.name = "名录.xlsx"
    return client.post(
        "/inspections/enterprises/directory-import/", {"township": township.pk, "file": f}
    )


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(directory, "BATCH", 128)  # several bulk batches in one transaction
    monkeypatch.setattr(directory, "PROGRESS_EVERY", 100)


def test_a_directory_imports_in_bulk_as_a_job_with_progress(cast, login, small_batches):
    existing = enterprise(cast.a, 7)  # same code as row 7 of the file: updated, not duplicated
    existing_version = existing.version
    client = login(cast.a_operator)
    page = client.get("/inspections/enterprises/directory-import/")
    assert page.status_code == 200 and "统一社会信用代码" in page.content.decode()
    response = upload(client, cast.a, workbook())
    assert response.status_code == 302
    job = Job.objects.get(kind=directory.KIND)
    assert response["Location"] == f"/jobs/{job.pk}/" or str(job.pk) in response["Location"]
    assert Enterprise.objects.filter(township=cast.a).count() == 1  # nothing before the job runs
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result["created"] == ROWS - 1 and job.result["updated"] == 1
    assert (job.progress, job.total) == (ROWS, ROWS)
    assert "校验通过，共300行" in job.log and "导入完成" in job.log
    assert Enterprise.objects.filter(township=cast.a).count() == ROWS
    existing.refresh_from_db()
    assert existing.name == "测试企业7有限公司" and existing.credit_class == "D"
    assert existing.version == existing_version + 1
    assert Enterprise.objects.get(credit_code=code(2)).credit_class == "C"


def test_progress_is_reported_while_writing(cast, small_batches, tmp_path):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(workbook(write_only=False))  # declares its size, as Excel and WPS do
    seen = []
    result = directory.import_directory(
        path, township=cast.a, actor=cast.a_operator, on_progress=lambda d, t: seen.append((d, t))
    )
    assert result.created == ROWS
    assert seen == [(100, ROWS), (200, ROWS), (300, ROWS)]
    # a file without a declared size: the total known so far
    path.write_bytes(workbook())
    seen.clear()
    result = directory.import_directory(
        path, township=cast.a, actor=cast.a_operator, on_progress=lambda d, t: seen.append((d, t))
    )
    assert (result.created, result.updated) == (0, ROWS)
    assert seen == [(100, 100), (200, 200), (300, 300)]


def test_one_bad_row_writes_nothing_and_errors_name_row_and_column(cast, login, small_batches):
    def spoil(n, row):
        if n == 148:
            row[2] = "E"  # 第150行: not a class
        if n == 250:
            row[1] = code(3)  # 第252行: the code of row 5 again
        if n == 260:
            row[1] = "123"

    client = login(cast.a_operator)
    assert upload(client, cast.a, workbook(edit=spoil)).status_code == 302
    jobs.run_pending()
    job = Job.objects.get(kind=directory.KIND)
    assert job.status == "failed"
    assert "未写入任何数据" in job.error
    assert "第150行“信用风险分类”列：“E”不是可选的分类" in job.error
    assert "第252行“统一社会信用代码”列：与第5行重复" in job.error
    assert "第262行“统一社会信用代码”列" in job.error
    assert not Enterprise.objects.exists()


def test_a_write_error_rolls_back_every_batch(cast, small_batches, tmp_path, monkeypatch):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(workbook())
    calls = []
    real = Enterprise.objects.bulk_create

    def failing(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("磁盘已满")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Enterprise.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        directory.import_directory(path, township=cast.a, actor=cast.a_operator)
    assert calls == [128, 128] and not Enterprise.objects.exists()


def test_missing_columns_and_bad_files_are_refused_before_reading(cast, login):
    client = login(cast.a_operator)
    broken = upload(client, cast.a, b"not a zip file")
    assert broken.status_code == 400 and "不是有效的 Excel" in broken.content.decode()
    wb = Workbook()
    wb.active.append(["名称", "企业类型"])
    wb.active.append(["某公司", "有限公司"])
    out = io.BytesIO()
    wb.save(out)
    assert upload(client, cast.a, out.getvalue()).status_code == 302
    jobs.run_pending()
    job = Job.objects.get(kind=directory.KIND)
    assert "第1行“企业类型”列：不是名录的列" in job.error
    assert "第1行“统一社会信用代码”列：缺少必填列" in job.error


def test_another_townships_user_cannot_import_into_it_nor_see_the_job(cast, login):
    response = upload(login(cast.b_operator), cast.a, workbook(3))
    assert response.status_code == 400 and not Job.objects.exists()
    upload(login(cast.a_operator), cast.a, workbook(3))
    job = Job.objects.get(kind=directory.KIND)
    assert login(cast.b_operator).get(f"/jobs/{job.pk}/").status_code == 404
    assert login(cast.nobody).get("/inspections/enterprises/directory-import/").status_code == 403


def test_a_code_repeated_in_a_later_batch_writes_nothing(cast, small_batches, tmp_path):
    def repeat(n, row):
        if n == 250:
            row[1] = code(3)  # 第252行 repeats 第5行, two batches later

    path = tmp_path / "名录.xlsx"
    path.write_bytes(workbook(edit=repeat))
    with pytest.raises(directory.DirectoryError, match="第252行“统一社会信用代码”列：与第5行重复"):
        directory.import_directory(path, township=cast.a, actor=cast.a_operator)
    assert not Enterprise.objects.exists()


def test_equal_hashes_of_different_codes_are_not_a_repeat(tmp_path):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(workbook(3))
    codes = directory._Codes()
    for n in range(3):
        codes.add(code(n), n + 2)
    with open(path, "rb") as f:
        assert codes.repeated(f, 1) == []
        codes.hashes[1] = codes.hashes[0]  # a collision: the rows are read again and compared
        assert codes.repeated(f, 1) == []


def test_the_import_queries_per_batch_not_per_row(cast, small_batches, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enterprise(cast.a, 7)
    path = tmp_path / "名录.xlsx"
    path.write_bytes(workbook())
    with CaptureQueriesContext(connection) as captured:
        result = directory.import_directory(path, township=cast.a, actor=cast.a_operator)
    assert (result.created, result.updated) == (ROWS - 1, 1)
    # 3 batches of at most 128: a locking read and an upsert each, plus a fixed few
    assert len(captured) <= 3 * 2 + 12, [q["sql"][:80] for q in captured]


def test_the_quick_character_screen_lets_through_only_what_text_problem_accepts():
    from fazhi.core import validators

    disagree = [
        hex(n)
        for n in range(0x30000)
        if bool(directory._SUSPECT.search(chr(n))) != bool(validators.text_problem(chr(n)))
    ]
    assert disagree == []
