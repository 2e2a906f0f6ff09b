"""Claim extraction: numbers, units, qualifiers, counted nouns, kinds; and what is not a claim."""

from __future__ import annotations

import pytest

from fazhi.reports.checker import Claim, check_text


def claims(text: str) -> list[Claim]:
    return check_text(text).claims


def one(text: str) -> Claim:
    found = claims(text)
    assert len(found) == 1, [c.raw for c in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "noun", "qualifiers", "bound"),
    [
        ("检查企业150余家。", 150, "家", "企业", ["余"], "gt"),
        ("开展专项整治行动3次。", 3, "次", "专项整治行动", [], "eq"),
        ("发现并整改隐患12条。", 12, "条", "隐患", [], "eq"),
        ("接待群众咨询2000余人次。", 2000, "人次", "群众咨询", ["余"], "gt"),
        ("受教育群众达500余人次。", 500, "人次", "受教育群众", ["达", "余"], "gt"),
        ("全年共排查各类矛盾纠纷 121 起。", 121, "起", "矛盾纠纷", [], "eq"),
        ("全年开展2次法治建设工作专题汇报。", 2, "次", "法治建设工作专题汇报", [], "eq"),
        ("聘请律师事务所4名律师担任法律顾问。", 4, "名", "律师", [], "eq"),
        ("设置了110名专职网格员。", 110, "名", "专职网格员", [], "eq"),
        ("开展宣传活动46场次。", 46, "场次", "宣传活动", [], "eq"),
        ("发放宣传资料22000余份。", 22000, "份", "宣传资料", ["余"], "gt"),
        ("举办普法讲座超过30场。", 30, "场", "普法讲座", ["超过"], "gt"),
        ("培训调解员约50名。", 50, "名", "调解员", ["约"], "approx"),
        ("开展法治宣传20次以上。", 20, "次", "法治宣传", ["以上"], "ge"),
        ("张贴宣传栏34个。", 34, "个", "宣传栏", [], "eq"),
        ("投入法治建设经费10万元。", 10, "万元", "法治建设经费", [], "eq"),
        ("行政执法资格证持有率达100%。", 100, "%", "行政执法资格证持有率", ["达"], "eq"),
        ("化解成功率 86.8%。", 86.8, "%", "化解成功率", [], "eq"),
    ],
)
def test_arabic_claims(text, value, unit, noun, qualifiers, bound) -> None:
    c = one(text)
    assert (c.value, c.unit, c.noun, c.qualifiers, c.bound) == (
        value,
        unit,
        noun,
        qualifiers,
        bound,
    )
    assert c.kind == "actual"
    assert text[c.start : c.end] == c.raw


@pytest.mark.parametrize(
    ("text", "value", "unit", "noun"),
    [
        ("开展两次专题培训。", 2, "次", "专题培训"),
        ("共排查矛盾纠纷十二件。", 12, "件", "矛盾纠纷"),
        ("聘请二十名调解员。", 20, "名", "调解员"),
        ("发放宣传资料一千二百份。", 1200, "份", "宣传资料"),
        ("全年召开会议一次。", 1, "次", "会议"),
        ("开展一次全面排查。", 1, "次", "全面排查"),
        ("成功申报“十佳法律明白人”一人，", 1, "人", "十佳法律明白人"),
        ("覆盖群众两万余人次。", 20000, "人次", "群众"),
        ("发放宣传资料2.5万份。", 25000, "份", "宣传资料"),
        ("群众满意率达到百分之九十五。", 95, "%", "群众满意率"),
    ],
)
def test_chinese_numerals_and_multipliers(text, value, unit, noun) -> None:
    c = one(text)
    assert (c.value, c.unit, c.noun) == (value, unit, noun)


def test_frequency_is_kept_apart() -> None:
    c = one("党委会定期学法每月1次。")
    assert (c.value, c.per, c.noun) == (1, "月", "党委会定期学法")
    assert one("每季度听取汇报1次。").per == "季度"


def test_zero_occurrence_is_a_claim_of_zero() -> None:
    c = one("全年行政复议案件零发生。")
    assert (c.value, c.unit, c.noun) == (0, "", "行政复议案件")


def test_elided_object_is_inherited_with_its_verb() -> None:
    found = claims("排查矛盾纠纷121起，成功化解105起，化解成功率87%。")
    assert [c.noun for c in found] == ["矛盾纠纷", "化解矛盾纠纷", "化解成功率"]


