"""Builders for the inspections tests."""

from __future__ import annotations

import datetime as dt

from fazhi.enforcement.tests.helpers import body_of, officer
from fazhi.inspections.models import Enterprise, Inspection, InspectionItem


def enterprise(township, n: int | None = None) -> Enterprise:
    n = Enterprise.objects.count() if n is None else n
    return Enterprise.objects.create(
        township=township, name=f"企业{n}", credit_code=f"91410000MA{n:08d}", credit_class="B"
    )


def item(township, code: str = "SJ-01", *, cap: int = 2, published: bool = True) -> InspectionItem:
    found = InspectionItem.objects.filter(township=township, code=code).first()
    if found:
        return found
    return InspectionItem.objects.create(
        township=township,
        code=code,
        name=f"安全生产检查{code}",
        body=body_of(township),
        basis="《安全生产法》第六十五条",
        yearly_cap=cap,
        published_on=dt.date(2025, 1, 1) if published else None,
    )


def pair(township):
    n = Inspection.objects.count()
    return [officer(township, f"甲{n}"), officer(township, f"乙{n}")]


def raw_inspection(township, **extra) -> Inspection:
    n = Inspection.objects.count()
    insp = Inspection.objects.create(
        township=township,
        code=f"TESTCODE{n:02d}",
        number=f"检{n}",
        kind="routine",
        enterprise=extra.pop("enterprise", None) or enterprise(township),
        body=body_of(township),
        planned_on=extra.pop("planned_on", dt.date(2025, 6, 16)),
        **extra,
    )
    insp.check_items.set([item(township)])
    return insp
