"""Demo records of the governance module: what the seed reports state about study, meetings,
training and the first-responsible-person duties, such that the registry yields their figures.

- 寺庄镇 2025 (seed 001): 周例会学法12次, 党委会定期学法每月1次 (12), 集中学习《宪法》《民法典》
  《行政处罚法》《村民委员会组织法》《乡村振兴促进法》等12次 (one of them on 《行政诉讼法》),
  每季度听取法治建设工作汇报 (4), 每半年召开专题会议 (2), 执法人员资格考试 (all passed);
  2026 plan: 专题学习不少于4次, 专题普法活动不少于6场, 法律服务不少于2000人次.
- 化工镇 2025 (seed 002): 专题组织开展学习6次; 法治建设专题会议 (the report leaves the count
  blank: 2 meetings with 5 issues here, so a generated report can fill it in).
- 将官池镇 2025 (seed 003): 党委中心组理论学习4次, 法治建设工作专题汇报2次, 专题党课
  《学习贯彻习近平法治思想》《尊崇宪法、维护宪法》, 会前学法, 行政执法知识测试.
- 扁担沟镇 2023 (seed 004): 法治讲座18场, 机关干部、村(场)负责人每月法律知识培训会 (12),
  9月中旬法治建设动员部署会, 中心组学法.
- 杜关镇 2025 (seed 000): 年初党委会专题研究, 信访联席会, 集中学法, 法治专题培训, 法治经费列入
  预算, 第一责任人职责清单 and the year's tasks decomposed to departments.

Idempotent (natural keys through core.demo.upsert); names are invented (演示数据).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.apps import apps

from fazhi.core import demo as core_demo
from fazhi.core.models import Department, Staff, Township
from fazhi.governance import choices as c
from fazhi.governance.models import (
    AssessmentItem,
    AssessmentScheme,
    BudgetLine,
    DutyItem,
    Expenditure,
    Law,
    Meeting,
    StudySession,
    Target,
    Task,
    Training,
    TrainingResult,
)

upsert = core_demo.upsert

LAWS: tuple[tuple[str, str], ...] = (
    ("中华人民共和国宪法", "宪法"),
    ("中华人民共和国民法典", "民法典"),
    ("中华人民共和国行政处罚法", "行政处罚法"),
    ("中华人民共和国行政诉讼法", "行政诉讼法"),
    ("中华人民共和国村民委员会组织法", "村民委员会组织法"),
    ("中华人民共和国乡村振兴促进法", "乡村振兴促进法"),
    ("中华人民共和国反电信网络诈骗法", "反电信网络诈骗法"),
    ("中华人民共和国反有组织犯罪法", "反有组织犯罪法"),
    ("信访工作条例", "信访工作条例"),
    ("中华人民共和国国家安全法", "国家安全法"),
    ("中华人民共和国禁毒法", "禁毒法"),
    ("中华人民共和国安全生产法", "安全生产法"),
    ("中华人民共和国消费者权益保护法", "消费者权益保护法"),
    ("中华人民共和国未成年人保护法", "未成年人保护法"),
    ("中华人民共和国人民调解法", "人民调解法"),
    ("中华人民共和国老年人权益保障法", "老年人权益保障法"),
    ("中华人民共和国土地管理法", "土地管理法"),
    ("中华人民共和国行政复议法", "行政复议法"),
    ("重大行政决策程序暂行条例", "重大行政决策程序暂行条例"),
)


def workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def spread(
    year: int, count: int, *, first: dt.date | None = None, last: dt.date | None = None
) -> list[dt.date]:
    """`count` working days spread evenly over the year (or between first and last)."""
    first = first or dt.date(year, 1, 8)
    last = last or dt.date(year, 12, 22)
    step = (last - first).days / max(count, 1)
    return [workday(first + dt.timedelta(days=int(i * step))) for i in range(count)]


def monthly(year: int, day: int = 10) -> list[dt.date]:
    return [workday(dt.date(year, m, day)) for m in range(1, 13)]


def laws(township: Township) -> dict[str, Law]:
    """The township's catalogue of laws, keyed by short name (upserted once per load)."""
    from fazhi.core.memo import memo

    return memo(
        ("governance.demo.laws", township.pk),
        lambda: {
            short: upsert(Law, {"township": township, "name": name}, {"short_name": short})
            for name, short in LAWS
        },
    )


