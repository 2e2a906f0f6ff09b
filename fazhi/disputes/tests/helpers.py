"""Small builders for the disputes tests (rows created directly or through the services)."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from fazhi.disputes import choices as c
from fazhi.disputes import services
from fazhi.disputes.models import Dispute, MediationCommittee, Mediator

_seq = count(1)
D = dt.date(2025, 3, 3)  # a Monday


def village_of(cast: Any, township: Any) -> Any:
    return cast.a1 if township == cast.a else cast.b1


def raw_dispute(cast: Any, township: Any, **fields: Any) -> Dispute:
    """A dispute row written directly (no services): for the resource suites."""
    n = next(_seq)
    values = {
        "township": township,
        "number": f"〔2025〕{township.name}调字第{n}号",
        "received_on": D,
        "source": c.DisputeSource.WALK_IN,
        "kind": c.DisputeType.NEIGHBOUR,
        "title": f"测试纠纷{n}",
        "description": "因排水沟发生争执",
        "village": village_of(cast, township),
    }
    values.update(fields)
    return Dispute.objects.create(**values)


def party(name: str = "张三", role: str = c.PartyRole.APPLICANT, **kw: Any) -> services.PartyInput:
    return services.PartyInput(name=name, role=role, **kw)


def register(cast: Any, *, actor: Any = None, township: Any = None, **kw: Any) -> Dispute:
    township = township or cast.a
    values: dict[str, Any] = {
        "received_on": D,
        "source": c.DisputeSource.WALK_IN,
        "kind": c.DisputeType.NEIGHBOUR,
        "description": "两户因宅前排水沟占用发生争执",
        "parties": [
            party("张三", phone="13800000001"),
            party("李四", c.PartyRole.RESPONDENT, phone="13900000002"),
        ],
        "village": village_of(cast, township),
    }
    values.update(kw)
    return services.register_dispute(township, actor=actor, **values)


def committee(
    cast: Any, township: Any = None, *, level: str = "village", name: str = ""
) -> MediationCommittee:
    township = township or cast.a
    village = village_of(cast, township) if level == "village" else None
    return MediationCommittee.objects.create(
        township=township,
        name=name or f"{township.name}调委会{next(_seq)}",
        level=level,
        village=village,
    )


def mediator(
    cast: Any, township: Any = None, *, name: str = "", user: Any = None, **kw: Any
) -> Mediator:
    from fazhi.core.models import Staff

    township = township or cast.a
    staff = (
        Staff.objects.create(township=township, name=name or "调解员", user=user) if user else None
    )
    return Mediator.objects.create(
        township=township, name=name or f"调解员{next(_seq)}", kind="full_time", staff=staff, **kw
    )


def valid_id(body17: str) -> str:
    """An 18-digit ID number with its correct check digit."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(body17, weights, strict=True))
    return body17 + "10X98765432"[total % 11]
