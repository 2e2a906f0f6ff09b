"""Figures of the outreach module, registered in the indicator registry (the only place they
are computed). Flow figures count records dated inside the period; stocks (法律明白人) count
who was on the registry at the period's end. See docs/outreach.md.
"""

from __future__ import annotations

from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce

from fazhi.core.models import Village
from fazhi.indicators.registry import COUNT, RATE, SUM, Metric, Period, Rows, register
from fazhi.outreach import choices as c
from fazhi.outreach import rules
from fazhi.outreach.models import (
    Award,
    Consultation,
    CultureSite,
    DutySession,
    Event,
    LegalAidApplication,
    LegalUnderstander,
    NeedsSurvey,
    ResponsibilityItem,
)

MEASURES = "measures"
PUFA = "普法宣传"
SERVICES = "公共法律服务"


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


# Declared with Rows: every figure of a table comes from one aggregate (docs/indicators.md).
events = Rows(Event, lambda p: _between("held_on", p))
understanders = Rows(
    LegalUnderstander,
    lambda p: (Q(left_on__isnull=True) | Q(left_on__gt=p.as_of)) & Q(appointed_on__lte=p.as_of),
)
awards = Rows(Award, lambda p: _between("awarded_on", p))
sessions = Rows(DutySession, lambda p: _between("held_on", p))
consultations = Rows(Consultation, lambda p: _between("held_on", p))


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


# --- legal aid, culture sites, responsibility list, needs survey -----------------------------
aid_received = Rows(LegalAidApplication, lambda p: _between("received_on", p))
aid_granted = Rows(
    LegalAidApplication, lambda p: _between("decided_on", p) & Q(status=c.AidStatus.GRANTED)
)
aid_forwarded = aid_received.narrow(lambda p: Q(forwarded_on__isnull=False))


def _forwarded_late(period: Period) -> Q:
    """Not forwarded late: no 转交 deadline of the application closed late."""
    from django.contrib.contenttypes.models import ContentType

    from fazhi.core.models import Deadline

    late = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(LegalAidApplication),
        rule_code__in=(rules.FORWARD.code, rules.FORWARD_GREEN.code),
        status="done_late",
        township=OuterRef("township"),
        object_id=Cast(OuterRef("pk"), CharField()),
    )
    return ~Q(Exists(late))


aid_forwarded_on_time = aid_forwarded.narrow(_forwarded_late)
sites = Rows(CultureSite, lambda p: Q(built_on__lte=p.as_of, is_active=True))
villages = Rows(Village)


def _has_site(period: Period) -> Q:
    return Q(
        Exists(
            CultureSite.objects.filter(
                village=OuterRef("pk"),
                township=OuterRef("township"),
                built_on__lte=period.as_of,
                is_active=True,
            )
        )
    )


villages_with_site = villages.narrow(_has_site)
responsibilities = Rows(
    ResponsibilityItem, lambda p: Q(year__gte=p.start.year, year__lte=p.end.year)
)


def _fulfilled(period: Period) -> Q:
    """At least the planned number of events naming the item, held in the item's year."""
    done = (
        Event.objects.filter(responsibility=OuterRef("pk"), held_on__year=OuterRef("year"))
        .order_by()
        .values("responsibility")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Q(planned__lte=Coalesce(Subquery(done, output_field=IntegerField()), 0))


responsibilities_fulfilled = responsibilities.narrow(_fulfilled)
surveys = Rows(NeedsSurvey, lambda p: _between("surveyed_on", p))


register(
    Metric(
        "outreach.legal_aid_received",
        "接收法律援助申请件数",
        "件",
        COUNT,
        aid_received,
        aliases=("法律援助",),
        definition="期内（按接收日期）乡镇接收的法律援助申请。",
        report_section=MEASURES,
        report_topic=SERVICES,
        report_phrase="接收法律援助申请{value}件",
    )
)
register(
    Metric(
        "outreach.legal_aid_granted",
        "获得法律援助件数",
        "件",
        COUNT,
        aid_granted,
        aliases=("提供法律援助", "法律援助件数"),
        definition="期内（按决定日期）法律援助中心决定给予法律援助的申请。",
        report_section=MEASURES,
        report_topic=SERVICES,
        report_phrase="协助群众获得法律援助{value}件",
    )
)
register(
    Metric(
        "outreach.legal_aid_forwarded_on_time_rate",
        "法律援助申请按期转交率",
        "%",
        RATE,
        aid_forwarded,
        numerator_records=aid_forwarded_on_time,
        definition="分子：期内接收且已转交的申请中，在转交期限（绿色通道1日，其余3个工作日，可调整）内转交的；分母：期内接收且已转交的申请。",
    )
)
register(
    Metric(
        "outreach.culture_sites",
        "法治文化阵地个数",
        "个",
        COUNT,
        sites,
        aliases=("法治文化阵地", "法治广场", "法律工作室"),
        definition="期末在用的法治广场、宣传栏、法律工作室、法治长廊等阵地。",
        report_section=MEASURES,
        report_topic=PUFA,
        report_phrase="建成法治文化阵地{value}个",
    )
)
register(
    Metric(
        "outreach.culture_site_coverage",
        "村(社区)法治文化阵地覆盖率",
        "%",
        RATE,
        villages,
        numerator_records=villages_with_site,
        definition="分子：期末至少有一处在用法治文化阵地的村(社区、场)；分母：全部村(社区、场)。",
        report_section=MEASURES,
        report_topic=PUFA,
        report_phrase="村级法治文化阵地覆盖率{display}",
    )
)
register(
    Metric(
        "outreach.responsibility_fulfilment_rate",
        "普法责任清单落实率",
        "%",
        RATE,
        responsibilities,
        numerator_records=responsibilities_fulfilled,
        aliases=("谁执法谁普法",),
        definition="分子：清单年度内已开展的、注明落实该项责任的普法活动不少于计划场次的清单项；分母：期内年度的清单项。",
        report_section=MEASURES,
        report_topic=PUFA,
        report_phrase="“谁执法谁普法”责任清单{denominator}项，落实{numerator}项",
    )
)
register(
    Metric(
        "outreach.survey_respondents",
        "普法需求调查受访人数",
        "人",
        SUM,
        surveys,
        sum_field="respondents",
        aliases=("法治需求专项调研", "需求调查"),
        definition="期内普法需求调查登记的受访人数之和。",
    )
)
