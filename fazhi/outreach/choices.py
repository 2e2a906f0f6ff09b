"""Choices of the outreach module: stable English values, Chinese labels."""

from __future__ import annotations

from django.db import models


class KeyDay(models.TextChoices):
    NONE = "", "（非节点）"
    NEW_YEAR = "spring", "春节前后"
    WOMEN = "0308", "3·8 妇女节"
    CONSUMER = "0315", "3·15 消费者权益日"
    SECURITY = "0415", "4·15 全民国家安全教育日"
    CIVIL_CODE = "civil_code_month", "5月 民法典宣传月"
    SAFETY_MONTH = "safety_month", "6月 安全生产月"
    ANTI_DRUG = "0626", "6·26 国际禁毒日"
    SCHOOL = "school", "开学第一课"
    ELDERLY = "elderly", "九九重阳（老年人权益）"
    CONSTITUTION = "1204", "12·4 国家宪法日"
    CONSTITUTION_WEEK = "constitution_week", "宪法宣传周"


#: the month(s) of each key day, for the calendar (a key day outside them is allowed: a 宪法日
#: event held on 12月5日 still belongs to it)
KEY_DAY_MONTHS: dict[str, tuple[int, ...]] = {
    KeyDay.NEW_YEAR: (1, 2),
    KeyDay.WOMEN: (3,),
    KeyDay.CONSUMER: (3,),
    KeyDay.SECURITY: (4,),
    KeyDay.CIVIL_CODE: (5,),
    KeyDay.SAFETY_MONTH: (6,),
    KeyDay.ANTI_DRUG: (6,),
    KeyDay.SCHOOL: (9,),
    KeyDay.ELDERLY: (10,),
    KeyDay.CONSTITUTION: (12,),
    KeyDay.CONSTITUTION_WEEK: (12,),
}


class Channel(models.TextChoices):
    MARKET = "market", "赶集日"
    TEMPLE_FAIR = "temple_fair", "庙会"
    CAMPUS = "campus", "校园"
    VILLAGE = "village", "进村入户"
    SQUARE = "square", "广场集中宣传"
    ENTERPRISE = "enterprise", "进企业"
    NEW_MEDIA = "new_media", "新媒体推送"
    SHORT_VIDEO = "short_video", "短视频"
    LIVE = "live", "直播"
    LECTURE = "lecture", "以案释法/讲座"
    OTHER = "other", "其他"


#: target groups, stored by their labels joined with "、" (one column in the clerks' ledgers)
TARGET_GROUPS: tuple[str, ...] = (
    "村民群众",
    "青少年",
    "老年人",
    "外出务工人员",
    "留守老人",
    "留守儿童",
    "妇女",
    "企业",
    "个体工商户",
    "镇村干部",
    "社区矫正对象",
)
GROUP_SEPARATOR = "、"


class ServiceLevel(models.TextChoices):
    TOWNSHIP = "township", "乡镇公共法律服务站"
    VILLAGE = "village", "村(社区)公共法律服务室"


class ConsultationTopic(models.TextChoices):
    MARRIAGE = "marriage", "婚姻家庭"
    INHERITANCE = "inheritance", "继承赡养"
    LAND = "land", "土地承包与宅基地"
    LABOUR = "labour", "劳动争议与欠薪"
    DEBT = "debt", "借贷与合同"
    NEIGHBOUR = "neighbour", "相邻关系"
    TORT = "tort", "人身损害赔偿"
    FRAUD = "fraud", "电信网络诈骗"
    OTHER = "other", "其他"


class AwardLevel(models.TextChoices):
    COUNTY = "county", "县(市、区)级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    TOWNSHIP = "township", "乡镇级"


class SiteKind(models.TextChoices):
    SQUARE = "square", "法治广场"
    BOARD = "board", "法治宣传栏"
    STUDIO = "studio", "法律工作室"
    CORRIDOR = "corridor", "法治长廊"
    PARK = "park", "法治文化公园"
    OTHER = "other", "其他法治文化阵地"


class AidCategory(models.TextChoices):
    WAGES = "wages", "追索劳动报酬"
    INJURY = "injury", "工伤及人身损害赔偿"
    SUPPORT = "support", "赡养费、抚养费、扶养费"
    MARRIAGE = "marriage", "婚姻家庭"
    SOCIAL = "social", "社会保险、最低生活保障待遇"
    STATE_COMP = "state_comp", "国家赔偿"
    CRIMINAL = "criminal", "刑事案件"
    OTHER = "other", "其他"


class AidBasis(models.TextChoices):
    """Why the applicant qualifies (《法律援助法》第四十一条、第四十二条)."""

    MEANS = "means", "经济困难（经核查）"
    MINIMUM = "minimum", "最低生活保障对象"
    EXTREME = "extreme", "特困供养人员"
    DISABLED = "disabled", "无固定生活来源的残疾人"
    ELDERLY = "elderly", "无固定生活来源的老年人"
    MINOR = "minor", "无固定生活来源的未成年人"
    MIGRANT = "migrant", "进城务工人员追索劳动报酬或工伤赔偿"
    PRIORITY = "priority", "优抚对象、司法救助对象"
    NONE = "none", "不符合条件"


#: bases exempt from the means check (《法律援助法》第四十二条)
EXEMPT_BASES = frozenset(
    {
        AidBasis.MINIMUM,
        AidBasis.EXTREME,
        AidBasis.DISABLED,
        AidBasis.ELDERLY,
        AidBasis.MINOR,
        AidBasis.MIGRANT,
        AidBasis.PRIORITY,
    }
)


class AidStatus(models.TextChoices):
    RECEIVED = "received", "已接收"
    FORWARDED = "forwarded", "已转交县法律援助中心"
    GRANTED = "granted", "给予法律援助"
    REFUSED = "refused", "不予法律援助"
    WITHDRAWN = "withdrawn", "申请人撤回"


AID_TRANSITIONS: dict[str, frozenset[str]] = {
    AidStatus.RECEIVED: frozenset({AidStatus.FORWARDED, AidStatus.WITHDRAWN}),
    AidStatus.FORWARDED: frozenset({AidStatus.GRANTED, AidStatus.REFUSED, AidStatus.WITHDRAWN}),
    AidStatus.GRANTED: frozenset(),
    AidStatus.REFUSED: frozenset(),
    AidStatus.WITHDRAWN: frozenset(),
}
