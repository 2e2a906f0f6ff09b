"""Memberships: a user holds a role in a unit (county, township, department or village)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.choices import Role
from fazhi.core.models.base import ScopedQuerySet, TimeStamped

COUNTY_ROLES = {Role.COUNTY_SUPERVISOR, Role.VIEWER}
TOWNSHIP_ROLES = {
    Role.TOWNSHIP_ADMIN,
    Role.TOWNSHIP_OPERATOR,
    Role.DEPARTMENT_OFFICER,
    Role.LEGAL_ADVISOR,
    Role.MEDIATOR,
    Role.GRID_WORKER,
    Role.VIEWER,
}


class Membership(TimeStamped):
    """(user, unit, role). The unit is the most specific of county/township/department/village set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=30, choices=Role)
    county = models.ForeignKey(
        "core.County", verbose_name="县(市、区)", on_delete=models.CASCADE, null=True, blank=True
    )
    township = models.ForeignKey(
        "core.Township", verbose_name="乡镇", on_delete=models.CASCADE, null=True, blank=True
    )
    department = models.ForeignKey(
        "core.Department", verbose_name="站所", on_delete=models.CASCADE, null=True, blank=True
    )
    village = models.ForeignKey(
        "core.Village", verbose_name="村(社区、场)", on_delete=models.CASCADE, null=True, blank=True
    )

    objects = ScopedQuerySet.as_manager()

    #: memberships are seen and managed only with the MANAGE action (township and platform admins)
    scope_action_map = {
        a: "manage" for a in ("view", "add", "change", "delete", "import", "export")
    }

    @staticmethod
    def scope_q(grant, action: str) -> models.Q:
        if grant.everything:
            return models.Q()
        return models.Q(township_id__in=grant.townships)

    class Meta:
        verbose_name = verbose_name_plural = "角色授权"
        indexes = [models.Index(fields=["user", "role"], name="membership_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    @property
    def unit(self) -> object:
        return self.village or self.department or self.township or self.county or "全平台"

    def clean(self) -> None:
        if self.role == Role.PLATFORM_ADMIN:
            if self.county_id or self.township_id or self.department_id or self.village_id:
                raise ValidationError({"role": "平台管理员不隶属于任何单位。"})
            return
        if self.department_id and self.village_id:
            raise ValidationError({"village": "站所与村只能选择其一。"})
        if self.village_id or self.department_id:
            unit = self.village or self.department
            if self.township_id and self.township_id != unit.township_id:
                raise ValidationError({"township": "单位与乡镇不一致。"})
            self.township_id = unit.township_id
        if not (self.county_id or self.township_id):
            raise ValidationError({"township": "请选择角色所属的县或乡镇。"})
        if self.county_id and self.township_id:
            raise ValidationError({"county": "县级角色与乡镇角色请分别授权。"})
        if self.county_id and self.role not in COUNTY_ROLES:
            raise ValidationError({"role": "该角色只能授予乡镇及以下单位。"})
        if self.township_id and self.role not in TOWNSHIP_ROLES:
            raise ValidationError({"role": "该角色只能授予县级单位。"})

    def save(self, *args, **kwargs) -> None:
        if (self.village_id or self.department_id) and not self.township_id:
            self.township_id = (self.village or self.department).township_id
        super().save(*args, **kwargs)
