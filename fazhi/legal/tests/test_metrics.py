"""Each metric's value, numerator/denominator and drill-down, on records made by the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.legal import services
from fazhi.legal.models import NormativeDocument
from fazhi.legal.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date
Y = Period.year(2025)


def test_review_on_time_rate_and_drilldown(cast, advisor, reviewer):
    a = advisor()
    with at(D(2025, 3, 3)):
        late = services.submit_review(cast.a, kind="township_contract", title="迟", submitted_on=D(2025, 3, 3),
                                      actor=None, reviewer_kind="advisor", advisor=a)  # fmt: skip
        ok = services.submit_review(cast.a, kind="township_contract", title="准", submitted_on=D(2025, 3, 3),
                                    actor=None, reviewer_kind="advisor", advisor=a)  # fmt: skip
    with at(D(2025, 3, 20)):
        services.conclude_review(
            ok, actor=None, outcome="passed", opinion="可", advisor_opinion="可", on=D(2025, 3, 5)
        )
        services.conclude_review(
            late,
            actor=None,
            outcome="passed",
            opinion="可",
            advisor_opinion="可",
            on=D(2025, 3, 20),
        )
    with at(D(2026, 1, 5)):
        figure = registry.compute("legal.review_on_time_rate", cast.a, Y)
        assert figure.display == "1/2 = 50.0%"
        assert list(
            registry.metric("legal.review_on_time_rate").drilldown(cast.a, Y, "numerator")
        ) == [ok]
        assert registry.compute("legal.reviews", cast.a, Y).value == 2
        empty = registry.compute("legal.reviews", cast.b, Y)
        assert empty.value is None and empty.status == "no_records"  # not a declared 0


def test_filing_on_time_and_document_review(cast, advisor):
    a = advisor()
    docs = []
    for title, filed in (("按期", D(2025, 5, 10)), ("逾期", D(2025, 6, 30))):
        doc = NormativeDocument.objects.create(township=cast.a, title=title)
        with at(D(2025, 7, 1)):
            doc = services.submit_document(
                doc, actor=None, on=D(2025, 5, 6), reviewer_kind="advisor", advisor=a
            )
            services.conclude_review(
                doc.review,
                actor=None,
                outcome="passed",
                opinion="可",
                advisor_opinion="可",
                on=D(2025, 5, 6),
            )
            doc.refresh_from_db()
            doc = services.issue_document(doc, actor=None, on=D(2025, 5, 6))
            services.file_document(doc, actor=None, on=filed, filed_with="县政府")
        docs.append(doc)
    with at(D(2026, 1, 5)):
        assert registry.compute("legal.filing_on_time_rate", cast.a, Y).display == "1/2 = 50.0%"
        assert registry.compute("legal.document_review_rate", cast.a, Y).display == "2/2 = 100.0%"


def test_advisor_counts_and_village_coverage(cast, advisor):
    a = advisor()
    assert registry.compute("legal.advisors", cast.a, Y).value == 1
    assert registry.compute("legal.advisors", cast.a, Period.year(2024)).status == "no_records"
    a.villages.set([cast.a1])
    assert registry.compute("legal.village_advisor_coverage", cast.a, Y).display == "1/2 = 50.0%"


def test_every_metric_states_where_the_report_writes_it():
    for m in registry.metrics("legal"):
        assert m.report_section and m.report_topic and m.report_phrase, m.code


def _timed_reviews(cast, advisor):
    """Two reviews concluded after 2 and 13 working days, and one still under review."""
    a = advisor()
    with at(D(2025, 3, 3)):
        fast, slow, pending = (
            services.submit_review(
                cast.a,
                kind="township_contract",
                title=t,
                submitted_on=D(2025, 3, 3),
                actor=None,
                reviewer_kind="advisor",
                advisor=a,
            )  # fmt: skip
            for t in ("快", "慢", "未完")
        )
    with at(D(2025, 3, 20)):
        for r, on in ((fast, D(2025, 3, 5)), (slow, D(2025, 3, 20))):
            services.conclude_review(
                r, actor=None, outcome="passed", opinion="可", advisor_opinion="可", on=on
            )
    fast.refresh_from_db()
    slow.refresh_from_db()
    return fast, slow, pending


def test_review_turnaround_average_with_its_sum_and_count(cast, advisor):
    fast, slow, pending = _timed_reviews(cast, advisor)
    assert (fast.turnaround, slow.turnaround) == (2, 13)  # working days (core calendar)
    m = registry.metric("legal.review_turnaround")
    with at(D(2026, 1, 5)):
        figure = registry.compute("legal.review_turnaround", cast.a, Y)
        assert (figure.value, figure.numerator, figure.denominator) == (Decimal("7.5"), 15, 2)
        assert figure.display == "平均7.5个工作日（15个工作日/2件）"
        assert figure.status == "recorded"
        # the drill-down lists exactly the records averaged (not the one still under review)
        assert set(m.drilldown(cast.a, Y)) == {fast, slow}
        # the batched and the county's grouped query give the same figure
        assert registry.compute_many([m.code], cast.a, Y)[m.code].as_dict() == figure.as_dict()
        rows = dict(registry.compare(m.code, [cast.a, cast.b], Y).rows)
        assert rows[cast.a].as_dict() == figure.as_dict()
        assert rows[cast.b].display == "未记录" and rows[cast.b].value is None


def test_review_turnaround_without_records_is_not_recorded_not_zero(cast, advisor):
    a = advisor()
    with at(D(2025, 3, 3)):  # submitted, no opinion yet: nothing to average
        services.submit_review(cast.a, kind="township_contract", title="未完", submitted_on=D(2025, 3, 3),
                               actor=None, reviewer_kind="advisor", advisor=a)  # fmt: skip
    with at(D(2025, 3, 10)):
        figure = registry.compute("legal.review_turnaround", cast.a, Y)
    assert figure.status == "no_records" and figure.value is None
    assert figure.display == "未记录" and figure.display != "0个工作日"
    assert list(registry.metric("legal.review_turnaround").drilldown(cast.a, Y)) == []


def test_review_turnaround_pages_nil_return_and_tenancy(cast, advisor, login):
    from django.urls import reverse

    from fazhi.indicators.services import declare

    fast, slow, _ = _timed_reviews(cast, advisor)
    code = "legal.review_turnaround"
    figure_url = reverse("indicators:figure", args=[cast.a.pk, code]) + "?year=2025"
    records_url = reverse("indicators:drilldown", args=[cast.a.pk, code]) + "?year=2025"
    with at(D(2026, 1, 5)):
        body = login(cast.a_viewer).get(figure_url).content.decode()
        assert "平均7.5个工作日（15个工作日/2件）" in body and "15 ÷ 2 = 7.5个工作日" in body
        assert "平均值" in body and "计入平均值的记录" in body
        body = login(cast.a_viewer).get(records_url).content.decode()
        assert fast.title in body and slow.title in body and "未完" not in body
        # another township's records and figure do not exist for this viewer
        other = reverse("indicators:drilldown", args=[cast.b.pk, code]) + "?year=2025"
        assert login(cast.a_viewer).get(other).status_code == 404
        # the county comparison: a value for one township, 未记录 for the other (not 0)
        body = login(cast.supervisor).get(reverse("indicators:compare", args=[code]) + "?year=2025").content.decode()  # fmt: skip
        assert "平均7.5个工作日（15个工作日/2件）" in body and "未记录" in body
        # a declared nil return is a real "nothing happened", still with no average
        declare(cast.b, code, 2025, "nil", "本年度无送审事项", actor=cast.admin)
        nil = registry.compute(code, cast.b, Y)
    assert nil.status == "zero" and nil.value is None
    assert nil.display == "0件（本年度未发生，无平均值）"
