"""The demo data set: the five seed townships and what their annual reports describe.

`manage.py load_demo` calls `load()`. It creates (or brings back to the demo state) the five
townships of ../shared/seeds/ with their counties, the departments (站办所) each report names,
the leading groups with their members, staff, villages and — for 扁担沟镇 — its 18 villages
(村/场), 109 grids, 110 full-time grid workers and the 分包领导 of every village; then the demo
logins. Everything runs in one transaction and is idempotent: rows are matched by natural keys
and written only when a value differs, so a second run changes nothing.

Personal names are invented (演示数据); no real person is meant. See docs/demo-data.md.

Modules extend the demo with their records. A module adds `fazhi/<app>/demo.py`:

    from fazhi.core import demo

    @demo.loader
    def load_petitions(townships: dict[str, Township]) -> None:
        sizhuang = townships["寺庄镇"]
        demo.upsert(Petition, {"township": sizhuang, "number": "…"}, {"received_on": …})

Loaders run after core's own, in INSTALLED_APPS order, inside the same transaction. Use
`upsert()` so that a reload stays idempotent and every write lands in the change history.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.db import models
from django.utils.module_loading import autodiscover_modules

from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.choices import (
    ChangeAction,
    DepartmentKind,
    LeadingRole,
    Role,
    TownshipKind,
    VillageKind,
)
from fazhi.core.context import audit_context, new_request_id
from fazhi.core.io import bulk_write
from fazhi.core.memo import reference_data_fixed
from fazhi.core.models import (
    County,
    Department,
    Grid,
    GridAssignment,
    LeadingGroup,
    LeadingGroupMember,
    Membership,
    Staff,
    Township,
    Village,
    VillageContact,
)
from fazhi.core.models.base import database_enforces

#: the one password of every demo login; printed by `manage.py demo_logins`
DEMO_PASSWORD = "fazhi-demo-2025"  # noqa: S105  (public on purpose: demo accounts only)
DEMO_NOTE = "（演示数据：人员姓名均为虚构）"

M = TypeVar("M", bound=models.Model)
Loader = Callable[[dict[str, Township]], None]


# --- the data -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountySpec:
    slug: str  # login prefix: lushi_supervisor
    name: str
    province: str
    city: str
    code: str
    note: str = ""  # where the county is an assumption, say so


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    kind: str
    head: str  # position of its head, e.g. 司法所所长
    enforcement: bool = False
    #: False when the report describes the unit's work without naming it (docs/demo-data.md)
    stated: bool = True


@dataclass(frozen=True)
class GroupSpec:
    name: str
    established_on: dt.date
    document_no: str
    #: (position, role in the group); the position "*班子" stands for every leader not named
    #: otherwise in the group, "*站办" for every department head
    members: tuple[tuple[str, str], ...]
    duties: str = ""


@dataclass(frozen=True)
class VillageSpec:
    name: str
    kind: str = VillageKind.VILLAGE
    grids: int = 0


@dataclass(frozen=True)
class TownshipSpec:
    slug: str  # login prefix: sizhuang_admin
    name: str
    county: CountySpec
    year: int  # the report year
    seed: str  # the seed report's file name
    #: the leadership team (班子成员): (position, name)
    leaders: tuple[tuple[str, str], ...]
    departments: tuple[DepartmentSpec, ...]
    groups: tuple[GroupSpec, ...]
    villages: tuple[VillageSpec, ...]
    #: the report describes 分包领导/包村 for the villages
    village_contacts: bool = False
    contacts_from: dt.date | None = None
    #: (village, grid name) that has two full-time grid workers
    double_grid: tuple[str, str] | None = None
    grid_workers_from: dt.date | None = None


LUSHI = CountySpec("lushi", "卢氏县", "河南省", "三门峡市", "411224")
GAOPING = CountySpec("gaoping", "高平市", "山西省", "晋城市", "140581")
MENGZHOU = CountySpec("mengzhou", "孟州市", "河南省", "焦作市", "410883")
JIANAN = CountySpec(
    "jianan",
    "建安区",
    "河南省",
    "许昌市",
    "411003",
    note="报告只写“区委、区政府”，未写区名；建安区为假定。",
)
LITONG = CountySpec("litong", "利通区", "宁夏回族自治区", "吴忠市", "640302")
COUNTIES: tuple[CountySpec, ...] = (LUSHI, GAOPING, MENGZHOU, JIANAN, LITONG)

_OFFICE = DepartmentSpec("党政办", DepartmentKind.OFFICE, "党政办主任", stated=False)
_JUSTICE = DepartmentSpec("司法所", DepartmentKind.JUSTICE, "司法所所长")
_SAFETY = DepartmentSpec("平安办", DepartmentKind.SAFETY, "平安办主任")
_POLICE = DepartmentSpec("派出所", DepartmentKind.POLICE, "派出所所长")
_PETITION = DepartmentSpec("信访办", DepartmentKind.PETITION, "信访办主任")
_SERVICE = DepartmentSpec("便民服务中心", DepartmentKind.OTHER, "便民服务中心主任")
_ENFORCEMENT = DepartmentSpec(
    "综合行政执法大队", DepartmentKind.ENFORCEMENT, "综合行政执法大队大队长", enforcement=True
)
_ENFORCEMENT_UNNAMED = replace(_ENFORCEMENT, stated=False)
_PETITION_UNNAMED = replace(_PETITION, stated=False)
_JUSTICE_UNNAMED = replace(_JUSTICE, stated=False)

_DUTIES = "统筹推进全镇法治政府建设，研究解决重大问题，督促检查任务落实。"


def _standard_group(on: dt.date, number: str, name: str = "法治政府建设工作领导小组") -> GroupSpec:
    """杜关镇's composition: 党委书记 组长, 镇长 常务副组长, 其他班子成员 副组长, 站办负责人 成员."""
    return GroupSpec(
        name,
        on,
        number,
        (
            ("党委书记", LeadingRole.LEADER),
            ("镇长", LeadingRole.EXECUTIVE_DEPUTY),
            ("*班子", LeadingRole.DEPUTY),
            ("*站办", LeadingRole.MEMBER),
        ),
        duties=_DUTIES + DEMO_NOTE,
    )


