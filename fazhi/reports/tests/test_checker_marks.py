"""Malformed heading markers, unbalanced brackets/quotes/书名号, stale references in the plan."""

from pathlib import Path

from django.conf import settings

from fazhi.reports.checker import check_text

HEAD = "甲镇2025年法治政府建设年度报告\n"


def kinds(text, code):
    return [d for d in check_text(HEAD + text).defects if d.code == code]


def test_malformed_markers_are_found():
    text = "一、工作情况\n（一强化领导\n二）学法\n(三）普法\n四，存在问题\n（五）、安排\n"
    found = [d.text for d in kinds(text, "malformed_marker")]
    assert found == ["（一", "二）", "(三）", "四，", "（五）、"]


def test_correct_markers_are_not_flagged():
    text = "一、工作情况\n（一）强化领导\n1.学法\n(2)普法\n2025年，我镇……\n一是加强学习。\n"
    assert kinds(text, "malformed_marker") == []


def test_unbalanced_pairs_within_a_paragraph():
    text = (
        "一、工作情况\n学习《宪法》《民法典等法律。\n开展“八五普法活动。\n设立服务站）方便群众。\n"
    )
    reasons = [d.reason for d in kinds(text, "unbalanced")]
    assert reasons == [
        "标点不成对：“《”没有对应的“》”",
        "标点不成对：““”没有对应的“””",
        "标点不成对：“）”前没有对应的“（”",
    ]


def test_plan_citing_an_older_plenum_or_year():
    text = (
        "一、2025年工作情况\n深入学习党的二十届四中全会精神。\n"
        "二、2026年工作安排\n学习贯彻党的二十届三中全会精神，巩固2024年成效。\n"
    )
    found = [d.text for d in kinds(text, "stale_reference")]
    assert found == ["二十届三中全会", "2024年"]


def test_no_false_alarm_on_the_seeds():
    for path in sorted(Path(settings.FAZHI_SEEDS_DIR).glob("00*.txt")):
        result = check_text(path.read_text(encoding="utf-8"))
        marks = [d for d in result.defects if d.code in ("malformed_marker", "unbalanced")]
        assert marks == [], path.name
        stale = [d.text for d in result.defects if d.code == "stale_reference"]
        # 杜关镇's plan cites the 三中全会 after its actuals cite the 四中全会: a real defect
        assert stale == (["二十届三中全会"] if path.name.startswith("000") else []), path.name
