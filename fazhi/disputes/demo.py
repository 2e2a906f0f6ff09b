"""Demo records of people's mediation for the seed townships, such that the registry yields
exactly the figures their reports state:

- 寺庄镇 2025: 排查化解矛盾纠纷58件, 调解成功率100%, 组织调解员培训12次 (seed 001);
- 化工镇 2025: 排查121起, 成功化解105起, 化解成功率87% (105/121 = 86.8%; seed 002);
- 扁担沟镇 2023: 现场化解积案35起, 收集积案16起, 走访下访化解11起 (seed 004).

Everything is written through the services (numbers, parties through the index, deadlines,
events, warnings), with realistic dates; plus open, overdue and escalated cases in the current
year (which is not a seed year) so that the deadline lists and warnings have something to show.
Idempotent: every dispute has a fixed receipt number (the counter is advanced past it), every
other record a natural key; a second run writes nothing. Party names are invented (演示数据).

`load(townships)` is registered with core's demo loader (fazhi.core.demo.loader), so
`manage.py load_demo` runs it; it can also be called directly with {name: Township}.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import demo as core_demo
from fazhi.core.audit import record_change, snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.models import Township, Village
from fazhi.core.numbering import format_number
from fazhi.disputes import choices as c
from fazhi.disputes import services
from fazhi.disputes.models import (
    BacklogCase,
    Dispute,
    EarlyWarning,
    FollowUpVisit,
    MediationAgreement,
    MediationCommittee,
    MediationSession,
    Mediator,
    MediatorTraining,
    ScreeningCampaign,
)

NOTE = "（演示数据：当事人姓名均为虚构）"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
_GIVEN = (
    "建国 秀英 国强 桂兰 志明 玉兰 海军 春花 永庆 凤英 文斌 丽华 红军 淑珍 德胜 秀兰 "
    "金山 翠花 宝山 巧云 福来 爱华 长林 秋菊 满仓 素琴 铁柱 彩云 守信 月娥 二虎 冬梅 "
    "来顺 小红 志刚 桂芳 振江 玉珍 新民 荣华 跃进 俊英 建业 美兰 双喜 改莲 群英 小军"
).split()


def _names(offset: int) -> Iterator[str]:
    i = offset
    while True:
        yield _SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i * 7 + i // len(_SURNAMES)) % len(_GIVEN)]
        i += 1


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _spread(
    year: int, count: int, *, start_month: int = 1, end: dt.date | None = None
) -> list[dt.date]:
    """`count` working days spread evenly over the year (or up to `end`)."""
    first = dt.date(year, start_month, 3)
    last = end or dt.date(year, 12, 20)
    step = (last - first).days / max(count, 1)
    return [_workday(first + dt.timedelta(days=int(i * step))) for i in range(count)]


# --- idempotent helpers ---------------------------------------------------------------------
def _get_or_create(
    model: type, lookup: dict[str, Any], values: dict[str, Any] | None = None
) -> Any:
    found = model.objects.filter(**lookup).first()
    if found is not None:
        return found
    obj = model(**lookup, **(values or {}))
    obj.full_clean()
    obj.save()
    record_change(obj, ChangeAction.CREATE, None, snapshot(obj), actor=None)
    return obj


def _villages(township: Township) -> list[Village]:
    villages = list(Village.objects.filter(township=township).order_by("pk"))
    if villages:
        return villages
    return [
        _get_or_create(Village, {"township": township, "name": f"{township.name[:2]}{n}村"})
        for n in ("一", "二", "三", "四")
    ]


def _organisation(
    township: Township, villages: list[Village], founded: dt.date
) -> tuple[Any, dict[int, Any], dict[int, Mediator], Mediator]:
    """Township and village committees, their mediators and invited helpers."""
    top = _get_or_create(
        MediationCommittee,
        {"township": township, "name": f"{township.name}人民调解委员会"},
        {
            "level": c.CommitteeLevel.TOWNSHIP,
            "established_on": founded,
            "director": "司法所所长兼任",
            "address": f"{township.name}司法所",
        },
    )
    names = _names(len(township.name) * 97)
    head = _get_or_create(
        Mediator,
        {"township": township, "name": next(names), "committee": top},
        {"kind": c.MediatorKind.FULL_TIME, "appointed_on": founded, "note": NOTE},
    )
    committees: dict[int, Any] = {}
    mediators: dict[int, Mediator] = {}
    for village in villages:
        committee = _get_or_create(
            MediationCommittee,
            {"township": township, "name": f"{village.name}人民调解委员会"},
            {
                "level": c.CommitteeLevel.VILLAGE,
                "village": village,
                "established_on": founded,
                "director": "村党支部书记兼任",
            },
        )
        committees[village.pk] = committee
        mediators[village.pk] = _get_or_create(
            Mediator,
            {"township": township, "name": next(names), "committee": committee},
            {"kind": c.MediatorKind.PART_TIME, "appointed_on": founded, "note": NOTE},
        )
    _get_or_create(
        Mediator,
        {"township": township, "name": next(names), "committee": top},
        {
            "kind": c.MediatorKind.LAWYER,
            "appointed_on": founded,
            "note": "驻镇法律顾问，受邀参与疑难纠纷调解" + NOTE,
        },
    )
    _get_or_create(
        Mediator,
        {"township": township, "name": next(names), "committee": top},
        {"kind": c.MediatorKind.SAGE, "appointed_on": founded, "note": "乡贤，受邀参与调解" + NOTE},
    )
    return top, committees, mediators, head


# --- dispute scripts ------------------------------------------------------------------------
TYPES = [
    (
        c.DisputeType.NEIGHBOUR,
        "两户因{x}发生争执",
        ("宅前排水沟堵塞", "院墙滴水", "通行道路被占", "树木遮挡采光"),
    ),
    (
        c.DisputeType.MARRIAGE_FAMILY,
        "家庭成员因{x}产生矛盾",
        ("老人赡养费分担", "离婚后子女探视", "分家析产", "彩礼返还"),
    ),
    (
        c.DisputeType.HOMESTEAD,
        "两户因{x}发生纠纷",
        ("宅基地四至界限", "翻建房屋越界", "宅基地使用权归属"),
    ),
    (
        c.DisputeType.LAND_CONTRACT,
        "村民因{x}发生纠纷",
        ("承包地边界", "土地流转费用", "承包地调整"),
    ),
    (
        c.DisputeType.DAMAGES,
        "双方因{x}赔偿问题发生纠纷",
        ("家畜损毁庄稼", "施工损坏房屋", "放牧损坏林木"),
    ),
    (
        c.DisputeType.CONTRACT,
        "双方因{x}发生纠纷",
        ("农机作业费拖欠", "房屋租赁合同", "农资赊销货款"),
    ),
    (c.DisputeType.LABOUR, "务工人员与雇主因{x}发生纠纷", ("工资拖欠", "务工受伤医疗费")),
    (c.DisputeType.TRAFFIC, "双方因{x}发生纠纷", ("农用车剐蹭", "电动车碰撞")),
    (c.DisputeType.OTHER, "双方因{x}发生纠纷", ("红白事占道", "养狗扰邻")),
]
SIZHUANG_MIX = [0] * 15 + [1] * 10 + [2] * 8 + [3] * 8 + [4] * 6 + [5] * 4 + [6] * 3 + [8] * 4  # 58
HUAGONG_MIX = (
    [0] * 30 + [1] * 20 + [2] * 16 + [3] * 18 + [4] * 12 + [5] * 9 + [6] * 8 + [7] * 5 + [8] * 3
)  # 121
SOURCES = [
    c.DisputeSource.SCREENING,
    c.DisputeSource.GRID,
    c.DisputeSource.SCREENING,
    c.DisputeSource.WALK_IN,
    c.DisputeSource.GRID,
    c.DisputeSource.SCREENING,
    c.DisputeSource.WALK_IN,
    c.DisputeSource.SCREENING,
    c.DisputeSource.GRID,
    c.DisputeSource.PETITION,
    c.DisputeSource.SCREENING,
    c.DisputeSource.POLICE,
]


class _Script:
    """Writes one township's disputes through the services, idempotently by receipt number."""

    def __init__(
        self,
        township: Township,
        villages: list[Village],
        committees: dict,
        mediators: dict,
        offset: int,
    ) -> None:
        self.township = township
        self.villages = villages
        self.committees = committees
        self.mediators = mediators
        self.names = _names(offset)
        self.phone_seq = offset * 1000

    def _person(self, role: str) -> services.PartyInput:
        self.phone_seq += 1
        return services.PartyInput(
            name=next(self.names),
            role=role,
            phone=f"13{self.phone_seq % 10}{self.phone_seq:08d}"[:11],
        )

    def dispute(
        self,
        n: int,
        received: dt.date,
        mix: int,
        *,
        source: str | None = None,
        campaign: Any = None,
        village_index: int | None = None,
        description: str | None = None,
        amount: Decimal | None = None,
        parties: int = 2,
    ) -> tuple[Dispute, bool]:
        number = format_number(self.township.name, services.NUMBER_KIND, received.year, n)
        existing = Dispute.objects.filter(township=self.township, number=number).first()
        if existing is not None:
            return existing, False
        kind, template, topics = TYPES[mix]
        village = self.villages[
            (village_index if village_index is not None else n) % len(self.villages)
        ]
        source = source or SOURCES[n % len(SOURCES)]
        people = [self._person(c.PartyRole.APPLICANT)] + [
            self._person(c.PartyRole.RESPONDENT) for _ in range(parties - 1)
        ]
        text = (
            description
            or template.format(x=topics[n % len(topics)])
            + "，经"
            + {
                c.DisputeSource.SCREENING: "集中排查发现",
                c.DisputeSource.GRID: "网格员走访发现并上报",
                c.DisputeSource.WALK_IN: "当事人到司法所申请调解",
                c.DisputeSource.PETITION: "镇信访办转入",
                c.DisputeSource.POLICE: "派出所移交",
            }.get(source, "登记")
            + "。"
        )
        dispute = services.register_dispute(
            self.township,
            received_on=received,
            source=source,
            kind=kind,
            description=text,
            parties=people,
            number=number,
            actor=None,
            village=village,
            committee=self.committees.get(village.pk),
            mediator=self.mediators.get(village.pk),
            campaign=campaign if source == c.DisputeSource.SCREENING else None,
            amount=amount,
            source_ref=f"{received.year}-{n:03d}"
            if source in (c.DisputeSource.PETITION, c.DisputeSource.POLICE)
            else "",
        )
        return dispute, True

    def mediate(self, dispute: Dispute, on: dt.date, result: str = c.SessionResult.AGREED) -> None:
        mediator = dispute.mediator
        services.record_session(
            MediationSession,
            {
                "township": self.township,
                "dispute": dispute,
                "held_on": on,
                "place": f"{dispute.village.name}村委会调解室"
                if dispute.village_id
                else "司法所调解室",
                "mediators": [mediator] if mediator else [],
                "attendees": dispute.party_names,
                "record": "调解员听取双方陈述，核实事实，释法说理，引导双方互谅互让。",
                "result": result,
            },
            actor=None,
        )

    def succeed(
        self,
        dispute: Dispute,
        on: dt.date,
        *,
        written: bool,
        court: str = c.CourtConfirmation.DECLINED,
    ) -> None:
        dispute = _fresh(dispute)
        if not written:
            services.conclude_dispute(
                dispute,
                c.DisputeStatus.SUCCEEDED,
                on=on,
                actor=None,
                note="双方达成口头协议，已记录在卷",
            )
            return
        amount = dispute.amount or Decimal(0)
        services.create_agreement(
            MediationAgreement,
            {
                "township": self.township,
                "dispute": dispute,
                "made_on": on,
                "place": f"{dispute.village.name}村委会" if dispute.village_id else "司法所",
                "facts": dispute.description,
                "responsibilities": "经调查核实，双方均有一定责任，被申请人负主要责任。",
                "terms": (
                    f"一、被申请人于协议生效后十日内一次性支付申请人人民币{amount:.0f}元；\n二、双方就本纠纷再无其他争议。"
                    if amount
                    else "一、被申请人于协议生效后七日内排除妨碍、恢复原状；\n二、双方今后和睦相处，不再因此事发生争执。"
                ),
                "performance_method": "现金支付" if amount else "自行履行",
                "performance_deadline": on + dt.timedelta(days=10),
                "performance_place": dispute.village.name if dispute.village_id else "",
                "effective_on": on,
                "court_confirmation": court,
                "court_applied_on": on + dt.timedelta(days=6)
                if court != c.CourtConfirmation.DECLINED
                else None,
                "court_name": "人民法院" if court != c.CourtConfirmation.DECLINED else "",
                "court_result_on": on + dt.timedelta(days=12)
                if court == c.CourtConfirmation.CONFIRMED
                else None,
            },
            actor=None,
        )
        dispute = _fresh(dispute)
        services.record_follow_up(
            FollowUpVisit,
            {
                "township": self.township,
                "dispute": dispute,
                "visited_on": on + dt.timedelta(days=14),
                "method": c.VisitMethod.HOME if amount else c.VisitMethod.PHONE,
                "visitor": dispute.mediator,
                "performance": c.Performance.DONE,
                "notes": "协议已按期履行完毕，双方无异议。",
            },
            actor=None,
        )


