"""Demo records of legal advisors and legality review for the seed townships (演示数据; names of
people and firms are invented).

What each seed states, and what the records give through the registry:
- 寺庄镇 (001, 2025): “在重大决策…中主动征求法律顾问意见”, “法律顾问全程参与率保持100%” → every
  major-decision review carries the advisor's opinion (2/2 = 100%). (Its 48 lawyer duty sessions,
  100余条 questions and 2000余人次 are the outreach app's records: `outreach.DutySession`.)
- 杜关镇 (000, 2025): “聘请资深律师担任单位法律顾问…在重大决策事项中，预先征询法律顾问的法律意见” →
  one engaged lawyer; the major-decision review has the advisor's opinion.
- 化工镇 (002, 2025): “持续发挥法律顾问在重大决策、合同审查中的作用” → contracts reviewed by the
  advisor before signing.
- 将官池镇 (003, 2025): “镇政府和各村签订的合同由法律顾问先行审查”; “村居法律顾问” → 3 township and
  4 village contracts, all reviewed first by the advisor (7/7); village advisors for its villages.
- 寺庄镇 also: “全年行政复议案件零发生” → a declared nil return (indicators.FigureDeclaration) for
  legal.reconsiderations, so the figure is 0 (零报告), not 未记录; “全面履行法院生效裁判，未出现拒绝
  执行、拖延执行或规避执行” → one civil judgment performed before its deadline (1/1) and a nil
  return for legal.judgments_not_performed.
- 杜关镇 also: “行政应诉案件均由法律顾问进行先期研究” → its one case's defence reviewed by the advisor
  (1/1), the head in court.
- 化工镇 also: “未发生…行政复议被撤销或行政诉讼败诉案件” → one reconsideration, maintained (被纠错 0).
- 扁担沟镇 (004, 2023): “聘请世伦律师事务所4名律师担任我镇法律顾问调解员”, “…担任我镇18个村法律顾问
  调解员” → 4 lawyers of 世伦律师事务所, mediators too, covering the 18 villages (18/18).

The services are called (numbers, deadlines, evidence and history as if entered on the day);
a second load changes nothing (records are found by their natural keys first).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fazhi.core import demo as core_demo
from fazhi.core.models import Department, Staff, Township, Village
from fazhi.legal import cases, services
from fazhi.legal.choices import (
    AdvisorKind,
    ContractKind,
    ContractStatus,
    ReviewerKind,
    ReviewKind,
    ReviewOutcome,
)
from fazhi.legal.models import (
    Advisor,
    AdvisorEngagement,
    Contract,
    Hearing,
    Judgment,
    Litigation,
    Reconsideration,
    ReviewRequest,
)

D = dt.date
NOTE = "（演示数据）"


def _justice(township: Township) -> tuple[Department | None, Staff | None]:
    dept = Department.objects.filter(township=township, kind="justice").first()
    staff = (
        Staff.objects.filter(township=township, department=dept).order_by("pk").first()
        if dept
        else None
    )
    return dept, staff


def engage(township: Township, firm: str, start: dt.date, end: dt.date, fee: str,
           *, villages: bool = False) -> AdvisorEngagement:  # fmt: skip
    return core_demo.upsert(
        AdvisorEngagement,
        {"township": township, "firm": firm, "start": start},
        {
            "end": end,
            "fee": Decimal(fee),
            "contract_no": f"{township.name}法顾〔{start.year}〕1号",
            "services": "重大行政决策、规范性文件和合同合法性审查，行政应诉，法治培训" + NOTE,
            "covers_villages": villages,
        },
    )


def advisor(township: Township, name: str, engagement: AdvisorEngagement, *,
            villages: list[Village] = (), mediator: bool = False) -> Advisor:  # fmt: skip
    a = core_demo.upsert(
        Advisor,
        {"township": township, "name": name, "start": engagement.start},
        {
            "kind": AdvisorKind.LAWYER,
            "engagement": engagement,
            "end": engagement.end,
            "is_township_advisor": True,
            "is_mediator": mediator,
            "license_no": "",
        },
    )
    if villages and set(a.villages.values_list("pk", flat=True)) != {v.pk for v in villages}:
        a.villages.set(villages)
    return a


def review(township: Township, kind: str, title: str, submitted: dt.date, opinion_on: dt.date,
           adv: Advisor | None, *, village: Village | None = None,
           outcome: str = ReviewOutcome.PASSED) -> ReviewRequest:  # fmt: skip
    existing = ReviewRequest.objects.filter(township=township, kind=kind, title=title).first()
    if existing is not None:
        return existing
    dept, reviewer = _justice(township)
    r = services.submit_review(
        township,
        kind=kind,
        title=title,
        submitted_on=submitted,
        actor=None,
        unit=None,
        village=village,
        reviewer_kind=(ReviewerKind.JOINT if adv else ReviewerKind.JUSTICE)
        if reviewer
        else ReviewerKind.ADVISOR,
        reviewer=reviewer,
        advisor=adv,
        materials="送审稿、起草说明及依据" + NOTE,
    )
    return services.conclude_review(
        r,
        actor=None,
        outcome=outcome,
        opinion="主体适格，权限、程序合法，内容不违反法律法规规定。" + NOTE,
        advisor_opinion=f"经审查，同意送审稿，建议完善违约责任条款。（{adv.name}）{NOTE}"
        if adv
        else "",
        on=opinion_on,
    )


def contract(township: Township, title: str, counterparty: str, kind: str, amount: str,
             submitted: dt.date, reviewed: dt.date, signed: dt.date, adv: Advisor,
             village: Village | None = None) -> Contract:  # fmt: skip
    c = core_demo.upsert(
        Contract,
        {"township": township, "title": title},
        {
            "counterparty": counterparty,
            "kind": kind,
            "amount": Decimal(amount),
            "village": village,
            "summary": NOTE,
        },  # fmt: skip
    )
    if c.status == ContractStatus.DRAFT:
        _, reviewer = _justice(township)
        c = services.submit_contract(
            c, actor=None, on=submitted, reviewer_kind=ReviewerKind.JOINT if reviewer else
            ReviewerKind.ADVISOR, reviewer=reviewer, advisor=adv,
        )  # fmt: skip
    if c.status == ContractStatus.IN_REVIEW:
        services.conclude_review(
            c.review,
            actor=None,
            outcome=ReviewOutcome.PASSED,
            opinion="合同主体适格，内容合法，条款完备。" + NOTE,
            advisor_opinion=f"法律顾问先行审查：同意签订。（{adv.name}）{NOTE}",
            on=reviewed,
        )
        c.refresh_from_db()
    if c.status == ContractStatus.REVIEWED:
        c = services.sign_contract(c, actor=None, on=signed)
    return c


def _villages(township: Township) -> list[Village]:
    return list(Village.objects.filter(township=township).order_by("pk"))


def load_sizhuang(t: Township) -> None:
    e = engage(t, "高平明理律师事务所", D(2025, 1, 1), D(2025, 12, 31), "30000.00")
    a = advisor(t, "韩志远", e)
    review(t, ReviewKind.MAJOR_DECISION, "寺庄镇2025年农村人居环境整治提升实施方案",
           D(2025, 3, 3), D(2025, 3, 12), a)  # fmt: skip
    review(t, ReviewKind.MAJOR_DECISION, "寺庄镇集镇区征地拆迁补偿安置方案",
           D(2025, 6, 9), D(2025, 6, 18), a)  # fmt: skip


def declare_nil(t: Township, code: str, year: int, reason: str) -> None:
    """A real zero (零报告): the ledger is kept and nothing happened (indicators' declaration)."""
    from fazhi.indicators.models import FigureDeclaration

    core_demo.upsert(
        FigureDeclaration,
        {"township": t, "metric_code": code, "year": year},
        {"kind": "nil", "reason": reason},
    )


def load_sizhuang_cases(t: Township) -> None:
    # “全年行政复议案件零发生”: the reconsideration ledger is kept and empty → a declared 0
    declare_nil(t, "legal.reconsiderations", 2025, "行政复议案件台账：2025年度未发生" + NOTE)
    # “全面履行法院生效裁判，未出现拒绝执行、拖延执行或规避执行的情况”
    if not Judgment.objects.filter(township=t, case_no="（2025）晋0581民初1126号").exists():
        j = cases.create_judgment(
            Judgment,
            {"township": t, "kind": "civil", "court": "高平市人民法院",
             "case_no": "（2025）晋0581民初1126号", "effective_on": D(2025, 8, 20),
             "obligations": "支付村道硬化工程尾款86,500元" + NOTE, "perform_due_on": D(2025, 9, 19)},
            actor=None,
        )  # fmt: skip
        cases.perform_judgment(j, actor=None, on=D(2025, 9, 10),
                               note="已通过财政账户转账支付，附付款凭证" + NOTE)  # fmt: skip
    declare_nil(
        t,
        "legal.judgments_not_performed",
        2025,
        "生效裁判履行台账：无拒不履行、拖延履行、规避执行" + NOTE,
    )


def load_duguan(t: Township) -> None:
    e = engage(t, "卢氏正源律师事务所", D(2025, 1, 1), D(2025, 12, 31), "20000.00")
    a = advisor(t, "孙立诚", e)
    # “在行政应诉案件均由法律顾问进行先期研究并提出法律意见”
    if not Litigation.objects.filter(township=t, case_no="（2025）豫1224行初18号").exists():
        c = cases.create_litigation(
            Litigation,
            {"township": t, "plaintiff": "某养殖户" + NOTE, "court": "卢氏县人民法院",
             "case_no": "（2025）豫1224行初18号", "act": "责令限期拆除违法建设的决定",
             "served_on": D(2025, 5, 12)},
            actor=None,
        )  # fmt: skip
        r = review(t, ReviewKind.LITIGATION, "（2025）豫1224行初18号答辩状", D(2025, 5, 14),
                   D(2025, 5, 19), a)  # fmt: skip
        c = cases.defend_litigation(c, actor=None, on=D(2025, 5, 22), review=r)
        head = Staff.objects.filter(township=t, position="镇长").first()
        core_demo.upsert(Hearing, {"township": t, "litigation": c, "held_on": D(2025, 6, 18)},
                         {"head_appeared": True, "head": head})  # fmt: skip
        cases.judge_litigation(c, actor=None, on=D(2025, 7, 8), result="won")
    review(t, ReviewKind.MAJOR_DECISION, "杜关镇2025年高标准农田建设项目实施方案",
           D(2025, 4, 7), D(2025, 4, 16), a)  # fmt: skip


def load_huagong(t: Township) -> None:
    e = engage(t, "孟州公允律师事务所", D(2025, 1, 1), D(2025, 12, 31), "24000.00")
    a = advisor(t, "马文博", e)
    contract(t, "化工镇政府办公楼维修工程施工合同", "孟州市某建筑工程有限公司", ContractKind.CONSTRUCTION,
             "186000.00", D(2025, 4, 1), D(2025, 4, 8), D(2025, 4, 10), a)  # fmt: skip
    contract(t, "化工镇环卫保洁服务委托合同", "孟州市某物业服务有限公司", ContractKind.SERVICE,
             "240000.00", D(2025, 7, 1), D(2025, 7, 7), D(2025, 7, 9), a)  # fmt: skip
    review(t, ReviewKind.MAJOR_DECISION, "化工镇2025年产业园区道路建设方案",
           D(2025, 5, 6), D(2025, 5, 15), a)  # fmt: skip
    # “全年未发生因执法不当引发的行政复议被撤销或行政诉讼败诉案件”: one case, maintained
    if not Reconsideration.objects.filter(township=t, case_no="孟政复〔2025〕9号").exists():
        r = cases.create_reconsideration(
            Reconsideration,
            {"township": t, "applicant": "某商户" + NOTE, "act": "占道经营责令改正通知",
             "body": "孟州市人民政府", "case_no": "孟政复〔2025〕9号", "received_on": D(2025, 6, 9)},
            actor=None,
        )  # fmt: skip
        r = cases.answer_reconsideration(r, actor=None, on=D(2025, 6, 17))
        cases.decide_reconsideration(r, actor=None, on=D(2025, 8, 1), decision="maintain")
    declare_nil(t, "legal.reconsideration_corrected", 2025, "行政复议台账：被纠错0件" + NOTE)
    declare_nil(t, "legal.litigation_lost", 2025, "行政应诉台账：2025年度无败诉案件" + NOTE)


def load_jiangguanchi(t: Township) -> None:
    e = engage(t, "许昌信达律师事务所", D(2025, 1, 1), D(2025, 12, 31), "36000.00", villages=True)
    vs = _villages(t)
    a = advisor(t, "冯启明", e, villages=vs[: len(vs) // 2])
    b = advisor(t, "邓雅琴", e, villages=vs[len(vs) // 2 :])
    contract(t, "胖东来高新技术产业园区土地租赁协议", "许昌某产业发展有限公司", ContractKind.LEASE,
             "1200000.00", D(2025, 3, 3), D(2025, 3, 10), D(2025, 3, 12), a)  # fmt: skip
    contract(t, "城南商贸物流园区基础设施建设合同", "河南某建设集团有限公司", ContractKind.CONSTRUCTION,
             "3600000.00", D(2025, 5, 6), D(2025, 5, 13), D(2025, 5, 15), a)  # fmt: skip
    contract(t, "将官池镇2025年绿化养护服务合同", "许昌某园林有限公司", ContractKind.SERVICE,
             "150000.00", D(2025, 8, 4), D(2025, 8, 8), D(2025, 8, 11), b)  # fmt: skip
    for i, village in enumerate(vs[:4]):
        contract(t, f"{village.name}集体土地流转合同", f"{village.name}种植专业合作社", ContractKind.LAND,
                 f"{80000 + 10000 * i}.00", D(2025, 2 + i, 3), D(2025, 2 + i, 7), D(2025, 2 + i, 10),
                 a if i % 2 == 0 else b, village)  # fmt: skip


def load_biandangou(t: Township) -> None:
    e = engage(t, "世伦律师事务所", D(2023, 1, 1), D(2023, 12, 31), "40000.00", villages=True)
    vs = _villages(t)
    names = ("白振宁", "马丽华", "杨守正", "丁海峰")
    for i, name in enumerate(names):
        advisor(t, name, e, villages=vs[i::4], mediator=True)


LOADERS = {
    "寺庄镇": lambda t: (load_sizhuang(t), load_sizhuang_cases(t)),
    "杜关镇": load_duguan,
    "化工镇": load_huagong,
    "将官池镇": load_jiangguanchi,
    "扁担沟镇": load_biandangou,
}


#: the generated neighbours of 寺庄镇 (core.demo.NEIGHBOURS): contracts reviewed in 2025
NEIGHBOUR_REVIEWS = {
    "东岭镇（演示）": ("村级活动场所维修工程施工合同", "农村饮水安全巩固提升工程合同", "镇区保洁服务采购合同", "闲置校舍租赁合同"),
    "南川镇（演示）": ("河道清淤工程施工合同",),
}  # fmt: skip


def load_neighbour(t: Township, titles: tuple[str, ...]) -> None:
    for i, title in enumerate(titles):
        submitted = D(2025, 3 + 2 * i, 10)
        review(
            t,
            ReviewKind.TOWNSHIP_CONTRACT,
            title,
            submitted,
            submitted + dt.timedelta(days=4),
            None,
        )


def load_current(t: Township) -> None:
    """This year: a contract sent for review a few days ago, its review period running (so the
    legal reviewer's 我的期限 and the county's views have something today)."""
    from django.utils import timezone

    today = timezone.localdate()
    if today.year <= 2025:
        return
    title = f"{today.year}年度镇区绿化养护服务合同"
    if ReviewRequest.objects.filter(
        township=t, kind=ReviewKind.TOWNSHIP_CONTRACT, title=title
    ).exists():
        return
    _dept, reviewer = _justice(t)
    services.submit_review(
        t,
        kind=ReviewKind.TOWNSHIP_CONTRACT,
        title=title,
        submitted_on=max(D(today.year, 1, 5), today - dt.timedelta(days=3)),
        actor=None,
        reviewer_kind=ReviewerKind.JUSTICE,
        reviewer=reviewer,
        materials="合同文本、采购文件及依据" + NOTE,
    )


@core_demo.loader
def load_legal(townships: dict[str, Township]) -> None:
    for name, step in LOADERS.items():
        if name in townships:
            step(townships[name])
    for name, titles in NEIGHBOUR_REVIEWS.items():
        if name in townships:
            load_neighbour(townships[name], titles)
            load_current(townships[name])
    if "寺庄镇" in townships:
        load_current(townships["寺庄镇"])


def load(townships: dict[str, Any]) -> None:
    """For tests: load only the townships given."""
    load_legal(townships)
