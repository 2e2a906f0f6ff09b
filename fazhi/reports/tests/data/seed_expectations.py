"""What a careful reader finds in each seed report, written out by hand.

Each seed was read line by line. For every quantitative claim: an anchor (a substring of the seed,
unique in it, that contains the claim), the value, the unit, a word its counted noun must contain,
and the qualifiers as written. For every defect: kind, sub-code, severity and an anchor that the
defect's span must overlap (None for a defect of the whole document, e.g. a missing part).

The tests (test_checker_seeds.py) require exactly these claims and exactly these defects: a claim
or a defect the checker finds beyond this list is a false alarm.

Judgement calls, read against REGULATIONS.md §1 (Art. 25, five parts):
- 第一责任人: 000, 002 and 003 write the leaders' duty into the measures ("党委书记认真履行推进法治
  建设第一责任人职责", "切实履行党政主要负责人推进法治建设第一责任人职责", "二是履职尽责落实
  '第一责任人'职责"): present, no defect. 001 gives it its own part. 004 never mentions it:
  a warning (the part is statutory, but it is so often folded into the measures that its absence
  is likelier an omission of wording than of substance).
- 其他需要报告的情况: none of the five has it: a hint each (it is often "无"). 001's
  "三、履行法院生效裁判情况" is classed with the measures, not as "other".
- 存在问题 without causes: 001, 002, 003 and 004 list problems and never say why (no 原因, 由于,
  根源 …): a warning each. 000 has no shortcomings part at all: an error.
- 001 "全年依法办理信访案件11件,办结率和群众满意率均达98%以上": 98% of 11 is 10.78, so both rates
  can only be 11/11 = 100%. "98%以上" is not false, only vague: a hint, one for the shared figure.
- 002 "排查…121 起，成功化解 105 起，化解成功率 87%": 105/121 = 86.8%, rounds to 87%: fine.
- 001 targets: "专题学习不少于4次" vs 2025's "周例会学法12次" and "集中学习…法律法规12次" are not the
  same measure (weekly-meeting study and collective study vs thematic study); "专题普法活动不少于
  6场" vs "主题宣传活动7次" differ in noun and unit; "提供法律服务不少于2000人次" vs "接待群众咨询
  2000余人次": legal services are wider than consultations, and 2000 is not below "2000余" as
  written. So no target_below_actual in 001. "调解成功率保持100%" equals the actual 100%.
- 004 "现就扁担沟镇2023法治政府建设工作及2024工作思路总结如下": years without 年 are read as years
  (2023 = the period covered, 2024 = the plan), consistent; the missing 年 and "学法治度" are
  wording slips outside the checker's scope. "2023年工作开展情况" agrees.
- 004 repeats the sentence "实行了群众办事不出户，矛盾有解决的有效保障。" in one paragraph: warning.
- 004 "成功申报利通区'十佳法律明白人'一人": a count (1 person); "十佳" inside the quotes is a name.
- 001 "全年行政复议案件零发生" is a claim of 0 (no unit).
- Not claims: years and dates; ordinals (第一责任人); quoted names (“三项制度”, “八五”, “12·4”,
  “3.15”, “233”, “法律六进”, “一村一警”, “每周一学”, “六个坚持，六个做到”); 一次性; 一项 used as an
  article ("作为一项经常性工作", "作为一项重要的政治任务"); 二十届四中全会; 村（场）.
"""

from __future__ import annotations

from typing import Any

