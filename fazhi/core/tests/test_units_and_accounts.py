"""Counties and townships (platform admin writes, others read within scope) and account pages."""

import pytest
from django.contrib.auth.models import User

from fazhi.core import resources
from fazhi.core.choices import Role
from fazhi.core.models import ChangeRecord, DomainEvent, Membership, Township

pytestmark = pytest.mark.django_db


def test_township_pages_are_scoped(cast, login):
    r = resources.get("core", "townships")
    client = login(cast.a_operator)
    ids = [obj.pk for obj, _ in client.get(r.url("list")).context["rows"]]
    assert ids == [cast.a.pk]
    assert client.get(r.url("detail", cast.b)).status_code == 404
    assert client.get(r.url("edit", cast.a)).status_code == 403
    supervisor = login(cast.supervisor)
    assert {obj.pk for obj, _ in supervisor.get(r.url("list")).context["rows"]} == {
        cast.a.pk,
        cast.b.pk,
    }
    assert supervisor.get(r.url("detail", cast.c)).status_code == 404


def test_platform_admin_creates_township_with_history(cast, login):
    r = resources.get("core", "townships")
    response = login(cast.admin).post(
        r.url("add"), {"county": cast.county.pk, "name": "丁镇", "kind": "town"}
    )
    assert response.status_code == 302
    township = Township.objects.get(name="丁镇")
    assert ChangeRecord.objects.filter(
        object_id=str(township.pk), action="create", township=township
    ).exists()


def test_county_list_shows_only_own_county(cast, login):
    r = resources.get("core", "counties")
    rows = login(cast.a_operator).get(r.url("list")).context["rows"]
    assert [obj.pk for obj, _ in rows] == [cast.county.pk]
    assert login(cast.a_operator).get(r.url("detail", cast.other_county)).status_code == 404


