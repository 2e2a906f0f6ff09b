"""The annual report's verbs: draft, edit a paragraph, sign, submit, publish.

Every verb checks the scope gate, runs in one transaction, refuses an edit based on an old version
and writes the history (the generic verbs of fazhi.core.services do the last three).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from fazhi.core import scope
from fazhi.core.roles import ADD, CHANGE
from fazhi.core.services import create_object, update_object
from fazhi.reports import generate
from fazhi.reports.generate import Figures
from fazhi.reports.models import AnnualReport, ReportParagraph, ReportStatus, ReportVersion


# --- dates ----------------------------------------------------------------------------------
def _due(setting: str, default: str, year: int) -> dt.date:
    month, day = (int(x) for x in getattr(settings, setting, default).split("-"))
    return dt.date(year + 1, month, day)


def submit_due(year: int) -> dt.date:
    """3月1日 of the next year (REGULATIONS.md §1 [S]; FAZHI_REPORT_SUBMIT_DUE="MM-DD")."""
    return _due("FAZHI_REPORT_SUBMIT_DUE", "03-01", year)


def publish_due(year: int) -> dt.date:
    """4月1日 of the next year (厅字〔2019〕28号 第二十四条; FAZHI_REPORT_PUBLISH_DUE="MM-DD")."""
    return _due("FAZHI_REPORT_PUBLISH_DUE", "04-01", year)


# --- drafting -------------------------------------------------------------------------------
@transaction.atomic
def start_report(township: Any, year: int, *, actor: Any) -> AnnualReport:
    """The township's report for `year`, drafted from its records on first use."""
    existing = AnnualReport.objects.filter(township=township, year=year).first()
    if existing is not None:
        scope.ensure(actor, CHANGE, existing)
        return existing
    scope.ensure_township(actor, ADD, township.pk, AnnualReport)
    report = create_object(
        AnnualReport,
        {"township": township, "year": year, "title": generate.title(township, year)},
        actor=actor,
    )
    for order, p in enumerate(generate.draft_paragraphs(township, year), start=1):
        ReportParagraph.objects.create(
            township=township,
            report=report,
            order=order,
            section=p.section,
            level=p.level,
            text=p.text,
            source=p.source,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return report


@transaction.atomic
def edit_paragraph(
    paragraph: ReportParagraph, text: str, *, actor: Any, expected_version: int | None
) -> ReportParagraph:
    """Change one paragraph's text (figures in {{…}} stay live). A signed report goes back to
    draft: the change will be a new version, the signed one is kept as it was."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "段落内容不能为空。"})
    if len(text) > 5000:
        raise ValidationError({"text": "段落过长（超过5000字），请分段。"})
    unknown = [c for c in generate.placeholders(text) if not _known(c)]
    if unknown:
        raise ValidationError({"text": f"指标不存在：{'、'.join(unknown)}。"})
    paragraph = update_object(
        paragraph, {"text": text, "edited": True}, actor=actor, expected_version=expected_version
    )
    report = AnnualReport.objects.select_for_update().get(pk=paragraph.report_id)
    if report.status != ReportStatus.DRAFT and not report.published_at:
        report.status = ReportStatus.DRAFT
        report.version += 1
        report.save(update_fields=["status", "version", "updated_at"])
    return paragraph


def _known(code: str) -> bool:
    from fazhi.indicators import registry

    try:
        registry.metric(code)
    except registry.UnknownMetric:
        return False
    return True


# --- rendering ------------------------------------------------------------------------------
@dataclass
class Rendered:
    report: AnnualReport
    title: str
    paragraphs: list[dict[str, Any]]  # level, section, text, codes, pk
    signature: list[str]
    figures: list[dict[str, Any]]  # every figure stated, with computed_at and link
    computed_at: dt.datetime
    blanks: list[str] = field(default_factory=list)
    version: ReportVersion | None = None

    @property
    def text(self) -> str:
        lines = [self.title, ""]
        lines += [p["text"] for p in self.paragraphs]
        lines += ["", *self.signature]
        return "\n".join(lines)


def figure_link(report: AnnualReport, code: str) -> str | None:
    try:
        return reverse("indicators:figure", args=[report.township_id, code]) + (
            f"?year={report.year}"
        )
    except NoReverseMatch:
        return None


def render(
    report: AnnualReport,
    figures: Figures | None = None,
    paragraphs: list[ReportParagraph] | None = None,
) -> Rendered:
    """The draft with live figures (all computed at one moment)."""
    if paragraphs is None:
        paragraphs = list(report.paragraphs.order_by("order"))
    codes = sorted({c for p in paragraphs for c in generate.placeholders(p.text)})
    figures = figures or Figures.compute(report.township, report.year, codes)
    numbered = generate.numbered(paragraphs)
    out = []
    for p, (level, text) in zip(paragraphs, numbered, strict=True):
        out.append(
            {
                "pk": p.pk,
                "version": p.version,
                "level": level,
                "section": p.section,
                "text": generate.render_text(text, figures),
                "raw": p.text,
                "codes": generate.placeholders(p.text),
                "source": p.source,
                "edited": p.edited,
            }
        )
    stated = []
    for code in codes:
        f = figures.get(code)
        if f is None:
            continue
        stated.append(
            {
                **f.as_dict(),
                "phrase": generate.phrase(f),
                "computed_at": figures.computed_at.isoformat(timespec="seconds"),
                "url": figure_link(report, code),
            }
        )
    blanks = [f["label"] for f in stated if f["status"] == "no_records"]
    date = timezone.localdate() if report.status == ReportStatus.DRAFT else None
    latest = report.latest_version if report.pk else None
    if latest is not None and report.status != ReportStatus.DRAFT:
        date = timezone.localtime(latest.signed_at).date()
    return Rendered(
        report,
        report.title,
        out,
        generate.signature_lines(report.township, date),
        stated,
        figures.computed_at,
        blanks,
    )


def frozen(version: ReportVersion) -> Rendered:
    """A signed version exactly as it was signed."""
    report = version.report
    date = timezone.localtime(version.signed_at).date()
    return Rendered(
        report,
        report.title,
        version.paragraphs,
        generate.signature_lines(report.township, date),
        version.figures,
        version.signed_at,
        [],
        version,
    )


def digest(text: str, figures: list[dict[str, Any]]) -> str:
    payload = json.dumps({"text": text, "figures": figures}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def preview(township: Any, year: int) -> Rendered:
    """The report as it would be drafted now, without saving anything (the command line)."""
    report = AnnualReport(township=township, year=year, title=generate.title(township, year))
    figures = Figures.compute(township, year)
    paragraphs = [
        ReportParagraph(township=township, order=i, section=p.section, level=p.level, text=p.text)
        for i, p in enumerate(generate.draft_paragraphs(township, year, figures), start=1)
    ]
    return render(report, figures, paragraphs)


# --- checking and signing -------------------------------------------------------------------
def check(rendered: Rendered) -> Any:
    """The report checker on the rendered text, with the township's records."""
    from fazhi.reports.services import check_report

    return check_report(rendered.text, township=rendered.report.township, year=rendered.report.year)


def blocking_problems(rendered: Rendered, result: Any | None = None) -> list[str]:
    """Why the draft cannot be signed: checker errors and 未记录 blanks (and 【请填写】 marks)."""
    result = result if result is not None else check(rendered)
    problems = [f"检查错误：{d.reason}" for d in result.defects if d.severity == "error"]
    problems += [f"未记录：{label}（请核实台账、声明零报告或删去）" for label in rendered.blanks]
    for p in rendered.paragraphs:
        if "【" in p["text"] and "请填写" in p["text"]:
            problems.append(f"待填写：{p['text'][:40]}")
    return problems


@transaction.atomic
def sign(
    report: AnnualReport, signed_by: str, *, actor: Any, expected_version: int | None
) -> ReportVersion:
    """The first responsible persons sign: the rendered text and every figure (with the time it
    was computed) are frozen as the next version, hashed. Refused while the checker finds an
    error or the draft has a blank."""
    scope.ensure(actor, CHANGE, report)
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and locked.version != expected_version:
        from fazhi.core.services import ConflictError

        raise ConflictError(locked, expected_version)
    signed_by = (signed_by or "").strip()
    if not signed_by:
        raise ValidationError({"signed_by": "请填写签发人（党政主要负责人）。"})
    if locked.status != ReportStatus.DRAFT:
        raise ValidationError("该报告当前版本已签发；修改段落后才能签发新版本。")
    rendered = render(locked)
    problems = blocking_problems(rendered)
    if problems:
        raise ValidationError(["报告不能签发：", *problems[:20]])
    number = (locked.latest_version.number if locked.latest_version else 0) + 1
    paragraphs = [
        {"level": p["level"], "section": p["section"], "text": p["text"], "codes": p["codes"]}
        for p in rendered.paragraphs
    ]
    now = timezone.now()
    signed_text = "\n".join(
        [
            rendered.title,
            "",
            *[p["text"] for p in paragraphs],
            "",
            *generate.signature_lines(locked.township, timezone.localtime(now).date()),
        ]
    )
    version = ReportVersion.objects.create(
        township=locked.township,
        report=locked,
        number=number,
        text=signed_text,
        paragraphs=paragraphs,
        figures=rendered.figures,
        sha256=digest(signed_text, rendered.figures),
        signed_by=signed_by,
        signed_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    update_object(
        locked, {"status": ReportStatus.SIGNED}, actor=actor, expected_version=locked.version
    )
    return version


@transaction.atomic
def submit(
    report: AnnualReport,
    *,
    actor: Any,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> AnnualReport:
    """Send the latest signed version to the county (timestamped; late after the due date)."""
    scope.ensure(actor, CHANGE, report)
    latest = report.latest_version
    if latest is None or report.status == ReportStatus.DRAFT:
        raise ValidationError("请先签发报告，再报送。")
    now = now or timezone.now()
    return update_object(
        report,
        {
            "status": ReportStatus.SUBMITTED if not report.published_at else report.status,
            "submitted_at": now,
            "submitted_version": latest.number,
            "submitted_late": timezone.localtime(now).date() > submit_due(report.year),
        },
        actor=actor,
        expected_version=expected_version,
    )


# --- the county board's findings, cached per township-year ---------------------------------
#: a cached entry also expires: a deploy that changes what a metric counts writes no record
BOARD_CACHE_SECONDS = 3600


def _registry_mark() -> str:
    from fazhi.indicators import registry

    codes = ",".join(sorted(m.code for m in registry.metrics()))
    return hashlib.sha256(codes.encode("utf-8")).hexdigest()[:12]


def board_findings(reports: dict[int, AnnualReport], year: int) -> dict[int, dict[str, Any]]:
    """Each township's checker findings on its report (the latest signed version, else the
    draft with live figures), as the county board shows them, by township id.

    Cached (the default cache backend) per township-year under a key that changes with
    anything the findings are computed from: the report's own version (edits, signing,
    sending), the township's history (`core.audit.records_versions`: every write through the
    services to any record that feeds a figure, a declaration, a paragraph), today's date
    (deadline-based figures and the draft's date) and the registered metrics; the versions are
    read before anything is computed, so a write that lands meanwhile makes a new key."""
    from django.core.cache import cache

    from fazhi.core.audit import records_versions

    versions = records_versions(reports)
    mark = f"{timezone.localdate():%Y%m%d}:{_registry_mark()}"
    keys = {
        tid: (f"reports.board:{tid}:{year}:{r.pk}:{r.version}:{versions[tid]}:{mark}")
        for tid, r in reports.items()
    }
    cached = cache.get_many(list(keys.values()))
    out: dict[int, dict[str, Any]] = {}
    computed: dict[str, dict[str, Any]] = {}
    for tid, r in reports.items():
        found = cached.get(keys[tid])
        if found is None:
            latest = r.latest_version
            rendered = frozen(latest) if latest else render(r)
            result = check(rendered)
            found = computed[keys[tid]] = {
                "errors": sum(1 for d in result.defects if d.severity == "error"),
                "warnings": sum(1 for d in result.defects if d.severity != "error"),
                "blanks": len(rendered.blanks),
                "summary": result.summary,
            }
        out[tid] = found
    if computed:
        cache.set_many(computed, BOARD_CACHE_SECONDS)
    return out


# --- personal data before publication -------------------------------------------------------
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)\d{15}(?!\d)")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


@dataclass(frozen=True)
class Finding:
    kind: str  # 身份证号, 电话号码, 当事人姓名
    text: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.text}"


def privacy_findings(report: AnnualReport, text: str) -> list[Finding]:
    """ID numbers, phone numbers and the names of the township's parties found in the text."""
    found: dict[str, Finding] = {}
    for m in ID_NUMBER.finditer(text):
        f = Finding("身份证号", m.group())
        found[f.key] = f
    for m in PHONE.finditer(text):
        f = Finding("电话号码", m.group())
        found[f.key] = f
    from fazhi.parties.models import Party

    names = (
        Party.objects.filter(township=report.township, kind="person")
        .values_list("name", flat=True)
        .distinct()
    )
    for name in names:
        if len(name) >= 2 and name in text:
            f = Finding("当事人姓名", name)
            found[f.key] = f
    return list(found.values())


@transaction.atomic
def publish(
    report: AnnualReport,
    cleared: list[str],
    *,
    actor: Any,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> AnnualReport:
    """Publish the latest signed version on the portal, after the secrecy and personal-data
    check: every finding must be cleared (marked checked by a person) or removed by a new
    version. Timestamped; late after the due date."""
    scope.ensure(actor, CHANGE, report)
    latest = report.latest_version
    if latest is None or report.status == ReportStatus.DRAFT:
        raise ValidationError("请先签发报告，再公开。")
    findings = privacy_findings(report, latest.text)
    missing = [f for f in findings if f.key not in set(cleared)]
    if missing:
        raise ValidationError(
            ["公开前保密审查未通过，以下内容需核实处理（删改后重新签发，或确认可以公开）："]
            + [f"{f.kind}：{f.text}" for f in missing]
        )
    now = now or timezone.now()
    who = getattr(actor, "username", "")
    clearance = [
        {"kind": f.kind, "text": f.text, "by": who, "at": now.isoformat(timespec="seconds")}
        for f in findings
    ]
    return update_object(
        report,
        {
            "status": ReportStatus.PUBLISHED,
            "published_at": now,
            "published_version": latest.number,
            "published_late": timezone.localtime(now).date() > publish_due(report.year),
            "privacy_clearance": clearance,
        },
        actor=actor,
        expected_version=expected_version,
    )


def published_version(report: AnnualReport) -> ReportVersion | None:
    if report.published_version is None:
        return None
    return report.versions.filter(number=report.published_version).first()