def _set_laws(obj: Any, chosen: list[Law]) -> None:
    if {law.pk for law in obj.laws.all()} != {law.pk for law in chosen}:
        obj.laws.set(chosen)


def study(
    township: Township,
    held_on: dt.date,
    kind: str,
    topic: str,
    chosen: list[Law] = (),
    *,
    speaker: str = "",
    attendance: int = 0,
    place: str = "",
) -> StudySession:
    row = upsert(
        StudySession,
        {"township": township, "held_on": held_on, "kind": kind, "topic": topic},
        {"speaker": speaker, "attendance": attendance, "place": place or "镇政府会议室"},
    )
    _set_laws(row, list(chosen))
    return row


def meeting(township: Township, held_on: dt.date, kind: str, title: str, **values: Any) -> Meeting:
    return upsert(
        Meeting,
        {"township": township, "held_on": held_on, "title": title},
        {"kind": kind, **values},
    )


def _leader(township: Township, position: str) -> str:
    staff = Staff.objects.filter(township=township, position=position).first()
    return staff.name if staff else position


# --- 寺庄镇 -----------------------------------------------------------------------------------
def load_sizhuang(t: Township) -> None:
    law = laws(t)
    secretary, head = _leader(t, "党委书记"), _leader(t, "镇长")
    weekly_topics = [
        "学习习近平法治思想专题摘编",
        "宪法第一章总纲",
        "民法典总则编要点",
        "行政处罚法第三十三条“首违不罚”",
        "信访工作条例第三章",
        "村民委员会组织法民主选举与民主议事",
        "乡村振兴促进法第四章",
        "反电信网络诈骗法与群众防骗宣传",
        "安全生产法主要负责人职责",
        "民法典合同编常见纠纷",
        "行政复议法新修订内容",
        "国家宪法日前宪法学习",
    ]
    weekly_laws = [
        "宪法",
        "宪法",
        "民法典",
        "行政处罚法",
        "信访工作条例",
        "村民委员会组织法",
        "乡村振兴促进法",
        "反电信网络诈骗法",
        "安全生产法",
        "民法典",
        "行政复议法",
        "宪法",
    ]
    for i, day in enumerate(monthly(2025, 6)):
        study(
            t,
            day,
            c.StudyKind.WEEKLY,
            f"周例会学法：{weekly_topics[i]}",
            [law[weekly_laws[i]]],
            speaker=head,
            attendance=32,
        )
    for i, day in enumerate(monthly(2025, 18)):
        study(
            t,
            day,
            c.StudyKind.COMMITTEE,
            f"党委会会前学法：{weekly_topics[(i + 3) % 12]}",
            [law[weekly_laws[(i + 3) % 12]]],
            speaker=secretary,
            attendance=11,
        )
    collective = [
        ("宪法", "集中学习《中华人民共和国宪法》"),
        ("民法典", "集中学习《中华人民共和国民法典》总则编、物权编"),
        ("行政处罚法", "集中学习《中华人民共和国行政处罚法》"),
        ("村民委员会组织法", "集中学习《中华人民共和国村民委员会组织法》"),
        ("乡村振兴促进法", "集中学习《中华人民共和国乡村振兴促进法》"),
        ("民法典", "集中学习民法典婚姻家庭编、继承编"),
        ("行政诉讼法", "组织干部学习《中华人民共和国行政诉讼法》（依法履行生效裁判）"),
        ("宪法", "主题党日：学习宪法修正案"),
        ("行政处罚法", "“三会一课”：行政执法三项制度"),
        ("乡村振兴促进法", "主题党日：乡村振兴促进法与产业发展"),
        ("村民委员会组织法", "“三会一课”：村务公开与民主监督"),
        ("宪法", "国家宪法日集中学习宪法"),
    ]
    for i, day in enumerate(monthly(2025, 24)):
        short, topic = collective[i]
        study(
            t, day, c.StudyKind.COLLECTIVE, topic, [law[short]], speaker="司法所所长", attendance=45
        )
    for q, day in enumerate(
        [dt.date(2025, 3, 27), dt.date(2025, 6, 26), dt.date(2025, 9, 25), dt.date(2025, 12, 25)]
    ):
        meeting(
            t,
            day,
            c.MeetingKind.QUARTERLY_REPORT,
            f"党委会听取第{'一二三四'[q]}季度法治建设工作汇报",
            presided_by=secretary,
            attendance=11,
            agenda="司法所、综合行政执法队汇报本季度法治建设工作；研究下步措施",
            decisions="一、继续落实周例会学法；二、加强执法人员培训；三、律师坐班常态化",
        )
    meeting(
        t,
        dt.date(2025, 7, 15),
        c.MeetingKind.HALF_YEAR,
        "上半年法治建设专题会议",
        presided_by=secretary,
        attendance=18,
        issues_count=3,
        agenda="研究征地拆迁中的法律风险、行政执法规范化、信访积案化解",
        decisions="重大决策事项一律征求法律顾问意见；信访积案分包到领导",
    )
    meeting(
        t,
        dt.date(2025, 12, 16),
        c.MeetingKind.HALF_YEAR,
        "下半年法治建设专题会议",
        presided_by=secretary,
        attendance=18,
        issues_count=2,
        agenda="研究年度法治政府建设报告、2026年工作安排",
        decisions="形成2026年法治建设工作要点",
    )
    exam = upsert(
        Training,
        {
            "township": t,
            "held_on": dt.date(2025, 5, 22),
            "title": "行政执法人员综合法律知识资格考试",
        },
        {
            "kind": c.TrainingKind.QUALIFICATION,
            "audience": c.Audience.ENFORCEMENT,
            "organiser": "高平市司法局",
            "participants": 14,
            "pass_score": Decimal("60"),
        },
    )
    names = core_demo.invented_names(14, offset=301)
    for i, name in enumerate(names):
        upsert(
            TrainingResult,
            {"township": t, "training": exam, "name": name},
            {"score": Decimal(72 + (i * 7) % 25)},
        )
    for day, title in [
        (dt.date(2025, 4, 17), "行政执法“三项制度”业务培训"),
        (dt.date(2025, 8, 21), "执法文书规范化制作培训"),
        (dt.date(2025, 11, 13), "安全生产执法实务培训"),
    ]:
        upsert(
            Training,
            {"township": t, "held_on": day, "title": title},
            {
                "kind": c.TrainingKind.TRAINING,
                "audience": c.Audience.ENFORCEMENT,
                "organiser": "综合行政执法队",
                "participants": 14,
            },
        )
    # the 2026 plan as targets (seed: 五、2026年度…工作安排)
    for code, comparator, value, wording in (
        ("governance.study_special", c.Comparator.AT_LEAST, 4, "全年组织专题学习不少于4次"),
        ("outreach.events", c.Comparator.AT_LEAST, 6, "全年组织专题普法活动不少于6场"),
        (
            "outreach.consultation_people",
            c.Comparator.AT_LEAST,
            2000,
            "全年提供法律服务不少于2000人次",
        ),
        (
            "disputes.mediation_success_rate",
            c.Comparator.AT_LEAST,
            100,
            "力争矛盾纠纷调解成功率保持100%",
        ),
        (
            "legal.advisor_decision_rate",
            c.Comparator.AT_LEAST,
            100,
            "法律顾问全程参与率保持100%",
        ),
    ):
        if code.startswith("legal.") and not apps.is_installed("fazhi.legal"):
            continue
        upsert(
            Target,
            {"township": t, "year": 2026, "metric_code": code, "comparator": comparator},
            {"value": Decimal(value), "wording": wording},
        )
    current_tasks(t)
    for i, day in enumerate([dt.date(2026, 3, 12), dt.date(2026, 6, 18), dt.date(2026, 9, 17)]):
        study(
            t,
            day,
            c.StudyKind.SPECIAL,
            ["习近平法治思想专题学习", "民法典专题学习", "行政复议法专题学习"][i],
            [law[["宪法", "民法典", "行政复议法"][i]]],
            speaker=secretary,
            attendance=40,
        )