def test_township_admin_creates_account_in_own_township(cast, login):
    client = login(cast.a_admin)
    response = client.post(
        "/users/add/",
        {
            "username": "new_mediator",
            "full_name": "新调解员",
            "password": "Long-enough-pw-9",
            "role": "mediator",
            "township": cast.a.pk,
            "village": cast.a1.pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new_mediator")
    membership = user.memberships.get()
    assert (membership.role, membership.township, membership.village) == (
        "mediator",
        cast.a,
        cast.a1,
    )
    assert ChangeRecord.objects.filter(action="create", object_id=str(membership.pk)).exists()
    assert DomainEvent.objects.filter(kind="core.account_created").exists()


def test_township_admin_cannot_grant_platform_or_other_township_roles(cast, login):
    client = login(cast.a_admin)
    response = client.post(
        "/users/add/",
        {
            "username": "sneaky",
            "full_name": "某",
            "password": "Long-enough-pw-9",
            "role": "township_admin",
            "township": cast.b.pk,
        },
    )
    assert response.status_code == 400
    response = client.post(
        "/users/add/",
        {
            "username": "sneaky2",
            "full_name": "某",
            "password": "Long-enough-pw-9",
            "role": "platform_admin",
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(username__startswith="sneaky").exists()


def test_account_pages_are_scoped(cast, login):
    assert login(cast.a_operator).get("/users/").status_code == 403
    assert login(cast.nobody).get("/users/").status_code == 403
    client = login(cast.a_admin)
    listed = {u.username for u in client.get("/users/").context["users"]}
    assert "a_operator" in listed and "b_operator" not in listed
    assert client.get(f"/users/{cast.b_operator.pk}/").status_code == 404
    membership = cast.b_operator.memberships.get()
    assert client.post(f"/memberships/{membership.pk}/revoke/").status_code == 404
    assert client.post(f"/users/{cast.b_operator.pk}/active/", {"active": "0"}).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_revoking_a_role_is_audited_and_takes_effect(cast, login):
    membership = cast.a_viewer.memberships.get()
    response = login(cast.a_admin).post(f"/memberships/{membership.pk}/revoke/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert ChangeRecord.objects.filter(action="delete", object_id=str(membership.pk)).exists()


def test_deactivated_account_cannot_log_in(cast, login, client):
    login(cast.a_admin).post(f"/users/{cast.a_viewer.pk}/active/", {"active": "0"})
    cast.a_viewer.refresh_from_db()
    assert not cast.a_viewer.is_active


def test_role_table_lists_every_role(cast, login):
    response = login(cast.a_viewer).get("/roles/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 9


def test_menu_shows_only_what_the_user_may_open(cast, login):
    groups = login(cast.a_viewer).get(f"/t/{cast.a.pk}/").context["nav_groups"]
    labels = {item["label"] for group in groups for item in group["items"]}
    assert "村(社区、场)" in labels and "账号与角色" not in labels
    groups = login(cast.a_admin).get(f"/t/{cast.a.pk}/").context["nav_groups"]
    assert "账号与角色" in {item["label"] for group in groups for item in group["items"]}


def test_account_page_shows_its_history(cast, login):
    client = login(cast.a_admin)
    client.post(f"/users/{cast.a_viewer.pk}/password/", {"password": "Another-long-pw-7"})
    membership = cast.a_viewer.memberships.get()
    client.post(f"/users/{cast.a_viewer.pk}/", {"role": "township_operator", "township": cast.a.pk})
    client.post(f"/memberships/{membership.pk}/revoke/")
    labels = [e.label for e in client.get(f"/users/{cast.a_viewer.pk}/").context["events"]]
    assert any("重置" in label for label in labels) and any("撤销" in label for label in labels)
    assert any("授予" in label for label in labels)


def _menu(client, cast) -> list[tuple[str, list[str]]]:
    groups = client.get(f"/t/{cast.a.pk}/").context["nav_groups"]
    return [(g["label"], [item["label"] for item in g["items"]]) for g in groups]


def test_menu_is_ordered_by_task_with_new_entries_first(cast, login):
    menu = _menu(login(cast.a_operator), cast)
    labels = [label for label, _ in menu]
    assert labels[0] == "工作台"
    assert labels.index("信访") < labels.index("矛盾纠纷调解") < labels.index("组织与人员")
    items = dict(menu)
    assert items["信访"][:2] == ["登记信访事项", "信访事项"]
    assert items["矛盾纠纷调解"][:3] == ["登记纠纷", "网格员上报纠纷", "矛盾纠纷"]
    # a viewer may not add: no 新建 entries
    viewer = dict(_menu(login(cast.a_viewer), cast))
    assert "登记纠纷" not in viewer["矛盾纠纷调解"] and viewer["矛盾纠纷调解"][0] == "矛盾纠纷"


def test_only_admins_see_system_administration(cast, login):
    for user in (cast.a_operator, cast.a_viewer, cast.supervisor):
        assert "系统管理" not in dict(_menu(login(user), cast)), user.username
    admin_menu = dict(_menu(login(cast.a_admin), cast))
    assert admin_menu["系统管理"][0] == "账号与角色"
    assert "系统管理" == [label for label, _ in _menu(login(cast.a_admin), cast)][-1]


def test_menu_is_cached_per_user_and_scope(cast, login):
    """The menu is built once per user and memberships: the cache key holds the user and every
    membership (role and unit), so another user or a changed role never reuses an entry."""
    resources.forget_navigation()
    operator = dict(_menu(login(cast.a_operator), cast))
    assert "登记纠纷" in operator["矛盾纠纷调解"]
    other = dict(_menu(login(cast.b_operator), cast))  # same role, another township
    assert other == operator
    keys = list(resources._NAV_CACHE)
    assert len(keys) == 2 and {k[0] for k in keys} == {cast.a_operator.pk, cast.b_operator.pk}
    for key in keys:
        townships = {row[2] for row in key[2]}
        user = cast.a_operator if key[0] == cast.a_operator.pk else cast.b_operator
        assert townships == {m.township_id for m in user.memberships.all()}
    # a changed role shows at once (new key), for that user only
    Membership.objects.filter(user=cast.a_operator).update(role=Role.VIEWER)
    viewer = dict(_menu(login(cast.a_operator), cast))
    assert "登记纠纷" not in viewer["矛盾纠纷调解"]
    assert "登记纠纷" in dict(_menu(login(cast.b_operator), cast))["矛盾纠纷调解"]
    # revoked: nothing of the old scope remains
    Membership.objects.filter(user=cast.a_operator).delete()
    assert resources.navigation_for(User.objects.get(pk=cast.a_operator.pk)) == []


#: base.html's menu loop before the menu's HTML was cached with it
MENU_LOOP = """{% for group in nav_groups %}
    <details class="navgroup"><summary>{{ group.label }}</summary>
      <ul>{% for item in group.items %}<li{% if item.new %} class="nav-new"{% endif %}><a href="{{ item.url }}">{{ item.label }}</a></li>{% endfor %}</ul>
    </details>
    {% endfor %}"""


def test_cached_menu_html_is_what_the_template_loop_wrote(cast, login):
    from django.template import Context, Template

    for user in (cast.a_operator, cast.a_viewer, cast.supervisor, cast.admin):
        context = login(user).get(f"/t/{cast.a.pk}/").context
        expected = Template(MENU_LOOP).render(Context({"nav_groups": context["nav_groups"]}))
        assert str(context["nav_html"]) == expected, user.username
