"""Tenancy and people: County → Township → Village → Grid; departments, staff, leading group."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.choices import DepartmentKind, LeadingRole, TownshipKind, VillageKind
from fazhi.core.models.base import ScopedQuerySet, TimeStamped, TownshipScoped
from fazhi.core.roles import ORG_WRITERS


class County(TimeStamped):
    """A county-level unit (县/区/县级市) whose 依法治县办 supervises its townships."""

    scope_write_roles = frozenset({"platform_admin"})

    @staticmethod
    def scope_q(grant, action: str) -> models.Q:
        from fazhi.core.scope import township_ids_of

        if grant.everything:
            return models.Q()
        ids = township_ids_of(grant, action)
        return models.Q(pk__in=Township.objects.filter(pk__in=ids).values("county_id"))

    name = models.CharField("名称", max_length=50)
    province = models.CharField("省(区)", max_length=30)
    city = models.CharField("市", max_length=30, blank=True)
    code = models.CharField("行政区划代码", max_length=12, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "县(市、区)"
        ordering = ["province", "city", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "city", "name"], name="county_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.city}{self.name}" if self.city else self.name


class Township(TimeStamped):
    """The tenant: a township government (乡镇人民政府/街道办事处)."""

    scope_write_roles = frozenset({"platform_admin"})

    @staticmethod
    def scope_q(grant, action: str) -> models.Q:
        from fazhi.core.scope import township_ids_of

        if grant.everything:
            return models.Q()
        return models.Q(pk__in=township_ids_of(grant, action))

    county = models.ForeignKey(County, verbose_name="所属县(市、区)", on_delete=models.PROTECT)
    name = models.CharField("名称", max_length=50, help_text="如：寺庄镇")
    kind = models.CharField("类型", max_length=20, choices=TownshipKind, default=TownshipKind.TOWN)
    code = models.CharField("行政区划代码", max_length=12, blank=True)
    population = models.PositiveIntegerField("户籍人口", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "乡镇(街道)"
        ordering = ["county_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="township_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Village(TownshipScoped):
    """A village, community or farm (村/社区/场) of a township."""

    scope_write_roles = ORG_WRITERS

    name = models.CharField("名称", max_length=50)
    kind = models.CharField("类型", max_length=20, choices=VillageKind, default=VillageKind.VILLAGE)
    code = models.CharField("编码", max_length=20, blank=True)
    households = models.PositiveIntegerField("户数", null=True, blank=True)

    scope_village_field = "self"

    class Meta:
        verbose_name = verbose_name_plural = "村(社区、场)"
        ordering = ["township_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="village_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Grid(TownshipScoped):
    """A grid (网格) of the social-governance grid system, inside one village."""

    scope_write_roles = ORG_WRITERS

    village = models.ForeignKey(Village, verbose_name="所属村(社区、场)", on_delete=models.PROTECT)
    name = models.CharField("网格名称", max_length=50, help_text="如：一组网格")
    households = models.PositiveIntegerField("户数", null=True, blank=True)

    scope_village_field = "village"
    history_parent = "village"

    class Meta:
        verbose_name = verbose_name_plural = "网格"
        ordering = ["township_id", "village_id", "name"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="grid_unique_name")]

    def __str__(self) -> str:
        return f"{self.village.name}·{self.name}"


class Department(TownshipScoped):
    """A township department (站办所): 司法所, 综合行政执法大队, 平安办 …"""

    scope_write_roles = ORG_WRITERS

    name = models.CharField("名称", max_length=50)
    kind = models.CharField(
        "类别", max_length=20, choices=DepartmentKind, default=DepartmentKind.OTHER
    )
    is_enforcement_body = models.BooleanField("行政执法主体", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "站办所"
        ordering = ["township_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Staff(TownshipScoped):
    """A person working for the township (cadre, officer, grid worker …)."""

    scope_write_roles = ORG_WRITERS

    name = models.CharField("姓名", max_length=30)
    position = models.CharField(
        "职务", max_length=50, blank=True, help_text="如：党委书记、镇长、司法所所长"
    )
    department = models.ForeignKey(
        Department, verbose_name="所在站所", on_delete=models.SET_NULL, null=True, blank=True
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    user = models.OneToOneField(
        "auth.User",
        verbose_name="登录账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name="分管领导",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
        help_text="逾期事项向其督办",
    )
    is_active = models.BooleanField("在岗", default=True)

    history_masked_fields = frozenset({"phone"})
    pii_fields = frozenset({"phone"})

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"
        ordering = ["township_id", "name"]
        indexes = [models.Index(fields=["township", "name"], name="staff_township_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）" if self.position else self.name

    def clean(self) -> None:
        errors = {}
        if self.supervisor_id and self.supervisor_id == self.pk:
            errors["supervisor"] = "分管领导不能是本人。"
        if errors:
            raise ValidationError(errors)


class LeadingGroup(TownshipScoped):
    """A leading group (领导小组), e.g. 法治政府建设工作领导小组."""

    scope_write_roles = ORG_WRITERS

    name = models.CharField("名称", max_length=80, default="法治政府建设工作领导小组")
    established_on = models.DateField("成立(调整)日期")
    document_no = models.CharField("文件文号", max_length=60, blank=True)
    duties = models.TextField("职责", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "领导小组"
        ordering = ["township_id", "-established_on"]

    def __str__(self) -> str:
        return self.name


class LeadingGroupMember(TownshipScoped):
    scope_write_roles = ORG_WRITERS
    group = models.ForeignKey(
        LeadingGroup, verbose_name="领导小组", on_delete=models.CASCADE, related_name="members"
    )
    staff = models.ForeignKey(Staff, verbose_name="成员", on_delete=models.PROTECT)
    role = models.CharField("组内职务", max_length=20, choices=LeadingRole)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束", null=True, blank=True)

    history_parent = "group"

    class Meta:
        verbose_name = verbose_name_plural = "领导小组成员"
        ordering = ["group_id", "role", "staff__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "staff", "term_start"], name="leading_member_unique_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.name}（{self.get_role_display()}）"

    def clean(self) -> None:
        errors = {}
        if self.term_end and self.term_start and self.term_end < self.term_start:
            errors["term_end"] = "任期结束日期早于开始日期。"
        if errors:
            raise ValidationError(errors)


class VillageContact(TownshipScoped):
    """A township leader responsible for a village (分包领导/包村干部)."""

    scope_write_roles = ORG_WRITERS

    village = models.ForeignKey(Village, verbose_name="分包村(社区、场)", on_delete=models.CASCADE)
    staff = models.ForeignKey(Staff, verbose_name="分包领导", on_delete=models.PROTECT)
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)

    scope_village_field = "village"
    history_parent = "village"

    class Meta:
        verbose_name = verbose_name_plural = "分包领导"
        ordering = ["township_id", "village_id"]

    def __str__(self) -> str:
        return f"{self.village.name}：{self.staff.name}"

    def clean(self) -> None:
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = "结束日期早于起始日期。"
        if errors:
            raise ValidationError(errors)


class GridAssignment(TownshipScoped):
    """A grid worker (网格员) assigned to a grid."""

    scope_write_roles = ORG_WRITERS

    grid = models.ForeignKey(
        Grid, verbose_name="网格", on_delete=models.CASCADE, related_name="assignments"
    )
    staff = models.ForeignKey(Staff, verbose_name="网格员", on_delete=models.PROTECT)
    full_time = models.BooleanField("专职", default=True)
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)

    scope_village_field = "grid__village"
    history_parent = "grid"

    class Meta:
        verbose_name = verbose_name_plural = "网格员"
        ordering = ["township_id", "grid_id"]

    def __str__(self) -> str:
        return f"{self.grid}：{self.staff.name}"


__all__ = [
    "County",
    "Township",
    "Village",
    "Grid",
    "Department",
    "Staff",
    "LeadingGroup",
    "LeadingGroupMember",
    "VillageContact",
    "GridAssignment",
    "ScopedQuerySet",
]