def current_tasks(t: Township) -> None:
    """寺庄镇's 2026 plan decomposed to departments (seed 001, 五、2026年度工作安排): open tasks carry
    their deadline, so an overdue one shows on the 司法所 head's 我的期限 (the operator's login)."""
    from fazhi.core.deadlines import deadlines_for
    from fazhi.governance import rules, services

    departments = {d.name: d for d in Department.objects.filter(township=t)}
    justice = departments.get("司法所") or next(iter(departments.values()), None)
    if justice is None:
        return
    owner = Staff.objects.filter(township=t, position="司法所所长").first()
    leader = Staff.objects.filter(township=t, position="镇长").first()
    office = departments.get("党政办", justice)
    for title, department, due, status, done, evidence in [
        (
            "开展群众法治需求专项调研（菜单式普法）",
            justice,
            dt.date(2026, 6, 30),
            c.TaskStatus.DONE,
            dt.date(2026, 6, 20),
            "完成外出务工人员、留守老人、青少年需求调查，形成调研报告",
        ),
        (
            "建立困难群众法律援助绿色通道",
            justice,
            dt.date(2026, 4, 30),
            c.TaskStatus.DONE,
            dt.date(2026, 4, 15),
            "印发绿色通道工作流程，当日受理当日转交",
        ),
        (
            "组建新媒体普法团队，增加普法短视频、直播频次",
            office,
            dt.date(2026, 9, 30),
            c.TaskStatus.IN_PROGRESS,
            None,
            "",
        ),
        (
            "升级村级法治文化阵地，新增互动式普法设施",
            justice,
            dt.date(2026, 12, 20),
            c.TaskStatus.PLANNED,
            None,
            "",
        ),
    ]:
        task = upsert(
            Task,
            {"township": t, "year": 2026, "title": title},
            {
                "department": department,
                "owner": owner,
                "leader": leader,
                "due": due,
                "status": status,
                "completed_on": done,
                "evidence": evidence,
            },
        )
        if (
            status in (c.TaskStatus.PLANNED, c.TaskStatus.IN_PROGRESS)
            and not deadlines_for(task).filter(rule_code=rules.TASK.code).exists()
        ):
            services._open_task_deadline(task, actor=None)


