"""Issue #9: the queries of a petition's saves (registration and edit, HTML form and API) are
pinned and do not grow with the petitions already in the township (measured with 5 and 50)."""

from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.core import resources
from fazhi.core.forms import form_for
from fazhi.core.testing import save_queries, shown_form_data
from fazhi.petitions.models import Petition

pytestmark = pytest.mark.django_db

_n = count(1)

#: the queries of each save, measured on SQLite (PostgreSQL makes one fewer: no BEGIN statement).
#: A save that starts to query more fails here: look at the new queries before raising a pin.
PINNED = {"html_add": 44, "html_edit": 20, "api_add": 29, "api_edit": 13}


def _register(cast, party, i: int) -> Petition:
    from fazhi.petitions import services

    petition, _code = services.register_petition(
        cast.a,
        actor=None,
        channel="visit",
        received_on=timezone.localdate(),
        petitioner=party(f"信访人{i}", phone=f"1370000{i:04d}"),
        subject=f"土地补偿{i}",
        content="要求公开补偿方案。",
        category="land",
    )
    return petition


def _saves(cast, login, api, petition):
    web = login(cast.a_operator)
    rest = api(cast.a_operator)
    resource = resources.get("petitions", "petitions")
    today = timezone.localdate().isoformat()

    def html_add():
        i = next(_n)
        return web.post(
            reverse("petitions:petitions_add"),
            {
                "township": cast.a.pk,
                "channel": "visit",
                "received_on": today,
                "source": "direct",
                "petitioner_name": f"登记人{i}",
                "petitioner_phone": f"1360000{i:04d}",
                "visitor_count": 1,
                "category": "land",
                "subject": f"征地补偿款分配{i}",
                "content": "要求公开征地补偿款分配方案。",
                "level": "township",
            },
        )

    def html_edit():
        obj = Petition.objects.get(pk=petition.pk)
        data = shown_form_data(form_for(resource)(instance=obj, user=cast.a_operator))
        data.update(content=f"补充材料第{next(_n)}次", version=obj.version)
        return lambda: web.post(resource.url("edit", obj), data)

    def api_add():
        body = {
            "township": cast.a.pk,
            "channel": "visit",
            "received_on": today,
            "source": "direct",
            "petitioner": petition.petitioner_id,
            "visitor_count": 1,
            "category": "land",
            "subject": f"经API登记{next(_n)}",
            "content": "请求协调宅基地边界。",
            "level": "township",
        }
        return rest.post("/api/petitions/petitions/", body, format="json")

    def api_edit():
        obj = Petition.objects.get(pk=petition.pk)
        body = {"content": f"补充材料第{next(_n)}次", "version": obj.version}
        return lambda: rest.patch(f"/api/petitions/petitions/{obj.pk}/", body, format="json")

    return {
        "html_add": lambda: save_queries(html_add),
        "html_edit": lambda: save_queries(html_edit()),
        "api_add": lambda: save_queries(api_add),
        "api_edit": lambda: save_queries(api_edit()),
    }


def _grow(cast, party, to: int) -> None:
    while Petition.objects.filter(township=cast.a).count() < to:
        _register(cast, party, next(_n))


def test_petition_saves_make_a_fixed_number_of_queries(cast, login, api, party):
    petition = _register(cast, party, next(_n))
    saves = _saves(cast, login, api, petition)
    for save in saves.values():
        save()  # warm the per-process caches (content types, known townships, menu)
    _grow(cast, party, 5)
    few = {name: save() for name, save in saves.items()}
    _grow(cast, party, 50)
    many = {name: save() for name, save in saves.items()}
    assert few == many, (few, many)
    for name, queries in few.items():
        assert queries <= PINNED[name], (name, queries, few)
