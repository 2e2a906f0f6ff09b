"""The bulk writer calls `full_clean` on a petition, an opinion or a new party only when one of
its values could fail it (ledger._petition_suspect, _opinion_suspect, _party_suspect): the
parser's checks and those predicates are what stand between a ledger cell and the database.
Each value `full_clean` refuses is fed here, through the replay (the services, which always
`full_clean`) and through the bulk writer: the same (row, column, message) both ways, nothing
written. And what the parser accepts at the edges is stored by the bulk writer and passes
`full_clean` once stored."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.parties.models import Party
from fazhi.petitions import io, ledger
from fazhi.petitions.models import Petition, PetitionOpinion
from fazhi.petitions.tests.test_io import ROW, workbook

pytestmark = pytest.mark.django_db

_FORWARDED = {"来源": "上级转送", "转送/交办机关": "县信访局"}
_NEW = {"证件号码": None, "联系电话": "13600002222"}  # a new petitioner (no ID number)

BAD = [
    {"信访事项摘要": "耕" * 201},  # longer than the field
    {"信访事项摘要": "耕地\n补贴"},  # a line break in a single-line field
    {"信访事项摘要": "耕地\t补贴"},
    {"来源": "上级转送"},  # forwarded without the authority
    {"来源": "上级交办", "转送/交办机关": "  "},
    {**_FORWARDED, "转送/交办机关": "县" * 101},
    {**_FORWARDED, "转送/交办机关": "县信访局\n二科"},
    {"登记编号": "信" * 61},
    {"登记编号": "甲信\r12号"},
    {**_NEW, "信访人": "陈" * 101},
    {**_NEW, "住址": "住" * 201},
    {**_NEW, "住址": "甲一村＊组"},  # a full-width asterisk: masked once normalised
    {**_NEW, "联系电话": "12"},
    {**_NEW, "联系电话": "１３６＊＊＊＊１１１１"},
    {"证件号码": "1" * 31},
    {"证件号码": "140581198001011232"},  # a wrong check digit
    {"信访事项摘要": "耕地\u202e补贴"},  # the parser's own refusals, for completeness
    {"信访请求": "要求\u202d补发"},
]


def _errors(rows: list[dict[str, Any]], actor: Any, monkeypatch, bulk: bool) -> list[tuple]:
    with monkeypatch.context() as m:
        if not bulk:
            m.setattr(ledger, "may_bulk", lambda actor, townships: False)
        result = io.import_ledger(workbook(rows), actor=actor, allow_job=False)
    assert result.created == 0
    return [(e.row, e.column, e.message) for e in result.errors]


@pytest.mark.parametrize("change", BAD, ids=range(len(BAD)))
def test_a_value_full_clean_refuses_fails_as_in_the_replay(cast, monkeypatch, change):
    rows = [{**ROW, "信访人": "刘芳", "证件号码": None}, {**ROW, **change}]
    replay = _errors(rows, cast.a_operator, monkeypatch, bulk=False)
    assert not Petition.objects.exists() and not Party.objects.exists()
    bulk = _errors(rows, cast.a_operator, monkeypatch, bulk=True)
    assert not Petition.objects.exists() and not Party.objects.exists()
    assert bulk == replay
    assert bulk and {r for r, _c, _m in bulk} == {3}, bulk
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for _r, _c, m in bulk), bulk


def test_a_township_name_too_long_for_the_numbers_fails_as_in_the_replay(cast, monkeypatch):
    cast.a.name = "甲" * 50  # the receipt number 〔2025〕…信字第1号 is then over 60 characters
    cast.a.save()
    rows = [{**ROW, "乡镇": None}]
    replay = _errors(rows, cast.a_operator, monkeypatch, bulk=False)
    bulk = _errors(rows, cast.a_operator, monkeypatch, bulk=True)
    assert bulk == replay and [r for r, _c, _m in bulk] == [2], bulk


def test_what_the_parser_accepts_at_the_edges_passes_full_clean(cast):
    edges = [
        {**ROW, "信访事项摘要": "耕" * 200, "信访请求": "多行\n请求\t" + "长" * 4990},
        {**ROW, **_FORWARDED, "转送/交办机关": "县" * 100, "登记编号": "信" * 60},
        {**ROW, "信访人": "陈" * 100, "证件号码": None, "联系电话": "+86 136-0000-3333",
         "住址": "住" * 200},
        {**ROW, "信访人": "ＡＢＣ公司", "证件号码": "14058119800101108x", "联系电话": None},
        {**ROW, "信访人": "王 五", "证件号码": None, "联系电话": "１３６００００４４４４",
         "处理意见": "补发\n并说明", "法律政策依据": "第" * 5000},
    ]  # fmt: skip
    result = io.import_ledger(workbook(edges), actor=cast.a_operator, allow_job=False)
    assert result.errors == [] and result.created == len(edges)
    for model in (Petition, PetitionOpinion, Party):
        for obj in model.objects.all():
            obj.full_clean(validate_constraints=False)