# --- 化工镇 -----------------------------------------------------------------------------------
def load_huagong(t: Township) -> None:
    law = laws(t)
    secretary = _leader(t, "党委书记")
    topics = [
        ("宪法", "专题学习习近平法治思想和宪法"),
        ("民法典", "专题学习民法典（镇村干部例会）"),
        ("行政处罚法", "专题学习行政处罚法与执法规范化"),
        ("重大行政决策程序暂行条例", "专题学习重大行政决策程序"),
        ("信访工作条例", "专题学习信访工作条例"),
        ("乡村振兴促进法", "专题学习乡村振兴促进法"),
    ]
    for i, day in enumerate(
        spread(2025, 6, first=dt.date(2025, 2, 20), last=dt.date(2025, 12, 10))
    ):
        short, topic = topics[i]
        study(t, day, c.StudyKind.SPECIAL, topic, [law[short]], speaker=secretary, attendance=38)
    meeting(
        t,
        dt.date(2025, 4, 8),
        c.MeetingKind.SPECIAL,
        "法治建设专题会议（第一次）",
        presided_by=secretary,
        attendance=15,
        issues_count=3,
        agenda="合法性审查流程优化；执法队伍建设；领导小组调整",
        decisions="明确合同、文件先审后签；综合执法队补充持证人员",
    )
    meeting(
        t,
        dt.date(2025, 10, 14),
        c.MeetingKind.SPECIAL,
        "法治建设专题会议（第二次）",
        presided_by=secretary,
        attendance=15,
        issues_count=2,
        agenda="“233”矛盾纠纷化解闭环机制；法律明白人培养",
        decisions="各村法律明白人年底前完成轮训",
    )


