"""Constraint conditions decided in Python (core.models.conditions): the same verdicts and the
same errors as Django's database check, without its savepoint and query."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from fazhi.core.models.conditions import EXCLUDED, UNDECIDED, decide
from fazhi.disputes.models import Dispute, EarlyWarning
from fazhi.petitions.models import Petition


def test_three_valued_verdicts():
    p = Petition(extension_days=91)
    assert decide(Q(extension_days__lte=90), Petition, p) is False
    p.extension_days = 90
    assert decide(Q(extension_days__lte=90), Petition, p) is True
    p.extension_days = None
    assert decide(Q(extension_days__lte=90), Petition, p) is None  # NULL
    assert decide(~Q(extension_days__lte=90), Petition, p) is None
    assert decide(Q(extension_days__lte=90) | Q(extension_days__isnull=True), Petition, p) is True
    assert decide(Q(extension_days__lte=90) & Q(extension_days=None), Petition, p) is None
    d = Dispute(number="")
    assert decide(~Q(number=""), Dispute, d) is False
    d.number = "〔2025〕甲镇调字第1号"
    assert decide(~Q(number=""), Dispute, d) is True
    assert decide(Q(dispute__isnull=False), EarlyWarning, EarlyWarning()) is False
    assert decide(Q(extension_days__in=[1, 2]), Petition, Petition(extension_days=2)) is True


def test_what_python_cannot_decide_is_left_to_the_database():
    p = Petition(extension_days=5, subject="甲")
    for condition in (
        Q(subject__icontains="甲"),  # a lookup not evaluated here
        Q(subject__lt="乙"),  # text ordering depends on the collation
        Q(extension_days__lte=F("visitor_count")),  # an expression
        Q(petitioner__name="张三"),  # a join
        Q(pk=1),
        Q(extension_days__in=[]),
        Q(extension_days="5"),  # a number compared with text
    ):
        assert decide(condition, Petition, p) is UNDECIDED, condition
    assert decide(Q(extension_days__lte=90), Petition, p, {"extension_days"}) is EXCLUDED


def _django_errors(obj, exclude=None):
    try:
        models.Model.validate_constraints(obj, exclude=exclude)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _our_errors(obj, exclude=None):
    try:
        obj.validate_constraints(exclude=exclude)
    except ValidationError as exc:
        return exc.message_dict
    return {}


@pytest.mark.django_db
def test_same_errors_as_django_and_no_query_when_decided(cast):
    from fazhi.parties.services import find_or_create_party

    petitioner = find_or_create_party(cast.a, name="张三", actor=None)
    p = Petition(township=cast.a, petitioner=petitioner, receipt_no="X1", extension_days=91)
    assert _our_errors(p) == _django_errors(p) != {}
    p.extension_days = 30
    assert _our_errors(p) == _django_errors(p) == {}
    assert _our_errors(p, {"extension_days"}) == _django_errors(p, {"extension_days"})
    d = Dispute(township=cast.a, number="")
    with CaptureQueriesContext(connection) as captured:
        assert _our_errors(d) == {}
    assert not any("_check" in q["sql"] for q in captured.captured_queries)
    assert _django_errors(d) == {}
