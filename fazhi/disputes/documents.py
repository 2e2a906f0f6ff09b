"""The 人民调解协议书 (.docx): a versioned template, a pure function that builds its data, and
the rendering through core.docx (autoescaped).

The template is generated with python-docx by `build_template()` (run at first use when the
file is missing; the generated file is committed under fazhi/disputes/docx/). Changing the
layout means a new version: add `mediation_agreement_v2.docx` and bump TEMPLATE_VERSION, so
that every agreement records which version it was printed with.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction

from fazhi.core.audit import record_event
from fazhi.disputes import rules
from fazhi.disputes.models import MediationAgreement
from fazhi.parties import pii

TEMPLATE_VERSION = "v1"
TEMPLATE_DIR = Path(__file__).resolve().parent / "docx"
TEMPLATE_PATH = TEMPLATE_DIR / f"mediation_agreement_{TEMPLATE_VERSION}.docx"
_DIGITS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 23 → 二十三, 30 → 三十 (months and days)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def cn_date(day: dt.date | None) -> str:
    """二〇二五年三月五日 — the date style of official documents."""
    if day is None:
        return "    年  月  日"
    year = "".join(_DIGITS[int(ch)] for ch in str(day.year))
    return f"{year}年{cn_number(day.month)}月{cn_number(day.day)}日"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()] or ["（无）"]


def _birth(id_number: str) -> str:
    number = pii.normalise_id(id_number)
    if len(number) == 18 and number[:17].isdigit():
        try:
            born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            return ""
        return f"{born.year}年{born.month}月{born.day}日出生"
    return ""


def party_line(party: Any, role: str, *, unmasked: bool) -> str:
    """One line of the parties' basic information (第二十九条第一款第（一）项)."""
    show = (lambda f, v: v) if unmasked else pii.mask
    parts = [f"{role}：{party.name}"]
    if party.kind == "organisation":
        if party.address:
            parts.append(f"住所地：{show('address', party.address)}")
        if party.representative:
            parts.append(f"法定代表人(负责人)：{party.representative}")
        if party.id_number:
            parts.append(f"统一社会信用代码：{show('id_number', party.id_number)}")
    else:
        if party.gender:
            parts.append(party.get_gender_display())
        if party.ethnicity:
            parts.append(party.ethnicity)
        birth = _birth(party.id_number) if unmasked else ""
        if birth:
            parts.append(birth)
        if party.id_number:
            parts.append(f"公民身份号码：{show('id_number', party.id_number)}")
        if party.address:
            parts.append(f"住址：{show('address', party.address)}")
    if party.phone:
        parts.append(f"联系电话：{show('phone', party.phone)}")
    return "，".join(parts) + "。"


def agreement_context(agreement: MediationAgreement, *, unmasked: bool) -> dict[str, Any]:
    """The template's data (pure: reads the agreement, writes nothing)."""
    dispute = agreement.dispute
    links = list(dispute.dispute_parties.select_related("party").order_by("role", "pk"))
    parties = [
        {
            "role": link.get_role_display(),
            "name": link.party.name,
            "line": party_line(link.party, link.get_role_display(), unmasked=unmasked),
        }
        for link in links
    ]
    mediators = []
    if dispute.mediator_id:
        mediators.append(dispute.mediator.name)
    for session in dispute.sessions.prefetch_related("mediators"):
        for m in session.mediators.all():
            if m.name not in mediators:
                mediators.append(m.name)
    committee = (
        dispute.committee.name if dispute.committee_id else f"{dispute.township.name}人民调解委员会"
    )
    copies = agreement.copies or (len(links) + 1)
    return {
        "committee": committee,
        "number": agreement.number or "",
        "dispute_number": dispute.number,
        "parties": parties,
        "facts": _lines(agreement.facts),
        "responsibilities": _lines(agreement.responsibilities),
        "terms": _lines(agreement.terms),
        "performance_method": agreement.performance_method,
        "performance_deadline": cn_date(agreement.performance_deadline),
        "performance_place": agreement.performance_place or "（无）",
        "copies": cn_number(copies) if copies < 100 else str(copies),
        "place": agreement.place,
        "mediators": "、".join(mediators) or "",
        "made_on": cn_date(agreement.made_on),
        "citation": rules.CITATION_AGREEMENT,
        "court_days": rules.COURT_CONFIRMATION.length,
        "version": TEMPLATE_VERSION,
    }


