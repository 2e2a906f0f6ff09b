"""The demo data set (`manage.py load_demo`): the five seed townships as their reports describe
them, figures through the registry, idempotence, one transaction, demo logins.

Loading takes a few seconds, so `TestLoadedDemo` loads it once for the class (inside an outer
transaction rolled back at the end); each test still runs in its own savepoint."""

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from fazhi.core import demo, scope
from fazhi.core.choices import DepartmentKind, Role
from fazhi.core.models import (
    ChangeRecord,
    County,
    Department,
    DomainEvent,
    Grid,
    GridAssignment,
    LeadingGroup,
    LeadingGroupMember,
    Membership,
    Township,
    Village,
)
from fazhi.core.roles import VIEW
from fazhi.indicators.registry import Period, compute

TOWNSHIPS = {"杜关镇", "寺庄镇", "化工镇", "将官池镇", "扁担沟镇"}
#: generated neighbours of 寺庄镇 in 高平市 (docs/demo-data.md "Neighbours")
NEIGHBOURS = {"东岭镇（演示）", "南川镇（演示）"}


def run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def every_row() -> dict[str, list[dict]]:
    """Every row of every table, with timestamps and versions: 'nothing changed' means this."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed
    }


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the class through the command, rolled back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = run("load_demo")
            townships = {t.name: t for t in Township.objects.select_related("county")}
            yield townships, output
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
class TestLoadedDemo:
    @pytest.fixture(autouse=True)
    def _demo(self, loaded, db):
        self.t, self.output = loaded

    def test_the_five_townships_sit_in_their_counties(self):
        places = {
            (t.name, t.county.name, t.county.city, t.county.province)
            for t in Township.objects.select_related("county")
        }
        assert places == {
            ("杜关镇", "卢氏县", "三门峡市", "河南省"),
            ("寺庄镇", "高平市", "晋城市", "山西省"),
            ("化工镇", "孟州市", "焦作市", "河南省"),
            ("将官池镇", "建安区", "许昌市", "河南省"),
            ("扁担沟镇", "利通区", "吴忠市", "宁夏回族自治区"),
            ("东岭镇（演示）", "高平市", "晋城市", "山西省"),
            ("南川镇（演示）", "高平市", "晋城市", "山西省"),
        }

    def test_a_county_compares_townships_whose_records_differ(self):
        """高平市: 寺庄镇 and two generated neighbours, with different figures in the report year
        and records in the current year (issue #8: the county home showed one row)."""
        from django.utils import timezone

        from fazhi.core.views.home import county_metric_codes
        from fazhi.indicators.registry import compare_many

        gaoping = [self.t[n] for n in sorted(NEIGHBOURS | {"寺庄镇"})]
        assert {t.county.name for t in gaoping} == {"高平市"}
        codes = county_metric_codes()
        compared = compare_many(codes, gaoping, Period.year(2025))
        differing = [c for c in codes if len({str(row[1].value) for row in compared[c].rows}) == 3]
        assert {"core.villages", "disputes.screened", "governance.study_sessions"} <= set(differing)
        screened = {
            t.name: compute("disputes.screened", t, Period.year(2025)).value for t in gaoping
        }
        assert screened == {"寺庄镇": 58, "东岭镇（演示）": 16, "南川镇（演示）": 9}
        this_year = timezone.localdate().year
        if this_year > 2025:  # dated relative to today
            for t in gaoping:
                for code in ("disputes.screened", "petitions.registered", "outreach.events"):
                    assert compute(code, t, Period.year(this_year)).value, (t.name, code)

    def test_command_prints_each_townships_figures_for_its_report_year(self):
        assert (
            "扁担沟镇（2023年）：村(社区、场)数 18个，网格数 109个，专职网格员人数 110名"
            in self.output
        )
        assert "杜关镇（2025年）" in self.output

    def test_biandangou_org_figures_equal_its_2023_report(self):
        biandangou, year = self.t["扁担沟镇"], Period.year(2023)
        assert compute("core.villages", biandangou, year).value == 18
        assert compute("core.grids", biandangou, year).value == 109
        assert compute("core.grid_workers", biandangou, year).value == 110
        coverage = compute("core.village_contact_coverage", biandangou, year)
        assert (coverage.numerator, coverage.denominator) == (18, 18)

    def test_biandangou_has_villages_and_farms_and_one_grid_with_two_workers(self):
        biandangou = self.t["扁担沟镇"]
        kinds = list(Village.objects.filter(township=biandangou).values_list("kind", flat=True))
        assert kinds.count("farm") == 2 and kinds.count("village") == 16
        doubles = [
            str(g) for g in Grid.objects.filter(township=biandangou) if g.assignments.count() == 2
        ]
        assert doubles == ["扁担沟村·第一网格"]
        assert not Grid.objects.filter(township=biandangou, assignments__isnull=True).exists()

    def test_duguan_leading_group_is_composed_as_its_report_says(self):
        duguan = self.t["杜关镇"]
        group = LeadingGroup.objects.get(township=duguan, name="法治建设工作领导小组")
        members = LeadingGroupMember.objects.filter(group=group).select_related("staff")
        by_role: dict[str, list] = {}
        for m in members:
            by_role.setdefault(m.role, []).append(m.staff)
        assert [s.position for s in by_role["leader"]] == ["党委书记"]
        assert [s.position for s in by_role["executive_deputy"]] == ["镇长"]
        others = {p for p, _ in demo.SEEDS_BY_NAME["杜关镇"].leaders} - {"党委书记", "镇长"}
        assert {s.position for s in by_role["deputy"]} == others
        # 各相关站办负责人为成员: one head per department
        assert all(s.department_id for s in by_role["member"])
        assert len(by_role["member"]) == Department.objects.filter(township=duguan).count()
        figure = compute("core.leading_group_members", duguan, Period.year(2025))
        assert figure.value == len(members)

    def test_biandangou_has_the_three_groups_its_report_names(self):
        names = set(
            LeadingGroup.objects.filter(township=self.t["扁担沟镇"]).values_list("name", flat=True)
        )
        assert names == {"法治政府建设工作领导小组", "依法行政协调指导小组", "“八五”普法领导小组"}

    @pytest.mark.parametrize(
        "township,named",
        [
            ("杜关镇", {"平安办", "应急办", "司法所", "派出所"}),
            ("寺庄镇", {"便民服务中心"}),
            ("化工镇", {"司法所", "便民服务中心"}),
            (
                "将官池镇",
                {
                    "综合行政执法大队",
                    "市场发展监督管理所",
                    "自然资源所",
                    "平安办",
                    "派出所",
                    "司法所",
                },
            ),
            ("扁担沟镇", {"法治办", "司法所", "综治办", "禁毒办", "安监站"}),
        ],
    )
    def test_each_township_has_the_departments_its_report_names(self, township, named):
        names = set(
            Department.objects.filter(township=self.t[township]).values_list("name", flat=True)
        )
        assert named <= names

    def test_jiangguanchi_enforcement_bodies_are_marked(self):
        bodies = set(
            Department.objects.filter(
                township=self.t["将官池镇"], is_enforcement_body=True
            ).values_list("name", flat=True)
        )
        assert bodies == {"综合行政执法大队", "市场发展监督管理所", "自然资源所"}

    def test_dates_fall_in_each_townships_report_year(self):
        for name, township in self.t.items():
            for group in LeadingGroup.objects.filter(township=township):
                assert group.established_on.year == demo.report_year(name)
        starts = set(
            GridAssignment.objects.filter(township=self.t["扁担沟镇"]).values_list(
                "start", flat=True
            )
        )
        assert starts == {dt.date(2023, 3, 1)}

    def test_invented_people_are_marked_as_demo_data(self):
        assert all(demo.DEMO_NOTE in g.duties for g in LeadingGroup.objects.all())
        assert all("演示" in u.first_name for u in User.objects.all())

    def test_every_created_row_has_its_history_and_the_load_one_event(self):
        created = {
            (r.content_type.model_class(), r.object_id)
            for r in ChangeRecord.objects.filter(action="create").select_related("content_type")
        }
        for model in (County, Township, Village, Grid, GridAssignment, LeadingGroupMember):
            for pk in model.objects.values_list("pk", flat=True):
                assert (model, str(pk)) in created
        assert ChangeRecord.objects.exclude(job_id__startswith="load_demo-").count() == 0
        assert DomainEvent.objects.filter(kind="core.demo_loaded").count() == 1

    def test_history_is_filed_under_its_records_township(self):
        """`history_for`, `events_for` and the services' event lookups ask by the record's
        township (the history tables' indexes lead with it): every event about a record of a
        township, and every change record naming one as parent, written by the demo's
        services and bulk writers, is filed under that township."""
        from collections import defaultdict

        from fazhi.core.audit import township_of

        def filed(rows) -> int:
            by_type = defaultdict(list)
            for ct_id, object_id, township_id in rows:
                by_type[ct_id].append((object_id, township_id))
            checked = 0
            for ct_id, items in by_type.items():
                model = ContentType.objects.get_for_id(ct_id).model_class()
                found = model._base_manager.in_bulk([int(o) for o, _t in items])
                for object_id, township_id in items:
                    obj = found.get(int(object_id))
                    if obj is None or township_of(obj) is None:
                        continue
                    assert township_id == township_of(obj), (model, object_id, township_id)
                    checked += 1
            return checked

        events = DomainEvent.objects.exclude(content_type=None).values_list(
            "content_type_id", "object_id", "township_id"
        )
        parents = ChangeRecord.objects.exclude(parent_content_type=None).values_list(
            "parent_content_type_id", "parent_object_id", "township_id"
        )
        assert filed(events) > 1000
        assert filed(parents) > 100

    def test_second_run_changes_nothing(self):
        before = every_row()
        output = run("load_demo")
        assert every_row() == before
        assert "新建 0 条，更新 0 条" in output

    def test_reload_restores_a_changed_demo_value_and_records_it(self):
        justice = Department.objects.get(township=self.t["寺庄镇"], name="司法所")
        Department.objects.filter(pk=justice.pk).update(kind="other")
        result = demo.load()
        justice.refresh_from_db()
        assert justice.kind == "justice"
        assert justice.version == 2
        assert (result.total("created"), result.total("updated")) == (0, 1)
        record = ChangeRecord.objects.get(
            content_type__model="department", object_id=str(justice.pk), action="update"
        )
        assert record.actor_name == "系统"
        assert record.changes["kind"]["after"] == "司法所"

    def test_module_loaders_receive_the_township_map(self, monkeypatch):
        monkeypatch.setattr(demo, "LOADERS", list(demo.LOADERS))
        seen = {}

        @demo.loader
        def load_example(townships):
            seen.update(townships)
            demo.upsert(Village, {"township": townships["寺庄镇"], "name": "模块演示村"})

        demo.loader(load_example)  # registering twice runs it once
        demo.load()
        demo.load()
        assert set(seen) == TOWNSHIPS | NEIGHBOURS
        assert seen["寺庄镇"] == self.t["寺庄镇"]
        assert Village.objects.filter(name="模块演示村").count() == 1
        assert demo.LOADERS.count(load_example) == 1

    def test_demo_logins_hold_the_demo_password_and_their_scope(self):
        admin = User.objects.get(username="sizhuang_admin")
        assert admin.check_password(demo.DEMO_PASSWORD)
        assert admin.memberships.get().role == Role.TOWNSHIP_ADMIN
        assert set(scope.township_ids(admin)) == {self.t["寺庄镇"].pk}
        for suffix, role in (("operator", Role.TOWNSHIP_OPERATOR), ("viewer", Role.VIEWER)):
            membership = User.objects.get(username=f"biandangou_{suffix}").memberships.get()
            assert (membership.role, membership.township) == (role, self.t["扁担沟镇"])
        supervisor = User.objects.get(username="jianan_supervisor")
        assert supervisor.memberships.get().county.name == "建安区"
        assert set(scope.township_ids(supervisor)) == {self.t["将官池镇"].pk}
        assert scope.grant(User.objects.get(username="platform_admin"), VIEW).everything
        assert User.objects.count() == 1 + 5 + 5 * 4  # + each 司法所 officer
        assert Membership.objects.count() == User.objects.count()

    def test_each_townships_justice_officer_supervises_enforcement_there_only(self):
        from fazhi.enforcement.models import SupervisionMatter

        officer = User.objects.get(username="sizhuang_justice")
        assert officer.memberships.get().department.kind == DepartmentKind.JUSTICE
        assert set(scope.township_ids(officer, "add", SupervisionMatter)) == {self.t["寺庄镇"].pk}
        assert not scope.has_any(
            User.objects.get(username="sizhuang_admin"), "add", SupervisionMatter
        )

    def test_each_operator_is_linked_to_the_staff_who_keep_the_ledgers(self):
        assert User.objects.get(username="biandangou_operator").staff.position == "法治办主任"
        assert User.objects.get(username="duguan_operator").staff.position == "司法所所长"

    def test_demo_logins_command_prints_every_login_and_the_password(self):
        output = run("demo_logins")
        assert demo.DEMO_PASSWORD in output
        for login in demo.demo_logins():
            assert login.username in output

    def test_a_demo_login_reaches_its_township_home(self, client):
        response = client.post(
            reverse("login"),
            {"username": "biandangou_viewer", "password": demo.DEMO_PASSWORD},
            follow=True,
        )
        assert response.status_code == 200
        assert "109个" in response.content.decode()


@pytest.mark.django_db
def test_a_failing_step_rolls_back_everything():
    def broken_module(townships):
        raise RuntimeError("模块加载失败")

    with pytest.raises(RuntimeError):
        demo.load(loaders=[broken_module])
    assert County.objects.count() == 0
    assert Township.objects.count() == 0
    assert ChangeRecord.objects.count() == 0


@pytest.mark.django_db
def test_demo_logins_before_loading_says_to_load_first():
    assert "load_demo" in run("demo_logins")


@pytest.mark.django_db
def test_load_demo_refuses_production_settings_without_the_flag(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产"):
        run("load_demo")
    assert Township.objects.count() == 0


def test_steps_run_in_app_order_whatever_the_import_order():
    """decisions' step reads what legal's writes: importing decisions.demo first (as a test
    collection does) must not run it first."""
    from fazhi.decisions import demo as decisions_demo
    from fazhi.legal import demo as legal_demo

    shuffled = [decisions_demo.load_decisions, demo.load_org, legal_demo.load_legal]
    assert demo.in_app_order(shuffled) == [
        demo.load_org,
        legal_demo.load_legal,
        decisions_demo.load_decisions,
    ]
