"""check_text and check_file: run every check over one report."""

from __future__ import annotations

from pathlib import Path

from .checks import (
    check_duplicates,
    check_missing_numbers,
    check_rates,
    check_sections,
    check_targets,
)
from .claims import extract_claims
from .decode import read_report
from .doc import Doc
from .marks import check_markers, check_pairs, check_stale_plan
from .model import CheckResult, Defect
from .outline import check_numbering, detect_title, parse_headings, split_sections
from .records import RecordSource, check_records
from .years import check_years, collect_years, report_year


def check_text(
    text: str,
    *,
    title: str | None = None,
    year: int | None = None,
    records: RecordSource | None = None,
    source: str | None = None,
) -> CheckResult:
    """Check one report's text. Offsets in the result index into `text` as given.

    title: the report's title when it is not the first line of `text` (e.g. a web page's title).
    year: the year the report covers, when known; otherwise it is read from the title or opening.
    records: the township's records, to compare each actual claim with (see `RecordSource`).
    """
    doc = Doc(text)
    headings = parse_headings(doc)
    defects: list[Defect] = check_numbering(headings)
    found_title, t0, t1 = detect_title(doc, headings)
    sections = split_sections(doc, headings)
    years = collect_years(doc)
    found_year, year_source, title_m, intro_m = report_year(
        doc, years, (t0, t1), sections, headings
    )
    if title is not None and year is None:
        title_doc = Doc(title)
        title_years = [y for y in collect_years(title_doc) if y.year]
        if title_years:
            found_year, year_source, title_m = title_years[0].year, "title", None
    if year is not None:
        found_year, year_source = year, "argument"
    defects += check_years(
        doc,
        years,
        sections,
        headings,
        year=found_year,
        source=year_source,
        title_m=title_m,
        intro_m=intro_m,
    )
    claims = extract_claims(doc, sections, headings, report_year=found_year)
    defects += check_missing_numbers(doc)
    defects += check_sections(doc, sections)
    defects += check_rates(claims)
    defects += check_targets(claims)
    defects += check_duplicates(doc, headings)
    defects += check_markers(doc)
    defects += check_pairs(doc)
    defects += check_stale_plan(doc, sections, found_year)
    if records is not None:
        defects += check_records(claims, records, year=found_year)
    defects.sort(key=lambda d: (d.start, d.severity.rank, str(d.kind)))
    return CheckResult(
        text=text,
        title=title if title is not None else found_title,
        year=found_year,
        year_source=year_source,
        outline=headings,
        sections=sections,
        claims=claims,
        years=years,
        defects=defects,
        source=source,
    )


def check_file(
    path: str | Path,
    *,
    year: int | None = None,
    records: RecordSource | None = None,
) -> CheckResult:
    """Read a .txt (UTF-8 or GBK/GB18030) or .docx report and check it."""
    text = read_report(path)
    return check_text(text, year=year, records=records, source=str(path))
