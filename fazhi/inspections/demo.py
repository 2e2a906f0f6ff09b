"""Demo records of enterprise inspections and special campaigns.

What the seeds state and the registry must give back (test_demo.py checks it):
- 寺庄镇 2025 (seed 001): "开展专项整治行动3次,检查企业150余家,发现并整改隐患12条" →
  inspections.campaigns 3, inspections.enterprises_inspected 153, inspections.hazards_found 12 and
  inspections.hazards_rectified 12 (all on time);
- 杜关镇 2025 (seed 000): "制定随机抽查事项清单，明确抽查依据、抽查主体、抽查内容、抽查方式和抽查
  频次" and "引入信用权重" → a published random-inspection item list and an entity directory with
  credit classes.
In the current year 寺庄镇 has an inspection awaiting approval and 化工镇 an inspection over the
yearly cap and an overdue hazard. Enterprise names are invented (演示数据). Idempotent.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone

from fazhi.core import demo as core_demo
from fazhi.core.models import Township
from fazhi.core.numbering import format_number, lock_counter
from fazhi.enforcement import choices as ec
from fazhi.enforcement.models import EnforcementBody, Officer
from fazhi.inspections import choices as c
from fazhi.inspections import rules, services
from fazhi.inspections.models import Campaign, Enterprise, Hazard, Inspection, InspectionItem

_WORDS = "恒泰 鑫源 宏达 华兴 永盛 金泰 瑞丰 通达 兴旺 嘉禾 德隆 聚福 长青 富民 华康 天成 隆昌 顺发 益民 新星".split()
_TRADES = (
    ("煤炭经营", "有限公司"),
    ("建材", "有限公司"),
    ("农机维修", "部"),
    ("食品加工", "厂"),
    ("铸造", "有限公司"),
    ("超市", ""),
    ("物流", "有限公司"),
    ("养殖", "专业合作社"),
    ("加油站", ""),
    ("餐饮", "店"),
)

ITEMS = (
    (
        "SJ-AQ-01",
        "生产经营单位安全生产检查",
        "《中华人民共和国安全生产法》第六十五条",
        "安全生产责任制、隐患排查治理、应急预案",
    ),
    (
        "SJ-XF-01",
        "消防安全检查",
        "《中华人民共和国消防法》第五十三条",
        "消防设施、疏散通道、用火用电",
    ),
    (
        "SJ-GD-01",
        "耕地保护巡查",
        "《中华人民共和国土地管理法》第六十七条",
        "违法占用耕地、乱搭乱建",
    ),
    (
        "SJ-HJ-01",
        "生态环境检查",
        "《中华人民共和国大气污染防治法》第二十九条",
        "扬尘治理、露天焚烧、污染防治设施",
    ),
)

#: 寺庄镇 2025: (name, domain, start, end, item code, enterprises inspected)
SIZHUANG_CAMPAIGNS = (
    (
        "2025年安全生产隐患排查整治专项行动",
        c.CampaignDomain.SAFETY,
        dt.date(2025, 3, 3),
        dt.date(2025, 5, 30),
        "SJ-AQ-01",
        62,
    ),
    (
        "2025年耕地保护和生态环境专项整治",
        c.CampaignDomain.FARMLAND,
        dt.date(2025, 6, 9),
        dt.date(2025, 8, 29),
        "SJ-GD-01",
        48,
    ),
    (
        "2025年冬春火灾防控消防安全专项整治",
        c.CampaignDomain.FIRE,
        dt.date(2025, 10, 13),
        dt.date(2025, 12, 19),
        "SJ-XF-01",
        43,
    ),
)
SIZHUANG_HAZARDS = (
    "配电箱线路老化裸露",
    "灭火器过期未更换",
    "安全出口被货物堵塞",
    "有限空间作业未设警示标志",
    "粉尘作业场所未配备除尘设施",
    "危险化学品未分类存放",
    "临时建筑占用基本农田边沟",
    "堆场扬尘未覆盖",
    "疏散指示标志损坏",
    "燃气管道未设泄漏报警装置",
    "电动车在楼道内充电",
    "特种作业人员未持证上岗",
)

CLASS_CYCLE = "BBBBABBCBBABBBDBCB"  # mostly B, some A, C and one D in 18


def _code(township: Township, number: str) -> str:
    digest = hashlib.sha256(f"demo|{township.name}|{number}".encode()).digest()
    alphabet = services.CODE_ALPHABET
    return "".join(alphabet[b % len(alphabet)] for b in digest[: services.CODE_LENGTH])


def _credit_code(township_index: int, n: int) -> str:
    return f"9141{township_index:02d}00MA{n:08d}"[:18].ljust(18, "0")


def enterprises(township: Township, index: int, count: int) -> list[Enterprise]:
    out = []
    for n in range(count):
        word = _WORDS[n % len(_WORDS)]
        trade, suffix = _TRADES[(n // len(_WORDS) + n) % len(_TRADES)]
        out.append(
            core_demo.upsert(
                Enterprise,
                {"township": township, "credit_code": _credit_code(index, n + 1)},
                {
                    "name": f"{township.name[:-1]}{word}{trade}{suffix}{'' if n < 20 else n}",
                    "credit_class": CLASS_CYCLE[n % len(CLASS_CYCLE)],
                    "industry": trade,
                    "is_active": True,
                },
            )
        )
    return out


def items(township: Township, body: EnforcementBody, year: int) -> dict[str, InspectionItem]:
    out = {}
    for code, name, basis, content in ITEMS:
        out[code] = core_demo.upsert(
            InspectionItem,
            {"township": township, "code": code},
            {
                "name": name,
                "body": body,
                "basis": basis,
                "content": content,
                "method": "现场检查",
                "frequency": "每年不超过2次",
                "ratio_percent": 5,
                "yearly_cap": rules.DEFAULT_YEARLY_CAP,
                "is_random": code in ("SJ-AQ-01", "SJ-XF-01"),
                "published_on": dt.date(year, 1, 20),
                "is_active": True,
            },
        )
    return out


def _reserve(township: Township, year: int, n: int) -> None:
    counter = lock_counter(township, year, services.NUMBER_KIND)
    if counter.value < n:
        type(counter).objects.filter(pk=counter.pk).update(value=n)


def _officers(body: EnforcementBody) -> list[Officer]:
    return list(
        Officer.objects.filter(body=body, kind=ec.OfficerKind.OFFICER, is_active=True).order_by(
            "pk"
        )
    )


def _historic_inspection(
    township: Township,
    n: int,
    enterprise: Enterprise,
    body: EnforcementBody,
    item: InspectionItem,
    officers: list[Officer],
    campaign: Campaign | None,
    day: dt.date,
) -> Inspection:
    number = format_number(township.name, services.NUMBER_KIND, day.year, n)
    inspection = core_demo.upsert(
        Inspection,
        {"township": township, "number": number},
        {
            "code": _code(township, number),
            "kind": c.InspectionKind.CAMPAIGN if campaign else c.InspectionKind.ROUTINE,
            "enterprise": enterprise,
            "body": body,
            "campaign": campaign,
            "planned_on": day,
            "approver": body.head,
            "approved_on": day - dt.timedelta(days=2),
            "inspected_on": day,
            "place": enterprise.address or enterprise.name,
            "findings": "现场检查，查阅台账资料。",
            "status": c.InspectionStatus.DONE,
        },
    )
    if not inspection.check_items.exists():
        inspection.check_items.set([item])
        inspection.officers.set(officers)
    _reserve(township, day.year, n)
    return inspection


def load_sizhuang(township: Township, body: EnforcementBody) -> None:
    year = 2025
    listed = items(township, body, year)
    firms = enterprises(township, 1, sum(row[5] for row in SIZHUANG_CAMPAIGNS))
    officers = _officers(body)
    n, firm_index, hazard_index = 0, 0, 0
    for name, domain, start, end, item_code, count in SIZHUANG_CAMPAIGNS:
        campaign = core_demo.upsert(
            Campaign,
            {"township": township, "name": name},
            {
                "domain": domain,
                "start": start,
                "end": end,
                "lead_body": body,
                "scope": f"全镇{c.CampaignDomain(domain).label}重点领域企业",
                "closed_on": end,
                "summary": "按方案完成排查、整改和复查。",
            },
        )
        span = (end - start).days - 14
        for k in range(count):
            n += 1
            day = start + dt.timedelta(days=(k * span) // count)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            pair = [officers[(n * 2) % len(officers)], officers[(n * 2 + 1) % len(officers)]]
            inspection = _historic_inspection(
                township, n, firms[firm_index], body, listed[item_code], pair, campaign, day
            )
            firm_index += 1
            if k % 5 == 0 and hazard_index < len(SIZHUANG_HAZARDS):
                description = SIZHUANG_HAZARDS[hazard_index]
                hazard_index += 1
                core_demo.upsert(
                    Hazard,
                    {"township": township, "inspection": inspection, "description": description},
                    {
                        "level": c.HazardLevel.ORDINARY,
                        "found_on": day,
                        "owner": f"{inspection.enterprise.name}负责人",
                        "deadline": day + dt.timedelta(days=15),
                        "status": c.HazardStatus.VERIFIED,
                        "rectified_on": day + dt.timedelta(days=7),
                        "measures": "已按整改通知完成整改。",
                        "verified_on": day + dt.timedelta(days=10),
                        "verified_by": body.head,
                    },
                )
    assert hazard_index == len(SIZHUANG_HAZARDS), "寺庄镇演示隐患条数与报告不符"


def load_duguan(township: Township, body: EnforcementBody) -> None:
    items(township, body, 2025)
    enterprises(township, 0, 90)


def _current_year(township: Township, body: EnforcementBody) -> None:
    """Now: 寺庄镇 an inspection awaiting approval; 化工镇 an inspection confirmed over the
    yearly cap and an overdue hazard."""
    today = timezone.localdate()
    if today.year <= 2025 or township.name not in ("寺庄镇", "化工镇"):
        return
    listed = (
        items(township, body, today.year)
        if township.name == "化工镇"
        else {i.code: i for i in InspectionItem.objects.filter(township=township)}
    )
    if township.name == "化工镇":
        firms = enterprises(township, 2, 6)
    else:
        firms = list(Enterprise.objects.filter(township=township).order_by("pk")[:3])
    officers = _officers(body)[:2]
    if Inspection.objects.filter(township=township, planned_on__year=today.year).exists():
        return  # already loaded this year
    floor = dt.date(today.year, 1, 5)
    item = listed["SJ-AQ-01"]
    if township.name == "寺庄镇":
        services.plan_inspection(
            township=township,
            enterprise=firms[0],
            body=body,
            items=[item],
            officers=officers,
            planned_on=today + dt.timedelta(days=3),
            actor=None,
        )
        return
    target = firms[0]
    for k in range(2):  # two earlier inspections this year reach the cap of 2
        day = max(floor, today - dt.timedelta(days=60 - 20 * k))
        insp = services.plan_inspection(
            township=township,
            enterprise=target,
            body=body,
            items=[item],
            officers=officers,
            planned_on=day,
            actor=None,
        )
        insp = services.approve_inspection(
            insp, approver=body.head or "负责人", approved_on=day - dt.timedelta(days=1), actor=None
        )
        hazards = []
        if k == 0:
            hazards = [
                services.HazardInput(
                    "仓库消防通道堆放杂物",
                    f"{target.name}负责人",
                    max(day, today - dt.timedelta(days=5)),
                )
            ]
        services.record_inspection(
            insp,
            inspected_on=day,
            findings="现场检查，查阅安全生产台账。",
            hazards=hazards,
            actor=None,
        )
    services.plan_inspection(
        township=township,
        enterprise=target,
        body=body,
        items=[item],
        officers=officers,
        planned_on=today + dt.timedelta(days=2),
        confirm_over_cap=True,
        actor=None,
    )


ORDER = ("杜关镇", "寺庄镇", "化工镇", "将官池镇", "扁担沟镇")


@core_demo.loader
def load(townships: dict[str, Township]) -> None:
    """Load the inspections demo for whichever seed townships are given (keys are names).
    Runs after the enforcement demo (INSTALLED_APPS order), which creates the bodies."""
    for name in ORDER:
        township = townships.get(name)
        if township is None:
            continue
        body = EnforcementBody.objects.filter(
            township=township, name=f"{township.name}综合行政执法大队"
        ).first()
        if body is None:
            continue
        if name == "寺庄镇":
            load_sizhuang(township, body)
        elif name == "杜关镇":
            load_duguan(township, body)
        _current_year(township, body)
