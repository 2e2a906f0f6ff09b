"""Demo petitions for the seed townships (names are invented: 演示数据).

- 寺庄镇 (seed 001: “全年依法办理信访案件11件，办结率和群众满意率均达98%以上”, and the 积案“清零”
  action): 11 petitions received and accepted in 2025, all concluded on time and rated, so the
  registry yields 登记 11件, 办结率 11/11 = 100%, 满意率 11/11 = 100%; plus a 2024 petition
  turned backlog case and resolved in 2025.
- 杜关镇 (seed 000: 信访“三级”化解机制, 信访联席会, 分包领导; no petition figures): open, overdue,
  extended, assigned-from-above, escalated (村→镇→县) and served cases dated relative to today, a
  backlog case, a joint meeting and leaders' reception days.
- 化工镇 (seed 002: 领导干部定期接访、到村下访): reception days.

`load()` runs the services (so deadlines, history and figures are as if entered on the day) and
is idempotent: a record whose key (subject / place and matters / topics) exists is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import demo as core_demo
from fazhi.core.models import Staff, Township, Village
from fazhi.parties.services import find_or_create_party
from fazhi.petitions import services
from fazhi.petitions.choices import Outcome, ReceptionKind, Source
from fazhi.petitions.models import JointMeeting, Petition, ReceptionDay

D = dt.date
NOTE = "（演示数据）"


@dataclass(frozen=True)
class Case:
    subject: str
    name: str
    phone: str
    channel: str
    category: str
    received: dt.date
    accepted: dt.date | None = None
    served: dt.date | None = None
    outcome: str = Outcome.SUPPORT
    satisfaction: str = ""
    rated: dt.date | None = None
    group: int = 0  # visitors of a group visit
    representatives: tuple[str, ...] = ()


SIZHUANG_2025 = (
    Case("村道硬化后排水不畅", "牛建平", "13935600101", "visit", "housing",
         D(2025, 1, 13), D(2025, 1, 15), D(2025, 2, 20), satisfaction="satisfied", rated=D(2025, 2, 25)),
    Case("耕地地力保护补贴未到账", "申红梅", "13935600102", "letter", "agriculture",
         D(2025, 2, 24), D(2025, 2, 27), D(2025, 4, 8), satisfaction="satisfied", rated=D(2025, 4, 15)),
    Case("务工工资被拖欠", "秦国强", "13935600103", "phone", "labour",
         D(2025, 3, 17), D(2025, 3, 18), D(2025, 4, 22), outcome=Outcome.SUPPORT,
         satisfaction="satisfied", rated=D(2025, 4, 28)),
    Case("宅基地边界争议", "郭玉兰", "13935600104", "visit", "neighbours",
         D(2025, 4, 7), D(2025, 4, 9), D(2025, 5, 30), outcome=Outcome.EXPLAIN,
         satisfaction="basically", rated=D(2025, 6, 5)),
    Case("低保资格认定", "李福生", "13935600105", "online", "civil_affairs",
         D(2025, 4, 21), D(2025, 4, 23), D(2025, 6, 10), outcome=Outcome.EXPLAIN,
         satisfaction="satisfied", rated=D(2025, 6, 12)),
    Case("养殖场异味扰民", "赵丽萍", "13935600106", "visit", "environment",
         D(2025, 5, 19), D(2025, 5, 20), D(2025, 7, 1), satisfaction="satisfied", rated=D(2025, 7, 8),
         group=6, representatives=("王海军", "张翠英")),
    Case("征地青苗补偿标准", "常永红", "13935600107", "letter", "land",
         D(2025, 6, 16), D(2025, 6, 18), D(2025, 8, 12), outcome=Outcome.EXPLAIN,
         satisfaction="basically", rated=D(2025, 8, 20)),
    Case("村务公开不及时", "毕小龙", "13935600108", "online", "village_affairs",
         D(2025, 7, 14), D(2025, 7, 16), D(2025, 8, 29), satisfaction="satisfied", rated=D(2025, 9, 3)),
    Case("危房改造补助申请", "晋桂芳", "13935600109", "visit", "housing",
         D(2025, 8, 25), D(2025, 8, 27), D(2025, 10, 15), satisfaction="satisfied", rated=D(2025, 10, 20)),
    Case("灌溉用水分配", "陈海生", "13935600110", "phone", "agriculture",
         D(2025, 9, 22), D(2025, 9, 24), D(2025, 11, 11), satisfaction="satisfied", rated=D(2025, 11, 18)),
    Case("医保缴费信息有误", "田秀珍", "13935600111", "visit", "civil_affairs",
         D(2025, 10, 27), D(2025, 10, 29), D(2025, 12, 9), satisfaction="satisfied", rated=D(2025, 12, 15)),
)  # fmt: skip


def _today() -> dt.date:
    return timezone.localdate()


def _staff(township: Township, position: str, name: str) -> Staff:
    found = Staff.objects.filter(township=township, position=position).order_by("pk").first()
    if found is not None:
        return found
    return Staff.objects.create(township=township, name=name, position=position)


def _village(township: Township, index: int = 0) -> Village | None:
    villages = list(Village.objects.filter(township=township).order_by("name")[: index + 1])
    return villages[index] if len(villages) > index else None


def _party(township: Township, name: str, phone: str, actor: Any) -> Any:
    return find_or_create_party(township, name=name, phone=phone, actor=actor)


def _opinion(case: Case) -> dict[str, str]:
    return {
        "request": f"请求解决“{case.subject}”问题。",
        "facts": f"经承办单位实地调查核实，信访人反映的“{case.subject}”情况属实部分已查清。{NOTE}",
        "outcome": case.outcome,
        "decision": "由承办单位按本意见落实，并向信访人当面解释说明。" if case.outcome != Outcome.SUPPORT
        else "支持信访人的合理诉求，由承办单位限期落实。",
        "legal_basis": "《信访工作条例》第三十一条、第三十二条及相关法律法规、政策规定。",
    }  # fmt: skip


def _exists(township: Township, subject: str) -> bool:
    return Petition.objects.filter(township=township, subject=subject).exists()


def _run_case(township: Township, case: Case, actor: Any, **extra: Any) -> Petition:
    reps = [
        {"name": n, "phone": f"{case.phone[:-2]}{i + 50}"}
        for i, n in enumerate(case.representatives)
    ]
    p, _code = services.register_petition(
        township,
        actor=actor,
        channel=case.channel,
        received_on=case.received,
        petitioner=_party(township, case.name, case.phone, actor),
        representatives=reps,
        subject=case.subject,
        content=f"{case.subject}，请求镇政府依法处理。{NOTE}",
        category=case.category,
        is_group=bool(case.group),
        visitor_count=case.group or 1,
        # no receipt is printed for a demo petition, so a code would be shown to nobody (as for
        # an imported ledger row); it would cost an argon2 hash each (~0.45 s, a third of the
        # load). 信访件页面“重新生成查询码” issues one to try the portal.
        issue_code=False,
        **extra,
    )
    if case.accepted is None:
        return p
    p = services.accept_petition(p, actor=actor, on=case.accepted)
    if case.served is None:
        return p
    services.issue_opinion(p, actor=actor, on=case.served, **_opinion(case))
    p = services.serve_opinion(p, actor=actor, on=case.served)
    if case.satisfaction:
        p = services.rate_petition(
            p, satisfaction=case.satisfaction, channel="follow_up", on=case.rated, actor=actor
        )
    return p


# --- 寺庄镇 -------------------------------------------------------------------------------------
def load_sizhuang(township: Township, actor: Any) -> None:
    office = _staff(township, "信访办主任", "卫志刚")
    leader = _staff(township, "党委副书记", "崔晓东")
    for case in SIZHUANG_2025:
        if not _exists(township, case.subject):
            _run_case(township, case, actor, handler=office, leader=leader)
    # 积案“清零”: a 2024 matter reviewed by the county, turned backlog case, resolved in 2025
    old = Case(
        "土地流转租金纠纷（历史遗留）", "侯长青", "13935600199", "visit", "land",
        D(2024, 9, 2), D(2024, 9, 4), D(2024, 10, 20), outcome=Outcome.EXPLAIN,
        satisfaction="unsatisfied", rated=D(2024, 10, 25),
    )  # fmt: skip
    if _exists(township, old.subject):
        return
    p = _run_case(township, old, actor, handler=office, leader=leader)
    p = services.request_review(p, actor=actor, on=D(2024, 11, 10), body="高平市人民政府")
    services.record_review(
        p, actor=actor, issued_on=D(2024, 12, 5), served_on=D(2024, 12, 6),
        **{**_opinion(old), "outcome": Outcome.EXPLAIN},
    )  # fmt: skip
    head = _staff(township, "镇长", "牛卫国")
    case = services.flag_backlog(
        p, actor=actor, owner=head, flagged_on=D(2025, 1, 10), target_on=D(2025, 6, 30),
        plan="镇长包案，每月约谈一次；司法所提供法律援助。" + NOTE,
    )  # fmt: skip
    services.add_backlog_progress(
        case, actor=actor, on=D(2025, 2, 18), note="包案领导入户约谈，听取诉求。"
    )
    services.add_backlog_progress(
        case, actor=actor, on=D(2025, 4, 22), note="组织双方协商，重新核定流转面积。"
    )
    services.resolve_backlog(
        case, actor=actor, on=D(2025, 6, 18), resolution="签订补充协议，信访人息诉罢访。" + NOTE
    )
    services.close_petition(
        p, actor=actor, on=D(2025, 6, 18), note="积案化解，信访人书面表示息诉罢访"
    )


# --- 杜关镇 -------------------------------------------------------------------------------------
def load_duguan(township: Township, actor: Any) -> None:
    t = _today()
    ago = lambda n: t - dt.timedelta(days=n)  # noqa: E731
    office = _staff(township, "信访办主任", "孟庆林")
    head = _staff(township, "镇长", "李振华")
    deputy = _staff(township, "党委副书记", "张海涛")
    village = _village(township, 0)

    overdue = Case(
        "山林权属争议久拖未决", "吕茂盛", "13803980101", "visit", "land", ago(100), ago(98)
    )
    if not _exists(township, overdue.subject):
        p = _run_case(township, overdue, actor, handler=office, leader=deputy, village=village)
        services.flag_backlog(
            p, actor=actor, owner=head, flagged_on=ago(30), target_on=t + dt.timedelta(days=30),
            plan="镇长包案，自然资源所、司法所联合调处。" + NOTE,
        )  # fmt: skip

    extended = Case("移民补助发放对象争议", "房桂琴", "13803980102", "letter", "civil_affairs",
                    ago(70), ago(68))  # fmt: skip
    if not _exists(township, extended.subject):
        p = _run_case(township, extended, actor, handler=office, leader=deputy)
        services.extend_handling(
            p, actor=actor, days=30, reason="需县移民办核对名册。" + NOTE, approved_by=head,
            approved_on=ago(20), notified_on=ago(19),
        )  # fmt: skip

    assigned = Case(
        "县信访局交办：采砂扰民", "苗永福", "13803980103", "online", "environment", ago(3)
    )
    if not _exists(township, assigned.subject):
        _run_case(
            township, assigned, actor, source=Source.ASSIGNED, forwarded_by="卢氏县信访局",
            forwarded_no=f"卢信交〔{ago(3).year}〕17号", handler=office,
        )  # fmt: skip

    three_level = Case("村组道路占地补偿", "雷振山", "13803980104", "visit", "land", ago(20))
    if not _exists(township, three_level.subject):
        p = _run_case(township, three_level, actor, level="village", village=_village(township, 1))
        p = services.escalate_to_township(
            p, actor=actor, on=ago(15), reason="村调委会两次调解未果，按三级化解机制上交镇级。"
        )
        services.accept_petition(p, actor=actor, on=ago(14), handler=office, leader=deputy)

    handed_up = Case(
        "跨县水源地补偿", "鲁红霞", "13803980105", "phone", "environment", ago(40), ago(39)
    )
    if not _exists(township, handed_up.subject):
        p = _run_case(township, handed_up, actor, handler=office)
        services.hand_up_to_county(
            p, actor=actor, on=ago(10), to_unit="卢氏县信访局",
            reason="涉及县级水源地补偿政策，镇级无权处理，经联席会研究上交。",
        )  # fmt: skip

    served = Case("小学校车接送安排", "范淑贞", "13803980106", "online", "other",
                  ago(60), ago(58), ago(20), outcome=Outcome.EXPLAIN)  # fmt: skip
    if not _exists(township, served.subject):
        _run_case(township, served, actor, handler=office)

    open_case = Case(
        "自来水入户工程质量", "温德胜", "13803980107", "visit", "housing", ago(12), ago(11)
    )
    if not _exists(township, open_case.subject):
        _run_case(township, open_case, actor, handler=office, leader=deputy, village=village)

    topics = "研判山林权属争议、移民补助争议等重点信访事项，落实三级化解责任"
    if not JointMeeting.objects.filter(township=township, topics=topics).exists():
        meeting = JointMeeting.objects.create(
            township=township,
            held_on=ago(12),
            place="镇政府三楼会议室",
            chair=head,
            attendees="镇长、分管信访副书记、派出所、司法所、自然资源所、信访办、相关村支部书记",
            topics=topics,
            decisions="1. 山林权属争议由镇长包案，30日内化解；\n2. 移民补助争议报县移民办核对名册；\n"
            "3. 水源地补偿事项上交县信访局。" + NOTE,
        )
        meeting.petitions.set(
            Petition.objects.filter(
                township=township,
                subject__in=[overdue.subject, extended.subject, handed_up.subject],
            )
        )
    _reception(township, ReceptionKind.RECEPTION, head, ago(25), "镇信访接待室", 6,
               "土地承包、移民补助", "当场答复4件，登记交办2件")  # fmt: skip
    if village is not None:
        _reception(township, ReceptionKind.VISIT, deputy, ago(8), f"{village.name}村委会", 9,
                   "山林权属、自来水入户", "现场协调1件，其余列入台账跟踪", village=village)  # fmt: skip


def _reception(
    township: Township, kind: str, leader: Staff, on: dt.date, place: str, count: int,
    matters: str, outcome: str, village: Village | None = None,
) -> None:  # fmt: skip
    if ReceptionDay.objects.filter(township=township, place=place, matters=matters).exists():
        return
    ReceptionDay.objects.create(
        township=township, kind=kind, leader=leader, held_on=on, place=place, village=village,
        visitor_count=count, matters=matters, outcome=outcome + NOTE,
    )  # fmt: skip


# --- 化工镇 -------------------------------------------------------------------------------------
def load_huagong(township: Township, actor: Any) -> None:
    secretary = _staff(township, "党委书记", "马文军")
    mayor = _staff(township, "镇长", "孙建设")
    _reception(township, ReceptionKind.RECEPTION, secretary, D(2025, 3, 15), "镇综治中心接访室", 11,
               "企业用工、土地流转", "当场化解7件，交办4件")  # fmt: skip
    village = _village(township, 0)
    if village is not None:
        _reception(township, ReceptionKind.VISIT, mayor, D(2025, 6, 12), f"{village.name}党群服务中心",
                   14, "环境整治、道路维修", "现场答复9件，交办5件", village=village)  # fmt: skip


#: the generated neighbours of 寺庄镇 (core.demo.NEIGHBOURS): their 2025 petitions, all served
NEIGHBOUR_2025 = {
    "东岭镇（演示）": (
        Case("村集体收益分配不公开", "程建华", "13935700101", "visit", "village_affairs",
             D(2025, 2, 17), D(2025, 2, 19), D(2025, 4, 1), outcome=Outcome.EXPLAIN,
             satisfaction="basically", rated=D(2025, 4, 8)),
        Case("采煤沉陷区房屋裂缝", "韩秀英", "13935700102", "letter", "housing",
             D(2025, 4, 14), D(2025, 4, 16), D(2025, 6, 3), satisfaction="satisfied", rated=D(2025, 6, 9)),
        Case("养老保险待遇核定", "宋国强", "13935700103", "online", "civil_affairs",
             D(2025, 6, 9), D(2025, 6, 11), D(2025, 7, 22), satisfaction="satisfied", rated=D(2025, 7, 28)),
        Case("承包地被占用修路", "丁桂兰", "13935700104", "visit", "land",
             D(2025, 8, 4), D(2025, 8, 6), D(2025, 9, 19), outcome=Outcome.EXPLAIN,
             satisfaction="unsatisfied", rated=D(2025, 9, 26), group=5, representatives=("魏长林", "贾春花")),
        Case("小区路灯损坏", "曹志明", "13935700105", "phone", "housing",
             D(2025, 10, 13), D(2025, 10, 15), D(2025, 11, 14), satisfaction="satisfied", rated=D(2025, 11, 20)),
    ),
    "南川镇（演示）": (
        Case("河道采砂影响灌溉", "彭玉兰", "13935700201", "visit", "environment",
             D(2025, 5, 12), D(2025, 5, 14), D(2025, 6, 27), satisfaction="satisfied", rated=D(2025, 7, 3)),
        Case("务工人员工伤赔偿", "袁海军", "13935700202", "letter", "labour",
             D(2025, 9, 8), D(2025, 9, 10), D(2025, 10, 24), outcome=Outcome.EXPLAIN,
             satisfaction="basically", rated=D(2025, 10, 30)),
    ),
}  # fmt: skip


def load_neighbour(township: Township, actor: Any) -> None:
    """A generated neighbour: its 2025 petitions and, this year, one in handling and one just
    received (so its deadlines are running today)."""
    office = _staff(township, "信访办主任", "信访办主任")
    leader = _staff(township, "党委副书记", "党委副书记")
    for case in NEIGHBOUR_2025.get(township.name, ()):
        if not _exists(township, case.subject):
            _run_case(township, case, actor, handler=office, leader=leader)
    phone = "139357003" if township.name.startswith("东") else "139357004"
    load_current(township, actor, phone)


def load_current(township: Township, actor: Any, phone: str) -> None:
    """This year (not a seed year): one petition in handling, one just received."""
    office = _staff(township, "信访办主任", "信访办主任")
    leader = _staff(township, "党委副书记", "党委副书记")
    t = _today()
    if t.year <= 2025:
        return
    floor = D(t.year, 1, 5)
    current = (
        Case("村内道路硬化质量问题", "邓小红", f"{phone}01", "visit", "housing",
             max(floor, t - dt.timedelta(days=24)), max(floor, t - dt.timedelta(days=22))),
        Case("低保名额评议不公", "蒋来顺", f"{phone}02", "online", "civil_affairs",
             max(floor, t - dt.timedelta(days=2))),
    )  # fmt: skip
    for case in current:
        if not _exists(township, case.subject):
            _run_case(township, case, actor, handler=office, leader=leader)


LOADERS = {"寺庄镇": load_sizhuang, "杜关镇": load_duguan, "化工镇": load_huagong}


@core_demo.loader
@transaction.atomic
def load(townships: dict[str, Township], *, actor: Any = None) -> None:
    """Create (or leave as they are) the demo petitions of the seed townships present."""
    for name, loader in LOADERS.items():
        township = townships.get(name)
        if township is not None:
            loader(township, actor)
    for name in NEIGHBOUR_2025:
        township = townships.get(name)
        if township is not None:
            load_neighbour(township, actor)
    if "寺庄镇" in townships:
        load_current(townships["寺庄镇"], actor, "139357005")