# --- 将官池镇 ---------------------------------------------------------------------------------
def load_jiangguanchi(t: Township) -> None:
    law = laws(t)
    secretary = _leader(t, "党委书记")
    for i, day in enumerate(
        [dt.date(2025, 3, 20), dt.date(2025, 6, 19), dt.date(2025, 9, 18), dt.date(2025, 12, 11)]
    ):
        topic = [
            "学习习近平法治思想",
            "学习中央全面依法治国工作会议精神",
            "学习党的二十届四中全会精神与法治建设",
            "学习宪法，弘扬宪法精神",
        ][i]
        study(
            t,
            day,
            c.StudyKind.CENTRAL_GROUP,
            f"党委中心组理论学习：{topic}",
            [law["宪法"]],
            speaker=secretary,
            attendance=12,
        )
    study(
        t,
        dt.date(2025, 5, 12),
        c.StudyKind.PARTY_LECTURE,
        "法治专题党课：《学习贯彻习近平法治思想》",
        [law["宪法"]],
        speaker=secretary,
        attendance=60,
    )
    study(
        t,
        dt.date(2025, 12, 1),
        c.StudyKind.PARTY_LECTURE,
        "法治专题党课：《尊崇宪法、维护宪法》",
        [law["宪法"]],
        speaker=_leader(t, "镇长"),
        attendance=60,
    )
    for day, topic, short in [
        (dt.date(2025, 4, 9), "会前学法：重大行政决策程序暂行条例", "重大行政决策程序暂行条例"),
        (dt.date(2025, 7, 9), "会前学法：土地管理法（园区项目用地）", "土地管理法"),
        (dt.date(2025, 10, 15), "会前学法：民法典合同编（合同审查）", "民法典"),
    ]:
        study(
            t, day, c.StudyKind.PRE_MEETING, topic, [law[short]], speaker="法律顾问", attendance=11
        )
    for day, n in [(dt.date(2025, 6, 27), "上半年"), (dt.date(2025, 12, 19), "全年")]:
        meeting(
            t,
            day,
            c.MeetingKind.TOPIC_REPORT,
            f"{n}法治建设工作专题汇报",
            presided_by=secretary,
            attendance=20,
            agenda="各站所汇报法治建设开展情况；点评成绩与短板",
            decisions="针对短板研究对策，督促各部门在法律授权范围内依法开展工作",
        )
    test = upsert(
        Training,
        {"township": t, "held_on": dt.date(2025, 9, 24), "title": "行政执法知识测试"},
        {
            "kind": c.TrainingKind.KNOWLEDGE_TEST,
            "audience": c.Audience.ENFORCEMENT,
            "organiser": "综合行政执法大队",
            "participants": 18,
            "pass_score": Decimal("80"),
        },
    )
    for i, name in enumerate(core_demo.invented_names(18, offset=411)):
        upsert(
            TrainingResult,
            {"township": t, "training": test, "name": name},
            {"score": Decimal(70 + (i * 11) % 29)},
        )
    for day, title in [
        (dt.date(2025, 3, 14), "执法业务流程培训"),
        (dt.date(2025, 8, 15), "执法文书档案规范化制作培训"),
    ]:
        upsert(
            Training,
            {"township": t, "held_on": day, "title": title},
            {
                "kind": c.TrainingKind.TRAINING,
                "audience": c.Audience.ENFORCEMENT,
                "organiser": "综合行政执法大队",
                "participants": 18,
            },
        )


# --- 扁担沟镇 ---------------------------------------------------------------------------------
def load_biandangou(t: Township) -> None:
    law = laws(t)
    secretary = _leader(t, "党委书记")
    lecture_topics = [
        ("民法典", "民法典与生活同行"),
        ("反电信网络诈骗法", "防范电信网络诈骗"),
        ("国家安全法", "4·15国家安全教育"),
        ("禁毒法", "禁毒知识讲座"),
        ("安全生产法", "安全生产法律责任"),
        ("未成年人保护法", "未成年人保护"),
        ("老年人权益保障法", "老年人权益保障"),
        ("土地管理法", "宅基地与土地承包"),
        ("人民调解法", "人民调解与矛盾化解"),
        ("宪法", "宪法进万家"),
    ]
    for i, day in enumerate(
        spread(2023, 18, first=dt.date(2023, 2, 15), last=dt.date(2023, 12, 15))
    ):
        short, topic = lecture_topics[i % len(lecture_topics)]
        study(
            t,
            day,
            c.StudyKind.LECTURE,
            f"法治讲座：{topic}（第{i + 1}讲）",
            [law[short]],
            speaker="世伦律师事务所律师",
            attendance=50 + (i * 13) % 60,
            place="镇新时代文明实践所",
        )
    for day, topic in [
        (dt.date(2023, 3, 28), "学习习近平法治思想"),
        (dt.date(2023, 6, 29), "学习“八五”普法规划"),
        (dt.date(2023, 10, 26), "学习宪法和党内法规"),
    ]:
        study(
            t,
            day,
            c.StudyKind.CENTRAL_GROUP,
            f"镇党委理论中心组学法：{topic}",
            [law["宪法"]],
            speaker=secretary,
            attendance=13,
        )
    for day in monthly(2023, 25):
        upsert(
            Training,
            {"township": t, "held_on": day, "title": f"{day.month}月法律知识培训会"},
            {
                "kind": c.TrainingKind.TRAINING,
                "audience": c.Audience.MIXED,
                "organiser": "法治办",
                "participants": 60,
                "speaker": "驻村律师",
            },
        )
    meeting(
        t,
        dt.date(2023, 9, 14),
        c.MeetingKind.MOBILISATION,
        "法治建设动员部署会",
        presided_by=secretary,
        attendance=86,
        attendees="全体机关干部、各村(场)主要负责人",
        agenda="部署法治政府建设；健全党政领导干部学法制度；积案化解",
        decisions="机关干部、村(场)负责人每月召开法律知识培训会",
    )