def test_two_rates_sharing_one_figure_are_two_claims() -> None:
    found = claims("依法办理信访案件11件，办结率和群众满意率均达98%以上。")
    rates = [c for c in found if c.unit == "%"]
    assert [c.noun for c in rates] == ["办结率", "群众满意率"]
    assert rates[0].start == rates[1].start and rates[0].bound == "ge"
    found = claims("组织法律知识考试1次，参考率、合格率均达100%。")
    assert [c.noun for c in found if c.unit == "%"] == ["参考率", "合格率"]


def test_rate_links_to_numerator_and_denominator() -> None:
    found = claims("受理信访事项20件，办结19件，办结率95%。")
    by_id = {c.id: c for c in found}
    rate = found[-1]
    assert by_id[rate.numerator].value == 19 and by_id[rate.denominator].value == 20


def test_rate_is_not_linked_to_sessions_or_people() -> None:
    found = claims("组织培训12次，参训人员30名，考试合格率95%。")
    assert found[-1].denominator is None and found[-1].numerator is None


def test_targets_in_the_plan_and_with_target_words() -> None:
    text = (
        "一、主要举措和成效\n开展普法活动8场。力争调解成功率达到98%。\n"
        "二、2026年工作计划\n全年开展普法活动不少于6场，法律顾问参与率保持100%。\n"
    )
    found = check_text(text).claims
    assert [(c.raw, c.kind) for c in found] == [
        ("8场", "actual"),
        ("达到98%", "target"),
        ("不少于6场", "target"),
        ("保持100%", "target"),
    ]
    assert found[2].section == ["二、2026年工作计划"]
    assert found[2].section_kind == "plan"


def test_plan_sentence_about_the_report_year_is_actual() -> None:
    text = "甲镇2025年法治政府建设工作报告\n一、工作计划\n在2025年开展培训12次的基础上，继续开展培训。\n"
    assert one(text).kind == "actual"


def test_claim_carries_sentence_line_and_section_path() -> None:
    text = "一、主要举措\n（一）普法\n1.宣传。发放资料300份，效果良好。\n"
    c = one(text)
    assert c.line == 3
    assert c.sentence == "发放资料300份，效果良好。"
    assert text[c.sentence_start : c.sentence_end] == c.sentence
    assert c.section == ["一、主要举措", "（一）普法", "1.宣传"]


@pytest.mark.parametrize(
    "text",
    [
        "2025年以来，我镇始终把法治政府建设作为重要工作。",
        "现将我镇2025年度法治政府建设情况报告如下：",
        "2023法治政府建设工作及2024工作思路总结如下：",
        "孟州市化工镇人民政府\n2026年2月28日",
        "9月份中旬召开动员部署会。",
        "依照《信访工作条例》第三十四条办理。",
        "党委书记认真履行推进法治建设第一责任人职责。",
        "积极开展一次性告知、一次性办理的高效服务。",
        "严格落实行政执法“三项制度”。",
        "建立和全面落实重大执法决定法治审核三项制度。",
        "以“八五”普法为总体规划。",
        "利用“12·4”国家宪法日、“3.15”消费者权益日等节点。",
        "严格落实“233”矛盾纠纷化解闭环管理工作机制。",
        "围绕“六个坚持，六个做到”开展工作。",
        "开展“法律六进”活动。",
        "把信访工作作为一项重要的政治任务。",
        "将习近平法治思想学习作为一项经常性工作来抓。",
        "统一项目管理。",
        "深入学习党的二十届四中全会精神。",
        "严格落实中央八项规定精神。",
        "法治宣传走进千家万户。",
        "持续完善镇、村两级公共法律服务平台建设。",
        "各村（场）配齐法律工作室，有专门办公场所。",
        "按照《法治政府建设实施纲要（2021—2025年）》要求。",
        "大家聚在一起，",
        "再一次强调依法行政。",
        "在全市排名第3名。",
        "拨打12348公共法律服务热线。",
        "实行“一村一警”“每周一学”制度。",
        "开展多层次、多渠道的普法宣传活动，增加普法频次。",
    ],
)
def test_not_a_quantity_claim(text: str) -> None:
    assert claims(text) == []


def test_years_and_dates_are_collected_separately() -> None:
    r = check_text("2025年度甲镇法治政府建设工作报告\n9月份召开会议，2026年2月28日\n")
    kinds = [(y.text, y.kind, y.year, y.month, y.day) for y in r.years]
    assert kinds == [
        ("2025年度", "year", 2025, None, None),
        ("9月份", "month", None, 9, None),
        ("2026年2月28日", "date", 2026, 2, 28),
    ]
    assert r.claims == []


def test_quoted_year_is_marked_as_a_name() -> None:
    r = check_text("按照《法治政府建设实施纲要（2021—2025年）》要求。")
    assert all(y.quoted for y in r.years)
