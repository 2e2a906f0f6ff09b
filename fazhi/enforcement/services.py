"""Verbs of administrative enforcement. Each runs in one transaction, checks the scope gate,
validates (Chinese messages naming the field) and writes change records and domain events in
the same transaction. `actor=None` means the system (demo loader, jobs).

Case procedure verbs live in `cases.py`; supervision in `supervision.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.rules import effective_rule
from fazhi.enforcement import choices as c
from fazhi.enforcement import rules
from fazhi.enforcement.models import Certificate, Officer

#: a case or an inspection needs at least this many certified officers (行政处罚法 第四十二条)
MIN_CERTIFIED = 2


def warn_days(township: Any) -> int:
    """Days before expiry that a certificate is warned about (rule override applies)."""
    return effective_rule(rules.CERTIFICATE_RENEWAL.code, township).length


def ensure_assignable(
    officers: Iterable[Officer],
    on: dt.date,
    *,
    field: str = "officers",
    minimum: int = MIN_CERTIFIED,
) -> None:
    """Refuse an assignment unless at least `minimum` of the officers hold a valid certificate
    on `on`; auxiliaries and grid workers may join but never count, and an officer of kind
    执法人员 without a valid certificate may not be assigned at all."""
    officers = list(officers)
    uncertified = [
        o.name for o in officers if o.kind == c.OfficerKind.OFFICER and o.certificate_on(on) is None
    ]
    inactive = [o.name for o in officers if not o.is_active]
    errors: list[str] = []
    if inactive:
        errors.append(f"以下人员不在岗，不能指派：{'、'.join(inactive)}。")
    if uncertified:
        errors.append(
            f"以下人员在{on:%Y-%m-%d}没有有效的行政执法证件，不能指派：{'、'.join(uncertified)}。"
        )
    certified = [
        o
        for o in officers
        if o.kind == c.OfficerKind.OFFICER and o.is_active and o.certificate_on(on) is not None
    ]
    if len(certified) < minimum:
        helpers = [o.name for o in officers if o.kind in c.NON_ENFORCING_KINDS]
        extra = (
            f"（{'、'.join(helpers)}为执法辅助人员或网格员，不能单独执法，也不计入人数）"
            if helpers
            else ""
        )
        errors.append(f"须有不少于{minimum}名持有效执法证件的执法人员{extra}。")
    if errors:
        raise ValidationError({field: errors})


@dataclass(frozen=True)
class CertificateWarning:
    certificate: Certificate
    state: c.CertificateState
    days_left: int

    @property
    def text(self) -> str:
        cert = self.certificate
        if self.state == c.CertificateState.EXPIRED:
            return f"{cert.officer.name}的执法证{cert.number}已于{cert.expires_on:%Y-%m-%d}过期"
        if self.state == c.CertificateState.UNCHECKED:
            return f"{cert.officer.name}的执法证{cert.number}上一年度未年审"
        return (
            f"{cert.officer.name}的执法证{cert.number}将于{cert.expires_on:%Y-%m-%d}到期"
            f"（剩{self.days_left}日）"
        )


def certificate_warnings(queryset: models.QuerySet, on: dt.date) -> list[CertificateWarning]:
    """Certificates of active officers that expire soon, have expired or missed the yearly
    check, newest problem first. `queryset` is already scoped (Certificate.objects.visible_to)."""
    out: list[CertificateWarning] = []
    days_cache: dict[int, int] = {}
    rows = queryset.filter(
        status=c.CertificateStatus.VALID, officer__is_active=True
    ).select_related("officer", "township")
    for cert in rows:
        if cert.township_id not in days_cache:
            days_cache[cert.township_id] = warn_days(cert.township)
        state = cert.state(on, days_cache[cert.township_id])
        if state in (
            c.CertificateState.EXPIRING,
            c.CertificateState.EXPIRED,
            c.CertificateState.UNCHECKED,
        ):
            # an expired certificate replaced by a newer valid one is no longer a problem
            if state != c.CertificateState.EXPIRING and cert.officer.certificate_on(on):
                continue
            out.append(CertificateWarning(cert, state, (cert.expires_on - on).days))
    out.sort(key=lambda w: w.days_left)
    return out
