"""The bulk writer does not `full_clean` each dispute: the parser's checks are what stand
between a ledger cell and the database. Each value `full_clean` would refuse is fed here and
must get the same Chinese error naming row and column (the messages are the ones the import
gave while the writer still called full_clean), nothing written; and what the parser accepts
at the edges passes full_clean once stored."""

import pytest

from fazhi.disputes import io
from fazhi.disputes.models import Dispute
from fazhi.disputes.tests.helpers import mediator
from fazhi.disputes.tests.test_ledger_import import ROW, _file
from fazhi.parties.models import Party

BAD = [
    ({"纠纷类型": "吵架"}, "纠纷类型", "“吵架”不是可选的纠纷类型"),
    ({"来源": "天上"}, "来源", "“天上”不是可选的来源"),
    ({"转出途径": "别处"}, "转出途径", "“别处”不是可选的转出途径"),
    ({"登记日期": "2025-13-01"}, "登记日期", "“2025-13-01”不是有效日期（如 2025-03-01）"),
    ({"纠纷简要情况": None}, "纠纷简要情况", "不能为空"),
    ({"纠纷类型": None}, "纠纷类型", "不能为空"),
    ({"纠纷简要情况": "排水\u202e沟"}, "纠纷简要情况", None),
    ({"办结情况": "已\u202e结"}, "办结情况", None),
    ({"受理编号": "台\u202e账1"}, "受理编号", None),
    ({"受理编号": "台" * 41}, "受理编号", None),
    ({"涉及金额(元)": "-1"}, "涉及金额(元)", None),
    ({"涉及金额(元)": "1234567890123.5"}, "涉及金额(元)", None),
    ({"涉及金额(元)": "1.234"}, "涉及金额(元)", None),
    ({"涉及金额(元)": "很多"}, "涉及金额(元)", None),
    ({"涉及人数": "-1"}, "涉及人数", None),
    ({"涉及人数": "2.5"}, "涉及人数", None),
    ({"涉及人数": str(io.MAX_PEOPLE + 1)}, "涉及人数", None),
    ({"村(社区)": "不存在村"}, "村(社区)", "找不到“不存在村”"),
    ({"调解员": "无此人"}, "调解员", "找不到调解员“无此人”"),
    ({"申请人": "张\u202e三"}, "申请人", None),
]


@pytest.mark.parametrize(("change", "header", "message"), BAD)
def test_a_value_full_clean_would_refuse_gets_the_row_and_column(cast, change, header, message):
    result = io.import_ledger(_file(ROW, {**ROW, **change}), actor=cast.a_operator)
    assert [(e.row, e.column) for e in result.errors] == [(3, header)], result.errors
    text = result.errors[0].message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    if message is not None:
        assert text == message
    assert not Dispute.objects.exists() and not Party.objects.exists()


def test_a_number_longer_than_the_field_is_refused_with_djangos_message(cast):
    result = io.import_ledger(_file({**ROW, "受理编号": "台" * 41}), actor=cast.a_operator)
    assert [str(e) for e in result.errors] and "40" in result.errors[0].message


def test_what_the_parser_accepts_at_the_edges_passes_full_clean(cast):
    mediator(cast, name="老刘")
    edges = [
        {**ROW, "涉及金额(元)": "999999999999.99", "涉及人数": str(io.MAX_PEOPLE)},
        {**ROW, "涉及金额(元)": 0, "涉及人数": 0, "纠纷类型": "婚姻", "来源": "信访"},
        {
            **ROW,
            "受理编号": "台" * 40,
            "纠纷简要情况": "长" * 5000,
            "调解员": "老刘",
            "调解结果": "转诉讼",
            "转出途径": "诉讼",
            "办结情况": "多行\n说明",
        },
        {**ROW, "调解结果": "调解不成", "办结情况": None, "登记日期": "2024年2月29日"},
        {**ROW, "调解结果": "终止", "村(社区)": None},
    ]
    result = io.import_ledger(_file(*edges), actor=cast.a_operator)
    assert result.errors == [] and result.created == len(edges)
    for dispute in Dispute.objects.all():
        dispute.full_clean()
