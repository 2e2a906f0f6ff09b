"""The sections of the modules that were on the platform before the registry existed.

New modules register their own sections (see fazhi/portal/sections.py); the registrations of
modules that have not yet moved theirs into their own app live here, each guarded by whether the
app is installed."""

from __future__ import annotations

from django.apps import apps
from django.urls import reverse

from fazhi.core.models import Township
from fazhi.portal.sections import Section, register


def register_builtin() -> None:
    register(
        Section(
            key="core.evidence_heads",
            title="证据链校验值",
            description="各乡镇执法全过程记录证据链的最新签名检查点（汇总哈希），供社会各方抄录、日后核对证据未被删改。",
            url_name="portal:evidence",
            order=95,
        )
    )
    register(
        Section(
            key="petitions.lookup",
            title="信访事项查询",
            description="凭受理回执上的编号和查询码查看信访事项的办理进度，并对办理结果作出评价。",
            url_name="petitions_portal:lookup",
            order=80,
        )
    )
    if apps.is_installed("fazhi.inspections"):
        register(
            Section(
                key="inspections.check",
                title="涉企检查码核验",
                description="企业凭检查码核验入企检查是否经过登记、检查人员是否具备执法资格。",
                url_name="inspections_portal:check",
                order=85,
            )
        )
        register(
            Section(
                key="inspections.random",
                title="“双随机、一公开”抽查",
                description="抽查计划、抽取结果及其可复核的抽取方法。",
                url_name="inspections_portal:plans",
                order=20,
            )
        )
    if apps.is_installed("fazhi.decisions"):
        register(
            Section(
                key="decisions.major",
                title="重大行政决策",
                description="重大行政决策事项目录、征求意见和决策结果。",
                url_name="decisions_portal:index",
                order=30,
            )
        )
    if apps.is_installed("fazhi.enforcement"):
        from fazhi.enforcement.models import Power

        register(
            Section(
                key="enforcement.powers",
                title="权责清单与执法主体",
                description="本乡镇依法行使的行政职权、执法主体及其依据。",
                township_url_name="enforcement_portal:powers",
                count=lambda t: Power.objects.filter(
                    township=t, is_active=True, published_on__isnull=False
                ).count(),
                order=10,
            )
        )
    if apps.is_installed("fazhi.reports"):
        from fazhi.reports.models import AnnualReport

        def reports(t: Township) -> list[tuple[str, str]]:
            published = AnnualReport.objects.filter(
                township=t, published_at__isnull=False
            ).order_by("-year")
            return [
                (f"{r.year}年法治政府建设年度报告", reverse("reports_portal:detail", args=[r.pk]))
                for r in published
            ]

        register(
            Section(
                key="reports.annual",
                title="法治政府建设年度报告",
                description="每年3月31日前公开的上一年度法治政府建设情况报告。",
                links=reports,
                order=90,
            )
        )
