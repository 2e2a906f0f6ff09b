"""Figures of the governance module, registered in the indicator registry (the only place
they are computed). Flow figures count records dated inside the period; see docs/governance.md.

- 学法次数 by kind: study sessions held in the period (学习日期), one row per session.
- 会议次数 by kind: meetings held in the period (会议日期).
- 培训次数: trainings (类型“培训”) held; 考试合格率: of the test results of tests held in the
  period, those reaching the pass mark (合格 ÷ 参考人次).
- 法治经费: budget lines of the period's years (预算年度), and spending dated in the period.
- 任务完成率 and 目标完成率: see the definitions below.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from fazhi.governance import choices as c
from fazhi.governance.models import (
    BudgetLine,
    Expenditure,
    Meeting,
    StudySession,
    Target,
    Task,
    Training,
    TrainingResult,
)
from fazhi.indicators.registry import COUNT, RATE, SUM, Metric, Period, Rows, register

LEADERS = "leaders"
MEASURES = "measures"
STUDY = "学法用法"
DUTY = "第一责任人"


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


# Declared with Rows: every figure of a table comes from one aggregate (docs/indicators.md).
studies = Rows(StudySession, lambda p: _between("held_on", p))


def _study_kind(kind: str) -> Rows:
    return studies.narrow(lambda p: Q(kind=kind))


meetings = Rows(Meeting, lambda p: _between("held_on", p))


def _meeting_kind(kind: str) -> Rows:
    return meetings.narrow(lambda p: Q(kind=kind))


held = Rows(Training, lambda p: _between("held_on", p))
trainings = held.narrow(lambda p: Q(kind=c.TrainingKind.TRAINING))
tests = held.narrow(lambda p: Q(kind__in=c.TEST_KINDS))
test_results = Rows(TrainingResult, lambda p: _between("training__held_on", p))
test_passed = test_results.narrow(lambda p: Q(passed=True))
budget_lines = Rows(BudgetLine, lambda p: Q(year__gte=p.start.year, year__lte=p.end.year))
expenditures = Rows(Expenditure, lambda p: _between("spent_on", p))
tasks_due = Rows(Task, lambda p: _between("due", p) & ~Q(status=c.TaskStatus.CANCELLED))
tasks_done_on_time = tasks_due.narrow(
    lambda p: Q(status=c.TaskStatus.DONE, completed_on__lte=F("due"))
)


targets = Rows(Target, lambda p: Q(year__gte=p.start.year, year__lte=p.end.year))


def targets_met(township: Any, period: Period) -> QuerySet:
    from fazhi.governance import targets as target_service

    met = [
        p.target.pk
        for p in target_service.progress_of(targets(township, period), as_of=period.end)
        if p.met
    ]
    return targets(township, period).filter(pk__in=met)


STUDY_PHRASES = {
    c.StudyKind.CENTRAL_GROUP: (
        "党委理论学习中心组学法{value}次",
        ("中心组学习", "中心组理论学习", "党委中心组理论学习", "中心组学法"),
    ),
    c.StudyKind.COMMITTEE: ("党委会学法{value}次", ("党委会学法",)),
    c.StudyKind.WEEKLY: ("周例会学法{value}次", ("周例会学法",)),
    c.StudyKind.PRE_MEETING: ("会前学法{value}次", ("会前学法", "决策前学法")),
    c.StudyKind.PARTY_LECTURE: ("开展法治专题党课{value}次", ("专题党课", "法治专题党课")),
    c.StudyKind.COLLECTIVE: ("集中学习法律法规{value}次", ("集中学法", "集中学习")),
    c.StudyKind.SPECIAL: ("专题组织开展学习{value}次", ("专题学习", "专题组织开展学习")),
    c.StudyKind.LECTURE: ("举办法治讲座{value}场", ("法治讲座", "讲座")),
}
for kind, (phrase, aliases) in STUDY_PHRASES.items():
    register(
        Metric(
            f"governance.study_{kind}",
            f"{c.StudyKind(kind).label}次数",
            "场" if kind == c.StudyKind.LECTURE else "次",
            COUNT,
            _study_kind(kind),
            aliases=aliases,
            definition=f"期内（按学习日期）的“{c.StudyKind(kind).label}”学法记录，每场计一次。",
            report_section=LEADERS if kind != c.StudyKind.LECTURE else MEASURES,
            report_topic=STUDY,
            report_phrase=phrase,
        )
    )
register(
    Metric(
        "governance.study_sessions",
        "学法次数（合计）",
        "次",
        COUNT,
        studies,
        definition="期内各种形式的学法记录合计（中心组、党委会、周例会、会前学法、专题党课、集中学法、专题学习、讲座）。",
    )
)

MEETING_PHRASES = {
    c.MeetingKind.COMMITTEE_TOPIC: ("党委会专题研究法治建设工作{value}次", ("专题研究",)),
    c.MeetingKind.QUARTERLY_REPORT: (
        "听取法治建设工作汇报{value}次",
        ("听取法治建设工作汇报", "听取汇报"),
    ),
    c.MeetingKind.HALF_YEAR: (
        "召开半年专题会议{value}次",
        ("半年专题会议", "专题会议研究解决重大问题"),
    ),
    c.MeetingKind.TOPIC_REPORT: ("开展法治建设工作专题汇报{value}次", ("专题汇报",)),
    c.MeetingKind.SPECIAL: ("主持召开法治建设专题会议{value}次", ("法治建设专题会议",)),
    c.MeetingKind.JOINT: ("召开联席会{value}次", ("联席会",)),
    c.MeetingKind.MOBILISATION: ("召开法治建设动员部署会{value}次", ("动员部署会", "动员会")),
}
for kind, (phrase, aliases) in MEETING_PHRASES.items():
    register(
        Metric(
            f"governance.meetings_{kind}",
            f"{c.MeetingKind(kind).label}次数",
            "次",
            COUNT,
            _meeting_kind(kind),
            aliases=aliases,
            definition=f"期内（按会议日期）召开的“{c.MeetingKind(kind).label}”。",
            report_section=LEADERS,
            report_topic=DUTY,
            report_phrase=phrase,
        )
    )
register(
    Metric(
        "governance.meeting_issues",
        "会议研究解决重点问题项数",
        "项",
        SUM,
        _meeting_kind(c.MeetingKind.SPECIAL),
        sum_field="issues_count",
        aliases=("研究解决重点问题",),
        definition="期内法治建设专题会议登记的研究解决问题项数之和。",
        report_section=LEADERS,
        report_topic=DUTY,
        report_phrase="研究解决重点问题{value}项",
    )
)
register(
    Metric(
        "governance.trainings",
        "法治培训次数",
        "次",
        COUNT,
        trainings,
        aliases=("法治培训", "法律知识培训", "培训"),
        definition="期内举办的干部、执法人员、法律明白人法治培训（类型为“培训”），每场计一次。",
        report_section=MEASURES,
        report_topic=STUDY,
        report_phrase="组织法治培训{value}次",
    )
)
register(
    Metric(
        "governance.tests",
        "法律知识考试(测试)次数",
        "次",
        COUNT,
        tests,
        aliases=("资格考试", "知识测试", "技能比武"),
        definition="期内组织的资格考试、法律知识测试和技能比武场次。",
        report_section=MEASURES,
        report_topic=STUDY,
        report_phrase="组织法律知识考试、测试{value}次",
    )
)
register(
    Metric(
        "governance.test_pass_rate",
        "考试合格率",
        "%",
        RATE,
        test_results,
        numerator_records=test_passed,
        aliases=("考试合格率", "合格率"),
        definition="分子：期内考试(测试、比武)成绩达到合格分数线的人次；分母：参加期内考试的人次。",
        report_section=MEASURES,
        report_topic=STUDY,
        report_phrase="考试合格率{display}",
    )
)
register(
    Metric(
        "governance.budget",
        "法治经费预算",
        "元",
        SUM,
        budget_lines,
        sum_field="amount",
        aliases=("法治经费", "列入预算", "普法经费"),
        definition="预算年度在期内的法治经费预算项目金额之和（法治经费列入年度财政预算）。",
        report_section=LEADERS,
        report_topic=DUTY,
        report_phrase="将法治经费{value}元列入年度财政预算",
    )
)
register(
    Metric(
        "governance.spending",
        "法治经费支出",
        "元",
        SUM,
        expenditures,
        sum_field="amount",
        aliases=("经费支出",),
        definition="期内（按支出日期）登记的法治经费支出金额之和。",
    )
)
register(
    Metric(
        "governance.tasks_due",
        "到期法治建设任务数",
        "项",
        COUNT,
        tasks_due,
        definition="完成时限在期内的任务（不含已取消）。",
    )
)
register(
    Metric(
        "governance.task_on_time_rate",
        "法治建设任务按期完成率",
        "%",
        RATE,
        tasks_due,
        numerator_records=tasks_done_on_time,
        aliases=("任务按期完成率",),
        definition="分子：完成时限在期内、已于时限内完成的任务；分母：完成时限在期内的任务（不含已取消）。",
        report_section=LEADERS,
        report_topic=DUTY,
        report_phrase="分解下达法治建设任务{denominator}项，按期完成{numerator}项",
    )
)
register(
    Metric(
        "governance.target_completion_rate",
        "年度目标完成率",
        "%",
        RATE,
        targets,
        numerator_records=targets_met,
        aliases=("目标完成率",),
        definition="分子：计划年度在期内、至期末已达到的年度目标（按目标所指指标在该年度内的数值判断）；分母：计划年度在期内的全部年度目标。",
    )
)
