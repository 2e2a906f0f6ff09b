"""Issue 7 item 2: a number entered by hand or imported ahead of the counter must not block
registration. For every numbered record type: a hand-given number in our format moves the
counter past it (claim_number), and a number that is taken some other way (a raw row, a renamed
township) is skipped (next_number's `taken`). Re-importing an exported ledger into an empty
system works, and registering afterwards continues after the imported numbers."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest

from fazhi.core import numbering
from fazhi.disputes import services as disputes
from fazhi.disputes.models import Dispute, MediationAgreement
from fazhi.disputes.tests.helpers import D
from fazhi.disputes.tests.helpers import register as register_dispute
from fazhi.parties.services import find_or_create_party
from fazhi.petitions import io as petition_io
from fazhi.petitions import services as petitions
from fazhi.petitions.models import Petition, PetitionOpinion

pytestmark = pytest.mark.django_db


def _petition(cast, **kw):
    petitioner = find_or_create_party(cast.a, name="陈建军", actor=cast.admin)
    p, _code = petitions.register_petition(
        cast.a,
        actor=cast.a_operator,
        channel="letter",
        received_on=dt.date(2021, 3, 3),
        petitioner=petitioner,
        subject="耕地补贴未发放",
        content="要求补发",
        **kw,
    )
    return p


def test_imported_petition_number_ahead_of_the_counter_moves_it(cast):
    _petition(cast, receipt_no="〔2021〕甲镇信字第1号")
    _petition(cast, receipt_no="〔2021〕甲镇信字第7号")
    assert _petition(cast).receipt_no == "〔2021〕甲镇信字第8号"
    assert _petition(cast).receipt_no == "〔2021〕甲镇信字第9号"


def test_taken_petition_numbers_are_skipped(cast):
    first = _petition(cast)
    assert first.receipt_no == "〔2021〕甲镇信字第1号"
    # a row written past the counter without claiming (an older import, a direct write)
    Petition.objects.filter(pk=first.pk).update(receipt_no="〔2021〕甲镇信字第2号")
    assert _petition(cast).receipt_no == "〔2021〕甲镇信字第3号"


def test_taken_opinion_numbers_are_skipped_and_given_ones_claimed(cast, walk):
    p = walk("accepted")
    opinion = petitions.issue_opinion(
        p,
        actor=cast.a_operator,
        on=dt.date(2025, 4, 1),
        request="要求补发",
        facts="事实",
        outcome="support",
        decision="补发",
        legal_basis="依据",
        number="〔2025〕甲镇信复字第5号",
    )
    assert numbering.current_number(cast.a, petitions.OPINION_NUMBER_KIND, year=2025) == 5
    PetitionOpinion.objects.filter(pk=opinion.pk).update(number="〔2025〕甲镇信复字第6号")
    taken = numbering.taken_in(PetitionOpinion, "number", cast.a)
    n, text = numbering.next_number(cast.a, petitions.OPINION_NUMBER_KIND, year=2025, taken=taken)
    assert (n, text) == (7, "〔2025〕甲镇信复字第7号")


def test_imported_dispute_number_ahead_of_the_counter_does_not_block(cast):
    register_dispute(cast, actor=cast.a_operator, number="〔2025〕甲镇调字第3号")
    assert register_dispute(cast, actor=cast.a_operator).number == "〔2025〕甲镇调字第4号"
    raw = register_dispute(cast, actor=cast.a_operator)
    Dispute.objects.filter(pk=raw.pk).update(number="〔2025〕甲镇调字第6号")
    assert register_dispute(cast, actor=cast.a_operator).number == "〔2025〕甲镇调字第7号"


def test_taken_agreement_numbers_are_skipped(cast):
    def agreement():
        dispute = disputes.accept_dispute(
            register_dispute(cast, actor=cast.a_operator), on=D, actor=cast.a_operator
        )
        return disputes.create_agreement(
            MediationAgreement,
            {
                "dispute": dispute,
                "made_on": D + dt.timedelta(days=2),
                "place": "村委会",
                "facts": "事实",
                "responsibilities": "责任",
                "terms": "一、疏通排水沟。",
                "performance_method": "自行履行",
                "performance_deadline": D + dt.timedelta(days=10),
            },
            actor=cast.a_operator,
        )

    first = agreement()
    MediationAgreement.objects.filter(pk=first.pk).update(number="〔2025〕甲镇调协字第2号")
    assert agreement().number == "〔2025〕甲镇调协字第3号"


def test_exported_petition_ledger_reimports_into_an_empty_system(cast):
    for _ in range(3):
        _petition(cast)
    exported = petition_io.export_ledger(Petition.objects.filter(township=cast.a))
    numbers = sorted(Petition.objects.values_list("receipt_no", flat=True))
    for p in Petition.objects.all():
        p.party_links.all().delete()
    from fazhi.core.models import Counter, Deadline

    Deadline.objects.all().delete()
    PetitionOpinion.objects.all().delete()
    Petition.objects.all().delete()
    Counter.objects.all().delete()  # an empty system: no counters either
    result = petition_io.import_ledger(BytesIO(exported), actor=cast.a_operator)
    assert result.errors == [], result.errors
    assert sorted(Petition.objects.values_list("receipt_no", flat=True)) == numbers
    assert _petition(cast).receipt_no == "〔2021〕甲镇信字第4号"
