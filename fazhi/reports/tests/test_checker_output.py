"""The result's JSON shape, its summary line, its terminal rendering and its speed."""

from __future__ import annotations

import json

import pytest

from fazhi.reports.checker import check_text

TEXT = (
    "甲镇2025年法治政府建设年度报告\n"
    "一、主要举措和成效\n"
    "（一）化解矛盾纠纷\n"
    "全年主持召开法治建设专题会议次。排查矛盾纠纷121起，成功化解105起，化解成功率90%。\n"
    "（3）普法\n"
    "发放宣传资料2000余份。\n"
    "二、2026年工作计划\n"
    "全年组织专题学习不少于4次。\n"
)


def test_to_dict_is_json_with_the_documented_keys() -> None:
    data = json.loads(json.dumps(check_text(TEXT).to_dict(), ensure_ascii=False))
    assert set(data) == {
        "source", "title", "year", "plan_year", "year_source", "summary", "counts",
        "outline", "sections", "claims", "years", "defects",
    }  # fmt: skip
    assert data["year"] == 2025 and data["plan_year"] == 2026
    assert data["counts"] == {"error": 3, "warning": 2, "info": 1}
    assert data["outline"][1] == {
        "numbering": "（一）",
        "style": "（一）",
        "family": "cnp",
        "value": 1,
        "level": 2,
        "title": "化解矛盾纠纷",
        "start": TEXT.index("（一）"),
        "end": TEXT.index("（一）") + len("（一）化解矛盾纠纷"),
        "line": 3,
        "inline": False,
    }
    claim = next(c for c in data["claims"] if c["raw"] == "2000余份")
    assert {k: claim[k] for k in ("value", "unit", "noun", "qualifiers", "bound", "kind")} == {
        "value": 2000,
        "unit": "份",
        "noun": "宣传资料",
        "qualifiers": ["余"],
        "bound": "gt",
        "kind": "actual",
    }
    defect = data["defects"][0]
    assert set(defect) == {
        "kind", "kind_label", "code", "severity", "severity_label",
        "start", "end", "line", "text", "reason", "claims",
    }  # fmt: skip
    assert "text" not in data
    assert check_text(TEXT).to_dict(include_text=True)["text"] == TEXT


def test_summary_line_and_severity_labels() -> None:
    result = check_text(TEXT)
    assert result.summary == "3 处错误，2 处警告，1 处提示"
    assert result.has_errors
    labels = {d.severity.label for d in result.defects}
    assert labels == {"错误", "警告", "提示"}


def test_defect_offsets_point_at_the_offending_text() -> None:
    result = check_text(TEXT)
    for d in result.defects:
        if d.end > d.start:
            assert TEXT[d.start : d.end] == d.text


def test_render_text_for_the_terminal() -> None:
    out = check_text(TEXT).render_text()
    assert "结论：3 处错误，2 处警告，1 处提示" in out
    assert "[错误] 第4行 缺少数字" in out
    assert "  （一）化解矛盾纠纷" in out
    assert "[目标] 专题学习：不少于4次" in out
    short = check_text(TEXT).render_text(claims=False, outline=False)
    assert "提纲" not in short and "数据" not in short


def _long_report(chars: int = 10_000) -> str:
    para = (
        "全年开展专项整治行动3次，检查企业150余家，发现并整改隐患12条。"
        "律师定期提供咨询服务48次，接待群众咨询2000余人次，排查矛盾纠纷121起，成功化解105起，化解成功率87%。"
        "一是加强学习。二是完善制度。三是强化考核。\n"
    )
    parts = ["甲镇2025年法治政府建设年度报告", "一、主要举措和成效"]
    i = 0
    while sum(len(p) for p in parts) < chars:
        i += 1
        parts.append(f"（{'一二三四五六七八九十'[(i - 1) % 10]}）第{i}项工作")
        parts.append(para.replace("3次", f"{i}次"))
    return "\n".join(parts)


def test_a_ten_thousand_character_report_is_checked_to_its_end() -> None:
    """A long report is read whole (its speed is measured in bench/bench_checker.py, never here:
    no test asserts a time)."""
    text = _long_report()
    assert len(text) >= 10_000
    result = check_text(text)
    last = text.rindex("化解成功率87%")
    assert any(c.start >= last - 200 for c in result.claims), "claims stop before the end"


def test_title_given_apart_from_the_text() -> None:
    body = "一、主要举措和成效\n开展普法活动8场。\n"
    result = check_text(body, title="乙镇2024年法治政府建设年度报告")
    assert (result.title, result.year, result.year_source) == (
        "乙镇2024年法治政府建设年度报告",
        2024,
        "title",
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n   \n",
        "一、\n（一）\n1.\n",
        "2025",
        "百分之",
        "第",
        "“" * 50,
        "一是" * 200,
        "次" * 500,
    ],
)
def test_odd_inputs_do_not_break_the_checker(text: str) -> None:
    result = check_text(text)
    json.dumps(result.to_dict())
    assert result.render_text()


def test_random_text_does_not_break_the_checker() -> None:
    import random

    rng = random.Random(7)
    alphabet = "一二三四五六七八九十两百千万零0123456789年月日次件起人项份名家条场个%（）()、，。；：“”《》\n 是余多以上不少于达第"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        result = check_text(text)
        for d in result.defects:
            assert 0 <= d.start <= d.end <= len(text)
        for c in result.claims:
            assert text[c.start : c.end] == c.raw