# --- 杜关镇 -----------------------------------------------------------------------------------
def load_duguan(t: Township) -> None:
    law = laws(t)
    secretary, head = _leader(t, "党委书记"), _leader(t, "镇长")
    meeting(
        t,
        dt.date(2025, 2, 24),
        c.MeetingKind.COMMITTEE_TOPIC,
        "党委会专题研究依法行政和法治政府建设工作",
        presided_by=secretary,
        attendance=9,
        agenda="研究年度法治建设工作计划、任务分解和法治经费预算",
        decisions="制定工作计划，将工作任务分解到每个部门；法治经费列入年度财政预算",
    )
    for day in (dt.date(2025, 4, 22), dt.date(2025, 8, 19), dt.date(2025, 11, 25)):
        meeting(
            t,
            day,
            c.MeetingKind.JOINT,
            f"信访联席会（{day.month}月）",
            presided_by=head,
            attendance=14,
            agenda="研判信访积案，压实分包领导责任",
            decisions="按“三级”化解机制逐案落实",
        )
    for day, short in zip(
        spread(2025, 4, first=dt.date(2025, 3, 10), last=dt.date(2025, 12, 5)),
        ["宪法", "民法典", "行政处罚法", "宪法"],
        strict=True,
    ):
        study(
            t,
            day,
            c.StudyKind.COLLECTIVE,
            f"党政领导班子集中学法：{law[short]}",
            [law[short]],
            speaker=secretary,
            attendance=10,
        )
    for day, title in [
        (dt.date(2025, 5, 16), "基层干部法治专题集中培训（常见法律问题答疑）"),
        (dt.date(2025, 10, 17), "基层干部法治讲座（行政执法与矛盾化解）"),
    ]:
        upsert(
            Training,
            {"township": t, "held_on": day, "title": title},
            {
                "kind": c.TrainingKind.TRAINING,
                "audience": c.Audience.MIXED,
                "organiser": "司法所",
                "speaker": "法律顾问",
                "participants": 55,
            },
        )
    publicity = upsert(
        BudgetLine,
        {"township": t, "year": 2025, "item": "普法宣传经费"},
        {
            "kind": c.BudgetKind.PUBLICITY,
            "amount": Decimal("30000"),
            "document": "杜关镇2025年财政预算",
        },
    )
    adviser = upsert(
        BudgetLine,
        {"township": t, "year": 2025, "item": "法律顾问服务费"},
        {
            "kind": c.BudgetKind.ADVISER,
            "amount": Decimal("20000"),
            "document": "杜关镇2025年财政预算",
        },
    )
    for line, day, amount, purpose in [
        (publicity, dt.date(2025, 9, 1), "6800", "“开学第一课”宣传资料印制"),
        (publicity, dt.date(2025, 12, 2), "9200", "国家宪法日宣传资料、展板"),
        (adviser, dt.date(2025, 12, 20), "20000", "2025年度法律顾问服务费"),
    ]:
        upsert(
            Expenditure,
            {"township": t, "line": line, "spent_on": day, "purpose": purpose},
            {"amount": Decimal(amount)},
        )
    duties = [
        (c.DutyHolder.SECRETARY, "把法治建设纳入重要议事日程，年初专题研究法治政府建设工作"),
        (c.DutyHolder.SECRETARY, "带头学法，组织党委理论学习中心组和班子成员集中学法"),
        (c.DutyHolder.HEAD, "将法治经费列入年度财政预算，保障普法和法治建设经费"),
        (c.DutyHolder.HEAD, "将法治建设工作任务分解到每个部门，督促落实"),
    ]
    items = []
    for i, (holder, content) in enumerate(duties, start=1):
        items.append(
            upsert(
                DutyItem,
                {"township": t, "year": 2025, "holder": holder, "order": i},
                {"content": content, "basis": "党政主要负责人履行推进法治建设第一责任人职责规定"},
            )
        )
    departments = {d.name: d for d in Department.objects.filter(township=t)}
    justice = departments.get("司法所") or next(iter(departments.values()), None)
    if justice is None:
        return
    owner = Staff.objects.filter(township=t, department=justice).first()
    for title, duty, due, done in [
        ("制定2025年普法工作计划", items[3], dt.date(2025, 3, 31), dt.date(2025, 3, 20)),
        ("开展国家宪法日集中宣传", items[3], dt.date(2025, 12, 10), dt.date(2025, 12, 4)),
        ("组织基层干部法治专题培训", items[1], dt.date(2025, 6, 30), dt.date(2025, 5, 16)),
    ]:
        upsert(
            Task,
            {"township": t, "year": 2025, "title": title},
            {
                "duty": duty,
                "department": justice,
                "owner": owner,
                "due": due,
                "status": c.TaskStatus.DONE,
                "completed_on": done,
                "evidence": "见活动记录及照片",
            },
        )


