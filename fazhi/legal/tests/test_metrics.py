"""Each metric's value, numerator/denominator and drill-down, on records made by the services."""

from __future__ import annotations

import datetime as dt

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