def _fresh(dispute: Dispute) -> Dispute:
    """The dispute as the services left it, with the rows the next service call reads (one
    query instead of a refresh and a lazy load each of its township, village and mediator)."""
    return Dispute.objects.select_related("township", "village", "mediator").get(pk=dispute.pk)


def _trainings(township: Township, year: int, topics: list[str], mediators: list[Mediator]) -> None:
    for i, topic in enumerate(topics):
        held = _workday(dt.date(year, i % 12 + 1, 12 + (i // 12) * 7))
        lookup = {"township": township, "held_on": held, "topic": topic}
        if MediatorTraining.objects.filter(**lookup).exists():
            continue
        training = _get_or_create(
            MediatorTraining,
            lookup,
            {
                "organiser": "司法所",
                "place": f"{township.name}司法所",
                "hours": Decimal("2.0"),
                "attendee_count": len(mediators),
            },
        )
        training.attendees.set(mediators)


def _campaigns(township: Township, year: int) -> list[ScreeningCampaign]:
    plans = [
        ("春节前矛盾纠纷集中排查", (1, 6), (1, 24)),
        ("第二季度矛盾纠纷排查", (4, 1), (4, 30)),
        ("汛期及夏收矛盾纠纷排查", (6, 2), (6, 30)),
        ("国庆前矛盾纠纷集中排查", (9, 1), (9, 26)),
        ("年末矛盾纠纷“清零”排查", (11, 3), (12, 19)),
    ]
    return [
        _get_or_create(
            ScreeningCampaign,
            {"township": township, "name": f"{year}年{name}"},
            {"start": dt.date(year, *s), "end": dt.date(year, *e), "organiser": "综治中心、司法所"},
        )
        for name, s, e in plans
    ]


def _campaign_for(campaigns: list[ScreeningCampaign], day: dt.date) -> Any:
    return next((x for x in campaigns if x.start <= day <= x.end), None)


def _warnings_handled(township: Township, until: dt.date) -> None:
    for warning in EarlyWarning.objects.filter(
        township=township, status=c.WarningStatus.OPEN, raised_on__lte=until
    ):
        services.handle_warning(
            warning,
            action=c.WarningAction.VISITED
            if warning.kind != c.WarningKind.VIOLENCE
            else c.WarningAction.REPORTED_POLICE,
            note="分包领导会同村调委会上门稳控，已化解风险。"
            if warning.kind != c.WarningKind.VIOLENCE
            else "已报告派出所，民警与调解员共同上门稳控，未发生民转刑案件。",
            on=min(warning.raised_on + dt.timedelta(days=2), until),
            actor=None,
        )


# --- the seed townships ---------------------------------------------------------------------
def load_sizhuang(township: Township) -> None:
    """寺庄镇 2025: 58 disputes, all mediated successfully; 12 mediator trainings."""
    villages = _villages(township)
    _, committees, mediators, head = _organisation(township, villages, dt.date(2023, 3, 1))
    _trainings(
        township,
        2025,
        [
            "新时代“枫桥经验”与人民调解",
            "《人民调解法》条文解读",
            "婚姻家庭纠纷调解技巧",
            "民法典物权编与相邻关系",
            "土地承包经营纠纷的调处",
            "调解协议书的制作规范",
            "宅基地纠纷调解实务",
            "劳动争议调解与法律援助衔接",
            "矛盾纠纷排查预警与“民转刑”防范",
            "诉调对接与司法确认程序",
            "调解卷宗规范化整理",
            "年度调解工作复盘与案例研讨",
        ],
        [head, *mediators.values()],
    )
    campaigns = _campaigns(township, 2025)
    script = _Script(township, villages, committees, mediators, offset=11)
    for n, (day, mix) in enumerate(zip(_spread(2025, 58), SIZHUANG_MIX, strict=True), start=1):
        amount = (
            Decimal(800 + 300 * (n % 7))
            if TYPES[mix][0]
            in (c.DisputeType.DAMAGES, c.DisputeType.CONTRACT, c.DisputeType.LABOUR)
            else None
        )
        dispute, created = script.dispute(
            n, day, mix, campaign=_campaign_for(campaigns, day), amount=amount
        )
        if not created:
            continue
        script.mediate(dispute, day)
        script.succeed(dispute, _workday(day + dt.timedelta(days=2 + n % 9)), written=n % 4 != 0)
    _warnings_handled(township, dt.date(2025, 12, 31))
    _current_year(township, script, first_number=1, concluded=4)


def load_huagong(township: Township) -> None:
    """化工镇 2025: 121 disputes registered, 105 mediated successfully (86.8%); the other 16:
    failed (some taken to court), terminated, transferred, and three still open at year end
    (two overdue, one escalated to the township committee)."""
    villages = _villages(township)
    top, committees, mediators, head = _organisation(township, villages, dt.date(2022, 12, 1))
    _trainings(
        township,
        2025,
        [
            "人民调解员业务能力提升培训",
            "“三调联动”工作机制培训",
            "矛盾纠纷排查化解“233”闭环管理培训",
            "村级调解员实务培训",
        ],
        [head, *mediators.values()],
    )
    campaigns = _campaigns(township, 2025)
    script = _Script(township, villages, committees, mediators, offset=401)
    days = _spread(2025, 118, end=dt.date(2025, 11, 28))
    # the last three arrive in December and are still open at year end
    days += [dt.date(2025, 12, 1), dt.date(2025, 12, 3), dt.date(2025, 12, 15)]
    others = {
        7: ("failed", {"note": "双方分歧较大，调解不成，已告知可向人民法院起诉。"}),
        19: ("failed_court", {}),
        28: ("terminated", {"reason": c.TerminationReason.WITHDREW}),
        36: ("transferred", {"route": c.TransferRoute.LITIGATION}),
        44: ("failed", {"note": "被申请人拒不到场，调解不成，已告知其他救济途径。"}),
        53: ("transferred", {"route": c.TransferRoute.ADMIN_MEDIATION}),
        61: ("failed_court", {}),
        70: ("terminated", {"reason": c.TerminationReason.SETTLED}),
        79: ("transferred", {"route": c.TransferRoute.JUDICIAL_MEDIATION}),
        88: ("failed", {"note": "涉及工伤认定，调解不成，已引导申请劳动仲裁。"}),
        97: ("terminated", {"reason": c.TerminationReason.REFUSED}),
        106: ("transferred", {"route": c.TransferRoute.ARBITRATION}),
        113: ("failed_court", {}),
    }
    risky = {
        12: "双方多次争吵，被申请人扬言报复，曾有推搡动手行为",
        47: "申请人情绪激动，称要“同归于尽”",
        90: "涉及二十余户承包费分配，村民聚众到村委会讨说法",
    }
    for n, (day, mix) in enumerate(zip(days, HUAGONG_MIX, strict=True), start=1):
        amount = (
            Decimal(1500 + 500 * (n % 9))
            if TYPES[mix][0]
            in (
                c.DisputeType.DAMAGES,
                c.DisputeType.CONTRACT,
                c.DisputeType.LABOUR,
                c.DisputeType.TRAFFIC,
            )
            else None
        )
        description = None
        if n in risky:
            kind, template, topics = TYPES[mix]
            description = template.format(x=topics[n % len(topics)]) + "。" + risky[n] + "。"
        dispute, created = script.dispute(
            n,
            day,
            mix,
            campaign=_campaign_for(campaigns, day),
            amount=amount,
            description=description,
            parties=6 if n == 90 else 2,
        )
        if not created:
            continue
        if n >= 119:  # December: still open at year end
            script.mediate(dispute, _workday(day + dt.timedelta(days=1)), c.SessionResult.CONTINUE)
            if n == 121:
                services.escalate_dispute(
                    Dispute.objects.get(pk=dispute.pk),
                    committee=top,
                    on=_workday(day + dt.timedelta(days=3)),
                    reason="涉及两个村的土地边界，村调委会难以调处，上报镇调委会",
                    actor=None,
                )
            continue
        concluded = _workday(day + dt.timedelta(days=3 + n % 11))
        if n in others:
            what, kwargs = others[n]
            if what == "terminated":
                services.accept_dispute(Dispute.objects.get(pk=dispute.pk), on=day, actor=None)
                services.conclude_dispute(
                    Dispute.objects.get(pk=dispute.pk),
                    "terminated",
                    on=concluded,
                    actor=None,
                    note="当事人要求终止调解。",
                    **kwargs,
                )
                continue
            script.mediate(dispute, day, c.SessionResult.FAILED)
            if what == "failed":
                services.conclude_dispute(
                    Dispute.objects.get(pk=dispute.pk), "failed", on=concluded, actor=None, **kwargs
                )
            elif what == "failed_court":
                services.conclude_dispute(
                    Dispute.objects.get(pk=dispute.pk),
                    "failed",
                    on=concluded,
                    actor=None,
                    note="调解不成，已告知诉讼途径。",
                )
                services.conclude_dispute(
                    Dispute.objects.get(pk=dispute.pk),
                    "transferred",
                    on=_workday(concluded + dt.timedelta(days=5)),
                    actor=None,
                    route=c.TransferRoute.LITIGATION,
                    note="当事人已向人民法院起诉。",
                )
            else:
                services.conclude_dispute(
                    Dispute.objects.get(pk=dispute.pk),
                    "transferred",
                    on=concluded,
                    actor=None,
                    note="移送相关部门处理。",
                    **kwargs,
                )
            continue
        script.mediate(dispute, day)
        court = c.CourtConfirmation.CONFIRMED if n % 15 == 0 else c.CourtConfirmation.DECLINED
        script.succeed(dispute, concluded, written=n % 5 != 0, court=court)
    _warnings_handled(township, dt.date(2025, 12, 10))
    _current_year(township, script, first_number=1, concluded=3)


def load_biandangou(township: Township) -> None:
    """扁担沟镇 2023: 积案 — 35 resolved on site at the mobilisation meeting, 16 collected for
    follow-up, 11 of them resolved by door-to-door visits (the other 5 still pending); the
    resolved on-site cases with complete files were archived in December."""
    villages = _villages(township)
    _organisation(township, villages, dt.date(2021, 6, 1))
    meeting_day = dt.date(2023, 9, 15)  # “9月份中旬…召开…法治建设动员部署会”
    names = _names(907)
    topics = [
        "承包地边界",
        "宅基地界址",
        "邻里通行",
        "家庭赡养",
        "土地流转费",
        "灌溉用水",
        "房屋漏水",
        "林木权属",
    ]
    for i in range(35):
        village = villages[i % len(villages)]
        title = f"{village.name}{topics[i % len(topics)]}积案（现场{i + 1:02d}）"
        case = BacklogCase.objects.filter(township=township, title=title).first()
        if case is not None:
            continue
        case = services.create_backlog(
            BacklogCase,
            {
                "township": township,
                "title": title,
                "description": f"{topics[i % len(topics)]}纠纷，历时多年未解决。",
                "village": village,
                "party_names": f"{next(names)}、{next(names)}",
                "intake": c.BacklogIntake.ON_SITE,
                "collected_on": meeting_day,
                "meeting": "2023年法治建设动员部署会暨各村法治建设座谈会",
                "handler": "镇法治办、司法所、驻村律师",
                "has_registration": True,
                "has_record": True,
                "has_agreement": i % 5 != 4,
                "has_follow_up": i % 3 != 2,
            },
            actor=None,
        )
        services.resolve_backlog(
            case,
            how=c.BacklogResolution.ON_SITE,
            on=meeting_day,
            note="座谈会上与群众面对面沟通，当场化解。",
            actor=None,
        )
        files = services.backlog_file(BacklogCase.objects.get(pk=case.pk))
        if not services.missing_items(files):
            services.archive_backlog(case, on=dt.date(2023, 12, 15), actor=None)
    for i in range(16):
        village = villages[(i * 5 + 2) % len(villages)]
        title = f"{village.name}{topics[(i + 3) % len(topics)]}积案（收集{i + 1:02d}）"
        if BacklogCase.objects.filter(township=township, title=title).exists():
            continue
        collected_on = _workday(meeting_day + dt.timedelta(days=3 + i))
        case = services.create_backlog(
            BacklogCase,
            {
                "township": township,
                "title": title,
                "description": f"{topics[(i + 3) % len(topics)]}纠纷，疑难复杂，需逐户走访化解。",
                "village": village,
                "party_names": f"{next(names)}、{next(names)}",
                "intake": c.BacklogIntake.COLLECTED,
                "collected_on": collected_on,
                "meeting": "各村法治建设座谈会",
                "handler": "包村干部、驻村律师",
                "has_registration": True,
                "has_record": i < 11,
            },
            actor=None,
        )
        if i < 11:  # “每周…逐一下访各村群众家”
            services.resolve_backlog(
                case,
                how=c.BacklogResolution.BY_VISIT,
                on=_workday(dt.date(2023, 10, 9) + dt.timedelta(weeks=i)),
                note="镇干部会同驻村律师入户走访，面对面交谈，化解矛盾。",
                actor=None,
            )


def _current_year(
    township: Township, script: _Script, *, first_number: int, concluded: int = 2
) -> None:
    """Now (not a seed year): `concluded` cases mediated earlier this year (so this year's rates
    have a numerator), and open ones — one just reported from the grid, two under mediation
    (one past its one-month period), one escalated; an overdue sweep raises their warnings."""
    today = timezone.localdate()
    if today.year <= 2025:
        return
    floor = dt.date(today.year, 1, 5)
    earlier = max(floor, today - dt.timedelta(days=100))
    for i, day in enumerate(_spread(today.year, concluded, end=earlier)):
        n = first_number + i
        dispute, created = script.dispute(n, max(floor, day), (n * 3) % len(TYPES))
        if created:
            script.mediate(dispute, max(floor, day))
            script.succeed(dispute, _workday(max(floor, day) + dt.timedelta(days=5)), written=True)
    plan = [
        (
            max(floor, _workday(today - dt.timedelta(days=75))),
            c.DisputeSource.SCREENING,
            "mediating",
        ),
        (max(floor, _workday(today - dt.timedelta(days=12))), c.DisputeSource.WALK_IN, "mediating"),
        (max(floor, _workday(today - dt.timedelta(days=20))), c.DisputeSource.GRID, "escalated"),
        (max(floor, today - dt.timedelta(days=1)), c.DisputeSource.GRID, "registered"),
    ]
    for i, (day, source, state) in enumerate(plan):
        n = first_number + concluded + i
        dispute, created = script.dispute(n, day, i % len(TYPES), source=source, village_index=i)
        if not created:
            continue
        if state in ("mediating", "escalated"):
            script.mediate(dispute, day, c.SessionResult.CONTINUE)
        if state == "escalated":
            top = MediationCommittee.objects.filter(
                township=township, level=c.CommitteeLevel.TOWNSHIP
            ).first()
            services.escalate_dispute(
                Dispute.objects.get(pk=dispute.pk),
                committee=top,
                on=min(today, day + dt.timedelta(days=5)),
                reason="当事人对村调委会调解方案不认可，上报镇调委会",
                actor=None,
            )
    services.sweep_overdue(today)


#: the generated neighbours of 寺庄镇 (core.demo.NEIGHBOURS): (name offset, disputes in 2025,
#: the numbers whose mediation failed) — so the county's townships differ
NEIGHBOUR_DISPUTES = {
    "东岭镇（演示）": (701, 16, {5, 11, 14}),  # 13/16 = 81.3%
    "南川镇（演示）": (803, 9, {4}),  # 8/9 = 88.9%
}


def load_neighbour(township: Township, offset: int, count: int, failed: set[int]) -> None:
    """A generated neighbour: its 2025 disputes (some failed) and open cases this year."""
    villages = _villages(township)
    _, committees, mediators, _head = _organisation(township, villages, dt.date(2024, 5, 6))
    campaigns = _campaigns(township, 2025)
    script = _Script(township, villages, committees, mediators, offset=offset)
    for n, day in enumerate(_spread(2025, count, start_month=2), start=1):
        dispute, created = script.dispute(
            n, day, (n * 5) % len(TYPES), campaign=_campaign_for(campaigns, day)
        )
        if not created:
            continue
        concluded = _workday(day + dt.timedelta(days=4 + n % 6))
        if n in failed:
            script.mediate(dispute, day, c.SessionResult.FAILED)
            services.conclude_dispute(
                Dispute.objects.get(pk=dispute.pk),
                "failed",
                on=concluded,
                actor=None,
                note="双方分歧较大，调解不成，已告知可向人民法院起诉。",
            )
            continue
        script.mediate(dispute, day)
        script.succeed(dispute, concluded, written=n % 3 != 0)
    _current_year(township, script, first_number=1, concluded=1 + count // 8)


LOADERS = {"寺庄镇": load_sizhuang, "化工镇": load_huagong, "扁担沟镇": load_biandangou}


@core_demo.loader
def load(townships: dict[str, Township], *, actor: Any = None) -> None:
    """Load the disputes demo for whichever seed townships are given (keys are names)."""
    del actor  # the demo is written by the system; the parameter is kept for callers
    with transaction.atomic():
        for name, fn in LOADERS.items():
            township = townships.get(name)
            if township is not None:
                fn(township)
        for name, args in NEIGHBOUR_DISPUTES.items():
            township = townships.get(name)
            if township is not None:
                load_neighbour(township, *args)