def _villages(*names: str) -> tuple[VillageSpec, ...]:
    return tuple(VillageSpec(n) for n in names)


# 扁担沟镇: “将全镇18个村（场）划分成109个网格，设置了110名专职网格员”. The seat village's
# 第一网格 has two grid workers; every other grid has one.
_BIANDANGOU_VILLAGES = (
    VillageSpec("扁担沟村", grids=8),
    VillageSpec("东风村", grids=7),
    VillageSpec("红星村", grids=6),
    VillageSpec("新华村", grids=6),
    VillageSpec("团结村", grids=6),
    VillageSpec("五里坡村", grids=7),
    VillageSpec("沙泉村", grids=6),
    VillageSpec("郭家桥村", grids=5),
    VillageSpec("黄羊滩村", grids=6),
    VillageSpec("清水沟村", grids=6),
    VillageSpec("张家湾村", grids=5),
    VillageSpec("马家湖村", grids=6),
    VillageSpec("高闸村", grids=6),
    VillageSpec("丰收村", grids=5),
    VillageSpec("富民村", grids=6),
    VillageSpec("金星村", grids=6),
    VillageSpec("东沙窝场", VillageKind.FARM, grids=6),
    VillageSpec("苦水河场", VillageKind.FARM, grids=6),
)

SEEDS: tuple[TownshipSpec, ...] = (
    TownshipSpec(
        "duguan",
        "杜关镇",
        LUSHI,
        2025,
        "000_bc7bf2a901aad011.txt",
        leaders=(
            ("党委书记", "王建国"),
            ("镇长", "李振华"),
            ("党委副书记", "张海涛"),
            ("人大主席", "赵秀兰"),
            ("纪委书记", "刘志强"),
            ("常务副镇长", "陈卫东"),
            ("副镇长", "杨丽娟"),
            ("宣传委员", "周国庆"),
        ),
        departments=(
            _OFFICE,
            _SAFETY,
            DepartmentSpec("应急办", DepartmentKind.EMERGENCY, "应急办主任"),
            _JUSTICE,
            _POLICE,
            _PETITION_UNNAMED,
            _ENFORCEMENT_UNNAMED,
        ),
        groups=(_standard_group(dt.date(2025, 2, 18), "杜党〔2025〕6号", "法治建设工作领导小组"),),
        villages=_villages(
            "杜关村",
            "西虎岭村",
            "东庄村",
            "北窑村",
            "南沟村",
            "石门村",
            "柳树湾村",
            "马庄村",
            "上河村",
            "下河村",
        ),
        village_contacts=True,
        contacts_from=dt.date(2025, 2, 18),
    ),
    TownshipSpec(
        "sizhuang",
        "寺庄镇",
        GAOPING,
        2025,
        "001_db2bfd3fd16ed539.txt",
        leaders=(
            ("党委书记", "郭晋生"),
            ("镇长", "牛建军"),
            ("党委副书记", "秦志刚"),
            ("人大主席", "李春梅"),
            ("纪委书记", "常永红"),
            ("常务副镇长", "申晓东"),
            ("副镇长", "赵慧敏"),
            ("宣传委员", "焦文斌"),
        ),
        departments=(
            _OFFICE,
            _JUSTICE_UNNAMED,
            _ENFORCEMENT_UNNAMED,
            replace(_SAFETY, stated=False),
            _PETITION_UNNAMED,
            _SERVICE,
        ),
        groups=(_standard_group(dt.date(2025, 2, 20), "寺党发〔2025〕4号"),),
        villages=_villages(
            "寺庄村",
            "北庄村",
            "东宅村",
            "西山村",
            "南河村",
            "马村",
            "王降村",
            "庄里村",
            "河西村",
            "上庄村",
        ),
    ),
    TownshipSpec(
        "huagong",
        "化工镇",
        MENGZHOU,
        2025,
        "002_6b8a4562c0d40977.txt",
        leaders=(
            ("党委书记", "薛明远"),
            ("镇长", "范国栋"),
            ("党委副书记", "史红霞"),
            ("人大主席", "程建设"),
            ("纪委书记", "孔德胜"),
            ("常务副镇长", "杜晓燕"),
            ("副镇长", "韩志伟"),
            ("宣传委员", "许文涛"),
        ),
        departments=(
            _OFFICE,
            _JUSTICE_UNNAMED,  # “司法协同”“司法调解”
            _ENFORCEMENT_UNNAMED,
            _PETITION_UNNAMED,
            _SERVICE,
        ),
        # “及时调整法治政府建设工作领导小组，由镇党委书记任组长”
        groups=(_standard_group(dt.date(2025, 3, 5), "化党〔2025〕9号"),),
        villages=_villages(
            "化工村",
            "东坡村",
            "西坡村",
            "南庄村",
            "北庄村",
            "后营村",
            "前营村",
            "新庄村",
            "堤北村",
            "河头村",
            "店上村",
            "王村",
        ),
    ),
    TownshipSpec(
        "jiangguanchi",
        "将官池镇",
        JIANAN,
        2025,
        "003_b47715108e1383ee.txt",
        leaders=(
            ("党委书记", "吕长青"),
            ("镇长", "魏建平"),
            ("党委副书记", "郑俊峰"),
            ("人大主席", "胡玉兰"),
            ("纪委书记", "宋国强"),
            ("常务副镇长", "黄晓峰"),
            ("副镇长", "袁丽萍"),
            ("宣传委员", "孙海洋"),
        ),
        departments=(
            _OFFICE,
            _ENFORCEMENT,
            DepartmentSpec(
                "市场发展监督管理所", DepartmentKind.MARKET, "市场发展监督管理所所长", True
            ),
            DepartmentSpec("自然资源所", DepartmentKind.LAND, "自然资源所所长", True),
            _SAFETY,
            _POLICE,
            _JUSTICE,
        ),
        groups=(_standard_group(dt.date(2025, 2, 26), "将党〔2025〕5号"),),
        villages=_villages(
            "将官池村",
            "东村",
            "西村",
            "北街村",
            "南街村",
            "李庄村",
            "刘庄村",
            "张庄村",
            "小寨村",
            "大寨村",
        ),
    ),
    TownshipSpec(
        "biandangou",
        "扁担沟镇",
        LITONG,
        2023,
        "004_5e0d0e6190e313b8.txt",
        leaders=(
            ("党委书记", "马成福"),
            ("镇长", "丁学军"),
            ("党委副书记", "杨文华"),
            ("人大主席", "海玉梅"),
            ("纪委书记", "田志刚"),
            ("常务副镇长", "金晓东"),
            ("副镇长", "白永宁"),
            ("宣传委员", "苏红燕"),
            ("组织委员", "何俊杰"),
            ("政法委员", "冯立新"),
        ),
        departments=(
            _OFFICE,
            DepartmentSpec("法治办", DepartmentKind.RULE_OF_LAW, "法治办主任"),
            _JUSTICE,
            DepartmentSpec("综治办", DepartmentKind.SAFETY, "综治办主任"),
            DepartmentSpec("禁毒办", DepartmentKind.OTHER, "禁毒办主任"),
            DepartmentSpec("安监站", DepartmentKind.EMERGENCY, "安监站站长"),
            _ENFORCEMENT_UNNAMED,
        ),
        # “完善和建立了法治政府建设工作领导小组，依法行政协调指导小组，‘八五’普法领导小组”
        groups=(
            _standard_group(dt.date(2023, 3, 10), "扁党发〔2023〕12号"),
            GroupSpec(
                "依法行政协调指导小组",
                dt.date(2023, 3, 10),
                "扁政发〔2023〕8号",
                (
                    ("镇长", LeadingRole.LEADER),
                    ("常务副镇长", LeadingRole.DEPUTY),
                    ("政法委员", LeadingRole.DEPUTY),
                    ("法治办主任", LeadingRole.MEMBER),
                    ("司法所所长", LeadingRole.MEMBER),
                    ("综合行政执法大队大队长", LeadingRole.MEMBER),
                    ("安监站站长", LeadingRole.MEMBER),
                ),
                duties="协调指导全镇依法行政工作。" + DEMO_NOTE,
            ),
            GroupSpec(
                "“八五”普法领导小组",
                dt.date(2023, 4, 12),
                "扁党发〔2023〕15号",
                (
                    ("党委书记", LeadingRole.LEADER),
                    ("宣传委员", LeadingRole.DEPUTY),
                    ("法治办主任", LeadingRole.MEMBER),
                    ("司法所所长", LeadingRole.MEMBER),
                    ("综治办主任", LeadingRole.MEMBER),
                    ("禁毒办主任", LeadingRole.MEMBER),
                    ("安监站站长", LeadingRole.MEMBER),
                ),
                duties="落实“谁执法谁普法”责任制，组织全镇“八五”普法。" + DEMO_NOTE,
            ),
        ),
        villages=_BIANDANGOU_VILLAGES,
        village_contacts=True,
        contacts_from=dt.date(2023, 3, 10),
        double_grid=("扁担沟村", "第一网格"),
        grid_workers_from=dt.date(2023, 3, 1),
    ),
)

