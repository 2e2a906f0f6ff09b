"""Indicator pages and the township home: what they show and who may see them.

Scope rules under test: no role anywhere → 403; another township (or county) → 404."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core.models import Grid, GridAssignment, Staff, VillageContact
from fazhi.indicators import registry
from fazhi.indicators.registry import COUNT, Metric

pytestmark = pytest.mark.django_db
D = dt.date(2025, 3, 1)


def figure_url(township, code, **query):
    url = reverse("indicators:figure", args=[township.pk, code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def records_url(township, code, **query):
    url = reverse("indicators:drilldown", args=[township.pk, code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def compare_url(code, **query):
    url = reverse("indicators:compare", args=[code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def contact(cast, village):
    staff = Staff.objects.create(township=village.township, name=f"包{village.name}")
    return VillageContact.objects.create(
        township=village.township, village=village, staff=staff, start=D
    )


# --- registry page --------------------------------------------------------------------------
def test_registry_page_lists_every_metric_with_its_definition(cast, login, monkeypatch):
    monkeypatch.setattr(registry, "_METRICS", dict(registry._METRICS))
    registry.register(
        Metric(
            "testpages.petitions",
            "信访办结率测试",
            "件",
            COUNT,
            lambda t, p: None,
            citation="《信访工作条例》第三十四条",
            definition="测试用定义文字",
        )
    )
    body = login(cast.a_viewer).get(reverse("indicators:registry")).content.decode()
    for m in registry.metrics():
        assert f'data-metric="{m.code}"' in body
        assert m.label in body
        assert m.definition in body
    assert "《信访工作条例》第三十四条" in body
    assert "计数" in body and "比率" in body  # kinds in Chinese
    assert "/indicators/compare/" not in body  # a township viewer compares nothing


def test_registry_page_offers_comparison_to_a_county_supervisor(cast, login):
    body = login(cast.supervisor).get(reverse("indicators:registry")).content.decode()
    assert compare_url("core.villages") in body


def test_registry_page_needs_login(client):
    response = client.get(reverse("indicators:registry"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- figure page ----------------------------------------------------------------------------
def test_figure_page_shows_the_count_and_links_to_its_records(cast, login):
    response = login(cast.a_viewer).get(figure_url(cast.a, "core.villages", year=2025))
    assert response.status_code == 200
    body = response.content.decode()
    assert "2个" in body
    assert records_url(cast.a, "core.villages", year=2025) in body
    assert "2025年" in body


def test_figure_page_of_a_rate_shows_numerator_and_denominator(cast, login):
    contact(cast, cast.a1)
    body = (
        login(cast.a_viewer)
        .get(figure_url(cast.a, "core.village_contact_coverage", year=2025))
        .content.decode()
    )
    assert "1/2 = 50.0%" in body
    assert "part=numerator" in body and "part=denominator" in body
    assert "1 ÷ 2 = 50.0%" in body


def test_figure_page_accepts_a_date_range(cast, login):
    response = login(cast.a_viewer).get(
        figure_url(cast.a, "core.villages", start="2025-01-01", end="2025-06-30")
    )
    assert response.status_code == 200
    assert "2025-01-01至2025-06-30" in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"year": "abc"}, {"year": "1900"}, {"start": "2025-07-01", "end": "2025-01-01"}]
)
def test_figure_page_rejects_a_bad_period(cast, login, query):
    response = login(cast.a_viewer).get(figure_url(cast.a, "core.villages", **query))
    assert response.status_code == 400


def test_figure_page_of_another_township_is_404(cast, login):
    assert login(cast.a_viewer).get(figure_url(cast.b, "core.villages")).status_code == 404
    assert login(cast.supervisor).get(figure_url(cast.c, "core.villages")).status_code == 404


def test_figure_page_without_any_role_is_403(cast, login):
    assert login(cast.nobody).get(figure_url(cast.a, "core.villages")).status_code == 403


def test_figure_page_of_an_unknown_metric_is_404(cast, login):
    assert login(cast.a_viewer).get(figure_url(cast.a, "core.nothing")).status_code == 404


# --- drill-down -----------------------------------------------------------------------------
def test_drilldown_lists_the_records_behind_the_figure(cast, login):
    body = login(cast.a_viewer).get(records_url(cast.a, "core.villages")).content.decode()
    assert "甲一村" in body and "甲二村" in body
    assert "乙一村" not in body
    assert reverse("core:villages_detail", args=[cast.a1.pk]) in body
    assert "共 2 条" in body


def test_drilldown_of_a_rate_lists_numerator_or_denominator(cast, login):
    contact(cast, cast.a1)
    client = login(cast.a_viewer)
    numerator = client.get(
        records_url(cast.a, "core.village_contact_coverage", part="numerator")
    ).content.decode()
    assert "分子记录" in numerator
    assert "甲一村" in numerator and "甲二村" not in numerator
    denominator = client.get(
        records_url(cast.a, "core.village_contact_coverage", part="denominator")
    ).content.decode()
    assert "分母记录" in denominator
    assert "甲一村" in denominator and "甲二村" in denominator


@pytest.mark.parametrize("code,part", [("core.villages", "numerator"), ("core.villages", "x")])
def test_drilldown_of_a_part_the_metric_lacks_is_404(cast, login, code, part):
    response = login(cast.a_viewer).get(records_url(cast.a, code, part=part))
    assert response.status_code == 404


def test_drilldown_of_another_township_is_404(cast, login):
    assert login(cast.a_viewer).get(records_url(cast.b, "core.villages")).status_code == 404


def test_drilldown_without_any_role_is_403(cast, login):
    assert login(cast.nobody).get(records_url(cast.a, "core.villages")).status_code == 403


def test_drilldown_for_a_village_level_user_lists_only_their_village(cast, login):
    body = login(cast.a1_mediator).get(records_url(cast.a, "core.villages")).content.decode()
    assert "甲一村" in body and "甲二村" not in body
    assert "1 条不在您的权限范围内" in body


def test_drilldown_reads_a_page_of_grid_workers_in_few_queries(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.a_viewer)
    for n in range(30):
        grid = Grid.objects.create(township=cast.a, village=cast.a1, name=f"第{n}网格")
        staff = Staff.objects.create(township=cast.a, name=f"网格员{n}")
        GridAssignment.objects.create(township=cast.a, grid=grid, staff=staff, start=D)
    with django_assert_max_num_queries(15):
        response = client.get(records_url(cast.a, "core.grid_workers", year=2025))
    assert response.content.decode().count("网格员2") >= 10  # 网格员2, 网格员20…29


# --- county comparison ----------------------------------------------------------------------
def test_comparison_shows_one_metric_across_the_supervisors_townships(cast, login):
    contact(cast, cast.a1)
    body = (
        login(cast.supervisor)
        .get(compare_url("core.village_contact_coverage", year=2025))
        .content.decode()
    )
    assert f'data-township="{cast.a.pk}"' in body
    assert f'data-township="{cast.b.pk}"' in body
    assert f'data-township="{cast.c.pk}"' not in body
    assert "1/2 = 50.0%" in body  # 甲镇
    assert "0/1 = 0.0%" in body  # 乙镇


def test_comparison_of_a_county_not_supervised_is_404(cast, login):
    response = login(cast.supervisor).get(compare_url("core.villages", county=cast.other_county.pk))
    assert response.status_code == 404


def test_platform_admin_compares_any_county(cast, login):
    body = (
        login(cast.admin)
        .get(compare_url("core.villages", county=cast.other_county.pk))
        .content.decode()
    )
    assert f'data-township="{cast.c.pk}"' in body
    assert f'data-township="{cast.a.pk}"' not in body


@pytest.mark.parametrize("user", ["a_operator", "a_admin", "nobody"])
def test_comparison_is_403_for_non_county_users(cast, login, user):
    assert login(getattr(cast, user)).get(compare_url("core.villages")).status_code == 403


def test_comparison_of_an_unknown_metric_is_404(cast, login):
    assert login(cast.supervisor).get(compare_url("core.nothing")).status_code == 404


# --- township home --------------------------------------------------------------------------
def test_home_of_a_user_with_one_township_redirects_to_it(cast, login):
    response = login(cast.a_viewer).get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:township", args=[cast.a.pk])


def test_home_of_a_platform_admin_shows_townships_side_by_side(cast, login):
    # (a county supervisor lands on the county's home: fazhi/core/tests/test_county_home.py)
    contact(cast, cast.a1)
    response = login(cast.admin).get(reverse("core:home") + "?year=2025")
    assert response.status_code == 200
    body = response.content.decode()
    for t in (cast.a, cast.b, cast.c):
        assert f'data-township="{t.pk}"' in body
    for m in registry.metrics("core"):
        assert body.count(f'<td data-metric="{m.code}">') == 3
        assert m.label in body
    assert "1/2 = 50.0%" in body
    assert figure_url(cast.a, "core.villages", year=2025) in body


def test_home_of_a_user_without_townships_says_so(cast, login):
    response = login(cast.nobody).get(reverse("core:home"))
    assert response.status_code == 200
    assert "您尚未被授权任何乡镇" in response.content.decode()


def test_township_page_shows_org_figures_with_drilldown_links(cast, login):
    contact(cast, cast.a1)
    body = (
        login(cast.a_viewer)
        .get(reverse("core:township", args=[cast.a.pk]) + "?year=2025")
        .content.decode()
    )
    for m in registry.metrics("core"):
        assert f'data-metric="{m.code}"' in body
    assert "2个" in body and "1/2 = 50.0%" in body
    assert records_url(cast.a, "core.villages", year=2025) in body
    assert "part=numerator" in body


def test_township_page_counts_as_at_the_chosen_year(cast, login):
    grid = Grid.objects.create(township=cast.a, village=cast.a1, name="一组")
    staff = Staff.objects.create(township=cast.a, name="新网格员")
    GridAssignment.objects.create(township=cast.a, grid=grid, staff=staff, start=D)
    client = login(cast.a_viewer)
    url = reverse("core:township", args=[cast.a.pk])
    assert "1名" in client.get(url + "?year=2025").content.decode()
    assert "未记录" in client.get(url + "?year=2024").content.decode()


def test_township_page_of_another_township_is_404_and_without_role_403(cast, login):
    url = reverse("core:township", args=[cast.b.pk])
    assert login(cast.a_viewer).get(url).status_code == 404
    assert login(cast.nobody).get(url).status_code == 403


def test_township_home_lists_overdue_deadlines_of_that_township_only(cast, login):
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType

    from fazhi.core.models import Deadline

    def deadline(township, village, label):
        return Deadline.objects.create(
            township=township,
            rule_code="test",
            label=label,
            citation="测试",
            content_type=ContentType.objects.get_for_model(village),
            object_id=str(village.pk),
            start_date=dt.date(2025, 1, 1),
            length=15,
            unit="days",
            due_date=dt.date(2025, 1, 16),
        )

    deadline(cast.a, cast.a1, "甲镇逾期事项")
    deadline(cast.b, cast.b1, "乙镇逾期事项")
    response = login(cast.a_operator).get(f"/t/{cast.a.pk}/")
    labels = [d.label for d, state in response.context["pressing"]]
    assert labels == ["甲镇逾期事项"]
    assert response.context["pressing"][0][1] == "overdue"
