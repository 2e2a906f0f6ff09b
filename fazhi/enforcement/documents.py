"""Documents of an enforcement case as .docx (core.docx: autoescaped, strict): the 立案审批表
before the decision, the 行政处罚事先告知书 (第四十四条、第四十五条、第六十三条、第六十四条) once
notified, the 行政处罚决定书 with the contents of 第五十九条 and its 送达回证 (第六十一条) after
the decision. Context functions are pure and unit-tested; templates are versioned under docx/;
the 告知书 and 送达回证 follow GB/T 9704-2012 (`docx_form`, REGULATIONS.md §14) and are written
by `build_templates()` at first use when missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fazhi.core.docx import render_docx
from fazhi.enforcement import rules
from fazhi.enforcement.models import EnforcementCase

DOCX = Path(__file__).parent / "docx"
DECISION_TEMPLATE = DOCX / "penalty_decision_v1.docx"
FILING_TEMPLATE = DOCX / "filing_approval_v1.docx"


def _date(d: Any) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def context(case: EnforcementCase) -> dict[str, Any]:
    payment = "无罚款。"
    if case.fine_amount:
        payment = (
            f"自收到本决定书之日起十五日内缴纳罚款{case.fine_amount}元；到期不缴纳的，每日按罚款数额的"
            f"百分之{rules.LATE_RATE_PERCENT}加处罚款，加处罚款的数额不超出罚款的数额（《行政处罚法》第七十二条）。"
        )
    return {
        "body": case.body.name,
        "number": case.number,
        "decision_number": case.decision_number,
        "party_name": case.party_name,
        "party_kind": case.get_party_kind_display(),
        "party_id_number": case.party_id_number,
        "party_address": case.party_address,
        "cause": case.cause,
        "facts": case.facts or case.cause,
        "decision": case.decision,
        "power": case.power.name,
        "legal_basis": case.power.legal_basis,
        "payment": payment,
        "handlers": "、".join(h.name for h in case.handlers.all()),
        "filed_on": _date(case.filed_on),
        "decided_on": _date(case.decided_on),
    }


def render(case: EnforcementCase) -> tuple[bytes, str]:
    """The case's main document: 立案审批表 before the decision, 处罚决定书 after it (v2: GB/T
    9704 form; the v1 files stay for documents printed with them)."""
    if case.decision_number:
        return render_docx(
            _main_template(DECISION_TEMPLATE_V2), context(case)
        ), f"行政处罚决定书{case.decision_number}.docx"
    return render_docx(
        _main_template(FILING_TEMPLATE_V2), context(case)
    ), f"立案审批表{case.number}.docx"


def _main_template(path: Path) -> Path:
    if not path.exists():
        build_main_templates()
    return path


OPINION_TEMPLATE = DOCX / "supervision_opinion_v1.docx"


def opinion_context(opinion: Any) -> dict[str, Any]:
    """The 行政执法监督意见书: who supervised what, the problems, what to correct and by when."""
    from fazhi.core.rules import effective_rule

    matter = opinion.matter
    rule = effective_rule(rules.CORRECTION.code, opinion.township)
    return {
        "supervisor": matter.supervisor,
        "number": opinion.number,
        "body": opinion.body.name,
        "started_on": _date(matter.started_on),
        "kind": matter.get_kind_display(),
        "title": matter.title,
        "problems": opinion.problems,
        "requirements": opinion.requirements,
        "due_on": _date(opinion.due_on),
        "deadline_basis": f"整改期限{rule.length}日，{rules.CORRECTION.citation}",
        "issued_on": _date(opinion.issued_on),
    }


def render_opinion(opinion: Any) -> tuple[bytes, str]:
    return render_docx(
        OPINION_TEMPLATE, opinion_context(opinion)
    ), f"监督意见书{opinion.number}.docx"


# --- 行政处罚事先告知书 and 送达回证 (GB/T 9704 form) ---------------------------------------------
TEMPLATE_VERSION = "v1"
NOTICE_TEMPLATE = DOCX / f"penalty_notice_{TEMPLATE_VERSION}.docx"
RECEIPT_TEMPLATE = DOCX / f"service_receipt_{TEMPLATE_VERSION}.docx"
BLANK_DATE = "    年  月  日"
#: the full-process record entries that are evidence listed in the 告知书
EVIDENCE_STEPS = frozenset({"investigation", "on_site", "seizure", "demolition"})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def notice_context(case: EnforcementCase) -> dict[str, Any]:
    """The 行政处罚事先告知书: facts, the proposed penalty and its basis, and the party's rights
    to state, defend and request a hearing with the period in force for the township."""
    from fazhi.core.calendar import compute_due
    from fazhi.core.rules import effective_rule

    if not case.notified_on:
        raise ValueError("the case has not been notified")
    hearing = effective_rule(rules.HEARING_REQUEST.code, case.township)
    due = compute_due(case.notified_on, hearing.length, hearing.unit)[0]
    evidence = [
        f"{r.occurred_at:%Y年%m月%d日}{r.get_step_display()}（{r.get_form_display()}）：{r.summary}"
        for r in case.records.order_by("occurred_at", "pk")
        if r.step in EVIDENCE_STEPS and r.occurred_at.date() <= case.notified_on
    ]
    penalty = case.proposed_penalty
    if case.fine_amount:
        penalty += f"（罚款人民币{case.fine_amount}元）"
    return {
        "body": case.body.name,
        "number": case.number,
        "party_name": case.party_name,
        "filed_on": _date(case.filed_on),
        "cause": case.cause,
        "facts": _lines(case.facts) or [case.cause],
        "evidence": evidence or ["（见案卷）"],
        "legal_basis": case.power.legal_basis,
        "power": case.power.name,
        "penalty": penalty,
        "hearing_days": hearing.length,
        "hearing_unit": hearing.unit_label,
        "hearing_due": _date(due),
        "hearing_citation": rules.HEARING_REQUEST.citation,
        "handlers": "、".join(h.name for h in case.handlers.order_by("pk")),
        "notified_on": _date(case.notified_on),
        "version": TEMPLATE_VERSION,
    }


def receipt_context(case: EnforcementCase) -> dict[str, Any]:
    """The 送达回证 of the 行政处罚决定书: document and number, recipient, place, the service
    period in force, the servers; the recipient signs on paper."""
    from fazhi.core.calendar import compute_due
    from fazhi.core.rules import effective_rule

    if not case.decision_number:
        raise ValueError("the case has no decision")
    service = effective_rule(rules.SERVICE.code, case.township)
    due = compute_due(case.decided_on, service.length, service.unit)[0]
    return {
        "body": case.body.name,
        "number": case.number,
        "document": f"行政处罚决定书（{case.decision_number}）",
        "party_name": case.party_name,
        "party_address": case.party_address or "",
        "served_on": _date(case.served_on) if case.served_on else BLANK_DATE,
        "servers": "、".join(h.name for h in case.handlers.order_by("pk")),
        "service_rule": (
            f"当事人不在场的，应当自作出决定之日起{service.length}{service.unit_label}内"
            f"（{_date(due)}前）依照《民事诉讼法》的有关规定送达（{rules.SERVICE.citation}）。"
        ),
        "version": TEMPLATE_VERSION,
    }


def build_templates() -> list[Path]:
    """Write the 告知书 and 送达回证 templates (GB/T 9704 form)."""
    from fazhi.enforcement.docx_form import FormDocument

    notice = FormDocument().title("{{ body }}").title("行政处罚事先告知书").number("{{ number }}")
    notice.blank().line("{{ party_name }}：")
    notice.para(
        "本机关于{{ filed_on }}对你（单位）{{ cause }}一案立案调查。经查，你（单位）存在以下违法事实："
    )
    notice.tag("{%p for line in facts %}").para("{{ line }}").tag("{%p endfor %}")
    notice.para("以上事实有下列证据证明：")
    notice.tag("{%p for line in evidence %}").para("{{ line }}").tag("{%p endfor %}")
    notice.para(
        "你（单位）的上述行为违反了{{ legal_basis }}的规定。依据{{ legal_basis }}（执法事项：{{ power }}），"
        "本机关拟对你（单位）作出如下行政处罚：{{ penalty }}。"
    )
    notice.para(
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）享有陈述、申辩的权利。"
        "你（单位）提出的事实、理由或者证据成立的，本机关将予以采纳；本机关不因你（单位）陈述、申辩而给予更重的处罚。"
    )
    notice.para(
        "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，拟作出的处罚属于听证范围的，"
        "你（单位）有权要求举行听证；要求听证的，应当在告知后{{ hearing_days }}{{ hearing_unit }}内"
        "（{{ hearing_due }}前）提出，逾期视为放弃（{{ hearing_citation }}）。"
    )
    notice.para("承办人员：{{ handlers }}")
    notice.blank().right("{{ body }}（印章）").right("{{ notified_on }}")
    notice.blank().line("当事人签收：                    年  月  日")

    receipt = FormDocument().title("{{ body }}").title("送达回证").number("案件编号：{{ number }}")
    receipt.blank().table(
        [
            ("送达文书名称及文号", "{{ document }}"),
            ("受送达人", "{{ party_name }}"),
            ("送达地点", "{{ party_address }}"),
            (
                "送达方式",
                "□直接送达  □留置送达  □委托送达  □邮寄送达  □电子送达（须当事人书面同意）",
            ),
            ("送达日期", "{{ served_on }}"),
            ("送达人（签名）", "{{ servers }}"),
            ("受送达人（签名或盖章）", "                    年  月  日"),
            ("见证人（留置送达时）", ""),
            ("备注", "{{ service_rule }}"),
        ]
    )
    return [notice.save(NOTICE_TEMPLATE), receipt.save(RECEIPT_TEMPLATE)]


def _template(path: Path) -> Path:
    if not path.exists():
        build_templates()
    return path


def render_notice(case: EnforcementCase) -> tuple[bytes, str]:
    return render_docx(
        _template(NOTICE_TEMPLATE), notice_context(case)
    ), f"行政处罚事先告知书{case.number}.docx"


def render_receipt(case: EnforcementCase) -> tuple[bytes, str]:
    return render_docx(
        _template(RECEIPT_TEMPLATE), receipt_context(case)
    ), f"送达回证{case.decision_number}.docx"


# --- 立案审批表 and 行政处罚决定书 in GB/T 9704 form (v2) --------------------------------------------
FILING_TEMPLATE_V2 = DOCX / "filing_approval_v2.docx"
DECISION_TEMPLATE_V2 = DOCX / "penalty_decision_v2.docx"


def build_main_templates() -> list[Path]:
    """Write the v2 立案审批表 and 行政处罚决定书 (GB/T 9704 form; same context as v1)."""
    from fazhi.enforcement.docx_form import FormDocument

    filing = FormDocument().title("{{ body }}").title("立案审批表").number("{{ number }}")
    filing.blank().table(
        [
            ("案由", "{{ cause }}"),
            ("当事人", "{{ party_name }}（{{ party_kind }}）"),
            ("案件来源及违法事实", "{{ facts }}"),
            ("执法事项", "{{ power }}"),
            ("设定依据", "{{ legal_basis }}"),
            ("承办人员", "{{ handlers }}"),
            ("立案日期", "{{ filed_on }}"),
            ("承办人意见", "建议立案调查。"),
            ("负责人审批意见", "                    年  月  日"),
        ]
    )
    decision = FormDocument().title("{{ body }}").title("行政处罚决定书")
    decision.number("{{ decision_number }}").blank()
    decision.line(
        "当事人：{{ party_name }}（{{ party_kind }}）{% if party_id_number %}，证件号码/统一社会信用代码："
        "{{ party_id_number }}{% endif %}{% if party_address %}，地址：{{ party_address }}{% endif %}"
    )
    decision.heading("一、违法事实和证据")
    decision.para("{{ facts }}")
    decision.heading("二、处罚种类和依据")
    decision.para("{{ decision }}（执法事项：{{ power }}；依据：{{ legal_basis }}）")
    decision.heading("三、履行方式和期限")
    decision.para("{{ payment }}")
    decision.heading("四、救济途径和期限")
    decision.para(
        "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，"
        "或者在六个月内依法向人民法院提起行政诉讼。"
    )
    decision.blank().right("{{ body }}（印章）").right("{{ decided_on }}")
    return [filing.save(FILING_TEMPLATE_V2), decision.save(DECISION_TEMPLATE_V2)]
