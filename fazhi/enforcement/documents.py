"""Documents of an enforcement case as .docx (core.docx: autoescaped, strict): the 立案审批表
before the decision and the 行政处罚决定书 with the contents of 行政处罚法 第五十九条 after it.
`context()` is pure and unit-tested; templates are versioned under docx/."""

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
    if case.decision_number:
        return render_docx(
            DECISION_TEMPLATE, context(case)
        ), f"行政处罚决定书{case.decision_number}.docx"
    return render_docx(FILING_TEMPLATE, context(case)), f"立案审批表{case.number}.docx"


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
