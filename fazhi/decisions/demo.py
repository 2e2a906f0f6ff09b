"""Demo major decisions (演示数据), each taken through every step by the services.

- 寺庄镇 (001): “优化重大行政决策公众参与、专家论证流程，法律顾问全程参与率保持100%，开展决策后评估
  工作” → two decisions with public comment, the advisor's opinion in both reviews (2/2), one
  post-evaluated.
- 将官池镇 (003): “坚持重大行政决策前学法制度…对于专业性和技术性较强的重大决策事项，均向行业专家和
  法律专家咨询论证” → a decision with 会前学法 and expert review.
- 杜关镇 (000), 化工镇 (002): “在重大决策事项中，预先征询法律顾问的法律意见” → one decision each.
The legality reviews are the legal app's demo reviews (same titles), concluded there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core import demo as core_demo
from fazhi.core.models import Department, Staff, Township
from fazhi.decisions import services
from fazhi.decisions.choices import Status
from fazhi.decisions.models import Catalogue, Decision
from fazhi.legal.choices import ReviewKind
from fazhi.legal.models import ReviewRequest

D = dt.date
NOTE = "（演示数据）"


def _study(t: Township, before: dt.date) -> Any:
    from fazhi.governance.models import StudySession

    found = (
        StudySession.objects.filter(township=t, kind="pre_meeting", held_on__lte=before)
        .order_by("-held_on")
        .first()
    )
    if found is not None:
        return found
    return core_demo.upsert(
        StudySession,
        {"township": t, "held_on": before, "kind": "pre_meeting",
         "topic": "会前学法：《重大行政决策程序暂行条例》"},
        {"speaker": "法律顾问", "attendance": 9, "note": NOTE},
    )  # fmt: skip


def decision(t: Township, title: str, *, comment: tuple[dt.date, dt.date], meeting: dt.date,
             published: dt.date, expert: dt.date | None = None, evaluated: dt.date | None = None,
             comments: tuple[str, ...] = ("建议加强施工期间交通疏导",)) -> Decision:  # fmt: skip
    cat = Catalogue.objects.filter(township=t, year=2025).first()
    lines = set(filter(None, cat.entries.splitlines())) if cat else set()
    cat = core_demo.upsert(
        Catalogue,
        {"township": t, "year": 2025},
        {"document_no": f"{t.name[:2]}政〔2025〕2号", "approved_on": D(2025, 2, 10),
         "published_on": D(2025, 2, 14), "entries": "\n".join(sorted(lines | {title}))},
    )  # fmt: skip
    unit = Department.objects.filter(township=t).exclude(kind="justice").order_by("pk").first()
    d = core_demo.upsert(
        Decision,
        {"township": t, "year": 2025, "title": title},
        {"catalogue": cat, "lead_unit": unit, "executing_unit": unit,
         "draft": f"《{title}》草案及起草说明{NOTE}", "expert_required": expert is not None},
    )  # fmt: skip
    if d.status == Status.DRAFTING:
        d = services.open_comment(d, actor=None, start=comment[0], end=comment[1])
        for i, text in enumerate(comments):
            c = services.submit_public_comment(
                d, content=text + NOTE, on=comment[0] + dt.timedelta(days=3 + i)
            )
            services.record_adoption(
                c, actor=None, adoption="adopted", reply="已在方案中补充" + NOTE
            )
        d = services.close_comment(
            d, actor=None, summary=f"收到意见{len(comments)}条，均予采纳。{NOTE}"
        )
        if expert:
            d = services.record_expert(
                d, actor=None, on=expert, opinion="方案技术可行，建议分期实施。" + NOTE
            )
        review = ReviewRequest.objects.get(township=t, kind=ReviewKind.MAJOR_DECISION, title=title)
        d = services.attach_review(d, review, actor=None)
        head = Staff.objects.filter(township=t, position="镇长").first()
        d = services.discuss(
            d, actor=None, meeting_on=meeting, meeting_kind="executive",
            minutes=f"镇政府常务会议研究{title}，与会人员逐一发表意见，镇长最后发言并作出决定。{NOTE}",
            dissent="一名班子成员建议分期实施，已记录。", head=head, head_spoke_last=True,
            outcome="adopted", study=_study(t, meeting),
        )  # fmt: skip
        d = services.publish(d, actor=None, on=published, channel="镇政府网站、政务公开栏",
                             adoption_note=f"公众意见{len(comments)}条均予采纳。{NOTE}",
                             party_reported_on=published)  # fmt: skip
        d = services.record_progress(d, actor=None, progress="已按计划推进实施。" + NOTE)
        if evaluated:
            d = services.evaluate(
                d, actor=None, on=evaluated, evaluation="实施效果达到预期。" + NOTE
            )
    return d


@core_demo.loader
def load_decisions(townships: dict[str, Township]) -> None:
    if "寺庄镇" in townships:
        t = townships["寺庄镇"]
        decision(t, "寺庄镇2025年农村人居环境整治提升实施方案", comment=(D(2025, 1, 20), D(2025, 2, 28)),
                 meeting=D(2025, 3, 18), published=D(2025, 3, 21), evaluated=D(2025, 11, 28))  # fmt: skip
        decision(t, "寺庄镇集镇区征地拆迁补偿安置方案", comment=(D(2025, 4, 28), D(2025, 6, 5)),
                 meeting=D(2025, 6, 24), published=D(2025, 6, 27))  # fmt: skip
    if "杜关镇" in townships:
        decision(townships["杜关镇"], "杜关镇2025年高标准农田建设项目实施方案",
                 comment=(D(2025, 3, 3), D(2025, 4, 3)), meeting=D(2025, 4, 22), published=D(2025, 4, 25))  # fmt: skip
    if "化工镇" in townships:
        decision(townships["化工镇"], "化工镇2025年产业园区道路建设方案",
                 comment=(D(2025, 4, 1), D(2025, 5, 2)), meeting=D(2025, 5, 20), published=D(2025, 5, 23))  # fmt: skip
    if "将官池镇" in townships:
        t = townships["将官池镇"]
        from fazhi.legal import demo as legal_demo
        from fazhi.legal.models import Advisor

        title = "城南商贸物流园区配套道路建设方案"
        adv = Advisor.objects.filter(township=t).order_by("pk").first()
        if adv is not None:
            legal_demo.review(
                t, ReviewKind.MAJOR_DECISION, title, D(2025, 6, 23), D(2025, 7, 2), adv
            )
            decision(t, title, comment=(D(2025, 5, 12), D(2025, 6, 12)), meeting=D(2025, 7, 10),
                     published=D(2025, 7, 14), expert=D(2025, 6, 18))  # fmt: skip
