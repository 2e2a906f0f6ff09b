"""Batch generation: every township of a county, one job with progress, a zip of .docx files."""

from __future__ import annotations

import zipfile
from typing import Any

from fazhi.core import jobs
from fazhi.core.models import Job, Township

KIND = "reports.batch"


def enqueue_batch(county: Any, year: int, *, actor: Any) -> Job:
    return jobs.enqueue(KIND, actor=actor, county=county, params={"year": year})


def batch_docx(county_id: int, year: int, job: Job | None = None) -> tuple[bytes, list[str]]:
    """The zip (bytes) and the file names: each township's latest signed version, else its saved
    draft, else the report as drafted now (nothing saved)."""
    import io

    from fazhi.reports import annual, output
    from fazhi.reports.models import AnnualReport

    townships = list(Township.objects.filter(county_id=county_id).order_by("name"))
    saved = {
        r.township_id: r for r in AnnualReport.objects.filter(township__in=townships, year=year)
    }
    buffer = io.BytesIO()
    names: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, township in enumerate(townships, start=1):
            report = saved.get(township.pk)
            if report is None:
                rendered, state = annual.preview(township, year), "草稿"
            elif report.latest_version is not None:
                rendered = annual.frozen(report.latest_version)
                state = f"第{report.latest_version.number}版"
            else:
                rendered, state = annual.render(report), "草稿"
            name = f"{i:03d}_{rendered.title}（{state}）.docx"
            archive.writestr(name, output.to_docx(rendered))
            names.append(name)
            if job is not None:
                jobs.step(job, i, len(townships), f"已生成{township.name}")
    return buffer.getvalue(), names


@jobs.handler(KIND, "年度报告批量生成")
def run_batch(job: Job) -> dict[str, Any]:
    year = int(job.params["year"])
    jobs.step(job, 0, message=f"开始生成{year}年度各乡镇报告")
    data, names = batch_docx(job.county_id, year, job)
    path = jobs.result_path(job, f"{year}年度法治政府建设年度报告.zip")
    path.write_bytes(data)
    job.result_file = str(path)
    return {"files": len(names), "year": year}
