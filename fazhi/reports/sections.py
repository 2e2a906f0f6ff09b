"""年度报告: what this module publishes on the public portal (政务公开, fazhi/portal/sections.py).
Imported by the app's ready()."""

from __future__ import annotations

from django.urls import reverse

from fazhi.core.models import Township
from fazhi.portal.sections import Section, register


def _published_reports(township: Township) -> list[tuple[str, str]]:
    from fazhi.reports.models import AnnualReport

    published = AnnualReport.objects.filter(township=township, published_at__isnull=False).order_by(
        "-year"
    )
    return [
        (f"{r.year}年法治政府建设年度报告", reverse("reports_portal:detail", args=[r.pk]))
        for r in published
    ]


register(
    Section(
        key="reports.annual",
        title="法治政府建设年度报告",
        description="每年3月31日前公开的上一年度法治政府建设情况报告。",
        links=_published_reports,
        order=90,
    )
)