def build_template(path: Path = TEMPLATE_PATH) -> Path:
    """Write the template with python-docx: A4, 仿宋 body, 方正小标宋-style bold title, each
    Jinja tag in a run of its own (docxtpl requirement)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = "仿宋"
    normal.font.size = Pt(16)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)

    def para(
        text: str = "",
        *,
        bold: bool = False,
        align=None,
        size: int | None = None,
        indent: bool = False,
    ):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        if text:
            run = p.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
        return p

    para("{{ committee }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=22)
    para("人民调解协议书", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=22)
    para("编号：{{ number }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para("当事人基本情况：", bold=True)
    para("{%p for p in parties %}")
    para("{{ p.line }}", indent=True)
    para("{%p endfor %}")
    para("纠纷主要事实、争议事项：", bold=True)
    para("{%p for line in facts %}")
    para("{{ line }}", indent=True)
    para("{%p endfor %}")
    para("各方当事人的责任：", bold=True)
    para("{%p for line in responsibilities %}")
    para("{{ line }}", indent=True)
    para("{%p endfor %}")
    para("经人民调解委员会调解，各方当事人自愿达成如下协议：", bold=True)
    para("{%p for line in terms %}")
    para("{{ line }}", indent=True)
    para("{%p endfor %}")
    para("履行方式：{{ performance_method }}", indent=True)
    para("履行期限：{{ performance_deadline }}前履行完毕。", indent=True)
    para("履行地点：{{ performance_place }}", indent=True)
    para(
        "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
        "本协议一式{{ copies }}份，当事人各执一份，人民调解委员会留存一份。",
        indent=True,
    )
    para(
        "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。双方当事人认为有必要的，"
        "可以自本协议生效之日起{{ court_days }}日内共同向人民法院申请司法确认。",
        indent=True,
    )
    para()
    para("当事人（签名、盖章或按指印）：", bold=True)
    para("{%p for p in parties %}")
    para("{{ p.role }}：{{ p.name }}            ________________", indent=True)
    para("{%p endfor %}")
    para("人民调解员（签名）：{{ mediators }}            ________________")
    para("调解地点：{{ place }}")
    para("（人民调解委员会印章）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para("{{ made_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    footer = section.footer.paragraphs[0]
    footer.text = "受理编号：{{ dispute_number }}　依据：{{ citation }}　文书模板{{ version }}"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in footer.runs:
        run.font.size = Pt(9)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def template_path() -> Path:
    if not TEMPLATE_PATH.exists():
        build_template(TEMPLATE_PATH)
    return TEMPLATE_PATH


@transaction.atomic
def render_agreement(agreement: MediationAgreement, *, user: Any) -> bytes:
    """The .docx of an agreement for printing. Parties' PII is printed in full only for a user
    allowed to reveal it through this dispute; each such print is recorded per party
    (parties.pii_viewed). The template version used is stored on the agreement."""
    from fazhi.core import docx
    from fazhi.parties.pii import can_reveal

    dispute = agreement.dispute
    links = list(dispute.dispute_parties.select_related("party"))
    unmasked = all(can_reveal(user, link.party, dispute) for link in links)
    content = docx.render_docx(template_path(), agreement_context(agreement, unmasked=unmasked))
    if unmasked:
        for link in links:
            record_event(
                "parties.pii_viewed",
                f"打印调解协议书{agreement.number}，含当事人{link.party.name}的个人信息",
                township=agreement.township_id,
                actor=user,
                obj=link.party,
                payload={
                    "field": "id_number,phone,address",
                    "via": f"disputes.mediationagreement:{agreement.pk}",
                },
            )
    if agreement.template_version != TEMPLATE_VERSION:
        MediationAgreement.objects.filter(pk=agreement.pk).update(template_version=TEMPLATE_VERSION)
    record_event(
        "disputes.agreement_printed",
        f"生成调解协议书{agreement.number}（模板{TEMPLATE_VERSION}{'' if unmasked else '，个人信息脱敏'}）",
        township=agreement.township_id,
        actor=user,
        obj=dispute,
        payload={"agreement": agreement.pk, "version": TEMPLATE_VERSION, "unmasked": unmasked},
    )
    return content
