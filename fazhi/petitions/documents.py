"""The 信访处理意见书 (and 复查/复核意见书) as .docx: a pure function builds the data, the versioned
template under `docx/` lays it out, core.docx renders with autoescaping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import cn2an

from fazhi.petitions.choices import OpinionLevel

TEMPLATE = Path(__file__).resolve().parent / "docx" / "opinion_v1.docx"

TITLES = {
    OpinionLevel.HANDLING: "信访事项处理意见书",
    OpinionLevel.REVIEW: "信访事项复查意见书",
    OpinionLevel.RECHECK: "信访事项复核意见书",
}


def chinese_date(d: dt.date | None) -> str:
    """二〇二五年六月十六日, as official documents date themselves."""
    if d is None:
        return ""
    year = "".join("〇一二三四五六七八九"[int(c)] for c in str(d.year))
    month = cn2an.an2cn(d.month)
    day = cn2an.an2cn(d.day)
    return f"{year}年{month}月{day}日"


def plain_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def rights_notice(opinion: Any) -> str:
    """What the petitioner may do next (条例第三十五、三十六条)."""
    p = opinion.petition
    if opinion.level == OpinionLevel.HANDLING:
        return (
            "如对本处理意见不服，可以自收到本意见书之日起30日内，向本机关的上一级机关请求复查"
            "（《信访工作条例》第三十五条）。"
        )
    if opinion.level == OpinionLevel.REVIEW:
        return (
            "如对本复查意见不服，可以自收到本意见书之日起30日内，向复查机关的上一级机关请求复核"
            "（《信访工作条例》第三十六条）。"
        )
    return (
        f"本复核意见为{p.receipt_no}号信访事项的终结意见。信访人对复核意见不服，仍以同一事实和"
        "理由提出信访请求的，不再受理（《信访工作条例》第三十六条）。"
    )


def opinion_context(opinion: Any) -> dict[str, Any]:
    """The data of one opinion document (pure: reads the opinion and its petition only)."""
    p = opinion.petition
    intro = {
        OpinionLevel.HANDLING: f"，本机关已于{plain_date(p.accepted_on)}依法受理。经调查核实，",
        OpinionLevel.REVIEW: f"，你（你们）于{plain_date(p.review_requested_on)}请求复查。经复查，",
        OpinionLevel.RECHECK: f"，你（你们）于{plain_date(p.recheck_requested_on)}请求复核。经复核，",
    }[opinion.level]
    return {
        "title": TITLES[opinion.level],
        "issued_by": opinion.issued_by,
        "number": opinion.number,
        "petitioner_name": p.petitioner.name,
        "received_on": plain_date(p.received_on),
        "channel": p.get_channel_display(),
        "receipt_no": p.receipt_no,
        "intro": intro,
        "request": opinion.request,
        "facts": opinion.facts,
        "outcome": opinion.get_outcome_display(),
        "decision": opinion.decision,
        "legal_basis": opinion.legal_basis,
        "rights": rights_notice(opinion),
        "issued_on": chinese_date(opinion.issued_on),
    }


def render_opinion(opinion: Any) -> bytes:
    from fazhi.core.docx import render_docx

    return render_docx(TEMPLATE, opinion_context(opinion))


def filename(opinion: Any) -> str:
    return f"{TITLES[opinion.level]}_{opinion.petition.receipt_no}.docx"
