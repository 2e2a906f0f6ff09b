"""The history a petition ledger row writes (`ledger.LedgerWriter`'s part): the change records
and domain events of registration and each later step, in the order the services write them
(登记, the 受理告知 and 异议 deadlines, 受理/不予受理, 办理, 处理意见书, 送达, 评价), from the
snapshots the writer took. Split from `ledger.py` by concern; `tests/test_ledger_bulk.py`
compares them with the services' own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fazhi.core import deadlines as core_deadlines
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.choices import ChangeAction, DeadlineStatus
from fazhi.core.rules import get_rule
from fazhi.petitions import rules, services
from fazhi.petitions.choices import (
    NotAcceptedReason,
    Outcome,
    RatingChannel,
    Satisfaction,
    ServiceMethod,
)
from fazhi.petitions.models import Petition

if TYPE_CHECKING:
    from fazhi.petitions.ledger import _Deadline, _Row

_OBJECT = rules.OBJECTION.code


class HistoryWriter:
    """`LedgerWriter`'s history (a mixin: `actor` and `_snapshots` are the writer's)."""

    actor: Any
    _snapshots: Callable[[_Row], None]

    def _record(self, rows: list[_Row]) -> None:
        """The history of each row; a row's snapshots are made here and dropped after it (one
        row's are held at a time, not the batch's)."""
        for row in rows:
            self._snapshots(row)
            self._record_row(row)
            row.snapshots, row.deadline_ops, row.party_ops = [], [], []

    def _record_row(self, row: _Row) -> None:
        actor = self.actor
        p = row.petition
        for party, action, before, after in row.party_ops:
            record_change(party, action, before, after, actor=actor)
        snaps = row.snapshots
        record_change(p, ChangeAction.CREATE, None, snaps[0], actor=actor)
        ops = iter(row.deadline_ops)
        self._deadline_op(p, next(ops))
        if p.objection_due_on:
            self._deadline_op(p, next(ops))
        record_event(
            "petitions.registered",
            f"登记信访事项{p.receipt_no}（{_display('channel', p.channel)}，"
            f"{_display('source', p.source)}）",
            township=p.township,
            actor=actor,
            obj=p,
            payload={
                "channel": p.channel,
                "source": p.source,
                "received_on": p.received_on.isoformat(),
                "is_group": p.is_group,
                "parties": [p.petitioner_id],
                "same_matter_as": p.same_matter_as_id,
            },
        )
        for index, (name, _values) in enumerate(row.steps, start=1):
            before, after = snaps[index - 1], snaps[index]
            if name in ("declined", "accepted"):
                self._deadline_op(p, next(ops))  # 受理告知 done
                if _OBJECT in row.deadlines:
                    self._deadline_op(p, next(ops))  # 异议 cancelled
            if name == "declined":
                self._finish(row, before, after, "declined", _declined(p),
                             on=p.decided_on.isoformat(),
                             reason=p.decline_reason)  # fmt: skip
            elif name == "accepted":
                self._deadline_op(p, next(ops))  # 办理 opened
                self._finish(row, before, after, "accepted", _accepted(p),
                             on=p.accepted_on.isoformat(),
                             handling_due_on=p.handling_due_on.isoformat())  # fmt: skip
            elif name == "opinion_issued":
                o = row.opinion
                record_change(o, ChangeAction.CREATE, None, row.opinion_issued, actor=actor)
                self._finish(
                    row, before, after, "opinion_issued",
                    f"出具信访处理意见书{o.number}（{Outcome(o.outcome).label}）",
                    opinion=o.pk, outcome=o.outcome,
                )  # fmt: skip
            elif name == "served":
                o = row.opinion
                record_change(o, ChangeAction.UPDATE, row.opinion_issued, snapshot(o), actor=actor)
                self._deadline_op(p, next(ops))  # 办理 done
                on = p.concluded_on
                late = p.handling_due_on is not None and on > p.handling_due_on
                self._finish(
                    row, before, after, "served",
                    f"处理意见书已{ServiceMethod.DIRECT.label}（{services._cn(on)}），"
                    f"{'逾期办结' if late else '按期办结'}；"
                    f"复查申请期限至{services._cn(p.review_request_due_on)}",
                    on=on.isoformat(), method=ServiceMethod.DIRECT, late=late,
                )  # fmt: skip
            elif name == "rated":
                self._finish(
                    row, before, after, "rated",
                    f"信访人评价：{Satisfaction(p.satisfaction).label}"
                    f"（{RatingChannel(p.rating_channel).label}）",
                    satisfaction=p.satisfaction, channel=p.rating_channel,
                    on=p.rated_on.isoformat(),
                )  # fmt: skip

    def _finish(
        self, row: _Row, before: dict, after: dict, kind: str, label: str, **payload: Any
    ) -> None:
        """`_finish`'s change record and event, with the status the step left."""
        p = row.petition
        status = after["status"]
        record_change(p, ChangeAction.UPDATE, before, after, actor=self.actor)
        record_event(
            f"petitions.{kind}",
            f"{p.receipt_no}：{label}",
            township=p.township_id,
            actor=self.actor,
            obj=p,
            payload={"status": status, **payload},
        )

    def _deadline_op(self, p: Petition, op: tuple) -> None:
        actor = self.actor
        made: _Deadline = op[1]
        d = made.deadline
        rule = get_rule(d.rule_code)
        if op[0] == "open":
            record_change(d, ChangeAction.CREATE, None, made.opened, actor=actor)
            effective = made.effective
            note = "（日历未覆盖，届满日为估算）" if d._estimated else ""
            due = d.due_date.isoformat()
            core_deadlines._event(
                "core.deadline_opened",
                f"开始计算期限“{rule.label}”：{effective.length}{effective.unit_label}，"
                f"届满日{due}{note}",
                d, p, actor,
                start=d.start_date.isoformat(), length=effective.length, unit=effective.unit,
                due=due, estimated=d._estimated,
                override=effective.override.pk if effective.override else None,
                source=effective.source,
            )  # fmt: skip
            return
        before, after = op[2], op[3]
        record_change(d, ChangeAction.UPDATE, before, after, actor=actor)
        if op[0] == "cancelled":
            core_deadlines._event("core.deadline_cancelled", f"撤销期限“{rule.label}”", d, p, actor)
            return
        late = after["status"] == DeadlineStatus.DONE_LATE
        on, due = after["completed_on"], d.due_date.isoformat()  # as the event's payload holds them
        core_deadlines._event(
            "core.deadline_done_late" if late else "core.deadline_done",
            f"“{rule.label}”{'逾期' if late else '按期'}完成（{on}，届满日{due}）",
            d, p, actor,
            completed_on=on, due=due,
        )  # fmt: skip


def _display(name: str, value: str) -> str:
    """`Petition.get_<name>_display()` (the field's choices read once)."""
    return _DISPLAY[name].get(value, value)


_DISPLAY = {
    name: {k: str(v) for k, v in Petition._meta.get_field(name).flatchoices}
    for name in ("channel", "source")
}


def _declined(p: Petition) -> str:
    return f"不予受理（{NotAcceptedReason(p.decline_reason).label}），已书面告知信访人"


def _accepted(p: Petition) -> str:
    return (
        f"受理并书面告知信访人（{services._cn(p.accepted_on)}），"
        f"办理期限至{services._cn(p.handling_due_on)}"
    )
