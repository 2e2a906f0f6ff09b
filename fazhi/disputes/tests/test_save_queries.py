"""Issue #9: the queries of a dispute's saves (create and edit, HTML form and API) are pinned and
do not grow with the disputes already in the township (measured with 5 and with 50)."""

from itertools import count

from django.utils import timezone

from fazhi.core import resources
from fazhi.core.forms import form_for
from fazhi.core.testing import save_queries, shown_form_data
from fazhi.disputes.models import Dispute
from fazhi.disputes.tests.helpers import raw_dispute, register

_n = count(1)

#: the queries of each save, measured on SQLite (PostgreSQL makes one fewer: no BEGIN statement).
#: A save that starts to query more fails here: look at the new queries before raising a pin.
PINNED = {"html_add": 49, "html_edit": 24, "api_add": 20, "api_edit": 18}


def _saves(cast, login, api, dispute):
    web = login(cast.a_operator)
    rest = api(cast.a_operator)
    resource = resources.get("disputes", "disputes")
    today = timezone.localdate().isoformat()

    def html_add():
        i = next(_n)
        return web.post(
            "/disputes/disputes/add/",
            {
                "township": cast.a.pk,
                "received_on": today,
                "source": "walk_in",
                "kind": "neighbour",
                "description": f"相邻关系纠纷{i}",
                "village": cast.a1.pk,
                "risk_level": "low",
                "applicant_name": f"申请人{i}",
                "applicant_phone": f"1390000{i:04d}",
                "respondent_name": f"被申请人{i}",
            },
        )

    def html_edit():
        obj = Dispute.objects.get(pk=dispute.pk)
        data = shown_form_data(form_for(resource)(instance=obj, user=cast.a_operator))
        data.update(claims=f"请求第{next(_n)}次", version=obj.version)
        return lambda: web.post(resource.url("edit", obj), data)

    def api_add():
        body = {
            "township": cast.a.pk,
            "received_on": today,
            "source": "walk_in",
            "kind": "neighbour",
            "description": f"经API登记{next(_n)}",
            "village": cast.a1.pk,
            "risk_level": "low",
        }
        return rest.post("/api/disputes/disputes/", body, format="json")

    def api_edit():
        obj = Dispute.objects.get(pk=dispute.pk)
        body = {"claims": f"请求第{next(_n)}次", "version": obj.version}
        return lambda: rest.patch(f"/api/disputes/disputes/{obj.pk}/", body, format="json")

    return {
        "html_add": lambda: save_queries(html_add),
        "html_edit": lambda: save_queries(html_edit()),
        "api_add": lambda: save_queries(api_add),
        "api_edit": lambda: save_queries(api_edit()),
    }


def _grow(cast, to: int) -> None:
    """Disputes in the township up to `to`, with their warnings and parties linked (rows
    written directly: a save must not read the township's other disputes one by one)."""
    from fazhi.disputes.models import DisputeParty
    from fazhi.parties.models import Party

    while Dispute.objects.filter(township=cast.a).count() < to:
        i = next(_n)
        row = raw_dispute(
            cast, cast.a, received_on=timezone.localdate(), number=f"〔2020〕甲镇调字第{i}号"
        )
        person = Party.objects.create(township=cast.a, name=f"甲{i}", phone=f"1380000{i:04d}")
        DisputeParty.objects.create(township=cast.a, dispute=row, party=person, role="applicant")


def test_dispute_saves_make_a_fixed_number_of_queries(cast, login, api):
    dispute = register(cast, description="宅基地边界争执")
    saves = _saves(cast, login, api, dispute)
    for save in saves.values():
        save()  # warm the per-process caches (content types, known townships, menu)
    _grow(cast, 5)
    few = {name: save() for name, save in saves.items()}
    _grow(cast, 50)
    many = {name: save() for name, save in saves.items()}
    assert few == many, (few, many)
    for name, queries in few.items():
        assert queries <= PINNED[name], (name, queries, few)
