"""Every organisation model of core under the reusable resource suite."""

import datetime as dt

from fazhi.core.models import (
    Department,
    Grid,
    GridAssignment,
    LeadingGroup,
    LeadingGroupMember,
    Staff,
    Village,
    VillageContact,
)
from fazhi.core.testing import ResourceSuite

D = dt.date(2025, 1, 1)


class TestVillages(ResourceSuite):
    resource_key = "core:villages"
    changes = {"name": "改名村"}

    def make(self, cast, township):
        return Village.objects.create(
            township=township, name=f"{township.name}新村{Village.objects.count()}"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "新建村",
            "kind": "village",
            "code": "",
            "households": 120,
        }


class TestGrids(ResourceSuite):
    resource_key = "core:grids"
    changes = {"name": "二组网格"}

    def make(self, cast, township):
        village = cast.a1 if township == cast.a else cast.b1
        return Grid.objects.create(
            township=township, village=village, name=f"网格{Grid.objects.count()}"
        )

    def new_data(self, cast):
        return {"township": cast.a, "village": cast.a1, "name": "一组网格", "households": 40}


class TestDepartments(ResourceSuite):
    resource_key = "core:departments"
    changes = {"name": "综合行政执法大队", "is_enforcement_body": True}

    def make(self, cast, township):
        return Department.objects.create(
            township=township, name=f"平安办{Department.objects.count()}", kind="safety"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "市场监管所",
            "kind": "market",
            "is_enforcement_body": False,
        }


class TestStaff(ResourceSuite):
    resource_key = "core:staff"
    changes = {"position": "镇长"}

    def make(self, cast, township):
        return Staff.objects.create(
            township=township, name=f"张{Staff.objects.count()}", position="副镇长"
        )

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "李四",
            "position": "司法所所长",
            "department": cast.justice_a,
            "phone": "13800000000",
            "is_active": True,
        }


class TestLeadingGroups(ResourceSuite):
    resource_key = "core:leading-groups"
    changes = {"document_no": "甲发〔2025〕3号"}

    def make(self, cast, township):
        return LeadingGroup.objects.create(township=township, established_on=D)

    def new_data(self, cast):
        return {
            "township": cast.a,
            "name": "法治政府建设工作领导小组",
            "established_on": D,
            "document_no": "",
            "duties": "",
        }


class TestLeadingGroupMembers(ResourceSuite):
    resource_key = "core:leading-group-members"
    changes = {"role": "deputy"}

    def make(self, cast, township):
        group = LeadingGroup.objects.create(township=township, established_on=D)
        staff = Staff.objects.create(township=township, name=f"王{Staff.objects.count()}")
        return LeadingGroupMember.objects.create(
            township=township, group=group, staff=staff, role="member", term_start=D
        )

    def new_data(self, cast):
        group = LeadingGroup.objects.get_or_create(township=cast.a, established_on=D)[0]
        staff = Staff.objects.get_or_create(township=cast.a, name="赵书记", position="党委书记")[0]
        return {
            "township": cast.a,
            "group": group,
            "staff": staff,
            "role": "leader",
            "term_start": D,
            "term_end": None,
        }


class TestVillageContacts(ResourceSuite):
    resource_key = "core:village-contacts"
    changes = {"end": dt.date(2025, 12, 31)}

    def make(self, cast, township):
        village = cast.a1 if township == cast.a else cast.b1
        staff = Staff.objects.create(township=township, name=f"包村{Staff.objects.count()}")
        return VillageContact.objects.create(
            township=township, village=village, staff=staff, start=D
        )

    def new_data(self, cast):
        staff = Staff.objects.get_or_create(township=cast.a, name="刘副镇长")[0]
        return {"township": cast.a, "village": cast.a2, "staff": staff, "start": D, "end": None}


class TestGridWorkers(ResourceSuite):
    resource_key = "core:grid-workers"
    changes = {"full_time": False}

    def make(self, cast, township):
        village = cast.a1 if township == cast.a else cast.b1
        grid = Grid.objects.create(
            township=township, village=village, name=f"格{Grid.objects.count()}"
        )
        staff = Staff.objects.create(township=township, name=f"网格员{Staff.objects.count()}")
        return GridAssignment.objects.create(township=township, grid=grid, staff=staff, start=D)

    def new_data(self, cast):
        grid = Grid.objects.get_or_create(township=cast.a, village=cast.a1, name="新格")[0]
        staff = Staff.objects.get_or_create(township=cast.a, name="网格员甲")[0]
        return {
            "township": cast.a,
            "grid": grid,
            "staff": staff,
            "full_time": True,
            "start": D,
            "end": None,
        }
