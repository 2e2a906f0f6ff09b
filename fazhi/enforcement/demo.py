"""Demo records of administrative enforcement for the five seed townships.

What the seeds state and the registry must give back (test_demo.py checks it):
- 寺庄镇 2025 (seed 001): "全镇行政执法资格证持有率达100%" → enforcement.certified_rate 100%;
- 将官池镇 2025 (seed 003) names its enforcement units: 综合行政执法大队、市场发展监督管理所、
  自然资源所 → three bodies with officers;
- 化工镇 (seed 002) "加强执法人员资格管理，确保持证上岗" and 杜关镇 (seed 000) "亮证执法" state no
  figure; their officers are all certified at the end of the report year.
In the current year one certificate of 化工镇 is about to expire and one of 扁担沟镇 has expired, so
the warning page has something to show. Names are invented (演示数据). Idempotent (natural keys).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from fazhi.core import demo as core_demo
from fazhi.core.choices import DepartmentKind
from fazhi.core.models import Department, Township
from fazhi.enforcement import choices as c
from fazhi.enforcement.models import Certificate, EnforcementBody, EnforcementCase, Officer, Power


@dataclass(frozen=True)
class BodySpec:
    suffix: str  # appended to the township name
    kind: str
    department_kind: str | None
    officers: int
    auxiliaries: int = 0


HANDOVER = "省人民政府关于赋予乡镇（街道）部分县级行政执法权的决定（演示）"

BODIES: dict[str, tuple[BodySpec, ...]] = {
    "杜关镇": (
        BodySpec("综合行政执法大队", c.BodyKind.COMPREHENSIVE, DepartmentKind.ENFORCEMENT, 5, 2),
    ),
    "寺庄镇": (
        BodySpec("综合行政执法大队", c.BodyKind.COMPREHENSIVE, DepartmentKind.ENFORCEMENT, 8, 2),
    ),
    "化工镇": (
        BodySpec("综合行政执法大队", c.BodyKind.COMPREHENSIVE, DepartmentKind.ENFORCEMENT, 5, 1),
    ),
    "将官池镇": (
        BodySpec("综合行政执法大队", c.BodyKind.COMPREHENSIVE, DepartmentKind.ENFORCEMENT, 6, 2),
        BodySpec("市场发展监督管理所", c.BodyKind.DISPATCHED, DepartmentKind.MARKET, 3),
        BodySpec("自然资源所", c.BodyKind.DISPATCHED, DepartmentKind.LAND, 3),
    ),
    "扁担沟镇": (
        BodySpec("综合行政执法大队", c.BodyKind.COMPREHENSIVE, DepartmentKind.ENFORCEMENT, 4, 2),
    ),
}

#: (code suffix, name, category, legal basis, discretion, legal review)
POWERS = (
    (
        "CF-001",
        "对在城市道路上擅自占道经营的处罚",
        c.PowerCategory.PENALTY,
        "《城市市容和环境卫生管理条例》第三十六条",
        "首次违法且及时改正的，不予处罚；拒不改正的，处五十元以上二百元以下罚款",
        False,
    ),
    (
        "CF-002",
        "对未经批准擅自建设临时建筑的处罚",
        c.PowerCategory.PENALTY,
        "《中华人民共和国城乡规划法》第六十六条",
        "按违法建设工程造价的百分之五至百分之十五处罚款，分三档",
        True,
    ),
    (
        "CF-003",
        "对露天焚烧秸秆的处罚",
        c.PowerCategory.PENALTY,
        "《中华人民共和国大气污染防治法》第一百一十九条",
        "处五百元以上二千元以下罚款",
        False,
    ),
    (
        "CF-004",
        "对农村村民未经批准非法占用土地建住宅的处罚",
        c.PowerCategory.PENALTY,
        "《中华人民共和国土地管理法》第七十八条",
        "",
        True,
    ),
    (
        "QZ-001",
        "查封、扣押违法经营的工具和物品",
        c.PowerCategory.COERCION,
        "《中华人民共和国行政强制法》第九条、第二十二条",
        "",
        True,
    ),
    (
        "JC-001",
        "对生产经营单位安全生产情况的监督检查",
        c.PowerCategory.INSPECTION,
        "《中华人民共和国安全生产法》第六十五条",
        "",
        False,
    ),
    (
        "JC-002",
        "对辖区消防安全的监督检查",
        c.PowerCategory.INSPECTION,
        "《中华人民共和国消防法》第五十三条",
        "",
        False,
    ),
    (
        "XK-001",
        "乡村建设规划许可",
        c.PowerCategory.LICENCE,
        "《中华人民共和国城乡规划法》第四十一条",
        "",
        False,
    ),
)


def _certificate_dates(i: int, year: int) -> tuple[dt.date, dt.date, int]:
    """Staggered issue dates; every certificate valid at the end of `year` and checked for the
    year before the current one (the yearly check is done each spring)."""
    issued = dt.date(year - 1 - i % 3, 3 + i % 6, 10)
    expires = dt.date(issued.year + 6, issued.month, issued.day - 1)
    return issued, expires, max(year, timezone.localdate().year) - 1


def load_township(township: Township, index: int) -> dict[str, EnforcementBody]:
    year = core_demo.report_year(township)
    bodies: dict[str, EnforcementBody] = {}
    names = core_demo.invented_names(40, offset=900 + index * 53)
    n = 0
    for spec in BODIES[township.name]:
        department = (
            Department.objects.filter(township=township, kind=spec.department_kind).first()
            if spec.department_kind
            else None
        )
        body = core_demo.upsert(
            EnforcementBody,
            {"township": township, "name": f"{township.name}{spec.suffix}"},
            {
                "kind": spec.kind,
                "department": department,
                "basis": HANDOVER
                if spec.kind == c.BodyKind.COMPREHENSIVE
                else "县级主管部门派驻（演示）",
                "head": names[n],
                "is_active": True,
            },
        )
        bodies[spec.suffix] = body
        for i in range(spec.officers):
            officer = core_demo.upsert(
                Officer,
                {"township": township, "body": body, "name": names[n]},
                {
                    "kind": c.OfficerKind.OFFICER,
                    "position": "大队长" if i == 0 else "执法队员",
                    "legal_qualification": i == 1,
                    "is_legal_reviewer": i == 1,
                    "is_active": True,
                },
            )
            issued, expires, checked = _certificate_dates(i, year)
            core_demo.upsert(
                Certificate,
                {"township": township, "number": f"{14 + index:02d}{year % 100:02d}{index}{n:04d}"},
                {
                    "officer": officer,
                    "category": "综合行政执法"
                    if spec.kind == c.BodyKind.COMPREHENSIVE
                    else spec.suffix,
                    "issuer": f"{township.county.name}人民政府",
                    "issued_on": issued,
                    "expires_on": expires,
                    "status": c.CertificateStatus.VALID,
                    "checked_year": checked,
                },
            )
            n += 1
        for _ in range(spec.auxiliaries):
            core_demo.upsert(
                Officer,
                {"township": township, "body": body, "name": names[n]},
                {"kind": c.OfficerKind.AUXILIARY, "position": "协管员", "is_active": True},
            )
            n += 1
    main = bodies["综合行政执法大队"]
    for code, name, category, basis, discretion, review in POWERS:
        core_demo.upsert(
            Power,
            {"township": township, "code": code},
            {
                "name": name,
                "category": category,
                "body": main,
                "source": c.PowerSource.DELEGATED,
                "handover_basis": HANDOVER,
                "legal_basis": basis,
                "procedure": "立案→调查取证→告知→陈述申辩（听证）→法制审核→决定→送达→执行→结案"
                if category == c.PowerCategory.PENALTY
                else "",
                "discretion": discretion,
                "legal_review_required": review,
                "published_on": dt.date(year, 1, 15),
                "is_active": True,
            },
        )
    _current_year(township, main)
    load_cases(township, main, year)
    load_supervision(township, main, year)
    return bodies


def _current_year(township: Township, body: EnforcementBody) -> None:
    """Warnings now: an officer whose certificate expires in 30 days (化工镇) and one whose
    certificate expired 10 days ago (扁担沟镇); both were valid in the report year."""
    today = timezone.localdate()
    offsets = {"化工镇": 30, "扁担沟镇": -10}
    if today.year <= 2025 or township.name not in offsets:
        return
    name = core_demo.invented_names(1, offset=1700 + township.pk)[0]
    officer = core_demo.upsert(
        Officer,
        {"township": township, "body": body, "name": name},
        {"kind": c.OfficerKind.OFFICER, "position": "执法队员", "is_active": True},
    )
    expires = today + dt.timedelta(days=offsets[township.name])
    core_demo.upsert(
        Certificate,
        {"township": township, "number": f"{township.county.code[-4:]}X{township.pk:03d}"},
        {
            "officer": officer,
            "category": "综合行政执法",
            "issuer": f"{township.county.name}人民政府",
            "issued_on": dt.date(expires.year - 6, expires.month, 1),
            "expires_on": expires,
            "status": c.CertificateStatus.VALID,
            "checked_year": today.year - 1,
        },
    )


# --- cases --------------------------------------------------------------------------------
def _handlers(body: EnforcementBody, on: dt.date) -> list[Officer]:
    people = Officer.objects.filter(
        body=body, kind=c.OfficerKind.OFFICER, is_active=True, is_legal_reviewer=False
    )
    return [o for o in people.order_by("pk") if o.certificate_on(on) is not None][:2]


def _reviewer(body: EnforcementBody) -> Officer | None:
    return Officer.objects.filter(body=body, is_legal_reviewer=True).first()


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _ordinary(township, body, power, party, cause, filed, *, fine, review, close=True):
    from decimal import Decimal

    from fazhi.enforcement import cases, rules

    if EnforcementCase.objects.filter(township=township, cause=cause, filed_on=filed).exists():
        return
    handlers = _handlers(body, filed)
    case = cases.file_case(
        township=township,
        power=power,
        body=body,
        handlers=handlers,
        party_kind="person",
        party_name=party,
        cause=cause,
        facts=f"经查，当事人{cause}。",
        filed_on=filed,
        actor=None,
    )
    cases.record_step(
        case,
        step=c.RecordStep.INVESTIGATION,
        form=c.RecordForm.TEXT,
        occurred_at=_aware(filed + dt.timedelta(days=1)),
        place="现场",
        summary="现场检查，制作现场检查笔录和询问笔录，拍照取证。",
        actor=None,
    )
    notified = filed + dt.timedelta(days=7)
    case = cases.notify(
        case,
        notified_on=notified,
        proposed_penalty=f"罚款{fine}元",
        fine_amount=Decimal(fine),
        actor=None,
    )
    if not close:
        return
    decided = notified + dt.timedelta(days=14)
    if review:
        reviewer = _reviewer(body)
        rv = cases.submit_review(
            case, reviewer=reviewer, submitted_on=notified + dt.timedelta(days=8), actor=None
        )
        cases.complete_review(
            rv,
            reviewed_on=notified + dt.timedelta(days=10),
            points={k: True for k, _ in rules.REVIEW_POINTS},
            opinion="执法主体适格，程序合法，事实清楚，证据确凿，适用法律正确，裁量适当。",
            passed=True,
            actor=None,
        )
        case.refresh_from_db()
    case = cases.decide(
        case,
        decided_on=decided,
        outcome=c.Outcome.PENALTY,
        decision=f"对当事人{party}罚款{fine}元。",
        fine_amount=Decimal(fine),
        actor=None,
    )
    cases.publish(case.disclosure, published_on=decided + dt.timedelta(days=3), actor=None)
    case = cases.serve(case, served_on=decided + dt.timedelta(days=1), actor=None)
    case = cases.record_payment(
        case, paid_on=decided + dt.timedelta(days=10), amount=Decimal(fine), actor=None
    )
    case = cases.close(case, closed_on=decided + dt.timedelta(days=11), actor=None)
    cases.review_file(
        case,
        reviewed_on=decided + dt.timedelta(days=40),
        reviewer="司法所",
        scores={"body": 15, "facts": 23, "law": 18, "procedure": 24, "documents": 13},
        actor=None,
    )


def load_cases(township: Township, body: EnforcementBody, year: int) -> None:
    """Two ordinary cases closed in the report year (one after 法制审核), and in the current
    year one case past its 90 days (化工镇) and one notified (寺庄镇)."""
    if township.name not in ("寺庄镇", "化工镇"):
        return
    powers = {p.code: p for p in Power.objects.filter(township=township)}
    names = core_demo.invented_names(4, offset=2100 + township.pk * 7)
    _ordinary(
        township,
        body,
        powers["CF-003"],
        names[0],
        "露天焚烧秸秆",
        dt.date(year, 3, 10),
        fine=500,
        review=False,
    )
    _ordinary(
        township,
        body,
        powers["CF-002"],
        names[1],
        "未经批准擅自建设临时建筑",
        dt.date(year, 8, 4),
        fine=20000,
        review=True,
    )
    today = timezone.localdate()
    if today.year <= year:
        return
    if township.name == "化工镇":
        _ordinary(
            township,
            body,
            powers["CF-004"],
            names[2],
            "未经批准占用耕地建房",
            max(dt.date(today.year, 1, 5), today - dt.timedelta(days=100)),
            fine=8000,
            review=True,
            close=False,
        )
    else:
        _ordinary(
            township,
            body,
            powers["CF-001"],
            names[3],
            "占道经营",
            max(dt.date(today.year, 1, 5), today - dt.timedelta(days=20)),
            fine=200,
            review=False,
            close=False,
        )


def load_supervision(township: Township, body: EnforcementBody, year: int) -> None:
    """化工镇: in the report year a routine supervision by the 司法所 whose 监督意见书 was
    corrected and confirmed (整改完成率 100%); in the current year a single-case supervision by
    the county 司法局 of the case past its 90 days, whose correction is overdue (it escalates
    through the deadline sweep and shows on the matter's page)."""
    if township.name != "化工镇":
        return
    from fazhi.enforcement import supervision
    from fazhi.enforcement.models import SupervisionMatter

    title = f"{year}年上半年行政执法案卷日常监督"
    if not SupervisionMatter.objects.filter(township=township, title=title).exists():
        _routine_supervision(township, body, year, title)
    today = timezone.localdate()
    if today.year <= year:
        return
    case = (
        EnforcementCase.objects.filter(township=township, decided_on__isnull=True)
        .order_by("filed_on")
        .first()
    )
    if case is None or SupervisionMatter.objects.filter(case=case).exists():
        return
    started = max(case.filed_on, today - dt.timedelta(days=45))
    county = township.county
    single = supervision.open_matter(
        township=township,
        kind=c.SupervisionKind.SINGLE_CASE,
        level=c.SupervisorLevel.COUNTY,
        supervisor=f"{county.name}司法局" if county else "县司法局",
        title=f"{c.RiskSignal.CASE_OVERDUE.label}：{case}",
        subject=c.SupervisionSubject.CASE,
        body=case.body,
        case=case,
        started_on=started,
        findings="案件超过90日办案期限未作出决定，亦未办理延期审批。",
        signal=c.RiskSignal.CASE_OVERDUE,
        actor=None,
    )
    supervision.issue_opinion(
        single,
        issued_on=started,
        problems=single.findings,
        requirements="依法作出处理决定或按规定办理延期审批，并书面说明超期原因。",
        actor=None,
    )


def _routine_supervision(township: Township, body: EnforcementBody, year: int, title: str) -> None:
    from fazhi.enforcement import supervision

    matter = supervision.open_matter(
        township=township,
        kind=c.SupervisionKind.ROUTINE,
        level=c.SupervisorLevel.TOWNSHIP,
        supervisor=f"{township.name}司法所",
        title=title,
        subject=c.SupervisionSubject.BODY,
        body=body,
        started_on=dt.date(year, 6, 3),
        findings="抽查案卷2件：1件送达回证未附卷，1件裁量理由说明不充分。",
        actor=None,
    )
    opinion = supervision.issue_opinion(
        matter,
        issued_on=dt.date(year, 6, 10),
        problems=matter.findings,
        requirements="补齐送达回证；对照裁量基准补充裁量理由说明；建立案卷自查制度。",
        actor=None,
    )
    opinion = supervision.report_correction(
        opinion,
        reported_on=dt.date(year, 7, 1),
        correction="已补齐送达回证并补充裁量说明，制定《案卷自查办法》。",
        actor=None,
    )
    supervision.review_correction(
        opinion,
        reviewed_on=dt.date(year, 7, 5),
        accepted=True,
        note="经复查，整改到位。",
        actor=None,
    )
    matter.refresh_from_db()
    supervision.close_matter(matter, closed_on=dt.date(year, 7, 5), actor=None)


ORDER = ("杜关镇", "寺庄镇", "化工镇", "将官池镇", "扁担沟镇")


@core_demo.loader
def load(townships: dict[str, Township]) -> None:
    """Load the enforcement demo for whichever seed townships are given (keys are names)."""
    for index, name in enumerate(ORDER):
        township = townships.get(name)
        if township is not None:
            load_township(township, index)