SEEDS_BY_NAME: dict[str, TownshipSpec] = {s.name: s for s in SEEDS}

#: generated neighbours of 寺庄镇 in 高平市, so that a county supervisor compares several
#: townships whose records differ (issue #8). Not from any report: their names end in （演示）
#: and everything about them — people, villages, records — is invented.
NEIGHBOURS: tuple[TownshipSpec, ...] = (
    TownshipSpec(
        "dongling",
        "东岭镇（演示）",
        GAOPING,
        2025,
        "",
        leaders=(
            ("党委书记", "韩立新"),
            ("镇长", "程宏伟"),
            ("党委副书记", "贾玉琴"),
            ("人大主席", "宋保平"),
            ("纪委书记", "丁晓燕"),
            ("副镇长", "魏建平"),
        ),
        departments=(_OFFICE, _JUSTICE, _ENFORCEMENT, _PETITION),
        groups=(_standard_group(dt.date(2025, 3, 4), "东岭党发〔2025〕6号"),),
        villages=_villages(
            "东岭村", "后沟村", "石坡村", "杨家庄村", "北岭村", "槐树村", "前进村", "岭上村"
        ),
        village_contacts=True,
        contacts_from=dt.date(2025, 3, 10),
    ),
    TownshipSpec(
        "nanchuan",
        "南川镇（演示）",
        GAOPING,
        2025,
        "",
        leaders=(
            ("党委书记", "曹振华"),
            ("镇长", "彭丽君"),
            ("党委副书记", "袁国栋"),
            ("纪委书记", "邓春燕"),
            ("副镇长", "蒋志勇"),
        ),
        departments=(_OFFICE, _JUSTICE_UNNAMED, _PETITION_UNNAMED),
        groups=(),
        villages=_villages("南川村", "川口村", "河湾村", "水磨村", "新庄村", "王家河村"),
    ),
)
NEIGHBOURS_BY_NAME: dict[str, TownshipSpec] = {s.name: s for s in NEIGHBOURS}


