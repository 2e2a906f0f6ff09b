"""Global search (scoped, masked), 操作指南 per module, print views of lists and statistics."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core import help as help_registry
from fazhi.disputes.tests.helpers import party, register
from fazhi.parties.models import Party
from fazhi.petitions import services as petitions


@pytest.fixture
def records(cast):
    zhang = Party.objects.create(
        township=cast.a, name="张秀英", id_number="410883198001011234", phone="13812345678"
    )
    petition, _code = petitions.register_petition(
        cast.a,
        actor=cast.a_operator,
        channel="visit",
        received_on=dt.date(2025, 3, 3),
        petitioner=zhang,
        subject="耕地补贴未发放",
        content="要求补发。",
        village=cast.a1,
    )
    dispute = register(cast, parties=[party("张秀英", phone="13812345678")])
    elsewhere = register(cast, township=cast.b, parties=[party("张秀英")])
    return petition, dispute, elsewhere


def _hits(client, q: str) -> dict[str, list[str]]:
    groups = client.get("/search/", {"q": q}).context["groups"]
    return {g.label: [h.title for h in g.hits] for g in groups}


def test_search_finds_numbers_names_and_villages_across_modules(cast, login, records):
    petition, dispute, elsewhere = records
    client = login(cast.a_operator)
    hits = _hits(client, petition.receipt_no)
    assert hits == {"信访事项": [f"{petition.receipt_no} 耕地补贴未发放"]}
    assert _hits(client, dispute.number)["矛盾纠纷"] == [f"{dispute.number} {dispute.title}"]
    by_name = _hits(client, "张秀英")
    assert set(by_name) == {"信访事项", "矛盾纠纷", "当事人"}
    assert elsewhere.number not in " ".join(by_name["矛盾纠纷"])  # another township's
    assert cast.a1.name in " ".join(_hits(client, cast.a1.name)["村(社区)"])


def test_search_shows_personal_data_masked_and_never_matches_it(cast, login, records):
    client = login(cast.a_operator)
    html = client.get("/search/", {"q": "张秀英"}).content.decode()
    assert "13812345678" not in html and "410883198001011234" not in html
    assert "138****5678" in html
    assert _hits(client, "13812345678") == {} and _hits(client, "410883198001") == {}


def test_search_is_scoped_to_the_users_townships(cast, login, records):
    petition, dispute, elsewhere = records
    assert _hits(login(cast.b_operator), petition.receipt_no) == {}
    assert _hits(login(cast.b_operator), dispute.number) == {}
    hits = _hits(login(cast.b_operator), "张秀英")
    assert hits["矛盾纠纷"] == [f"{elsewhere.number} {elsewhere.title}"]
    assert "信访事项" not in hits
    assert login(cast.nobody).get("/search/", {"q": "张秀英"}).context["groups"] == []


def test_a_one_letter_search_asks_for_more(cast, login):
    response = login(cast.a_operator).get("/search/", {"q": "张"})
    assert response.context["too_short"] and response.context["groups"] == []


def test_every_page_links_to_its_modules_guide(cast, login):
    client = login(cast.a_operator)
    for url, key in (
        ("/disputes/disputes/", "disputes"),
        ("/petitions/petitions/add/", "petitions"),
        ("/villages/", "org"),
        ("/parties/parties/", "parties"),
        (f"/t/{cast.a.pk}/", "basics"),
    ):
        html = client.get(url).content.decode()
        assert f'href="/help/{key}/">操作指南</a>' in html, url
    for topic in help_registry.topics():
        page = client.get(f"/help/{topic.key}/")
        assert page.status_code == 200 and topic.title in page.content.decode()
        assert len(topic.sections) >= 2, topic.key
    assert client.get("/help/nothing/").status_code == 404


def test_help_text_blocks():
    assert help_registry.blocks("1. 甲\n2. 乙\n\n说明") == [("ol", ["甲", "乙"]), ("p", ["说明"])]


def test_printed_list_holds_every_filtered_row_and_names_the_filter(cast, login, records):
    petition, dispute, elsewhere = records
    register(cast, parties=[party("王五")], kind="homestead")
    client = login(cast.a_operator)
    response = client.get("/disputes/disputes/", {"kind": "neighbour", "print": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-autoprint" in html and "纠纷类型 邻里纠纷" in html
    assert dispute.number in html and elsewhere.number not in html
    assert [obj for obj, _ in response.context["rows"]] == [dispute]
    assert "打印" in client.get("/disputes/disputes/").content.decode()
    # another township's user prints only their own rows
    other = login(cast.b_operator).get("/disputes/disputes/", {"print": "1"})
    assert [obj for obj, _ in other.context["rows"]] == [elsewhere]


def test_statistics_and_checker_pages_have_a_print_button(cast, login):
    client = login(cast.a_operator)
    for url in ("/disputes/statistics/", f"/petitions/stats/?township={cast.a.pk}"):
        html = client.get(url).content.decode()
        assert "data-print" in html, url


def test_search_finds_inspections_by_enterprise_and_number_in_scope(cast, login):
    from fazhi.inspections.tests.helpers import enterprise, raw_inspection

    firm = enterprise(cast.a)
    inspection = raw_inspection(cast.a, enterprise=firm)
    hits = _hits(login(cast.a_operator), firm.name)
    assert inspection.number in " ".join(hits["涉企检查"])
    assert "涉企检查" not in _hits(login(cast.b_operator), firm.name)
    assert _hits(login(cast.a_operator), inspection.code) == {}  # the portal code is not searched
