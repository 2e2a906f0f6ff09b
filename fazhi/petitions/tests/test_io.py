"""The petition ledger in Excel: template, import through the services, all-or-nothing errors,
export of the ledger."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.core.choices import DeadlineStatus
from fazhi.core.deadlines import deadlines_for
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.parties.models import Party
from fazhi.petitions import io
from fazhi.petitions.models import Petition

pytestmark = pytest.mark.django_db
D = dt.date


def workbook(rows: list[dict[str, object]], headers: list[str] | None = None) -> BytesIO:
    headers = headers or [c.header for c in io.LEDGER]
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out


ROW = {
    "收到日期": "2025-03-03",
    "信访形式": "走访",
    "信访人": "陈建军",
    "证件号码": "140581198001011231",
    "联系电话": "13600001111",
    "涉及村": "甲一村",
    "问题类别": "农业农村与惠农补贴",
    "信访事项摘要": "耕地补贴未发放",
    "信访请求": "要求补发补贴",
    "受理告知日期": "2025-03-05",
    "承办单位": "甲镇司法所",
    "处理结论": "支持",
    "查明的事实": "银行账号错误",
    "处理意见": "补发",
    "法律政策依据": "《耕地地力保护补贴资金管理办法》",
    "答复送达日期": "2025-04-02",
    "满意度": "满意",
}


def test_template_has_the_clerk_columns_and_instructions(cast, login):
    response = login(cast.a_operator).get(reverse("petitions:ledger_template"))
    wb = load_workbook(BytesIO(response.content))
    assert [c.value for c in wb["信访台账"][1]] == [c.header for c in io.LEDGER]
    assert wb["填表说明"]["A2"].value == "乡镇"


def test_import_replays_the_loop_with_the_ledger_dates(cast):
    rows = [
        ROW,
        {**ROW, "信访人": "刘芳", "证件号码": None, "联系电话": "13600002222", "信访形式": "来信",
         "处理结论": None, "答复送达日期": None, "满意度": None, "信访事项摘要": "道路破损"},
        {**ROW, "信访人": "黄伟", "证件号码": None, "信访形式": "电话", "受理告知日期": "2025-03-04",
         "不予受理理由": "应当通过法定途径解决", "不予受理说明": "属劳动争议，告知申请仲裁",
         "处理结论": None, "答复送达日期": None, "满意度": None},
        {**ROW, "信访人": "朱强", "证件号码": None, "登记编号": "甲信〔2025〕旧12号",
         "受理告知日期": None, "处理结论": None, "答复送达日期": None, "满意度": None},
    ]  # fmt: skip
    result = io.import_ledger(workbook(rows), actor=cast.a_operator)
    assert result.errors == [] and result.created == 4
    served = Petition.objects.get(petitioner__name="陈建军")
    assert (served.status, served.satisfaction, served.concluded_on) == (
        "served",
        "satisfied",
        D(2025, 4, 2),
    )
    assert served.village == cast.a1 and served.department == cast.justice_a
    assert deadlines_for(served).get(rule_code="petitions.handling").status == DeadlineStatus.DONE
    assert Petition.objects.get(petitioner__name="刘芳").status == "accepted"
    assert Petition.objects.get(petitioner__name="黄伟").status == "not_accepted"
    assert Petition.objects.get(petitioner__name="朱强").receipt_no == "甲信〔2025〕旧12号"
    assert Party.objects.get(name="陈建军").id_number == "140581198001011231"
    f = registry.compute("petitions.closure_rate", cast.a, Period.year(2025))
    assert (f.numerator, f.denominator) == (1, 2)


def test_bad_rows_are_all_listed_and_nothing_is_written(cast):
    rows = [
        {**ROW, "收到日期": "2025-13-01"},
        {**ROW, "信访形式": "飞鸽传书"},
        {**ROW, "涉及村": "不存在村"},
        {**ROW, "法律政策依据": None},
        ROW,
    ]
    result = io.import_ledger(workbook(rows), actor=cast.a_operator)
    where = {(e.row, e.column) for e in result.errors}
    assert {(2, "收到日期"), (3, "信访形式"), (4, "涉及村"), (5, "法律政策依据")} <= where
    assert not Petition.objects.exists() and not Party.objects.exists()


def test_service_errors_roll_back_the_whole_file(cast):
    rows = [ROW, {**ROW, "信访人": "另一人", "证件号码": None, "受理告知日期": "2025-03-01"}]
    result = io.import_ledger(workbook(rows), actor=cast.a_operator)
    assert result.errors and result.errors[0].row == 3
    assert not Petition.objects.exists()


def test_unknown_header_and_missing_column_are_reported(cast):
    headers = [c.header for c in io.LEDGER if c.header != "信访人"] + ["奇怪的列"]
    result = io.import_ledger(workbook([], headers), actor=cast.a_operator)
    columns = {e.column for e in result.errors}
    assert {"信访人", "奇怪的列"} <= columns


def test_import_page_and_export(cast, login):
    client = login(cast.a_operator)
    response = client.post(reverse("petitions:ledger_import"), {"file": workbook([ROW])})
    assert response.status_code == 302
    export = client.get(reverse("petitions:ledger_export"))
    ws = load_workbook(BytesIO(export.content)).active
    header = [c.value for c in ws[1]]
    values = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert values["信访人"] == "陈建军" and values["证件号码"] == "1405**********1231"
    assert values["处理结论"] == "支持" and values["满意度"] == "满意"
    assert (
        login(cast.a_viewer)
        .post(reverse("petitions:ledger_import"), {"file": workbook([ROW])})
        .status_code
        == 403
    )


def test_ledger_page_offers_the_template_and_the_masked_export(cast, login):
    html = login(cast.a_operator).get(reverse("petitions:ledger_import")).content.decode()
    assert reverse("petitions:ledger_template") in html
    assert reverse("petitions:ledger_export") in html
    register = login(cast.a_operator).get(reverse("petitions:petitions_add")).content.decode()
    assert reverse("petitions:ledger_import") in register


def test_imported_petitions_get_no_receipt_code_until_one_is_reissued(cast):
    """A historical row has no printed receipt: no code is made (no password hash a row), the
    portal answers for it as for a wrong code, and staff can issue a code later."""
    from fazhi.petitions import portal, services
    from fazhi.petitions.services import followup

    result = io.import_ledger(workbook([ROW]), actor=cast.a_operator)
    assert result.errors == [] and result.created == 1
    p = Petition.objects.get()
    assert p.receipt_code_hash == ""
    assert not services.code_matches(p, "")
    with pytest.raises(portal.NotFound):
        portal.lookup_petition(p.receipt_no, "ABCDEFGH", "10.9.0.1")
    code = followup.reissue_code(p, actor=cast.a_operator)
    p.refresh_from_db()
    assert p.receipt_code_hash and services.code_matches(p, code)
    assert portal.lookup_petition(p.receipt_no, code, "10.9.0.2").pk == p.pk


def test_the_file_is_read_once_and_a_late_bad_row_rolls_back_the_written_ones(cast, monkeypatch):
    from fazhi.core import io as core_io

    reads = []
    real = core_io.read_sheet

    def counted(*args, **kwargs):
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(core_io, "read_sheet", counted)
    other = {**ROW, "信访人": "刘芳", "证件号码": None}
    rows = [ROW, other, {**ROW, "收到日期": "2025-13-01"}, {**other, "信访形式": "飞鸽传书"}]
    result = io.import_ledger(workbook(rows), actor=cast.a_operator)
    assert [(e.row, e.column) for e in result.errors] == [(4, "收到日期"), (5, "信访形式")]
    assert result.created == 0 and not Petition.objects.exists()
    assert len(reads) == 1
    result = io.import_ledger(workbook(rows[:2]), actor=cast.a_operator)
    assert result.errors == [] and result.created == 2 and len(reads) == 2
