"""Figures of administrative enforcement, registered in the indicator registry (the only place
they are computed). Stock figures (officers, certificates) are counted as at the period's end.

- 持证率 = 在岗行政执法人员中期末持有有效执法证件的人数 ÷ 在岗行政执法人员数. Auxiliaries and
  grid workers are not enforcement officers and are in neither count. A certificate is valid on a
  day when its status is 有效, the day lies between issue and expiry, and it was issued or passed
  the yearly check no earlier than the previous year (models.Certificate.state).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from fazhi.enforcement import choices as c
from fazhi.enforcement.models import Certificate, EnforcementBody, Officer, Power
from fazhi.indicators.registry import COUNT, RATE, Metric, Period, register

CITATION = "国办发〔2018〕118号；《行政处罚法》"
TOPIC = "规范行政执法"


def valid_certificates_q(on: Any) -> Q:
    """Certificates valid on `on` (the same rule as Certificate.state, as a query)."""
    return Q(
        status=c.CertificateStatus.VALID,
        issued_on__lte=on,
        expires_on__gte=on,
    ) & (Q(issued_on__year__gte=on.year - 1) | Q(checked_year__gte=on.year - 1))


def officers(township: Any, period: Period) -> QuerySet:
    return Officer.objects.filter(
        township=township,
        kind=c.OfficerKind.OFFICER,
        is_active=True,
    )


def certified_officers(township: Any, period: Period) -> QuerySet:
    valid = Certificate.objects.filter(valid_certificates_q(period.as_of), officer=OuterRef("pk"))
    return officers(township, period).filter(Exists(valid))


def bodies(township: Any, period: Period) -> QuerySet:
    return EnforcementBody.objects.filter(township=township, is_active=True)


def published_powers(township: Any, period: Period) -> QuerySet:
    return Power.objects.filter(
        township=township,
        is_active=True,
        published_on__isnull=False,
        published_on__lte=period.as_of,
    )


def expiring_certificates(township: Any, period: Period) -> QuerySet:
    """Certificates of active officers expiring within the period (换证提醒)."""
    return Certificate.objects.filter(
        township=township,
        status=c.CertificateStatus.VALID,
        officer__is_active=True,
        expires_on__gte=period.start,
        expires_on__lte=period.end,
    )


register(
    Metric(
        "enforcement.officers",
        "行政执法人员数",
        "人",
        COUNT,
        officers,
        citation=CITATION,
        aliases=("行政执法人员", "执法人员"),
        definition="期末在岗的行政执法人员（不含执法辅助人员和网格员）。",
    )
)
register(
    Metric(
        "enforcement.certified_rate",
        "行政执法人员持证率",
        "%",
        RATE,
        officers,
        numerator_records=certified_officers,
        citation="《行政处罚法》第四十二条；国办发〔2018〕118号",
        aliases=("持证率", "资格证持有率", "执法资格证持有率", "持证上岗"),
        definition="期末在岗行政执法人员中持有有效执法证件（有效期内、未暂扣注销、已按期年审）的比例。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="行政执法人员持证率{value}%",
    )
)
register(
    Metric(
        "enforcement.bodies",
        "执法主体数",
        "个",
        COUNT,
        bodies,
        aliases=("执法主体",),
        definition="在用的执法主体（乡镇政府赋权事项、综合行政执法机构、派驻机构、受委托组织）。",
    )
)
register(
    Metric(
        "enforcement.published_powers",
        "已公布权责清单事项数",
        "项",
        COUNT,
        published_powers,
        citation="《行政处罚法》第二十四条、第三十九条",
        aliases=("权责清单",),
        definition="期末有效且已公布的权责清单事项。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="公布权责清单事项{value}项",
    )
)
register(
    Metric(
        "enforcement.expiring_certificates",
        "期内到期执法证件数",
        "件",
        COUNT,
        expiring_certificates,
        aliases=("证件到期",),
        definition="在岗人员的有效执法证件中，有效期在期内届满的件数（需换证）。",
        higher_is_better=False,
    )
)
