"""The 信访处理意见书 document: its data is a pure function; the .docx survives & and <."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from docx import Document

from fazhi.petitions import documents, services
from fazhi.petitions.tests.conftest import OPINION, at

pytestmark = pytest.mark.django_db


def test_chinese_date():
    assert documents.chinese_date(dt.date(2025, 10, 31)) == "二〇二五年十月三十一日"


def test_context_holds_the_statutory_contents(cast, walk):
    p = walk("served")
    ctx = documents.opinion_context(p.opinions.get())
    assert ctx["title"] == "信访事项处理意见书"
    assert (ctx["request"], ctx["facts"], ctx["legal_basis"]) == (
        OPINION["request"], OPINION["facts"], OPINION["legal_basis"],
    )  # fmt: skip
    assert ctx["outcome"] == "支持" and "30日内" in ctx["rights"] and "第三十五条" in ctx["rights"]
    assert ctx["receipt_no"] == p.receipt_no and ctx["issued_on"] == "二〇二五年四月一日"


def test_document_with_markup_characters_opens(cast, walk):
    p = walk("accepted")
    with at(dt.date(2025, 4, 1)):
        opinion = services.issue_opinion(
            p, actor=cast.a_operator, on=dt.date(2025, 4, 1),
            **{**OPINION, "facts": "甲 & 乙 <协议> 第3条"},
        )  # fmt: skip
    text = "\n".join(
        par.text for par in Document(BytesIO(documents.render_opinion(opinion))).paragraphs
    )
    assert "甲 & 乙 <协议> 第3条" in text


def test_recheck_document_states_finality(cast, walk):
    p = walk("served")
    with at(dt.date(2025, 4, 10)):
        p = services.request_review(
            p, actor=cast.a_operator, on=dt.date(2025, 4, 10), body="县人民政府"
        )
        services.record_review(
            p,
            actor=cast.a_operator,
            issued_on=dt.date(2025, 4, 10),
            served_on=dt.date(2025, 4, 10),
            **OPINION,
        )
        p = services.request_recheck(
            p, actor=cast.a_operator, on=dt.date(2025, 4, 10), body="市人民政府"
        )
        opinion = services.record_recheck(
            p,
            actor=cast.a_operator,
            issued_on=dt.date(2025, 4, 10),
            served_on=dt.date(2025, 4, 10),
            **OPINION,
        )
    ctx = documents.opinion_context(opinion)
    assert ctx["title"] == "信访事项复核意见书" and "不再受理" in ctx["rights"]
