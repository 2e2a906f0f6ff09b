"""Every workflow page of the legal app: another township's user can neither read nor change a
record through it; the pages work for the record's own township."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core.models import ChangeRecord, DomainEvent
from fazhi.core.testing import act
from fazhi.legal.choices import ContractAction, DocumentAction, ReviewAction
from fazhi.legal.models import NormativeDocument
from fazhi.legal.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def _state():
    return ChangeRecord.objects.count(), DomainEvent.objects.count()


PAYLOAD = {"on": "2025-03-10", "reason": "x", "outcome": "passed", "opinion": "x",
           "advisor_opinion": "x", "reviewer_kind": "advisor", "filed_with": "x"}  # fmt: skip


@pytest.mark.parametrize(
    ("slug", "actions"),
    [
        ("reviews", ReviewAction.values),
        ("contracts", ContractAction.values),
        ("documents", DocumentAction.values),
    ],  # fmt: skip
)
def test_other_township_cannot_open_or_post_any_action(
    cast, login, reviewed_contract, slug, actions
):
    obj = {
        "reviews": reviewed_contract.review,
        "contracts": reviewed_contract,
        "documents": NormativeDocument.objects.create(township=cast.a, title="办法"),
    }[slug]
    client = login(cast.b_operator)
    before = _state()
    for action in actions:
        url = reverse("legal:act", args=[slug, obj.pk, action])
        assert client.get(url).status_code == 404
        with at(D(2025, 3, 10)):
            assert (
                client.post(
                    url, {**PAYLOAD, "advisor": reviewed_contract.review.advisor_id}
                ).status_code
                == 404
            )
    assert _state() == before


def test_viewer_cannot_act(cast, login, reviewed_contract):
    url = reverse("legal:act", args=["contracts", reviewed_contract.pk, "sign"])
    assert login(cast.a_viewer).get(url).status_code == 403


def test_sign_page_refuses_then_signs(cast, login, contract, advisor):
    c = contract(village=cast.a1)
    a = advisor()
    client = login(cast.a_operator)

    def step(slug, action, **data):
        c.refresh_from_db()
        obj = c if slug == "contracts" else c.review
        return act(client, reverse("legal:act", args=[slug, obj.pk, action]), obj, data)

    with at(D(2025, 3, 10)):
        refused = step("contracts", "sign", on="2025-03-10")
        assert refused.status_code == 400
        assert "尚未取得合法性审查意见" in refused.content.decode()
        c.refresh_from_db()
        assert c.status == "draft" and c.signed_on is None
        assert step("contracts", "submit", on="2025-03-10", reviewer_kind="advisor",
                    advisor=a.pk).status_code == 302  # fmt: skip
        assert step("reviews", "conclude", on="2025-03-10", outcome="passed", opinion="合法",
                    advisor_opinion="同意签订").status_code == 302  # fmt: skip
        assert step("contracts", "sign", on="2025-03-10").status_code == 302
    c.refresh_from_db()
    assert c.status == "signed" and c.signed_on == D(2025, 3, 10)


def test_coverage_lists_what_took_effect_without_review(cast, login, contract, reviewed_contract):
    from fazhi.legal import services

    gap = contract(title="未经审查的租赁合同")
    with at(D(2025, 6, 1)):
        services.record_unreviewed_contract(gap, actor=cast.a_operator, on=D(2025, 5, 2),
                                            reason="事后补录")  # fmt: skip
        services.sign_contract(reviewed_contract, actor=cast.a_operator, on=D(2025, 3, 10))
    client = login(cast.a_operator)
    response = client.get(reverse("legal:coverage"), {"township": cast.a.pk, "year": 2025})
    assert response.status_code == 200
    assert [r.title for r in response.context["gaps"]] == ["未经审查的租赁合同"]
    assert [r.title for r in response.context["covered"]] == ["村集体土地流转合同"]
    rate = {f.metric.code: f for f in response.context["figures"]}["legal.contract_review_rate"]
    assert rate.display == "1/2 = 50.0%"
    other = login(cast.b_operator).get(reverse("legal:coverage"), {"township": cast.a.pk})
    assert other.status_code == 404
    assert login(cast.nobody).get(reverse("legal:coverage")).status_code == 403


def test_rules_page_shows_unconfirmed_defaults(cast, login):
    page = login(cast.a_viewer).get(reverse("legal:rules")).content.decode()
    assert "待确认" in page and "第二十六条" in page


def test_an_action_without_the_version_it_read_or_with_an_older_one_writes_nothing(
    cast, login, contract, advisor, reviewer
):
    """Two reviewers with the same review open: the second 出具审查意见 is refused (409), not
    applied twice; a post without the version is refused (400); nothing is written either way."""
    from fazhi.legal import services

    with at(D(2025, 3, 3)):
        c = services.submit_contract(
            contract(village=cast.a1), actor=cast.a_operator, on=D(2025, 3, 3),
            reviewer_kind="joint", reviewer=reviewer, advisor=advisor(),
        )  # fmt: skip
    review = c.review
    review.refresh_from_db()
    client = login(cast.a_operator)
    url = reverse("legal:act", args=["reviews", review.pk, "conclude"])
    page = client.get(url).content.decode()
    assert f'name="version" value="{review.version}"' in page
    data = {
        "on": "2025-03-07",
        "outcome": "passed",
        "opinion": "合法。",
        "advisor_opinion": "同意。",
    }
    before = _state()
    with at(D(2025, 3, 7)):
        missing = client.post(url, data)
        assert missing.status_code == 400 and "缺少版本号" in missing.content.decode()
        assert _state() == before
        read = review.version
        assert client.post(url, {**data, "version": read}).status_code == 302
        written = _state()
        again = client.post(url, {**data, "opinion": "另一意见", "version": read})
    assert again.status_code == 409 and "已被他人修改" in again.content.decode()
    assert _state() == written
    review.refresh_from_db()
    assert review.status == "concluded" and review.opinion == "合法。"
    assert review.version == read + 1
