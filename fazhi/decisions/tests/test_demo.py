"""The demo decisions give the seeds' statements through the registry."""

from __future__ import annotations

import pytest
from django.db import transaction

from fazhi.core import demo as core_demo
from fazhi.decisions import demo
from fazhi.decisions.models import Decision
from fazhi.indicators import registry
from fazhi.indicators.registry import Period
from fazhi.legal import demo as legal_demo

pytestmark = pytest.mark.django_db
Y = Period.year(2025)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            loaders = [core_demo.load_org, legal_demo.load_legal, demo.load_decisions]
            yield core_demo.load(loaders).townships
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_sizhuang_advisor_in_every_decision_and_post_evaluation(seeded):
    t = seeded["寺庄镇"]
    assert registry.compute("decisions.count", t, Y).value == 2
    assert registry.compute("legal.advisor_decision_rate", t, Y).display == "2/2 = 100.0%"
    assert registry.compute("decisions.review_rate", t, Y).display == "2/2 = 100.0%"
    assert registry.compute("decisions.participation_rate", t, Y).display == "2/2 = 100.0%"
    assert registry.compute("decisions.evaluated", t, Y).value == 1  # “开展决策后评估工作”


def test_jiangguanchi_study_before_the_decision_and_experts(seeded):
    t = seeded["将官池镇"]
    assert registry.compute("decisions.study_rate", t, Y).display == "1/1 = 100.0%"
    d = Decision.objects.get(township=t)
    assert d.expert_required and d.expert_opinion and d.status == "executing"


def test_second_load_changes_nothing(seeded):
    from fazhi.core.models import ChangeRecord

    before = ChangeRecord.objects.count()
    demo.load_decisions(seeded)
    assert ChangeRecord.objects.count() == before