def scheme(
    t: Township, year: int, name: str, document: str, items: list[tuple]
) -> AssessmentScheme:
    row = upsert(
        AssessmentScheme, {"township": t, "year": year, "name": name}, {"document": document}
    )
    for order, (label, code, weight, full_at) in enumerate(items, start=1):
        upsert(
            AssessmentItem,
            {"township": t, "scheme": row, "metric_code": code},
            {
                "label": label,
                "weight": Decimal(weight),
                "full_at": Decimal(full_at),
                "order": order,
            },
        )
    return row


def load_schemes(townships: dict[str, Township]) -> None:
    """扁担沟镇 2023: 各村（场）的创建法治工作纳入年终考核; 杜关镇 2025: 各村矛盾纠纷调解工作和信访化解
    工作纳入年底考核 — as schemes over registry metrics."""
    if "扁担沟镇" in townships:
        scheme(
            townships["扁担沟镇"],
            2023,
            "2023年度各村（场）法治创建工作考核",
            "扁担沟镇年终考核办法（演示）",
            [
                ("普法宣传活动", "outreach.events", 30, 2),
                ("法律明白人队伍", "outreach.understanders", 20, 2),
                ("法治文化阵地", "outreach.culture_sites", 20, 2),
                ("积案化解", "disputes.backlog_resolved", 30, 2),
            ],
        )
    if "杜关镇" in townships:
        scheme(
            townships["杜关镇"],
            2025,
            "2025年度各村矛盾纠纷调解和信访化解工作考核",
            "杜关镇信访工作“三级”化解机制（演示）",
            [
                ("矛盾纠纷调解成功率", "disputes.mediation_success_rate", 50, 100),
                ("信访事项办结率", "petitions.closure_rate", 50, 100),
            ],
        )


#: the generated neighbours of 寺庄镇 (core.demo.NEIGHBOURS): study sessions in 2025 and so far
#: this year — fewer than 寺庄镇's, and different from each other
NEIGHBOUR_STUDY = {"东岭镇（演示）": (10, 4), "南川镇（演示）": (5, 1)}


def load_neighbour(t: Township, in_2025: int, this_year: int) -> None:
    from django.utils import timezone

    law = laws(t)
    shorts = sorted(law)
    secretary = _leader(t, "党委书记")
    today = timezone.localdate()
    days = spread(2025, in_2025)
    if today.year > 2025:
        first = dt.date(today.year, 1, 8)
        days += spread(today.year, this_year, first=first, last=max(first, today))
    for i, day in enumerate(days):
        short = shorts[i % len(shorts)]
        study(
            t,
            day,
            c.StudyKind.COMMITTEE if i % 2 else c.StudyKind.WEEKLY,
            f"{'党委会' if i % 2 else '周例会'}学法：{short}",
            [law[short]],
            speaker=secretary,
            attendance=9 if i % 2 else 24,
        )


def load(townships: dict[str, Township]) -> None:
    for name, (in_2025, this_year) in NEIGHBOUR_STUDY.items():
        if name in townships:
            load_neighbour(townships[name], in_2025, this_year)
    steps = {
        "寺庄镇": load_sizhuang,
        "化工镇": load_huagong,
        "将官池镇": load_jiangguanchi,
        "扁担沟镇": load_biandangou,
        "杜关镇": load_duguan,
    }
    for name, step in steps.items():
        if name in townships:
            step(townships[name])


core_demo.loader(load)

#: after every module's records (the schemes name their metrics)
core_demo.loader(load_schemes)