# claim: (anchor, value, unit, noun must contain, qualifiers, kind, extra checks)
SEEDS: dict[str, dict[str, Any]] = {
    "000_bc7bf2a901aad011.txt": {
        "title": None,
        "year": 2025,
        "outline": [("一、", 1), ("二、", 1), ("三、", 1), ("四、", 1), ("五、", 1)],
        "inline": ["一是", "二是", "三是", "一是", "二是", "三是", "四是", "一是", "二是", "三是"],
        # No quantitative claim at all: the report is all narrative.
        "claims": [],
        "defects": [
            ("missing_section", "problems", "error", None),
            ("missing_section", "other", "info", None),
            # the 2026 plan cites the 三中全会 after the actuals cite the 四中全会 (issue 13)
            ("year", "stale_reference", "warning", "二十届三中全会"),
        ],
        "summary": "1 处错误，1 处警告，1 处提示",
    },
    "001_db2bfd3fd16ed539.txt": {
        "title": "寺庄镇2025年法治政府建设年度报告",
        "year": 2025,
        "outline": [
            ("一、", 1),
            ("(一)", 2),
            ("(二)", 2),
            ("(三)", 2),
            ("二、", 1),
            ("(一)", 2),
            ("1.", 3),
            ("2.", 3),
            ("3.", 3),
            ("(二)", 2),
            ("1.", 3),
            ("2.", 3),
            ("3.", 3),
            ("(三)", 2),
            ("1.", 3),
            ("2.", 3),
            ("三、", 1),
            ("(一)", 2),
            ("(二)", 2),
            ("四、", 1),
            ("五、", 1),
            ("(一)", 2),
            ("1.", 3),
            ("2.", 3),
            ("3.", 3),
            ("(二)", 2),
            ("1.", 3),
            ("2.", 3),
            ("3.", 3),
            ("(三)", 2),
            ("1.", 3),
            ("2.", 3),
            ("3.", 3),
        ],  # fmt: skip
        "inline": ["一是", "二是", "三是"],
        "claims": [
            ("周例会学法12次", 12, "次", "周例会学法", [], "actual", {}),
            ("党委会定期学法每月1次", 1, "次", "党委会定期学法", [], "actual", {"per": "月"}),
            ("等法律法规12次", 12, "次", "法律法规", [], "actual", {}),
            ("资格证持有率达100%", 100, "%", "持有率", ["达"], "actual", {}),
            ("专项整治行动3次", 3, "次", "专项整治行动", [], "actual", {}),
            ("检查企业150余家", 150, "家", "企业", ["余"], "actual", {"bound": "gt"}),
            ("整改隐患12条", 12, "条", "隐患", [], "actual", {}),
            ("咨询服务48次", 48, "次", "咨询服务", [], "actual", {}),
            ("咨询难题100余条", 100, "条", "咨询难题", ["余"], "actual", {}),
            ("接待群众咨询2000余人次", 2000, "人次", "群众咨询", ["余"], "actual", {}),
            ("调解员培训12次", 12, "次", "调解员培训", [], "actual", {}),
            ("矛盾纠纷58件", 58, "件", "矛盾纠纷", [], "actual", {}),
            (
                "调解成功率达100%",
                100,
                "%",
                "调解成功率",
                ["达"],
                "actual",
                {"denominator": "矛盾纠纷58件"},
            ),
            ("主题宣传活动7次", 7, "次", "主题宣传活动", [], "actual", {}),
            ("群众达20000余人次", 20000, "人次", "群众", ["达", "余"], "actual", {}),
            ("宣传资料22000余份", 22000, "份", "宣传资料", ["余"], "actual", {}),
            ("信访案件11件", 11, "件", "信访案件", [], "actual", {}),
            # one figure, two rates: two claims on the same span
            (
                "均达98%以上",
                98,
                "%",
                "办结率",
                ["均达", "以上"],
                "actual",
                {"bound": "ge", "denominator": "信访案件11件"},
            ),
            (
                "均达98%以上",
                98,
                "%",
                "群众满意率",
                ["均达", "以上"],
                "actual",
                {"bound": "ge", "denominator": "信访案件11件"},
            ),
            ("行政复议案件零发生", 0, "", "行政复议案件", [], "actual", {}),
            ("专题学习不少于4次", 4, "次", "专题学习", ["不少于"], "target", {"bound": "ge"}),
            ("全程参与率保持100%", 100, "%", "法律顾问全程参与率", ["保持"], "target", {}),
            ("专题普法活动不少于6场", 6, "场", "专题普法活动", ["不少于"], "target", {}),
            ("调解成功率保持100%", 100, "%", "矛盾纠纷调解成功率", ["保持"], "target", {}),
            ("法律服务不少于2000人次", 2000, "人次", "法律服务", ["不少于"], "target", {}),
        ],  # fmt: skip
        "defects": [
            ("rate_mismatch", "only_100", "info", "98%以上"),
            ("missing_section", "causes", "warning", "四、存在的问题"),
            ("missing_section", "other", "info", None),
        ],
        "summary": "1 处警告，2 处提示",
    },
    "002_6b8a4562c0d40977.txt": {
        "title": "2025 年度化工镇人民政府 法治政府建设工作报告",
        "year": 2025,
        "outline": [
            ("一、", 1),
            ("（一）", 2),
            ("（二）", 2),
            ("（三）", 2),
            ("（四）", 2),
            ("（五）", 2),
            ("二、", 1),
            ("1.", 2),
            ("2.", 2),
            ("3.", 2),
            ("4.", 2),
            ("三、", 1),
            ("1.", 2),
            ("2.", 2),
            ("3.", 2),
            ("4.", 2),
        ],  # fmt: skip
        "inline": ["一是", "二是"],
        "claims": [
            ("开展学习 6 次", 6, "次", "学习", [], "actual", {}),
            ("宣传资料2000余份", 2000, "份", "宣传资料", ["余"], "actual", {}),
            ("受教育群众达500余人次", 500, "人次", "受教育群众", ["达", "余"], "actual", {}),
            ("113名", 113, "名", "法律明白人", [], "actual", {}),
            ("矛盾纠纷 121 起", 121, "起", "矛盾纠纷", [], "actual", {}),
            ("成功化解 105 起", 105, "起", "化解", [], "actual", {}),
            (
                "化解成功率 87%",
                87,
                "%",
                "化解成功率",
                [],
                "actual",
                {"numerator": "成功化解 105 起", "denominator": "矛盾纠纷 121 起"},
            ),
        ],  # fmt: skip
        "defects": [
            ("missing_number", "missing_number", "error", "专题会议次"),
            ("missing_number", "missing_number", "error", "重点问题项"),
            ("missing_section", "causes", "warning", "二、存在问题"),
            ("missing_section", "other", "info", None),
        ],
        "summary": "2 处错误，1 处警告，1 处提示",
    },
    "003_b47715108e1383ee.txt": {
        "title": None,
        "year": 2025,
        # （2）（3）（2）: items of the （一） level written in the （1） style.
        "outline": [
            ("一、", 1),
            ("（一）", 2),
            ("（2）", 2),
            ("（三）", 2),
            ("二、", 1),
            ("（一）", 2),
            ("（二）", 2),
            ("（3）", 2),
            ("三、", 1),
            ("（一）", 2),
            ("（2）", 2),
            ("（三）", 2),
        ],  # fmt: skip
        "inline": ["一是", "二是", "三是", "一是", "二是", "三是", "一是", "二是", "三是"],
        "claims": [
            ("理论学习4次", 4, "次", "党委中心组理论学习", [], "actual", {}),
            ("开展2次法治建设工作专题汇报", 2, "次", "法治建设工作专题汇报", [], "actual", {}),
            ("普法宣传20余次", 20, "次", "普法宣传", ["余"], "actual", {}),
            ("宣传品7000余份", 7000, "份", "宣传品", ["余"], "actual", {}),
            ("横幅20条", 20, "条", "横幅", [], "actual", {}),
            ("宣传彩页10000份", 10000, "份", "宣传彩页", [], "actual", {}),
        ],
        "defects": [
            ("numbering", "mixed_style", "warning", "（2） 紧扣"),
            ("numbering", "mixed_style", "warning", "（3） 运用"),
            ("numbering", "mixed_style", "warning", "（2） 抓好"),
            ("missing_section", "causes", "warning", "二、存在问题"),
            ("missing_section", "other", "info", None),
        ],
        "summary": "4 处警告，1 处提示",
    },
    "004_5e0d0e6190e313b8.txt": {
        "title": "吴忠市利通区扁担沟镇法治政府建设工作报告",
        "year": 2023,
        "outline": [
            ("一、", 1),
            ("（一）", 2),
            ("（二）", 2),
            ("（三）", 2),
            ("（四）", 2),
            ("二、", 1),
            ("三、", 1),
        ],  # fmt: skip
        "inline": ["一是", "二是", "三是"] * 3 + ["一是", "二是"] + ["一是", "二是", "三是"],
        "claims": [
            ("4名律师", 4, "名", "律师", [], "actual", {}),
            ("18个村（场）", 18, "个", "村", [], "actual", {}),
            ("109个网格", 109, "个", "网格", [], "actual", {}),
            ("110名专职网格员", 110, "名", "专职网格员", [], "actual", {}),
            ("宣传活动46场次", 46, "场次", "宣传活动", [], "actual", {}),
            ("法治讲座18场", 18, "场", "法治讲座", [], "actual", {}),
            ("”一人", 1, "人", "法律明白人", [], "actual", {}),
            ("18个村法律顾问", 18, "个", "村", [], "actual", {}),
            # 不少于 in the work done is a qualifier of an actual, not a target
            ("横幅不少于70条", 70, "条", "横幅", ["不少于"], "actual", {"bound": "ge"}),
            ("宣传栏34个", 34, "个", "宣传栏", [], "actual", {}),
            ("化解积案35起", 35, "起", "积案", [], "actual", {}),
            ("收集积案16起", 16, "起", "积案", [], "actual", {}),
            ("下访化解11起", 11, "起", "化解", [], "actual", {}),
        ],
        "defects": [
            ("duplicate", "sentence", "warning", "11起。实行了群众办事不出户"),
            ("missing_section", "causes", "warning", "二、存在的问题"),
            ("missing_section", "responsibility", "warning", None),
            ("missing_section", "other", "info", None),
        ],
        "summary": "3 处警告，1 处提示",
    },
}
