"""Each defect kind on small synthetic reports, and the traps that must not raise a false alarm."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from fazhi.reports.checker import CheckResult, Defect, check_text

_spec = importlib.util.spec_from_file_location(
    "synthetic_reports", Path(__file__).parent / "data" / "synthetic.py"
)
assert _spec and _spec.loader
syn = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(syn)


def defects(text: str, kind: str | None = None) -> list[Defect]:
    return [d for d in check_text(text).defects if kind is None or d.kind == kind]


def rate_defect(text: str) -> Defect:
    (found,) = defects(text, "rate_mismatch")
    return found


def only(result: CheckResult, kind: str) -> list[tuple[str, str, str]]:
    return [(d.code, str(d.severity), d.text) for d in result.defects if d.kind == kind]


def test_clean_report_has_no_defects() -> None:
    result = check_text(syn.report())
    assert result.defects == [], [(d.kind, d.reason) for d in result.defects]
    assert result.summary == "未发现问题"
    assert result.year == 2025 and result.title == syn.TITLE


# --- missing numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "snippet"),
    [
        (
            "全年主持召开法治建设专题会议次，研究解决合法性审查流程优化等重点问题项，确保落实。",
            "专题会议次",
        ),
        ("研究解决合法性审查流程优化、执法队伍建设等重点问题项，确保落实。", "重点问题项"),
        ("全年开展次法治宣传活动。", "开展次"),
        ("全年发放宣传资料份，受教育群众达人次。", "宣传资料份"),
        ("全年排查矛盾纠纷件，调解成功率100%。", "矛盾纠纷件"),
        ("组织开展普法讲座场，覆盖全镇。", "普法讲座场"),
        ("全年培养调解员名。", "培养调解员名"),
        ("全镇共悬挂横幅条。", "悬挂横幅条"),
    ],
)
def test_missing_number_is_found(sentence: str, snippet: str) -> None:
    found = defects(sentence, "missing_number")
    assert found, sentence
    assert snippet in found[0].text or found[0].text in snippet
    assert str(found[0].severity) == "error"
    assert "缺少数字" in found[0].reason


def test_missing_number_counts_each_gap_once() -> None:
    found = defects("全年受益群众达人次。", "missing_number")
    assert len(found) == 1 and found[0].text.endswith("群众达人次")


@pytest.mark.parametrize(
    "sentence",
    [
        "增加普法短视频、直播普法频次；",
        "对失信者、重点监管对象加大抽查比例频次，",
        "明确抽查依据、抽查主体、抽查内容、抽查方式和抽查频次。",
        "多层次、多渠道开展普法宣传活动。",
        "全年多次开展普法宣传，",
        "每次会议前开展学法，",
        "首次开展法治体检，",
        "统计服务人次，提高咨询服务人次，",
        "累计次数明显增加，",
        "开展普法知识竞赛并公布名次，",
        "各村（场）配齐法律工作室，有专门办公场所。",
        "各村（场）召开会议，",
        "公开政务服务事项、流程、时限等信息，",
        "研究解决重大事项，",
        "开展专项检查，完善检查项目，",
        "创造条件，依法办理信访案件，",
        "全年未发生行政诉讼败诉案件。",
        "同时不发生群体性信访和行政诉讼案件。",
        "积极开展一次性告知、一次性办理。",
        "开展安全检查，发现问题及时整改，",
        "召开专题会议研究解决问题，",
        "组织开展专项行动，检查企业，排查隐患，",
        "聘请名师授课，组织个人自学，",
        "扎实开展普法宣传，从娃娃抓起。",
        "走访群众家，",
        "开展“双随机、一公开”活动，",
        "受教育群众达500余人次，",
        "开展送法进市场、进现场、进广场活动，",
        "开展普法活动场所建设，",
        "组织法治讲座场地布置，",
        "全年办理件事，",
        "解答群众提出的条件，",
        "全镇干部参加考试并按名次排序，",
        "在主要路口悬挂条幅，张贴条幅，",
        "开展家访，组织家长学校，",
        "检查起重机械，",
    ],
)
def test_missing_number_traps(sentence: str) -> None:
    assert defects(sentence, "missing_number") == []


# --- numbering ----------------------------------------------------------------------------


def test_numbering_skip_repeat_and_restart() -> None:
    text = "一、甲\n正文。\n二、乙\n正文。\n四、丁\n正文。\n四、戊\n正文。\n一、己\n正文。\n"
    result = check_text(text)
    assert only(result, "numbering") == [
        ("skip", "warning", "四、"),
        ("repeat", "warning", "四、"),
        ("restart", "warning", "一、"),
    ]
    assert "缺少“三、”" in result.defects[0].reason or any(
        "缺少“三、”" in d.reason for d in result.defects
    )


def test_numbering_mixed_styles_in_one_level() -> None:
    text = "一、工作\n（一）甲\n正文。\n（2）乙\n正文。\n（三）丙\n正文。\n"
    result = check_text(text)
    assert only(result, "numbering") == [("mixed_style", "warning", "（2）")]
    assert "应为“（二）”" in next(d for d in result.defects if d.kind == "numbering").reason
    assert [(h.numbering, h.level) for h in result.outline] == [
        ("一、", 1),
        ("（一）", 2),
        ("（2）", 2),
        ("（三）", 2),
    ]


def test_numbering_nested_lists_are_not_mixing() -> None:
    text = "一、工作\n（一）甲\n1.子一\n（1）细一\n（2）细二\n2.子二\n（二）乙\n二、问题\n1.子\n"
    assert only(check_text(text), "numbering") == []


def test_numbering_that_starts_late_and_width_mixing() -> None:
    assert only(check_text("一、工作\n（二）乙\n正文。\n"), "numbering") == [
        ("skip", "warning", "（二）")
    ]
    result = check_text("一、工作\n（一）甲\n(二)乙\n")
    assert only(result, "numbering") == [("style", "info", "(二)")]


def test_inline_enumeration_skips() -> None:
    text = "一、工作\n一是加强学习。二是完善制度。四是强化考核。\n"
    assert only(check_text(text), "numbering") == [("skip", "warning", "四是")]
    ok = "一、工作\n一是加强学习。二是完善制度。\n一是强化考核。统一是关键。\n"
    assert only(check_text(ok), "numbering") == []


# --- rates --------------------------------------------------------------------------------


def test_rate_inconsistent_with_its_counts_is_an_error() -> None:
    text = "排查矛盾纠纷121起，成功化解105起，化解成功率90%。"
    assert only(check_text(text), "rate_mismatch") == [("counts", "error", "90%")]
    assert "105/121=86.8%" in rate_defect(text).reason


@pytest.mark.parametrize("rate", ["87%", "86.8%", "86%", "86.78%"])
def test_rate_rounded_or_truncated_is_fine(rate: str) -> None:
    assert defects(f"排查矛盾纠纷121起，成功化解105起，化解成功率{rate}。", "rate_mismatch") == []


def test_rate_no_count_can_produce_is_a_warning() -> None:
    text = "全年依法办理信访案件11件，办结率98%。"
    assert only(check_text(text), "rate_mismatch") == [("impossible", "warning", "98%")]
    assert "10件为90.9%" in rate_defect(text).reason and "11件为100%" in rate_defect(text).reason


def test_rate_bound_only_the_full_count_meets_is_a_hint() -> None:
    text = "全年依法办理信访案件11件，办结率和群众满意率均达98%以上。"
    assert only(check_text(text), "rate_mismatch") == [("only_100", "info", "均达98%以上")]
    assert len(rate_defect(text).claims) == 3  # both rates and the total
    assert defects("受理信访案件60件，办结率达98%以上。", "rate_mismatch") == []


def test_rate_over_100_percent() -> None:
    assert only(check_text("调解成功率达105%。"), "rate_mismatch") == [
        ("over_100", "error", "达105%")
    ]
    assert defects("普法受众同比增长150%。", "rate_mismatch") == []


def test_rate_over_people_or_sessions_is_not_checked() -> None:
    assert defects("参训人员30名，考试合格率95%。", "rate_mismatch") == []
    assert defects("开展活动7次，群众满意率98%。", "rate_mismatch") == []


# --- years --------------------------------------------------------------------------------


def test_heading_of_the_work_done_names_another_year() -> None:
    text = syn.report(measures=syn.MEASURES.replace("二、推进", "二、2023年推进"))
    result = check_text(text)
    assert only(result, "year") == [("heading", "error", "2023年")]


@pytest.mark.parametrize(
    ("plan_heading", "code", "severity"),
    [
        ("四、2025年工作计划", "plan_past", "error"),
        ("四、2024年度工作安排", "plan_past", "error"),
        ("四、2027年工作计划", "plan_far", "warning"),
    ],
)
def test_plan_for_the_wrong_year(plan_heading: str, code: str, severity: str) -> None:
    plan = plan_heading + "\n全年组织专题学习不少于4次。"
    result = check_text(syn.report(plan=plan))
    assert [(c, s) for c, s, _ in only(result, "year")] == [(code, severity)]


def test_plan_sentence_for_a_year_already_past() -> None:
    plan = "四、下一步工作打算\n2025年，将继续深化普法宣传。"
    assert only(check_text(syn.report(plan=plan)), "year") == [("plan_past", "error", "2025年")]


def test_work_done_in_another_year() -> None:
    measures = "二、主要举措和成效\n2026年，我镇开展普法宣传。2023年，我镇完善制度。2023年以来，累计调解纠纷。"
    result = check_text(syn.report(measures=measures))
    assert only(result, "year") == [
        ("future", "error", "2026年"),
        ("other_year", "error", "2023年"),
        ("other_year", "warning", "2023年"),
    ]


def test_title_and_opening_disagree() -> None:
    intro = "现将我镇2024年度法治政府建设情况报告如下："
    assert only(check_text(syn.report(intro=intro)), "year") == [
        ("title_intro", "error", "2024年度")
    ]


def test_signing_date_outside_the_period() -> None:
    text = syn.report() + "甲镇人民政府\n2028年1月5日\n"
    assert only(check_text(text), "year") == [("signature", "warning", "2028年1月5日")]
    assert only(check_text(syn.report() + "甲镇人民政府\n2026年2月28日\n"), "year") == []


def test_years_that_are_not_the_period() -> None:
    measures = (
        "二、主要举措和成效\n按照《法治政府建设实施纲要（2021—2025年）》要求，较2024年增长明显。"
        "对2019年以来制定的规范性文件进行清理。自2021年起实行法律顾问制度。"
    )
    assert only(check_text(syn.report(measures=measures)), "year") == []


def test_year_ranges_are_not_the_period() -> None:
    measures = "二、2021—2025年法治建设回顾\n2021至2025年，累计调解纠纷。"
    result = check_text(syn.report(measures=measures))
    assert only(result, "year") == []
    assert {y.kind for y in result.years if y.year == 2021} == {"range"}


def test_report_without_any_year() -> None:
    plan = syn.PLAN.replace("2026年", "下一年度")
    intro = "今年以来，甲镇扎实推进各项工作。"
    result = check_text(syn.report(title="甲镇法治政府建设工作报告", intro=intro, plan=plan))
    assert result.year is None
    assert only(result, "year") == [("unknown", "warning", "")]


def test_year_given_by_the_caller_wins() -> None:
    assert check_text(syn.report(), year=2025).year_source == "argument"
    result = check_text(syn.report(), year=2024)
    assert ("heading", "error", "2026年") not in only(result, "year")  # the plan heading
    assert ("plan_far", "warning", "2026年") in only(result, "year")


# --- required sections --------------------------------------------------------------------


def codes(result: CheckResult) -> list[tuple[str, str]]:
    return [(d.code, str(d.severity)) for d in result.defects if d.kind == "missing_section"]


def test_missing_plan_and_problems_are_errors() -> None:
    result = check_text(syn.report(plan="", problems=""))
    assert codes(result) == [("problems", "error"), ("plan", "error")]


def test_missing_measures_is_an_error() -> None:
    result = check_text(syn.report(measures="", responsibility=""))
    assert ("measures", "error") in codes(result)


def test_responsibility_merged_into_the_measures_is_present() -> None:
    merged = syn.MEASURES + "\n镇党委书记切实履行推进法治建设第一责任人职责。"
    assert codes(check_text(syn.report(responsibility="", measures=merged))) == []


def test_responsibility_absent_is_a_warning() -> None:
    assert codes(check_text(syn.report(responsibility=""))) == [("responsibility", "warning")]


def test_responsibility_only_in_the_plan_does_not_count() -> None:
    plan = syn.PLAN + "\n严格履行法治建设第一责任人职责。"
    assert codes(check_text(syn.report(responsibility="", plan=plan))) == [
        ("responsibility", "warning")
    ]


def test_other_matters_absent_is_a_hint() -> None:
    assert codes(check_text(syn.report(other=""))) == [("other", "info")]


def test_problems_without_causes_is_a_warning() -> None:
    problems = "三、存在问题\n一是普法宣传形式较为单一。二是执法力量相对薄弱。"
    result = check_text(syn.report(problems=problems))
    assert [(d.code, str(d.severity), d.text) for d in result.defects] == [
        ("causes", "warning", "三、存在问题")
    ]


def test_problems_heading_naming_causes_is_enough() -> None:
    problems = "三、存在的不足和原因\n一是普法宣传形式较为单一。"
    assert codes(check_text(syn.report(problems=problems))) == []


def test_unstructured_text_looks_for_the_parts_by_their_words() -> None:
    text = "甲镇2025年法治政府建设工作总结\n今年开展普法宣传。存在的问题是力量不足，原因是人员少。下一步将加强培训。\n"
    assert codes(check_text(text)) == [("responsibility", "warning"), ("other", "info")]


# --- targets below actuals ----------------------------------------------------------------


def test_target_below_the_actual_of_the_same_measure() -> None:
    measures = "二、主要举措和成效\n全年开展专题学习12次，调解成功率98%。"
    plan = "四、2026年主要安排\n全年组织专题学习不少于4次，力争调解成功率达到95%，开展专题普法活动不少于6场。"
    result = check_text(syn.report(measures=measures, plan=plan))
    assert only(result, "target_below_actual") == [
        ("target_below_actual", "warning", "不少于4次"),
        ("target_below_actual", "warning", "达到95%"),
    ]
    assert "专题学习12次" in result.defects[0].reason


def test_target_not_below_or_other_measure() -> None:
    measures = "二、主要举措和成效\n开展周例会学法12次，接待群众咨询2000余人次，调解成功率100%，主题宣传活动7次。"
    plan = (
        "四、2026年主要安排\n全年组织专题学习不少于4次，提供法律服务不少于2000人次，"
        "矛盾纠纷调解成功率保持100%，专题普法活动不少于6场。"
    )
    assert defects(syn.report(measures=measures, plan=plan), "target_below_actual") == []


# --- duplicates ---------------------------------------------------------------------------


def test_repeated_sentence_is_a_warning() -> None:
    measures = (
        "二、主要举措和成效\n实行了群众办事不出户，矛盾有解决的有效保障。其他工作。"
        "实行了群众办事不出户，矛盾有解决的有效保障。"
    )
    result = check_text(syn.report(measures=measures))
    assert only(result, "duplicate") == [
        ("sentence", "warning", "实行了群众办事不出户，矛盾有解决的有效保障。")
    ]


def test_repeated_paragraph_is_one_defect() -> None:
    para = "持续深化法治宣传教育，创新普法形式，拓宽普法渠道，切实提高普法实效。加强队伍建设，提升调解能力。"
    result = check_text(syn.report(measures=syn.MEASURES + "\n" + para + "\n" + para))
    assert [(c, s) for c, s, _ in only(result, "duplicate")] == [("paragraph", "warning")]


def test_short_sentences_and_echoed_headings_are_not_duplicates() -> None:
    measures = "二、主要举措和成效\n（一）强化组织领导，压实法治建设责任\n效果明显。效果明显。"
    plan = "四、2026年主要安排\n（一）强化组织领导，压实法治建设责任\n继续推进。"
    assert defects(syn.report(measures=measures, plan=plan), "duplicate") == []


def test_signing_date_in_chinese_numerals() -> None:
    ok = check_text(syn.report() + "甲镇人民政府\n二〇二六年二月二十八日\n")
    assert only(ok, "year") == [] and ok.claims[-1].raw != "二十八日"
    late = check_text(syn.report() + "甲镇人民政府\n二〇二八年一月五日\n")
    assert only(late, "year") == [("signature", "warning", "二〇二八年一月五日")]
