"""Registry figures: values, numerator/denominator, and the records behind them."""

import datetime as dt

from fazhi.core.models import Village
from fazhi.disputes import services
from fazhi.disputes.models import BacklogCase, MediationCommittee, MediatorTraining
from fazhi.disputes.tests.helpers import D, register
from fazhi.indicators import registry
from fazhi.indicators.registry import Period

Y2025 = Period.year(2025)


def _conclude(dispute, outcome, on, **kw):
    dispute = services.accept_dispute(dispute, on=dispute.received_on, actor=None)
    return services.conclude_dispute(dispute, outcome, on=on, actor=None, **kw)


def test_success_rate_is_success_over_all_registered(cast):
    ok = [_conclude(register(cast), "succeeded", D) for _ in range(3)]
    _conclude(register(cast), "failed", D, note="已告知诉讼途径")
    open_case = services.accept_dispute(register(cast), on=D, actor=None)
    late = _conclude(
        register(cast, received_on=dt.date(2025, 12, 20)), "succeeded", dt.date(2026, 1, 5)
    )
    register(cast, township=cast.b)  # another township
    register(cast, received_on=dt.date(2024, 12, 30))  # another year

    figure = registry.compute("disputes.mediation_success_rate", cast.a, Y2025)
    assert (figure.numerator, figure.denominator) == (3, 6)
    assert figure.display == "3/6 = 50.0%"
    assert registry.compute("disputes.screened", cast.a, Y2025).value == 6
    assert registry.compute("disputes.resolved", cast.a, Y2025).value == 3
    assert registry.compute("disputes.concluded", cast.a, Y2025).value == 4
    metric = registry.metric("disputes.mediation_success_rate")
    assert set(metric.drilldown(cast.a, Y2025, "numerator")) == set(ok)
    denominator = set(metric.drilldown(cast.a, Y2025))
    assert open_case in denominator and late in denominator
    # resolved in January: counts once the period ends after it
    assert (
        registry.compute(
            "disputes.resolved", cast.a, Period.between(dt.date(2025, 1, 1), dt.date(2026, 1, 31))
        ).value
        == 4
    )


def test_trainings_count_sessions(cast):
    for day in (D, D + dt.timedelta(days=30)):
        MediatorTraining.objects.create(
            township=cast.a, held_on=day, topic="培训", attendee_count=12
        )
    MediatorTraining.objects.create(township=cast.a, held_on=dt.date(2024, 5, 1), topic="去年")
    assert registry.compute("disputes.mediator_trainings", cast.a, Y2025).value == 2


def test_committee_coverage(cast):
    Village.objects.create(township=cast.a, name="甲三村")
    MediationCommittee.objects.create(
        township=cast.a, name="甲一村调委会", level="village", village=cast.a1
    )
    MediationCommittee.objects.create(township=cast.a, name="甲镇调委会", level="township")
    figure = registry.compute("disputes.committee_coverage", cast.a, Y2025)
    assert (figure.numerator, figure.denominator) == (1, 3)


def test_backlog_figures(cast):
    def case(intake, **kw):
        return BacklogCase.objects.create(
            township=cast.a,
            title="积案",
            description="久拖未决",
            intake=intake,
            collected_on=D,
            **kw,
        )

    for _ in range(2):
        c = case(
            "on_site",
            has_registration=True,
            has_record=True,
            has_agreement=True,
            has_follow_up=True,
        )
        services.resolve_backlog(c, how="on_site", on=D, note="座谈会现场化解", actor=None)
    collected = [case("collected") for _ in range(3)]
    services.resolve_backlog(
        collected[0], how="by_visit", on=D + dt.timedelta(days=7), note="下访化解", actor=None
    )
    archived = BacklogCase.objects.filter(resolution="on_site").first()
    services.archive_backlog(archived, on=D + dt.timedelta(days=30), actor=None)

    values = {
        code: registry.compute(code, cast.a, Y2025).value
        for code in (
            "disputes.backlog_collected",
            "disputes.backlog_resolved",
            "disputes.backlog_resolved_on_site",
            "disputes.backlog_resolved_by_visit",
            "disputes.backlog_archived",
        )
    }
    assert values == {
        "disputes.backlog_collected": 3,
        "disputes.backlog_resolved": 3,
        "disputes.backlog_resolved_on_site": 2,
        "disputes.backlog_resolved_by_visit": 1,
        "disputes.backlog_archived": 1,
    }
    assert list(registry.metric("disputes.backlog_archived").drilldown(cast.a, Y2025)) == [archived]


def test_backlog_archive_requires_a_complete_file(cast):
    import pytest
    from django.core.exceptions import ValidationError

    c = BacklogCase.objects.create(
        township=cast.a,
        title="积案",
        description="x",
        intake="collected",
        collected_on=D,
        has_registration=True,
    )
    with pytest.raises(ValidationError):
        services.archive_backlog(c, on=D, actor=None)  # not resolved yet
    services.resolve_backlog(c, how="by_visit", on=D, note="化解", actor=None)
    with pytest.raises(ValidationError) as exc:
        services.archive_backlog(c, on=D, actor=None)
    assert "记录" in str(exc.value) and "协议书" in str(exc.value) and "回访" in str(exc.value)


def test_warning_handling_rate(cast):
    from fazhi.disputes.models import EarlyWarning
    from fazhi.disputes.tests.helpers import party

    register(cast, description="扬言报复")
    register(cast, description="有人持刀", parties=[party("赵甲", phone="13700000009")])

    first = EarlyWarning.objects.order_by("pk").first()
    services.handle_warning(first, action="visited", note="上门稳控", on=D, actor=None)
    assert registry.compute("disputes.warnings", cast.a, Y2025).value == 2
    figure = registry.compute("disputes.warning_handling_rate", cast.a, Y2025)
    assert figure.display == "1/2 = 50.0%"
    assert list(
        registry.metric("disputes.warning_handling_rate").drilldown(cast.a, Y2025, "numerator")
    ) == [first]


def test_every_disputes_metric_is_registered_with_a_definition():
    codes = {m.code for m in registry.metrics("disputes")}
    assert {
        "disputes.screened",
        "disputes.resolved",
        "disputes.mediation_success_rate",
        "disputes.mediator_trainings",
        "disputes.backlog_collected",
        "disputes.backlog_resolved",
        "disputes.backlog_archived",
        "disputes.warnings",
        "disputes.warning_handling_rate",
    } <= codes
    assert all(registry.metric(code).definition for code in codes)
