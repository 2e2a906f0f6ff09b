"""Figures of administrative enforcement, registered in the indicator registry (the only place
they are computed). Stock figures (officers, certificates) are counted as at the period's end.

- 持证率 = 在岗行政执法人员中期末持有有效执法证件的人数 ÷ 在岗行政执法人员数. Auxiliaries and
  grid workers are not enforcement officers and are in neither count. A certificate is valid on a
  day when its status is 有效, the day lies between issue and expiry, and it was issued or passed
  the yearly check no earlier than the previous year (models.Certificate.state).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q
from django.db.models.functions import Cast, Coalesce

from fazhi.core.choices import DeadlineStatus
from fazhi.core.models import Deadline
from fazhi.enforcement import choices as c
from fazhi.enforcement import rules
from fazhi.enforcement.models import (
    CaseFileReview,
    Certificate,
    Disclosure,
    EnforcementBody,
    EnforcementCase,
    LegalReview,
    Officer,
    Power,
    SupervisionOpinion,
)
from fazhi.indicators.registry import COUNT, RATE, Metric, Period, Rows, register

CITATION = "国办发〔2018〕118号；《行政处罚法》"
TOPIC = "规范行政执法"


def valid_certificates_q(on: Any) -> Q:
    """Certificates valid on `on` (the same rule as Certificate.state, as a query)."""
    return Q(
        status=c.CertificateStatus.VALID,
        issued_on__lte=on,
        expires_on__gte=on,
    ) & (Q(issued_on__year__gte=on.year - 1) | Q(checked_year__gte=on.year - 1))


# Declared with Rows: every figure of a table comes from one aggregate (docs/indicators.md).
officers = Rows(Officer, lambda p: Q(kind=c.OfficerKind.OFFICER, is_active=True))


def _certified(period: Period) -> Q:
    valid = Certificate.objects.filter(valid_certificates_q(period.as_of), officer=OuterRef("pk"))
    return Q(Exists(valid))


certified_officers = officers.narrow(_certified)
bodies = Rows(EnforcementBody, lambda p: Q(is_active=True))
published_powers = Rows(
    Power,
    lambda p: Q(is_active=True, published_on__isnull=False, published_on__lte=p.as_of),
)
#: Certificates of active officers expiring within the period (换证提醒).
expiring_certificates = Rows(
    Certificate,
    lambda p: Q(
        status=c.CertificateStatus.VALID,
        officer__is_active=True,
        expires_on__gte=p.start,
        expires_on__lte=p.end,
    ),
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


# --- cases -----------------------------------------------------------------------------------
def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


cases_filed = Rows(EnforcementCase, lambda p: _between("filed_on", p))


def _by(field: str, value: str) -> Rows:
    return cases_filed.narrow(lambda p: Q(**{field: value}))


def _decision_deadline(**conditions: Any) -> Q:
    """The case has a 作出决定期限 deadline matching `conditions`."""
    deadlines = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(EnforcementCase),
        rule_code=rules.DECISION.code,
        township=OuterRef("township"),
        object_id=Cast(OuterRef("pk"), CharField()),
        **conditions,
    )
    return Q(Exists(deadlines))


#: Ordinary cases filed in the period whose decision was due or made by the period's end.
decision_due = cases_filed.narrow(
    lambda p: (
        Q(procedure=c.Procedure.ORDINARY)
        & ~Q(status=c.CaseStatus.TERMINATED)
        & (Q(decided_on__lte=p.end) | _decision_deadline(due_date__lte=p.end))
    )
)
decided_on_time = decision_due.narrow(
    lambda p: _decision_deadline(status=DeadlineStatus.DONE) & Q(decided_on__lte=p.end)
)
#: Undecided at the period's end although the (extended) decision period has run out.
overdue_cases = Rows(
    EnforcementCase,
    lambda p: (
        Q(filed_on__lte=p.end)
        & _decision_deadline(due_date__lt=p.end)
        & ~Q(status=c.CaseStatus.TERMINATED)
        & (Q(decided_on__isnull=True) | Q(decided_on__gt=p.end))
    ),
)


def _fine_limit(party_kind: str) -> Coalesce:
    """The case's threshold: recorded at its decision (`major_fine_limit`), else in force now."""
    return Coalesce(
        F("major_fine_limit"), rules.major_fine_value(party_kind), output_field=IntegerField()
    )


