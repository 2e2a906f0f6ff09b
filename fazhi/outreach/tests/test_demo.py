"""The demo yields every figure the five seed reports state about study, meetings, 普法 and
public legal services (one assertion per stated figure, through the registry), and reloads
without writing anything."""

import datetime as dt

import pytest
import time_machine

from fazhi.core import demo as core_demo
from fazhi.core.models import ChangeRecord
from fazhi.governance import demo as governance_demo
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.outreach import demo as outreach_demo

LOADERS = [
    core_demo.load_org,
    governance_demo.load,
    outreach_demo.load,
    outreach_demo.load_services,
    governance_demo.load_schemes,
]


@pytest.fixture
def seeds(db):
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        return core_demo.load(LOADERS).townships


def v(code, township, year):
    return registry.compute(code, township, Period.year(year)).value


def test_seed_figures(seeds):
    sizhuang, huagong = seeds["寺庄镇"], seeds["化工镇"]
    jiangguanchi, biandangou, duguan = seeds["将官池镇"], seeds["扁担沟镇"], seeds["杜关镇"]

    # 寺庄镇 2025 (seed 001)
    assert v("governance.study_weekly", sizhuang, 2025) == 12  # 周例会学法12次
    assert v("governance.study_committee", sizhuang, 2025) == 12  # 党委会定期学法每月1次
    assert v("governance.study_collective", sizhuang, 2025) == 12  # 集中学习…法律法规12次
    assert v("governance.meetings_quarterly_report", sizhuang, 2025) == 4  # 每季度听取汇报
    assert v("governance.meetings_half_year", sizhuang, 2025) == 2  # 每半年专题会议
    assert registry.compute("governance.test_pass_rate", sizhuang, Period.year(2025)).value == 100
    assert v("outreach.duty_sessions", sizhuang, 2025) == 48  # 律师坐班48次
    assert 100 < v("outreach.consultation_questions", sizhuang, 2025) < 110  # 100余条
    assert 2000 < v("outreach.consultation_people", sizhuang, 2025) < 2100  # 2000余人次
    assert v("outreach.events", sizhuang, 2025) == 7  # 主题宣传活动7次
    assert 20000 < v("outreach.audience", sizhuang, 2025) < 21000  # 20000余人次
    assert 22000 < v("outreach.materials", sizhuang, 2025) < 23000  # 22000余份

    # 化工镇 2025 (seed 002)
    assert v("governance.study_special", huagong, 2025) == 6  # 专题组织开展学习6次
    assert v("governance.meetings_special", huagong, 2025) == 2  # “召开法治建设专题会议次”
    assert 2000 < v("outreach.materials", huagong, 2025) < 2100  # 2000余份
    assert 500 < v("outreach.audience", huagong, 2025) < 600  # 500余人次
    assert v("outreach.understanders", huagong, 2025) == 113  # 法律明白人113名

    # 将官池镇 2025 (seed 003)
    assert v("governance.study_central_group", jiangguanchi, 2025) == 4  # 中心组理论学习4次
    assert v("governance.meetings_topic_report", jiangguanchi, 2025) == 2  # 专题汇报2次
    assert v("governance.study_party_lecture", jiangguanchi, 2025) == 2  # 两次专题党课
    assert v("governance.tests", jiangguanchi, 2025) == 1  # 行政执法知识测试
    assert 20 < v("outreach.events", jiangguanchi, 2025) < 30  # 普法宣传20余次
    assert 7000 < v("outreach.materials", jiangguanchi, 2025) < 7500  # 宣传品7000余份
    assert v("outreach.banners", jiangguanchi, 2025) == 20  # 横幅20条
    assert v("outreach.leaflets", jiangguanchi, 2025) == 10000  # 宣传彩页10000份

    # 扁担沟镇 2023 (seed 004)
    assert v("outreach.events", biandangou, 2023) == 46  # 宣传活动46场次
    assert v("governance.study_lecture", biandangou, 2023) == 18  # 法治讲座18场
    assert v("outreach.banners", biandangou, 2023) >= 70  # 横幅不少于70条
    assert v("outreach.bulletin_boards", biandangou, 2023) == 34  # 宣传栏34个
    assert v("outreach.awards", biandangou, 2023) == 1  # “十佳法律明白人”一人
    assert v("governance.trainings", biandangou, 2023) == 12  # 每月召开法律知识培训会
    assert v("governance.meetings_mobilisation", biandangou, 2023) == 1  # 9月动员部署会

    # 杜关镇 2025 (seed 000): stated without numbers, backed by records
    assert v("governance.meetings_committee_topic", duguan, 2025) == 1  # 年初专题研究
    assert v("governance.budget", duguan, 2025) > 0  # 法治经费列入年度财政预算
    assert v("governance.meetings_joint", duguan, 2025) >= 1  # 信访联席会
    assert registry.compute("governance.task_on_time_rate", duguan, Period.year(2025)).value == 100

    # records the seeds state without numbers
    rate = registry.compute("outreach.responsibility_fulfilment_rate", sizhuang, Period.year(2025))
    assert rate.display == "3/3 = 100.0%"  # 落实“谁执法谁普法”责任制
    assert v("outreach.legal_aid_granted", sizhuang, 2025) == 3
    coverage = registry.compute("outreach.culture_site_coverage", biandangou, Period.year(2023))
    assert coverage.display == "18/18 = 100.0%"  # 各村（场）配齐法律工作室、法治宣传广场

    # 各村（场）的创建法治工作纳入年终考核: every village scored from its own records
    from fazhi.governance import assessment
    from fazhi.governance.models import AssessmentScheme

    rows = assessment.score_villages(AssessmentScheme.objects.get(township=biandangou, year=2023))
    assert len(rows) == 18 and all(r.items[2].score == 20 for r in rows)  # 2 sites each
    assert all(r.items[0].value >= 2 for r in rows)  # 46 events over 18 villages

    # 寺庄镇's 2026 plan decomposed into tasks: the open ones run a deadline (我的期限)
    from fazhi.core.models import Deadline

    open_tasks = Deadline.objects.filter(
        township=sizhuang, rule_code="governance.task", status="open"
    )
    assert sorted(d.due_date for d in open_tasks) == [dt.date(2026, 9, 30), dt.date(2026, 12, 20)]

    # 寺庄镇's 2026 plan (seed 001, 五): 法律顾问全程参与率保持100% as a target on the registry's
    # metric of the legal advisers' part in major decisions, with its progress computed from it
    from fazhi.governance import targets
    from fazhi.governance.models import Target

    advisers = Target.objects.get(
        township=sizhuang, year=2026, metric_code="legal.advisor_decision_rate"
    )
    assert (advisers.comparator, advisers.value) == ("ge", 100)
    assert advisers.metric_label == "法律顾问参与重大决策率"
    progress = targets.progress(advisers, as_of=dt.date(2026, 6, 15))
    assert progress.figure.metric.code == "legal.advisor_decision_rate"

    # idempotent: a second load writes nothing
    before = ChangeRecord.objects.count()
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        assert not core_demo.load(LOADERS).changed
    assert ChangeRecord.objects.count() == before
