"""The clerks' own ledgers: their headers and words are understood, errors name their rows and
columns, and nothing is written unless every row is right; another township's user cannot
import into this township."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import Workbook

from fazhi.governance.models import StudySession
from fazhi.outreach.models import Event

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "台账.xlsx"
    return buffer


EVENTS = [
    [
        "活动时间",
        "宣传主题",
        "宣传形式",
        "节点",
        "宣传对象",
        "参与人数",
        "发放资料（份）",
        "横幅（条）",
    ],
    [
        dt.datetime(2025, 5, 20),
        "民法典宣传月赶集日宣传",
        "集市",
        "民法典宣传月",
        "老年人，外出务工人员",
        350,
        600,
        2,
    ],
    [],
    ["2025-12-04", "国家宪法日集中宣传", "广场", "宪法日", "村民群众", 500, 800, 3],
]


def test_event_ledger_in_the_clerks_layout(cast, login):
    response = login(cast.a_operator).post(
        "/outreach/ledger/import/", {"kind": "outreach-events", "file": _xlsx(EVENTS)}
    )
    assert response.status_code == 302
    first, second = Event.objects.order_by("held_on")
    assert (
        first.township == cast.a
        and first.channel == "market"
        and first.key_day == "civil_code_month"
    )
    assert first.target_groups == "老年人、外出务工人员" and first.materials == 600
    assert second.key_day == "1204" and second.channel == "square" and second.banners == 3


def test_errors_name_the_clerks_row_and_column_and_write_nothing(cast, login):
    rows = [*EVENTS]
    rows[3] = ["2025-12-04", "国家宪法日集中宣传", "飞艇", "宪法日", "村民群众", -5, 800, 3]
    response = login(cast.a_operator).post(
        "/outreach/ledger/import/", {"kind": "outreach-events", "file": _xlsx(rows)}
    )
    assert response.status_code == 400 and Event.objects.count() == 0
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert (4, "宣传形式") in errors and (4, "参与人数") in errors


def test_study_ledger_and_isolation(cast, login):
    rows = [
        ["学习时间", "学习形式", "学习内容", "领学人", "参加人数"],
        ["2025-03-20", "中心组学习", "学习习近平法治思想", "党委书记", 12],
    ]
    assert (
        login(cast.a_operator)
        .post("/outreach/ledger/import/", {"kind": "governance-studies", "file": _xlsx(rows)})
        .status_code
        == 302
    )
    study = StudySession.objects.get()
    assert study.kind == "central_group" and study.township == cast.a
    # a ledger naming another township is refused for this user, and nothing is written
    rows = [["乡镇", *rows[0]], ["甲镇", *rows[1][:2], "另一条", *rows[1][3:]]]
    response = login(cast.b_operator).post(
        "/outreach/ledger/import/", {"kind": "governance-studies", "file": _xlsx(rows)}
    )
    assert response.status_code == 400 and StudySession.objects.count() == 1
    assert login(cast.a_viewer).get("/outreach/ledger/import/").status_code == 403


def test_a_file_that_is_not_excel_is_refused(cast, login):
    bad = BytesIO(b"not a workbook")
    bad.name = "x.xlsx"
    response = login(cast.a_operator).post(
        "/outreach/ledger/import/", {"kind": "outreach-events", "file": bad}
    )
    assert response.status_code == 400 and "不是有效的 Excel" in response.content.decode()
