"""A plain-text rendering of a check result for the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import CheckResult

_KIND_LABELS = {"actual": "实际", "target": "目标"}


def _clip(s: str, n: int = 40) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


def render_text(result: CheckResult, *, claims: bool = True, outline: bool = True) -> str:
    lines: list[str] = []
    if result.source:
        lines.append(f"文件：{result.source}")
    lines.append(f"标题：{result.title or '（无标题）'}")
    if result.year is not None:
        lines.append(f"报告年度：{result.year}　下一年度：{result.plan_year}")
    else:
        lines.append("报告年度：未能确定")
    lines.append(f"结论：{result.summary}")
    if result.defects:
        lines.append("")
        lines.append(f"问题（{len(result.defects)}）：")
        for d in result.defects:
            where = f"第{d.line}行" if d.line else "全文"
            lines.append(f"  [{d.severity.label}] {where} {d.kind.label}：{d.reason}")
            if d.text and d.text not in d.reason:
                lines.append(f"      “{_clip(d.text)}”")
    if outline and result.outline:
        lines.append("")
        lines.append("提纲：")
        for h in result.outline:
            if h.inline:
                continue
            lines.append(f"  {'  ' * (h.level - 1)}{h.numbering}{_clip(h.title, 36)}")
    if claims and result.claims:
        lines.append("")
        lines.append(f"数据（{len(result.claims)}）：")
        for c in result.claims:
            extra = ""
            if c.denominator:
                extra = f"（{c.numerator + '/' if c.numerator else ''}{c.denominator}）"
            per = f"每{c.per}" if c.per else ""
            lines.append(
                f"  {c.id:>4} 第{c.line}行 [{_KIND_LABELS.get(c.kind, c.kind)}] "
                f"{c.noun or '？'}：{per}{c.raw}{extra}"
            )
    return "\n".join(lines) + "\n"
