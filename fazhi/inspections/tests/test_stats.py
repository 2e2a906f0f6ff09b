"""The 涉企行政检查 statistics table for the line department: by body (a joint inspection counts
for each body, the 合计 row once and equal to the registry) and by enterprise; Excel export."""

import datetime as dt
from io import BytesIO

from openpyxl import load_workbook

from fazhi.enforcement.tests.helpers import body_of
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.inspections import services, stats
from fazhi.inspections.tests.helpers import enterprise, item, pair
from fazhi.inspections.tests.test_inspections import _done, _plan

D = dt.date


def _records(cast):
    firm, other = enterprise(cast.a), enterprise(cast.a)
    market = body_of(cast.a, "甲镇市场监管所")
    market_item = item(cast.a, "SC-01")
    market_item.body = market
    market_item.save()
    people = pair(cast.a)
    joint = _plan(cast, firm, items=[item(cast.a), market_item], joint_bodies=[market],
                  day=D(2025, 4, 1), officers=people)  # fmt: skip
    _done(cast, joint, D(2025, 4, 1))
    alone = _plan(cast, firm, day=D(2025, 5, 6), officers=people)
    alone = services.approve_inspection(
        alone, approver="王队长", approved_on=D(2025, 5, 6), actor=cast.a_operator
    )
    services.record_inspection(
        alone,
        inspected_on=D(2025, 5, 6),
        findings="发现隐患一处。",
        hazards=[services.HazardInput("灭火器过期", "李厂长", D(2025, 5, 30))],
        actor=cast.a_operator,
    )
    _plan(cast, firm, day=D(2025, 9, 1), officers=people, confirm_over_cap=True)
    by_market = _plan(cast, other, items=[market_item], body=market, day=D(2025, 6, 2),
                      officers=people)  # fmt: skip
    _done(cast, by_market, D(2025, 6, 2))
    services.plan_inspection(
        township=cast.b,
        enterprise=enterprise(cast.b),
        body=body_of(cast.b),
        items=[item(cast.b)],
        officers=pair(cast.b),
        planned_on=D(2025, 6, 2),
        actor=None,
    )
    return firm, other


def test_table_by_body_and_enterprise_matches_the_registry(cast, login):
    firm, other = _records(cast)
    period = Period.year(2025)
    table = stats.build(cast.a, period)
    rows = {r.label: r.cells for r in table.by_body}
    # visits, of them joint, enterprises, over cap, hazards found, rectified
    assert rows["甲镇综合行政执法大队"] == [2, 1, 1, 1, 1, 0]
    assert rows["甲镇市场监管所"] == [2, 1, 2, 0, 0, 0]
    figures = registry.compute_many(stats.TOTAL_CODES, cast.a, period)
    # one hazard found and none rectified: a real 0 (the township has hazards in the period)
    assert table.total == [3, 1, 2, 1, 1, 0]
    assert table.total[0] == figures["inspections.inspections"].value
    assert table.total[2] == figures["inspections.enterprises_inspected"].value
    firms = {f.credit_code: f for f in table.by_enterprise}
    assert firms[firm.credit_code].visits == 2 and firms[firm.credit_code].over_cap == 1
    assert firms[firm.credit_code].cells == [1, 2]  # 市场监管所, 综合行政执法大队 (by name)
    assert firms[other.credit_code].cells == [1, 0]

    client = login(cast.a_operator)
    page = client.get("/inspections/statistics/")
    assert page.status_code == 200 and "涉企行政检查统计表" in page.content.decode()
    query = {"township": cast.a.pk, "start": "2025-01-01", "end": "2025-12-31"}
    response = client.get("/inspections/statistics/", {**query, "format": "xlsx"})
    wb = load_workbook(BytesIO(response.content), read_only=True)
    sheet = [list(r) for r in wb["按检查主体"].iter_rows(values_only=True)]
    assert sheet[2] == stats.BODY_HEADERS
    assert sheet[-1][1:] == [3, 1, 2, 1, 1, 0]
    firms_sheet = [list(r) for r in wb["按企业"].iter_rows(values_only=True)]
    assert firms_sheet[3][:2] == [firm.name, firm.credit_code] and firms_sheet[3][-2:] == [2, 1]
    bad = client.get("/inspections/statistics/", {**query, "end": "2024-01-01"})
    assert bad.status_code == 400 and "结束日期早于开始日期" in bad.content.decode()
    assert login(cast.b_operator).get("/inspections/statistics/", query).status_code == 400
    assert (
        login(cast.a_viewer)
        .get("/inspections/statistics/", {**query, "format": "xlsx"})
        .status_code
        == 403
    )


def test_menu_links_to_the_statistics_and_the_directory_import(cast, login):
    page = login(cast.a_operator).get("/inspections/enterprises/").content.decode()
    assert "/inspections/enterprises/directory-import/" in page
    assert "/inspections/statistics/" in page
    page = login(cast.a_viewer).get("/inspections/enterprises/").content.decode()
    assert "/inspections/enterprises/directory-import/" not in page  # no import right
    assert "/inspections/statistics/" in page
