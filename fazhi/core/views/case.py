"""The case page view: the generic detail page shaped by the task (see fazhi.core.casepage).

A module subclasses `CaseDetailView`, sets `procedure`, and overrides `summary` (the key facts
shown above the tabs), `next_actions` (what the user may do now, scoped) and `panels` (its own
tabs added to the standard ones: 基本信息, child records, 期限, 附件, 变更记录, 证据链).
"""

from __future__ import annotations

from typing import Any

from fazhi.core import evidence
from fazhi.core.casepage import CaseAction, Panel, Procedure
from fazhi.core.deadlines import deadline_state, deadlines_for
from fazhi.core.views.generic import DetailView

#: evidence entries shown on the page (the chain page shows all, with verification)
EVIDENCE_ROWS = 30


class CaseDetailView(DetailView):
    template_name = "core/case/page.html"
    procedure: Procedure | None = None

    # --- what a module overrides ----------------------------------------------------------
    def summary(self, obj: Any, ctx: dict[str, Any]) -> list[tuple[str, Any]]:
        """Key facts shown next to the track (状态, 当前期限 …)."""
        return []

    def alerts(self, obj: Any, ctx: dict[str, Any]) -> list[str]:
        """Warnings shown above the actions (重复信访 …)."""
        return []

    def next_actions(self, obj: Any, ctx: dict[str, Any]) -> list[CaseAction]:
        """The actions the user may take now, the procedure's next step first."""
        return []

    def panels(self, obj: Any, ctx: dict[str, Any]) -> list[Panel]:
        """The tabs, in order. The default: 基本信息, each child resource, 期限 (when the record
        has deadlines), 附件, 变更记录, 证据链 (when the record has one)."""
        panels = [Panel("details", "基本信息", "core/case/_details.html")]
        for i, child in enumerate(ctx.get("children", [])):
            panels.append(
                Panel(
                    f"child-{child['resource'].slug}",
                    child["resource"].label,
                    "core/case/_child.html",
                    count=len(child["rows"]),
                    context={"child": child, "index": i},
                )
            )
        deadlines = [(d, deadline_state(d)) for d in deadlines_for(obj)]
        if deadlines:
            panels.append(
                Panel(
                    "deadlines",
                    "期限",
                    "core/case/_deadlines.html",
                    count=len(deadlines),
                    context={"deadlines": deadlines},
                )
            )
        if ctx.get("attachments_panel"):
            panels.append(Panel("attachments", "附件", html=ctx["attachments_panel"]))
        panels.append(Panel("history", "变更记录", "core/case/_history.html"))
        chain = evidence.chain_name(obj)
        township_id = getattr(obj, "township_id", None)
        if township_id is not None:
            rows = list(evidence.entries(township_id, chain).order_by("-seq")[:EVIDENCE_ROWS])
            if rows:
                panels.append(
                    Panel(
                        "evidence",
                        "证据链",
                        "core/case/_evidence.html",
                        count=len(rows),
                        context={"chain": chain, "entries": rows, "township_id": township_id},
                    )
                )
        return panels

    # --- assembly ---------------------------------------------------------------------------
    def context(self, **extra: Any) -> dict[str, Any]:
        ctx = super().context(**extra)
        obj = extra.get("obj")
        if obj is None:
            return ctx
        ctx["case"] = self.case_context(obj, ctx)
        return ctx

    def case_context(self, obj: Any, ctx: dict[str, Any]) -> dict[str, Any]:
        procedure = self.procedure
        track = procedure.track(obj) if procedure is not None else []
        actions = [a for a in self.next_actions(obj, ctx) if a is not None]
        return {
            "version": getattr(obj, "version", None),
            "track": track,
            "summary": self.summary(obj, ctx),
            "alerts": self.alerts(obj, ctx),
            "actions": [a for a in actions if not a.download],
            "downloads": [a for a in actions if a.download],
            "panels": self.panels(obj, ctx),
        }
