"""A small well-formed report to build synthetic cases from: every part present, every figure
consistent. Tests swap one part for a defective version and expect exactly that defect."""

from __future__ import annotations

TITLE = "甲镇2025年法治政府建设年度报告"
INTRO = "2025年，甲镇深入学习贯彻习近平法治思想，统筹推进法治政府建设。现将有关情况报告如下："
RESPONSIBILITY = (
    "一、党政主要负责人履行推进法治建设第一责任人职责情况\n"
    "镇党委书记全年主持召开法治建设专题会议4次，研究解决重点问题6项。"
)
MEASURES = (
    "二、推进法治政府建设的主要举措和成效\n"
    "（一）规范行政执法\n"
    "开展专项整治行动3次，检查企业150余家，发现并整改隐患12条。\n"
    "（二）化解矛盾纠纷\n"
    "全镇排查矛盾纠纷121起，成功化解105起，化解成功率87%。"
)
PROBLEMS = (
    "三、存在的不足和原因\n"
    "一是普法宣传形式较为单一。二是执法力量相对薄弱。"
    "究其原因，主要是专业法律人才不足，培训投入不够。"
)
PLAN = (
    "四、2026年推进法治政府建设的主要安排\n"
    "全年组织专题学习不少于4次，力争矛盾纠纷调解成功率保持在90%以上。"
)
OTHER = "五、其他需要报告的情况\n无。"


def report(
    *,
    title: str = TITLE,
    intro: str = INTRO,
    responsibility: str = RESPONSIBILITY,
    measures: str = MEASURES,
    problems: str = PROBLEMS,
    plan: str = PLAN,
    other: str = OTHER,
) -> str:
    parts = [title, intro, responsibility, measures, problems, plan, other]
    return "\n".join(p for p in parts if p) + "\n"