def needs_review_q() -> Q:
    """EnforcementCase.needs_review as a query (法制审核: Art. 58 and the list): an ordinary case
    whose power is on the review list, or of public interest, heard, complex, or with a fine at
    or above the major-fine limit for its kind of party. A decided case keeps the limit recorded
    at its decision (`major_fine_limit`); for the others it is the one in force for the case's
    own county (an SQL expression over the overrides, `rules.major_fine_value`), so one plan is
    right for every township and for the county comparison grouped by township.
    `fazhi/reports/tests/test_seed_figures.py` checks it against the model's property on the
    demo's cases, `tests/test_review_thresholds.py` across two counties' thresholds."""
    person = c.PartyKind.PERSON
    return Q(procedure=c.Procedure.ORDINARY) & (
        Q(power__legal_review_required=True)
        | Q(public_interest=True)
        | Q(hearing_on__isnull=False)
        | Q(complex_case=True)
        | Q(party_kind=person, fine_amount__gte=_fine_limit(person))
        | (~Q(party_kind=person) & Q(fine_amount__gte=_fine_limit(c.PartyKind.ORGANISATION)))
    )


#: Ordinary cases decided in the period that needed 法制审核.
review_required = Rows(
    EnforcementCase,
    lambda p: _between("decided_on", p) & needs_review_q(),
    select_related=("power",),
)


def _reviewed(period: Period) -> Q:
    passed = LegalReview.objects.filter(
        case=OuterRef("pk"), passed=True, reviewed_on__lte=OuterRef("decided_on")
    )
    return Q(Exists(passed))


reviewed = review_required.narrow(_reviewed)
disclosures_due = Rows(
    Disclosure,
    lambda p: (Q(due_on__lte=p.end) | Q(published_on__lte=p.end)) & _between("case__decided_on", p),
)
disclosures_on_time = disclosures_due.narrow(
    lambda p: Q(published_on__isnull=False, published_on__lte=F("due_on"))
)
file_reviews = Rows(CaseFileReview, lambda p: _between("reviewed_on", p))
file_reviews_passed = file_reviews.narrow(lambda p: Q(passed=True))


register(
    Metric(
        "enforcement.cases",
        "行政执法案件数",
        "件",
        COUNT,
        cases_filed,
        citation="《行政处罚法》",
        aliases=("行政执法案件", "执法案件", "办理案件", "查处案件"),
        definition="期内立案的行政执法案件（含简易程序当场处罚）。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="办理行政执法案件{value}件",
    )
)
register(
    Metric(
        "enforcement.cases_ordinary",
        "普通程序案件数",
        "件",
        COUNT,
        _by("procedure", c.Procedure.ORDINARY),
        citation="《行政处罚法》第五十四条",
        aliases=("普通程序",),
        definition="期内按普通程序立案的案件。",
    )
)
register(
    Metric(
        "enforcement.cases_summary",
        "简易程序案件数",
        "件",
        COUNT,
        _by("procedure", c.Procedure.SUMMARY),
        citation="《行政处罚法》第五十一条",
        aliases=("简易程序", "当场处罚"),
        definition="期内按简易程序当场作出的处罚决定。",
    )
)
for _value, _label in c.PowerCategory.choices:
    register(
        Metric(
            f"enforcement.cases_{_value}",
            f"{_label}案件数",
            "件",
            COUNT,
            _by("power__category", _value),
            aliases=(f"{_label}案件",),
            definition=f"期内立案、执法事项类别为“{_label}”的案件。",
        )
    )