def report_year(township: Township | str) -> int:
    """The year the township's seed report covers (2025; 扁担沟镇 2023); a generated
    neighbour's records are dated like its seed township's (2025)."""
    name = township if isinstance(township, str) else township.name
    spec = SEEDS_BY_NAME.get(name) or NEIGHBOURS_BY_NAME[name]
    return spec.year


# --- invented names -------------------------------------------------------------------------
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = (
    "建华 秀英 志强 丽娟 海燕 国庆 玉兰 文明 春花 永刚 桂芳 金山 红梅 德明 小平 "
    "晓东 丽萍 建军 淑芬 卫国 玉梅 振宇 慧敏 长春 学文 俊杰 彩霞 明亮 雪梅 福生"
).split()


def invented_names(
    count: int, *, offset: int = 0, avoid: set[str] | frozenset = frozenset()
) -> list[str]:
    """`count` distinct, plausible and invented names, always the same for the same arguments."""
    names: list[str] = []
    i = offset
    while len(names) < count:
        s = _SURNAMES[i % len(_SURNAMES)]
        g = _GIVEN[(i // len(_SURNAMES) + 7 * (i % len(_SURNAMES))) % len(_GIVEN)]
        i += 1
        if s + g not in avoid and s + g not in names:
            names.append(s + g)
        if i - offset > 10 * (count + len(avoid)) + 1000:
            raise ValueError("演示人名不够用")
    return names


# --- idempotent writes ----------------------------------------------------------------------
_stats: ContextVar[Counter | None] = ContextVar("fazhi_demo_stats", default=None)


def _count(model: type[models.Model], outcome: str) -> None:
    stats = _stats.get()
    if stats is not None:
        stats[(str(model._meta.verbose_name), outcome)] += 1


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    f = obj._meta.get_field(name)
    if f.is_relation:
        return getattr(obj, f.attname) != (value.pk if isinstance(value, models.Model) else value)
    return getattr(obj, name) != value


def _validate(obj: models.Model) -> None:
    """Field checks and the model's own `clean()` (e.g. 所属村不属于该乡镇). Foreign keys are
    saved instances here, so their existence queries are skipped; the database enforces the
    unique constraints, and the natural-key lookup keeps us from tripping them."""
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def upsert(model: type[M], lookup: dict[str, Any], defaults: dict[str, Any] | None = None) -> M:
    """Get the row matching `lookup` (a natural key) or create it; set `defaults` only when they
    differ. Validates, bumps `version` on change and writes the change record (actor: 系统).
    Writing nothing when nothing differs is what makes a second `load_demo` a no-op."""
    defaults = defaults or {}
    try:
        obj = model._default_manager.get(**lookup)
    except model.DoesNotExist:
        obj = model(**lookup, **defaults)
        _validate(obj)
        obj.save()
        record_change(obj, ChangeAction.CREATE, None, snapshot(obj), actor=None)
        _count(model, "created")
        return obj
    changed = [name for name, value in defaults.items() if _differs(obj, name, value)]
    if not changed:
        _count(model, "unchanged")
        return obj
    before = snapshot(obj)
    for name in changed:
        setattr(obj, name, defaults[name])
    _validate(obj)
    if hasattr(obj, "version"):
        obj.version += 1
    obj.save()
    record_change(obj, ChangeAction.UPDATE, before, snapshot(obj), actor=None)
    _count(model, "updated")
    return obj


# --- the core loaders -----------------------------------------------------------------------
def load_places() -> dict[str, Township]:
    """Counties and townships; returns the township map {name: Township} the loaders receive."""
    townships: dict[str, Township] = {}
    for spec in SEEDS + NEIGHBOURS:
        c = spec.county
        county = upsert(
            County, {"province": c.province, "city": c.city, "name": c.name}, {"code": c.code}
        )
        townships[spec.name] = upsert(
            Township, {"county": county, "name": spec.name}, {"kind": TownshipKind.TOWN}
        )
    return townships


def _staff(township: Township, name: str, position: str, **defaults: Any) -> Staff:
    return upsert(Staff, {"township": township, "name": name, "position": position}, defaults)


def load_org(townships: dict[str, Township]) -> None:
    """Departments, staff, leading groups, villages, grids, grid workers and 分包领导."""
    for spec in SEEDS + NEIGHBOURS:
        township = townships[spec.name]
        names = dict(spec.leaders)
        secretary = _staff(township, names["党委书记"], "党委书记")
        mayor = _staff(township, names["镇长"], "镇长", supervisor=secretary)
        leaders = {"党委书记": secretary, "镇长": mayor}
        for pos, name in spec.leaders:
            if pos not in leaders:  # the other 班子成员 report to the 镇长
                leaders[pos] = _staff(township, name, pos, supervisor=mayor)
        deputies = [s for pos, s in leaders.items() if pos not in ("党委书记", "镇长")]

        used = {name for _, name in spec.leaders}
        head_names = invented_names(
            len(spec.departments) + 1, offset=(SEEDS + NEIGHBOURS).index(spec) * 37, avoid=used
        )
        heads: dict[str, Staff] = {}
        for i, d in enumerate(spec.departments):
            dept = upsert(
                Department,
                {"township": township, "name": d.name},
                {"kind": d.kind, "is_enforcement_body": d.enforcement},
            )
            heads[d.head] = _staff(
                township,
                head_names[i],
                d.head,
                department=dept,
                supervisor=deputies[i % len(deputies)],  # 分管领导: overdue items go to them
            )
        justice = Department.objects.filter(township=township, kind=DepartmentKind.JUSTICE).first()
        if justice is not None:  # one more 司法所 officer for mediation and 普法 ledgers
            _staff(township, head_names[-1], "司法所干事", department=justice)

        for g in spec.groups:
            group = upsert(
                LeadingGroup,
                {"township": township, "name": g.name},
                {
                    "established_on": g.established_on,
                    "document_no": g.document_no,
                    "duties": g.duties,
                },
            )
            named = {pos for pos, _ in g.members if not pos.startswith("*")}
            for pos, role in g.members:
                if pos == "*班子":
                    people = [s for p, s in leaders.items() if p not in named]
                elif pos == "*站办":
                    people = list(heads.values())
                else:
                    people = [leaders.get(pos) or heads[pos]]
                for person in people:
                    upsert(
                        LeadingGroupMember,
                        {"township": township, "group": group, "staff": person},
                        {"role": role, "term_start": g.established_on, "term_end": None},
                    )

        villages = [
            upsert(Village, {"township": township, "name": v.name}, {"kind": v.kind})
            for v in spec.villages
        ]
        if spec.village_contacts:
            # “党政领导、机关干部分工包干到村（场）”: every village has one contact leader
            contacts = [s for p, s in leaders.items() if p != "党委书记"]
            for i, village in enumerate(villages):
                upsert(
                    VillageContact,
                    {"township": township, "village": village, "start": spec.contacts_from},
                    {"staff": contacts[i % len(contacts)], "end": None},
                )
        _load_grids(spec, township, villages, used | set(head_names))


def _numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _load_grids(
    spec: TownshipSpec, township: Township, villages: list[Village], used: set[str]
) -> None:
    total_grids = sum(v.grids for v in spec.villages)
    if not total_grids:
        return
    workers = invented_names(total_grids + (1 if spec.double_grid else 0), offset=500, avoid=used)
    it = iter(workers)
    for v, village in zip(spec.villages, villages, strict=True):
        for n in range(1, v.grids + 1):
            grid_name = f"第{_numeral(n)}网格"
            grid = upsert(Grid, {"township": township, "village": village, "name": grid_name})
            count = 2 if spec.double_grid == (v.name, grid_name) else 1
            for _ in range(count):
                person = _staff(township, next(it), "专职网格员")
                upsert(
                    GridAssignment,
                    {"township": township, "grid": grid, "staff": person},
                    {"full_time": True, "start": spec.grid_workers_from, "end": None},
                )


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    display: str
    county: CountySpec | None = None
    township: str | None = None
    #: a department officer's department (by kind), e.g. the township's 司法所
    department_kind: str | None = None


def demo_logins() -> list[DemoLogin]:
    """Every demo account: a platform admin, a supervisor per county, admin/operator/viewer per
    township, and the officer of each township's 司法所 (who supervises enforcement, REGULATIONS.md
    §11). Passwords are all DEMO_PASSWORD."""
    logins = [DemoLogin("platform_admin", Role.PLATFORM_ADMIN, "平台管理员（演示）")]
    for c in COUNTIES:
        logins.append(
            DemoLogin(
                f"{c.slug}_supervisor", Role.COUNTY_SUPERVISOR, f"{c.name}督导（演示）", county=c
            )
        )
    labels = {
        Role.TOWNSHIP_ADMIN: ("admin", "管理员"),
        Role.TOWNSHIP_OPERATOR: ("operator", "经办人"),
        Role.VIEWER: ("viewer", "只读用户"),
    }
    for spec in SEEDS:
        for role, (suffix, label) in labels.items():
            logins.append(
                DemoLogin(
                    f"{spec.slug}_{suffix}", role, f"{spec.name}{label}（演示）", township=spec.name
                )
            )
        if any(d.kind == DepartmentKind.JUSTICE for d in spec.departments):
            logins.append(
                DemoLogin(
                    f"{spec.slug}_justice",
                    Role.DEPARTMENT_OFFICER,
                    f"{spec.name}司法所干部（演示）",
                    township=spec.name,
                    department_kind=DepartmentKind.JUSTICE,
                )
            )
    return logins


class _DemoPassword:
    """DEMO_PASSWORD hashed once per load, and each stored hash checked once: every demo login
    has the same published password, and one hash with the project's hasher (argon2) costs about
    0.3 s of CPU — 26 logins hashed one by one were the largest part of a fresh `load_demo`, and
    26 checks the largest part of a second one. The logins created together share the hash
    (the salt protects nothing when the password is public); a login whose password was changed
    or whose hash is outdated is set again, as before."""

    def __init__(self) -> None:
        self._hash = ""
        self._checked: dict[str, str] = {}

    def encoded(self) -> str:
        if not self._hash:
            self._hash = make_password(DEMO_PASSWORD)
            self._checked[self._hash] = "current"
        return self._hash

    def state(self, user: User) -> str:
        """ "current", "outdated" (the demo password in an older hash: upgraded, as
        `User.check_password` does) or "other" (another password, or none)."""
        encoded = user.password
        if encoded not in self._checked:
            outdated: list[bool] = []
            ok = check_password(DEMO_PASSWORD, encoded, setter=lambda raw: outdated.append(True))
            self._checked[encoded] = ("outdated" if outdated else "current") if ok else "other"
        return self._checked[encoded]


def _user(login: DemoLogin, password: _DemoPassword | None = None) -> User:
    password = password or _DemoPassword()
    user = User.objects.filter(username=login.username).first()
    if user is None:
        user = User(username=login.username, first_name=login.display, is_active=True)
        user.password = password.encoded()
        user.save()
        _demo_password_kept(user)
        _count(User, "created")
        return user
    changed = False
    if user.first_name != login.display or not user.is_active:
        user.first_name, user.is_active = login.display, True
        changed = True
    state = password.state(user)
    if state == "outdated":  # upgraded without counting as a change, like check_password
        user.password = password.encoded()
        user.save(update_fields=["password"])
    elif state == "other":
        user.password = password.encoded()
        changed = True
    if changed:
        user.save()
    _demo_password_kept(user)
    _count(User, "updated" if changed else "unchanged")
    return user


def _demo_password_kept(user: User) -> None:
    """The demo password is published in the README and used by CI: flag it as already changed
    so the first-login password change (core.security) does not stop a demo login."""
    from fazhi.core.models import AccountSecurity

    state, created = AccountSecurity.objects.get_or_create(user=user)
    if created or state.must_change_password or state.password_changed_at is None:
        from fazhi.core import security

        security.mark_password_changed(user)


def load_users(townships: dict[str, Township]) -> None:
    """The demo logins with their memberships; each township operator is linked to the staff
    row of the department that keeps the rule-of-law ledgers (法治办, else 司法所)."""
    counties = {t.county.name: t.county for t in townships.values()}
    password = _DemoPassword()
    for login in demo_logins():
        user = _user(login, password)
        unit: dict[str, Any] = {"county": None, "township": None, "department": None}
        if login.county is not None:
            unit["county"] = counties[login.county.name]
        elif login.township is not None:
            unit["township"] = townships[login.township]
        if login.department_kind is not None:
            unit["department"] = Department.objects.get(
                township=unit["township"], kind=login.department_kind
            )
        upsert(Membership, {"user": user, "role": login.role, **unit, "village": None})
        if login.role == Role.TOWNSHIP_OPERATOR:
            township = townships[login.township]
            for position in ("法治办主任", "司法所所长"):
                staff = Staff.objects.filter(township=township, position=position).first()
                if staff is not None:
                    if staff.user_id in (None, user.pk):
                        upsert(Staff, {"pk": staff.pk}, {"user": user})
                    break


def load_notices(townships: dict[str, Township]) -> None:
    """A notice (通知公告) from each demo county to its townships, read by the first of them,
    so the county sees 已读/未读 side by side."""
    from django.utils import timezone

    from fazhi.core.models import Notice, NoticeReceipt

    now = timezone.now()
    by_county: dict[int, list[Township]] = {}
    for t in townships.values():
        by_county.setdefault(t.county_id, []).append(t)
    for county_townships in by_county.values():
        county = county_townships[0].county
        seeded = [report_year(t) for t in county_townships if t.name in SEEDS_BY_NAME]
        year = max(seeded) if seeded else now.year - 1
        tz = timezone.get_current_timezone()
        published = dt.datetime(year + 1, 1, 5, 9, 0, tzinfo=tz)
        if published > now:
            published = dt.datetime(year, 12, 1, 9, 0, tzinfo=tz)
        title = f"关于报送{year}年度法治建设情况报告的通知（演示）"
        notice = Notice.objects.filter(county=county, title=title).first()
        if notice is None:
            notice = Notice.objects.create(
                county=county,
                title=title,
                body=(
                    f"各乡镇人民政府：\n\n请于{year + 1}年1月31日前报送本乡镇{year}年度法治政府建设"
                    "情况报告，报告中的数字须与平台台账一致，报送前请使用“报告检查”自查。\n\n"
                    "本通知为演示数据。"
                ),
                published_at=published,
                created_by=User.objects.filter(memberships__county=county).first(),
            )
            _count(Notice, "created")
        else:
            _count(Notice, "unchanged")
        first = sorted(county_townships, key=lambda t: t.name)[0]
        _, created = NoticeReceipt.objects.get_or_create(notice=notice, township=first)
        _count(NoticeReceipt, "created" if created else "unchanged")


#: core's steps; module steps are appended by `@loader` when their demo modules are imported
LOADERS: list[Loader] = [load_org, load_users, load_notices]


def loader(fn: Loader) -> Loader:
    """Register a module's demo step `load_<module>(townships)`; it runs after core's."""
    if fn not in LOADERS:
        LOADERS.append(fn)
    return fn


def in_app_order(loaders: list[Loader]) -> list[Loader]:
    """The steps in INSTALLED_APPS order (then registration order within an app), whatever order
    their modules happened to be imported in: a test collection imports `decisions.demo` before
    `legal.demo`, while decisions' step reads the reviews legal's step writes."""
    from django.apps import apps

    order = {cfg.name: i for i, cfg in enumerate(apps.get_app_configs())}

    def key(item: tuple[int, Loader]) -> tuple[int, int]:
        index, fn = item
        return (order.get(fn.__module__.rpartition(".")[0], len(order)), index)

    return [fn for _, fn in sorted(enumerate(loaders), key=key)]


def discover() -> None:
    """Import `fazhi.<app>.demo` of every installed app so that their loaders register."""
    autodiscover_modules("demo")


@dataclass
class DemoResult:
    townships: dict[str, Township]
    stats: Counter

    def total(self, outcome: str) -> int:
        return sum(n for (_, o), n in self.stats.items() if o == outcome)

    @property
    def changed(self) -> bool:
        return bool(self.total("created") or self.total("updated"))

    def lines(self) -> list[str]:
        models_ = sorted({m for m, _ in self.stats})
        return [
            f"{m}：新建 {self.stats[(m, 'created')]}，更新 {self.stats[(m, 'updated')]}，"
            f"未变 {self.stats[(m, 'unchanged')]}"
            for m in models_
        ]


def load(loaders: list[Loader] | None = None) -> DemoResult:
    """Load the demo in one transaction (all or nothing); safe to run again."""
    if loaders is None:
        discover()
        loaders = in_app_order(LOADERS)
    stats: Counter = Counter()
    token = _stats.set(stats)
    try:
        with (
            audit_context(job=f"load_demo-{new_request_id()}"),
            bulk_write(),  # one transaction, history in bulk, no savepoints (docs/performance.md)
            reference_data_fixed(),  # calendar years and rule overrides read once
            database_enforces(),  # FK/unique/check constraints left to the database
        ):
            townships = load_places()
            for step in loaders:
                step(townships)
            result = DemoResult(townships, stats)
            if result.changed:
                record_event(
                    "core.demo_loaded",
                    "加载演示数据",
                    township=None,
                    actor=None,
                    payload={
                        "created": result.total("created"),
                        "updated": result.total("updated"),
                    },
                )
    finally:
        _stats.reset(token)
    return result
