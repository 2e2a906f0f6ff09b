"""Demo records of the outreach module, such that the registry yields the seed reports' figures:

- 寺庄镇 2025 (seed 001): 律师在镇公共法律服务站提供咨询服务48次, 解答群众咨询难题100余条 (108),
  接待群众咨询2000余人次 (2,046); 主题宣传活动7次 (赶集日、新媒体推送、以案释法; 民法典、
  反电信网络诈骗法、信访工作条例、反有组织犯罪法), 涉及群众20000余人次 (20,360), 发放宣传资料
  22000余份 (22,150).
- 化工镇 2025 (seed 002): 民法典宣传月、12·4 宪法日等活动, 发放宣传资料2000余份 (2,060), 受教育
  群众500余人次 (530); 法律明白人113名.
- 将官池镇 2025 (seed 003): 普法宣传20余次 (22, incl. 3·15, 民法典宣传月, 12·4, 庙会, 集市,
  开学第一课, 普法进校园, 守护卖粮款), 宣传品7000余份 (7,240); 法治政府示范市创建: 横幅20条,
  宣传彩页10000份.
- 扁担沟镇 2023 (seed 004): 宣传活动46场次, 横幅不少于70条 (72), 宣传栏34个; 利通区“十佳法律明白人”1人.
- 杜关镇 2025 (seed 000): 开学第一课, 国家宪法日宣传并接待群众法律咨询.

Idempotent (natural keys through core.demo.upsert); names are invented (演示数据).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core import demo as core_demo
from fazhi.core.models import Department, Township, Village
from fazhi.governance import demo as gdemo
from fazhi.outreach import choices as c
from fazhi.outreach.models import (
    Award,
    Consultation,
    CultureSite,
    DutySession,
    Event,
    LegalAidApplication,
    LegalUnderstander,
    NeedsSurvey,
    ResponsibilityItem,
    ServicePoint,
)

upsert = core_demo.upsert
K, CH = c.KeyDay, c.Channel


def _villages(t: Township) -> list[Village]:
    found = list(Village.objects.filter(township=t).order_by("pk"))
    return found or [
        upsert(Village, {"township": t, "name": f"{t.name[:2]}{n}村"}) for n in "一二三四"
    ]


def _department(t: Township, name: str) -> Department | None:
    return Department.objects.filter(township=t, name=name).first()


def event(
    t: Township,
    held_on: dt.date,
    title: str,
    channel: str,
    *,
    key_day: str = "",
    laws: tuple[str, ...] = (),
    organiser: str = "",
    groups: str = "村民群众",
    village: Village | None = None,
    responsibility: ResponsibilityItem | None = None,
    **numbers: Any,
) -> Event:
    defaults = {
        "responsibility": responsibility,
        "channel": channel,
        "key_day": key_day,
        "target_groups": groups,
        "organiser": _department(t, organiser) if organiser else None,
        "village": village,
        "venue": numbers.pop("venue", ""),
        "summary": numbers.pop("summary", ""),
        **{
            name: numbers.get(name, 0)
            for name in (
                "audience",
                "materials",
                "leaflets",
                "banners",
                "bulletin_boards",
                "displays",
                "consultations",
            )
        },
    }
    row = upsert(Event, {"township": t, "held_on": held_on, "title": title}, defaults)
    if laws:
        catalogue = gdemo.laws(t)
        gdemo._set_laws(row, [catalogue[s] for s in laws])
    return row


def station(t: Township) -> ServicePoint:
    return upsert(
        ServicePoint,
        {"township": t, "name": f"{t.name}公共法律服务站"},
        {
            "level": c.ServiceLevel.TOWNSHIP,
            "address": f"{t.name}便民服务中心一楼",
            "hours": "每周三上午律师坐班",
        },
    )


def understanders(
    t: Township, per_village: list[int], *, years: tuple[int, ...], offset: int
) -> list[LegalUnderstander]:
    villages = _villages(t)
    names = core_demo.invented_names(sum(per_village), offset=offset)
    jobs = ("村干部", "网格员", "退休教师", "村民小组长", "致富带头人", "人民调解员")
    rows, k = [], 0
    for village, n in zip(villages, per_village, strict=False):
        for _ in range(n):
            year = years[k % len(years)]
            rows.append(
                upsert(
                    LegalUnderstander,
                    {"township": t, "village": village, "name": names[k]},
                    {
                        "gender": "男女"[k % 2],
                        "occupation": jobs[k % len(jobs)],
                        "appointed_on": dt.date(year, 3 + k % 8, 10 + k % 15),
                        "trained_hours": 12,
                    },
                )
            )
            k += 1
    return rows


# --- 寺庄镇 -----------------------------------------------------------------------------------
def duty_line(
    t: Township,
    year: int,
    department: str,
    laws: tuple[str, ...],
    activities: str,
    planned: int,
    key_days: str = "",
) -> ResponsibilityItem | None:
    dept = _department(t, department)
    if dept is None:
        return None
    row = upsert(
        ResponsibilityItem,
        {"township": t, "year": year, "department": dept},
        {"activities": activities, "planned": planned, "key_days": key_days},
    )
    catalogue = gdemo.laws(t)
    gdemo._set_laws(row, [catalogue[s] for s in laws])
    return row


def load_sizhuang(t: Township) -> None:
    villages = _villages(t)
    duty = {
        "民法典": duty_line(
            t,
            2025,
            "司法所",
            ("民法典", "宪法"),
            "民法典宣传月、宪法日赶集日宣传，进村入户",
            3,
            "5月、12·4",
        ),
        "信访工作条例": duty_line(
            t, 2025, "信访办", ("信访工作条例",), "赶集日宣传《信访工作条例》", 1
        ),
        "反电信网络诈骗法": duty_line(
            t,
            2025,
            "平安办",
            ("反电信网络诈骗法", "反有组织犯罪法"),
            "新媒体推送、以案释法",
            2,
            "4·15",
        ),
    }
    duty["反有组织犯罪法"] = duty["反电信网络诈骗法"]
    for day, title, channel, key_day, laws, audience, materials in [
        (
            dt.date(2025, 1, 17),
            "赶集日《信访工作条例》宣传",
            CH.MARKET,
            K.NEW_YEAR,
            ("信访工作条例",),
            2800,
            3000,
        ),
        (
            dt.date(2025, 4, 15),
            "反电信网络诈骗法新媒体推送及现场宣传",
            CH.NEW_MEDIA,
            K.SECURITY,
            ("反电信网络诈骗法",),
            3500,
            3800,
        ),
        (
            dt.date(2025, 5, 20),
            "“美好生活·民法典相伴”赶集日宣传",
            CH.MARKET,
            K.CIVIL_CODE,
            ("民法典",),
            4200,
            4500,
        ),
        (
            dt.date(2025, 6, 26),
            "以案释法：反有组织犯罪法宣讲",
            CH.LECTURE,
            K.ANTI_DRUG,
            ("反有组织犯罪法",),
            2100,
            2500,
        ),
        (dt.date(2025, 8, 12), "民法典进村入户宣传", CH.VILLAGE, "", ("民法典",), 3060, 3350),
        (
            dt.date(2025, 10, 21),
            "防范电信网络诈骗以案释法",
            CH.LECTURE,
            "",
            ("反电信网络诈骗法",),
            1900,
            2000,
        ),
        (
            dt.date(2025, 12, 4),
            "国家宪法日暨民法典赶集日宣传",
            CH.MARKET,
            K.CONSTITUTION,
            ("民法典", "信访工作条例"),
            2800,
            3000,
        ),
    ]:
        event(
            t,
            day,
            title,
            channel,
            key_day=key_day,
            laws=laws,
            audience=audience,
            materials=materials,
            responsibility=duty[laws[0]],
            groups="村民群众、外出务工人员、老年人",
            venue="寺庄集市" if channel == CH.MARKET else "",
            village=villages[0] if channel == CH.VILLAGE else None,
            consultations=audience // 40,
        )
    point = station(t)
    lawyers = ("宋律师", "陈律师")
    days = gdemo.spread(2025, 48, first=dt.date(2025, 1, 8), last=dt.date(2025, 12, 24))
    people = [38 + (i * 5) % 9 for i in range(48)]
    people[-1] += 2046 - sum(people)
    for i, day in enumerate(days):
        lawyer = lawyers[i % 2]
        session = upsert(
            DutySession,
            {"township": t, "point": point, "held_on": day, "lawyer": lawyer},
            {"firm": "高平市正信律师事务所", "hours": 4},
        )
        upsert(
            Consultation,
            {"township": t, "session": session, "held_on": day},
            {
                "point": point,
                "topic": list(c.ConsultationTopic.values)[i % 8],
                "people": people[i],
                "questions": 3 if i % 4 == 0 else 2,
                "answered_by": lawyer,
                "summary": "坐班律师现场解答群众咨询，疑难问题登记后跟进答复",
            },
        )
    # the current year: progress against the 2026 plan (seed 001: 五、2026年度工作安排)
    for day, title, channel, key_day, audience, materials in [
        (dt.date(2026, 3, 13), "“3·15”消费者权益保护赶集日宣传", CH.MARKET, K.CONSUMER, 1800, 2000),
        (dt.date(2026, 5, 19), "民法典宣传月外出务工人员专场", CH.SQUARE, K.CIVIL_CODE, 900, 1200),
        (dt.date(2026, 9, 1), "开学第一课：未成年人保护法", CH.CAMPUS, K.SCHOOL, 600, 600),
    ]:
        event(
            t,
            day,
            title,
            channel,
            key_day=key_day,
            audience=audience,
            materials=materials,
            groups="青少年" if channel == CH.CAMPUS else "村民群众、外出务工人员",
        )
    for i, day in enumerate(
        gdemo.spread(2026, 30, first=dt.date(2026, 1, 7), last=dt.date(2026, 11, 25))
    ):
        session = upsert(
            DutySession,
            {"township": t, "point": point, "held_on": day, "lawyer": lawyers[i % 2]},
            {"firm": "高平市正信律师事务所", "hours": 4},
        )
        upsert(
            Consultation,
            {"township": t, "session": session, "held_on": day},
            {
                "point": point,
                "topic": list(c.ConsultationTopic.values)[i % 8],
                "people": 38,
                "questions": 2,
                "answered_by": lawyers[i % 2],
            },
        )


# --- 化工镇 -----------------------------------------------------------------------------------
def load_huagong(t: Township) -> None:
    villages = _villages(t)
    for day, title, channel, key_day, audience, materials, groups in [
        (
            dt.date(2025, 5, 16),
            "民法典宣传月集中宣传",
            CH.SQUARE,
            K.CIVIL_CODE,
            150,
            600,
            "村民群众、老年人",
        ),
        (dt.date(2025, 7, 10), "法律明白人进村入户普法", CH.VILLAGE, "", 90, 300, "村民群众"),
        (dt.date(2025, 9, 3), "开学第一课法治进校园", CH.CAMPUS, K.SCHOOL, 110, 360, "青少年"),
        (
            dt.date(2025, 12, 4),
            "“12·4”国家宪法日宣传",
            CH.SQUARE,
            K.CONSTITUTION,
            180,
            800,
            "村民群众",
        ),
    ]:
        event(
            t,
            day,
            title,
            channel,
            key_day=key_day,
            audience=audience,
            materials=materials,
            groups=groups,
            laws=("宪法",) if key_day == K.CONSTITUTION else ("民法典",),
            village=villages[1] if channel == CH.VILLAGE else None,
        )
    per_village = (
        [10] * 5 + [9] * (len(villages) - 5)
        if len(villages) >= 12
        else [113 // len(villages)] * len(villages)
    )
    per_village[-1] += 113 - sum(per_village)
    understanders(t, per_village, years=(2023, 2024, 2025), offset=501)
    station(t)


# --- 将官池镇 ---------------------------------------------------------------------------------
def load_jiangguanchi(t: Township) -> None:
    plan = [
        (
            dt.date(2025, 1, 20),
            "春节前“守护卖粮款”防诈宣传",
            CH.MARKET,
            K.NEW_YEAR,
            "老年人、村民群众",
        ),
        (dt.date(2025, 2, 12), "元宵庙会普法宣传", CH.TEMPLE_FAIR, K.NEW_YEAR, "村民群众"),
        (
            dt.date(2025, 3, 14),
            "“3·15”消费者权益日宣传",
            CH.MARKET,
            K.CONSUMER,
            "村民群众、个体工商户",
        ),
        (dt.date(2025, 3, 26), "三月庙会普法宣传", CH.TEMPLE_FAIR, "", "村民群众"),
        (dt.date(2025, 4, 15), "全民国家安全教育日宣传", CH.SQUARE, K.SECURITY, "村民群众"),
        (dt.date(2025, 5, 8), "民法典宣传月集市宣传", CH.MARKET, K.CIVIL_CODE, "村民群众"),
        (dt.date(2025, 5, 22), "民法典宣传月进企业", CH.ENTERPRISE, K.CIVIL_CODE, "企业"),
        (dt.date(2025, 6, 12), "安全生产月法治宣传", CH.ENTERPRISE, K.SAFETY_MONTH, "企业"),
        (dt.date(2025, 6, 26), "国际禁毒日宣传", CH.SQUARE, K.ANTI_DRUG, "青少年、村民群众"),
        (dt.date(2025, 7, 17), "“守护卖粮款”夏粮收购防诈宣传", CH.MARKET, "", "老年人、村民群众"),
        (dt.date(2025, 8, 14), "集市反电信网络诈骗宣传", CH.MARKET, "", "村民群众"),
        (dt.date(2025, 9, 1), "“开学第一课”法治宣讲", CH.CAMPUS, K.SCHOOL, "青少年"),
        (dt.date(2025, 9, 18), "普法进校园：未成年人保护法", CH.CAMPUS, K.SCHOOL, "青少年"),
        (
            dt.date(2025, 10, 9),
            "重阳节老年人权益保障宣传",
            CH.VILLAGE,
            K.ELDERLY,
            "老年人、留守老人",
        ),
        (dt.date(2025, 10, 23), "秋季庙会普法宣传", CH.TEMPLE_FAIR, "", "村民群众"),
        (dt.date(2025, 11, 6), "“守护卖粮款”秋粮收购防诈宣传", CH.MARKET, "", "老年人、村民群众"),
        (dt.date(2025, 11, 20), "普法进校园：防校园欺凌", CH.CAMPUS, "", "青少年"),
        (dt.date(2025, 12, 1), "宪法宣传周进村入户", CH.VILLAGE, K.CONSTITUTION_WEEK, "村民群众"),
        (dt.date(2025, 12, 4), "“12·4”国家宪法日集中宣传", CH.SQUARE, K.CONSTITUTION, "村民群众"),
        (dt.date(2025, 12, 11), "集市民法典宣传", CH.MARKET, "", "村民群众"),
        (dt.date(2025, 12, 18), "年终返乡务工人员劳动法律宣传", CH.MARKET, "", "外出务工人员"),
    ]
    for i, (day, title, channel, key_day, groups) in enumerate(plan):
        event(
            t,
            day,
            title,
            channel,
            key_day=key_day,
            groups=groups,
            organiser="综合行政执法大队" if i % 3 == 0 else "",
            materials=340 + (10 if i < 10 else 0),
            audience=260 + (i * 37) % 180,
            venue="将官池集市" if channel == CH.MARKET else "",
        )
    event(
        t,
        dt.date(2025, 6, 5),
        "法治政府示范市创建宣传",
        CH.VILLAGE,
        groups="村民群众",
        banners=20,
        leaflets=10000,
        summary="配合做好法治政府示范市创建工作，全镇印制发放横幅、宣传彩页",
    )
    station(t)


# --- 扁担沟镇 ---------------------------------------------------------------------------------
def load_biandangou(t: Township) -> None:
    villages = _villages(t)
    themes = [
        ("防范电信诈骗宣传", "综治办", "", ("反电信网络诈骗法",)),
        ("“4.15”国家安全日宣传", "综治办", K.SECURITY, ("国家安全法",)),
        ("“民法典与生活同行”宣传", "司法所", K.CIVIL_CODE, ("民法典",)),
        ("禁毒宣传", "禁毒办", K.ANTI_DRUG, ("禁毒法",)),
        ("安全生产法宣传", "安监站", K.SAFETY_MONTH, ("安全生产法",)),
        ("宪法宣传", "司法所", K.CONSTITUTION, ("宪法",)),
    ]
    days = gdemo.spread(2023, 46, first=dt.date(2023, 1, 10), last=dt.date(2023, 12, 20))
    for i, day in enumerate(days):
        theme, organiser, key_day, laws = themes[i % len(themes)]
        if key_day and (day.month not in c.KEY_DAY_MONTHS.get(key_day, ())):
            key_day = ""
        village = villages[i % len(villages)]
        event(
            t,
            day,
            f"{village.name}{theme}",
            CH.VILLAGE,
            key_day=key_day,
            organiser=organiser,
            laws=laws,
            village=village,
            banners=2 if i < 26 else 1,
            bulletin_boards=1 if i < 34 else 0,
            audience=80 + (i * 17) % 90,
            materials=120 + (i * 23) % 100,
        )
    rows = understanders(t, [2] * len(villages), years=(2022, 2023), offset=701)
    rows = [r for r in rows if r.appointed_on.year == 2022] or rows
    upsert(
        Award,
        {
            "township": t,
            "understander": rows[0],
            "title": "十佳法律明白人",
            "awarded_on": dt.date(2023, 11, 28),
        },
        {"level": c.AwardLevel.COUNTY, "issuer": "吴忠市利通区委全面依法治区委员会办公室"},
    )
    station(t)


# --- 杜关镇 -----------------------------------------------------------------------------------
def load_duguan(t: Township) -> None:
    event(
        t,
        dt.date(2025, 9, 1),
        "讲好“开学第一课”法治进校园",
        CH.CAMPUS,
        key_day=K.SCHOOL,
        groups="青少年",
        organiser="司法所",
        laws=("未成年人保护法", "宪法"),
        audience=420,
        materials=500,
    )
    event(
        t,
        dt.date(2025, 12, 4),
        "全国法制宣传日集中宣传及法律咨询",
        CH.SQUARE,
        key_day=K.CONSTITUTION,
        organiser="司法所",
        laws=("宪法", "民法典"),
        audience=600,
        materials=1200,
        displays=8,
        consultations=46,
        summary="邀请县市司法机关工作人员现场接待群众法律咨询",
    )
    event(
        t,
        dt.date(2025, 2, 12),
        "元宵节会期间普法宣传",
        CH.TEMPLE_FAIR,
        key_day=K.NEW_YEAR,
        organiser="司法所",
        laws=("民法典",),
        audience=800,
        materials=900,
    )
    station(t)


def aid(
    t: Township,
    number: str,
    received_on: dt.date,
    applicant: str,
    category: str,
    basis: str,
    matter: str,
    *,
    green: bool = False,
    forwarded_on: dt.date | None = None,
    decided_on: dt.date | None = None,
    undertaker: str = "",
) -> LegalAidApplication:
    """A legal-aid application in its final state (numbers fixed; demo data bypasses the
    deadlines of long-closed applications)."""
    status = (
        c.AidStatus.GRANTED
        if decided_on
        else c.AidStatus.FORWARDED
        if forwarded_on
        else c.AidStatus.RECEIVED
    )
    return upsert(
        LegalAidApplication,
        {"township": t, "number": number},
        {
            "received_on": received_on,
            "applicant": applicant,
            "category": category,
            "basis": basis,
            "matter": matter,
            "green_channel": green,
            "status": status,
            "forwarded_on": forwarded_on,
            "forwarded_to": "法律援助中心" if forwarded_on else "",
            "decided_on": decided_on,
            "undertaker": undertaker,
            "decision_note": "经审查符合法律援助条件，指派律师承办" if decided_on else "",
        },
    )


def load_services(townships: dict[str, Township]) -> None:
    """Legal aid, culture sites and the needs survey (the seeds state them without numbers)."""
    if "寺庄镇" in townships:
        t = townships["寺庄镇"]
        for i, (day, who, cat, basis, matter, green) in enumerate(
            [
                (
                    dt.date(2025, 1, 14),
                    "牛某",
                    "wages",
                    "migrant",
                    "春节前追索建筑工地拖欠工资",
                    True,
                ),
                (dt.date(2025, 6, 10), "申某", "support", "elderly", "起诉子女支付赡养费", True),
                (dt.date(2025, 10, 20), "常某", "injury", "means", "交通事故人身损害赔偿", False),
            ],
            start=1,
        ):
            aid(
                t,
                f"〔2025〕寺庄镇援字第{i}号",
                day,
                who,
                cat,
                basis,
                matter,
                green=green,
                forwarded_on=day + dt.timedelta(days=0 if green else 2),
                decided_on=day + dt.timedelta(days=5),
                undertaker="宋律师",
            )
        for day, group, n, topics, channel in [
            (
                dt.date(2025, 12, 15),
                "外出务工人员",
                46,
                "欠薪维权、劳动合同、工伤认定",
                c.Channel.SHORT_VIDEO,
            ),
            (dt.date(2025, 12, 17), "留守老人", 38, "赡养、防诈骗、遗嘱继承", c.Channel.VILLAGE),
            (dt.date(2025, 12, 19), "青少年", 60, "防校园欺凌、网络安全", c.Channel.CAMPUS),
        ]:
            upsert(
                NeedsSurvey,
                {"township": t, "surveyed_on": day, "village": None, "group": group},
                {
                    "respondents": n,
                    "topics": topics,
                    "channel": channel,
                    "method": "入户走访、座谈会",
                },
            )
    if "化工镇" in townships:
        t = townships["化工镇"]
        aid(
            t,
            "〔2025〕化工镇援字第1号",
            dt.date(2025, 8, 5),
            "韩某",
            "wages",
            "migrant",
            "追索劳动报酬",
            forwarded_on=dt.date(2025, 8, 6),
            decided_on=dt.date(2025, 8, 11),
            undertaker="法律援助中心律师",
        )
    if "扁担沟镇" in townships:
        t = townships["扁担沟镇"]
        for i, village in enumerate(_villages(t)):
            built = dt.date(2022 + i % 2, 4 + i % 6, 12)
            upsert(
                CultureSite,
                {"township": t, "village": village, "name": f"{village.name}法律工作室"},
                {
                    "kind": c.SiteKind.STUDIO,
                    "built_on": built,
                    "description": "有专门办公场所，有法律顾问引导人",
                },
            )
            upsert(
                CultureSite,
                {"township": t, "village": village, "name": f"{village.name}法治宣传广场"},
                {
                    "kind": c.SiteKind.SQUARE,
                    "built_on": built,
                    "description": "法治宣传景观标志、宣传栏",
                },
            )


core_demo.loader(load_services)


#: the generated neighbours of 寺庄镇 (core.demo.NEIGHBOURS): 普法 events in 2025 and this year
NEIGHBOUR_EVENTS = {"东岭镇（演示）": (8, 2, 600), "南川镇（演示）": (3, 1, 350)}


def load_neighbour(t: Township, in_2025: int, this_year: int, audience: int) -> None:
    from django.utils import timezone

    plan = [
        ("赶集日法律宣传", CH.MARKET, ""),
        ("民法典进村入户宣传", CH.VILLAGE, ""),
        ("宪法学习广场宣传", CH.SQUARE, ""),
        ("法治进校园讲座", CH.CAMPUS, ""),
    ]
    today = timezone.localdate()
    days = gdemo.spread(2025, in_2025)
    if today.year > 2025:
        first = dt.date(today.year, 1, 8)
        days += gdemo.spread(today.year, this_year, first=first, last=max(first, today))
    for i, day in enumerate(days):
        title, channel, key_day = plan[i % len(plan)]
        event(
            t,
            day,
            f"{day.year}年{title}（第{i + 1}场）",
            channel,
            key_day=key_day,
            audience=audience + 50 * (i % 3),
            materials=audience,
            groups="青少年" if channel == CH.CAMPUS else "村民群众",
        )


def load(townships: dict[str, Township]) -> None:
    for name, args in NEIGHBOUR_EVENTS.items():
        if name in townships:
            load_neighbour(townships[name], *args)
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