register(
    Metric(
        "enforcement.on_time_rate",
        "行政执法案件按期办结率",
        "%",
        RATE,
        decision_due,
        numerator_records=decided_on_time,
        citation="《行政处罚法》第六十条",
        aliases=("按期办结率", "案件按期办结率"),
        definition="期内立案的普通程序案件中，至期末决定期限已届满或已作出决定的案件里，在九十日（含经批准延长）内作出决定的比例。",
    )
)
register(
    Metric(
        "enforcement.overdue_cases",
        "超期未决案件数",
        "件",
        COUNT,
        overdue_cases,
        citation="《行政处罚法》第六十条",
        aliases=("超期案件",),
        definition="至期末已超过九十日（含经批准延长）仍未作出决定的案件。",
        higher_is_better=False,
    )
)
register(
    Metric(
        "enforcement.review_rate",
        "重大执法决定法制审核率",
        "%",
        RATE,
        review_required,
        numerator_records=reviewed,
        citation="《行政处罚法》第五十八条；国办发〔2018〕118号",
        aliases=("法制审核率", "重大执法决定法制审核"),
        definition="期内作出决定、依法须法制审核的案件中，决定前经法制审核通过的比例。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="重大执法决定法制审核率{value}%",
    )
)
register(
    Metric(
        "enforcement.disclosure_timely_rate",
        "执法决定公示及时率",
        "%",
        RATE,
        disclosures_due,
        numerator_records=disclosures_on_time,
        citation="国办发〔2018〕118号",
        aliases=("公示及时率", "执法公示"),
        definition="期内作出的决定中，至期末公示期限已届满或已公示的，在期限内（处罚、许可7个工作日，其他20个工作日）公示的比例。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="行政执法决定公示及时率{value}%",
    )
)
register(
    Metric(
        "enforcement.file_review_pass_rate",
        "案卷评查合格率",
        "%",
        RATE,
        file_reviews,
        numerator_records=file_reviews_passed,
        aliases=("案卷评查合格率", "案卷合格率"),
        definition=f"期内评查的案卷中总分达到合格线（默认{rules.FILE_REVIEW_PASS}分）的比例。",
    )
)


# --- supervision (行政执法监督条例) -----------------------------------------------------------
SUPERVISION_CITATION = "《行政执法监督条例》（国务院令第825号）"


#: 监督意见书 served on the township's bodies in the period.
opinions_issued = Rows(SupervisionOpinion, lambda p: _between("issued_on", p))
#: Opinions of the period whose correction deadline ran out, or that were confirmed corrected,
#: by the period's end (a correction still within its deadline is not counted).
opinions_due_or_done = opinions_issued.narrow(
    lambda p: Q(due_on__lte=p.end) | Q(accepted_on__lte=p.end)
)
opinions_corrected = opinions_due_or_done.narrow(lambda p: Q(accepted_on__lte=p.end))


register(
    Metric(
        "enforcement.supervision_opinions",
        "行政执法监督意见书件数",
        "件",
        COUNT,
        opinions_issued,
        citation=SUPERVISION_CITATION,
        aliases=("监督意见书件数", "行政执法监督意见书"),
        definition="期内司法所、县级司法行政部门向本乡镇执法主体送达的行政执法监督意见书件数。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="制发行政执法监督意见书{value}件",
    )
)
register(
    Metric(
        "enforcement.correction_rate",
        "行政执法监督整改完成率",
        "%",
        RATE,
        opinions_due_or_done,
        numerator_records=opinions_corrected,
        citation=SUPERVISION_CITATION,
        aliases=("整改完成率", "监督意见整改完成率"),
        definition="期内送达的监督意见书中，至期末整改期限已届满或已确认整改完成的，经监督机关确认整改完成的比例。",
        report_section="measures",
        report_topic=TOPIC,
        report_phrase="监督意见整改完成率{value}%",
    )
)
