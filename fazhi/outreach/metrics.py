"""Figures of the outreach module, registered in the indicator registry (the only place they
are computed). Flow figures count records dated inside the period; stocks (法律明白人) count
who was on the registry at the period's end. See docs/outreach.md.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from fazhi.indicators.registry import COUNT, SUM, Metric, Period, register
from fazhi.outreach.models import Award, Consultation, DutySession, Event, LegalUnderstander

MEASURES = "measures"
PUFA = "普法宣传"
SERVICES = "公共法律服务"


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def events(township: Any, period: Period) -> QuerySet:
    return Event.objects.filter(_between("held_on", period), township=township)


def understanders(township: Any, period: Period) -> QuerySet:
    return LegalUnderstander.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=period.as_of),
        township=township,
        appointed_on__lte=period.as_of,
    )


def awards(township: Any, period: Period) -> QuerySet:
    return Award.objects.filter(_between("awarded_on", period), township=township)


def sessions(township: Any, period: Period) -> QuerySet:
    return DutySession.objects.filter(_between("held_on", period), township=township)


def consultations(township: Any, period: Period) -> QuerySet:
    return Consultation.objects.filter(_between("held_on", period), township=township)


register(
    Metric(
        "outreach.events",
        "普法活动场次",
        "场次",
        COUNT,
        events,
        aliases=("普法宣传", "宣传活动", "普法活动", "主题宣传活动"),
        definition="期内（按活动日期）登记的普法宣传活动，每场计一次。",
        report_section=MEASURES,
        report_topic=PUFA,
        report_phrase="开展普法宣传活动{value}场次",
    )
)
_SUMS = (
    (
        "audience",
        "受教育人次",
        "人次",
        ("受教育群众", "涉及群众", "受教育"),
        "受教育群众{value}人次",
    ),
    ("materials", "发放宣传资料份数", "份", ("宣传资料", "宣传品"), "发放宣传资料{value}份"),
    ("leaflets", "宣传彩页份数", "份", ("宣传彩页", "彩页"), "发放宣传彩页{value}份"),
    ("banners", "悬挂横幅条数", "条", ("横幅",), "悬挂横幅{value}条"),
    ("bulletin_boards", "张贴宣传栏个数", "个", ("宣传栏",), "张贴宣传栏{value}个"),
    ("displays", "展板块数", "块", ("展板",), "设置展板{value}块"),
    ("consultations", "活动现场解答咨询人次", "人次", ("现场咨询",), "现场解答群众咨询{value}人次"),
)
for field, label, unit, aliases, phrase in _SUMS:
    register(
        Metric(
            f"outreach.{field}",
            label,
            unit,
            SUM,
            events,
            sum_field=field,
            aliases=aliases,
            definition=f"期内普法活动登记的“{Event._meta.get_field(field).verbose_name}”之和。",
            report_section=MEASURES,
            report_topic=PUFA,
            report_phrase=phrase,
        )
    )
register(
    Metric(
        "outreach.understanders",
        "法律明白人人数",
        "名",
        COUNT,
        understanders,
        aliases=("法律明白人",),
        definition="期末在册的法律明白人（选聘日期不晚于期末、未在期末前退出）。",
        report_section=MEASURES,
        report_topic=PUFA,
        report_phrase="培养“法律明白人”{value}名",
    )
)
register(
    Metric(
        "outreach.awards",
        "法律明白人获表彰人次",
        "人次",
        COUNT,
        awards,
        aliases=("十佳法律明白人",),
        definition="期内（按授予日期）法律明白人获得的表彰。",
        report_section=MEASURES,
        report_topic=PUFA,
        report_phrase="获评“十佳法律明白人”等表彰{value}人次",
    )
)
register(
    Metric(
        "outreach.duty_sessions",
        "律师坐班次数",
        "次",
        COUNT,
        sessions,
        aliases=("律师坐班", "提供咨询服务", "律师定期"),
        definition="期内（按坐班日期）律师在公共法律服务站(室)坐班的次数。",
        report_section=MEASURES,
        report_topic=SERVICES,
        report_phrase="律师定期在公共法律服务站提供咨询服务{value}次",
    )
)
register(
    Metric(
        "outreach.consultation_people",
        "接待法律咨询人次",
        "人次",
        SUM,
        consultations,
        sum_field="people",
        aliases=("接待群众咨询", "咨询人次", "法律服务"),
        definition="期内（按咨询日期）登记的法律咨询接待人次之和（坐班律师与司法所解答）。",
        report_section=MEASURES,
        report_topic=SERVICES,
        report_phrase="接待群众咨询{value}人次",
    )
)
register(
    Metric(
        "outreach.consultation_questions",
        "解答咨询问题条数",
        "条",
        SUM,
        consultations,
        sum_field="questions",
        aliases=("解答群众咨询难题", "解答问题"),
        definition="期内法律咨询登记的解答问题条数之和。",
        report_section=MEASURES,
        report_topic=SERVICES,
        report_phrase="解答群众咨询难题{value}条",
    )
)
