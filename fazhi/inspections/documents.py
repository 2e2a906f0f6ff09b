"""Documents of an enterprise inspection as .docx, in the form of GB/T 9704-2012 (REGULATIONS.md
§14, `enforcement.docx_form`): the 检查通知书 handed to the enterprise at entry (who inspects,
which items on which basis, the approval, the code the enterprise can check on the portal) and
the 检查记录 (the visit, the officers with their certificates, the findings and the hazards with
owner and deadline). 司法部's 《行政检查文书基本格式文本(试行)》 [S] was not at hand: these are
the platform's own equivalents (§12). Context functions are pure; templates are versioned under
docx/ and written by `build_templates()` at first use when missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fazhi.core.docx import render_docx
from fazhi.inspections.models import Inspection

TEMPLATE_VERSION = "v1"
DOCX = Path(__file__).resolve().parent / "docx"
NOTICE_TEMPLATE = DOCX / f"inspection_notice_{TEMPLATE_VERSION}.docx"
RECORD_TEMPLATE = DOCX / f"inspection_record_{TEMPLATE_VERSION}.docx"
PORTAL_PATH = "/gk/inspections/"


def _date(d: Any) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "    年  月  日"


def _common(inspection: Inspection) -> dict[str, Any]:
    on = inspection.inspected_on or inspection.planned_on
    officers = []
    for o in inspection.officers.order_by("pk"):
        cert = o.certificate_on(on)
        officers.append(
            f"{o.name}（执法证号{cert.number}）" if cert else f"{o.name}（{o.get_kind_display()}）"
        )
    bodies = [inspection.body.name, *(b.name for b in inspection.joint_bodies.order_by("pk"))]
    items = [
        f"{i.code} {i.name}（依据：{i.basis or '—'}；方式：{i.method or '—'}）"
        for i in inspection.check_items.order_by("code")
    ]
    enterprise = inspection.enterprise
    return {
        "body": inspection.body.name,
        "bodies": "、".join(bodies),
        "joint": len(bodies) > 1,
        "number": inspection.number,
        "code": inspection.code,
        "kind": inspection.get_kind_display(),
        "enterprise": enterprise.name,
        "credit_code": enterprise.credit_code,
        "address": inspection.place or enterprise.address or "",
        "items": items or ["（无）"],
        "officers": "、".join(officers),
        "planned_on": _date(inspection.planned_on),
        "approval": (
            f"{inspection.approver}于{_date(inspection.approved_on)}批准"
            + ("（紧急情况事后补批）" if inspection.emergency else "")
            if inspection.approved_on
            else "尚未审批（未经审批不得入企检查）"
        ),
        "portal": PORTAL_PATH,
        "version": TEMPLATE_VERSION,
    }


def notice_context(inspection: Inspection) -> dict[str, Any]:
    """The 检查通知书: the enterprise, the bodies, items with basis, date, officers, approval
    and the 检查码 to verify on the portal; the enterprise's rights."""
    return _common(inspection)


def record_context(inspection: Inspection) -> dict[str, Any]:
    """The 检查记录 of a completed inspection: the visit, findings, hazards."""
    if not inspection.inspected_on:
        raise ValueError("the inspection has not been recorded")
    hazards = [
        f"{h.description}（{h.get_level_display()}；整改责任人：{h.owner}；整改期限：{_date(h.deadline)}）"
        for h in inspection.hazards.order_by("deadline", "pk")
    ]
    return {
        **_common(inspection),
        "inspected_on": _date(inspection.inspected_on),
        "findings": [line.strip() for line in inspection.findings.splitlines() if line.strip()]
        or ["（无）"],
        "hazards": hazards or ["未发现隐患。"],
    }


def build_templates() -> list[Path]:
    from fazhi.enforcement.docx_form import FormDocument

    notice = FormDocument().title("{{ body }}").title("涉企行政检查通知书")
    notice.number("{{ number }}").blank().line("{{ enterprise }}：")
    notice.para(
        "根据已公布的行政检查事项清单，经本单位负责人审批，{{ bodies }}"
        "{% if joint %}（联合检查，进一次门、查多项事）{% endif %}"
        "定于{{ planned_on }}对你单位进行{{ kind }}。检查事项如下："
    )
    notice.tag("{%p for line in items %}").para("{{ line }}").tag("{%p endfor %}")
    notice.para("检查人员：{{ officers }}。检查时将出示行政执法证件。")
    notice.para("审批情况：{{ approval }}。")
    notice.para(
        "本次检查的检查码为{{ code }}。你单位可在政务公开网站“涉企检查码核验”（{{ portal }}）"
        "输入检查码，核实本次检查是否经过登记和审批、由谁检查、检查哪些事项，检查结束后可对本次检查作出评价。"
        "未经登记的检查，你单位有权拒绝。"
    )
    notice.para(
        "请你单位予以配合，如实提供有关情况和资料。认为检查人员与你单位有利害关系的，可以申请回避。"
    )
    notice.blank().right("{{ body }}（印章）").right("{{ planned_on }}")
    notice.blank().line("企业签收：                    年  月  日")

    record = FormDocument().title("{{ body }}").title("涉企行政检查记录").number("{{ number }}")
    record.blank().table(
        [
            ("被检查企业", "{{ enterprise }}"),
            ("统一社会信用代码", "{{ credit_code }}"),
            ("检查地点", "{{ address }}"),
            ("检查主体", "{{ bodies }}"),
            ("检查类型", "{{ kind }}"),
            ("检查码", "{{ code }}"),
            ("检查日期", "{{ inspected_on }}"),
            ("检查人员", "{{ officers }}"),
            ("审批情况", "{{ approval }}"),
        ]
    )
    record.blank().heading("一、检查事项")
    record.tag("{%p for line in items %}").para("{{ line }}").tag("{%p endfor %}")
    record.heading("二、检查情况")
    record.tag("{%p for line in findings %}").para("{{ line }}").tag("{%p endfor %}")
    record.heading("三、发现的隐患及整改要求")
    record.tag("{%p for line in hazards %}").para("{{ line }}").tag("{%p endfor %}")
    record.blank().line("检查人员（签名）：")
    record.line("被检查企业负责人（签名）：                    年  月  日")
    return [notice.save(NOTICE_TEMPLATE), record.save(RECORD_TEMPLATE)]


def _template(path: Path) -> Path:
    if not path.exists():
        build_templates()
    return path


def render_notice(inspection: Inspection) -> tuple[bytes, str]:
    return render_docx(
        _template(NOTICE_TEMPLATE), notice_context(inspection)
    ), f"检查通知书{inspection.number}.docx"


def render_record(inspection: Inspection) -> tuple[bytes, str]:
    return render_docx(
        _template(RECORD_TEMPLATE), record_context(inspection)
    ), f"检查记录{inspection.number}.docx"
