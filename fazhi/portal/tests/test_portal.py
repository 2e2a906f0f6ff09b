"""The public portal: every township linked, the sections the modules register, no login."""

from __future__ import annotations

import pytest

from fazhi.portal import sections


@pytest.fixture
def fake_section(cast):
    """A disclosure that only 甲镇 has (two items)."""
    section = sections.register(
        sections.Section(
            key="test.notices",
            title="测试公示",
            description="测试用的公开栏目。",
            links=lambda t: [("第一项", "/gk/"), ("第二项", "/gk/")] if t == cast.a else [],
            order=1,
        )
    )
    yield section
    sections._SECTIONS.pop(section.key)


def test_index_links_every_township_and_the_petition_lookup(cast, client):
    body = client.get("/gk/").content.decode()
    for t in (cast.a, cast.b, cast.c):
        assert f'href="/gk/t/{t.pk}/"' in body
    assert 'href="/gk/petitions/"' in body and "信访事项查询" in body


def test_a_section_is_listed_only_for_the_townships_that_have_something(cast, client, fake_section):
    index = client.get("/gk/").content.decode()
    assert index.count("测试公示") == 2  # once among the sections, once on 甲镇's row
    a = client.get(f"/gk/t/{cast.a.pk}/").content.decode()
    assert "测试公示" in a and "第一项" in a and "2项" in a
    b = client.get(f"/gk/t/{cast.b.pk}/").content.decode()
    assert "测试公示" not in b and "尚无公开内容" in b


def test_township_page_needs_no_login_and_unknown_township_is_404(cast, client):
    assert client.get(f"/gk/t/{cast.a.pk}/").status_code == 200
    assert client.get("/gk/t/999999/").status_code == 404


def test_a_section_needs_exactly_one_kind_of_target():
    with pytest.raises(ValueError):
        sections.Section(key="x", title="x", description="x")
    with pytest.raises(ValueError):
        sections.Section(
            key="x", title="x", description="x", url_name="portal:index", links=lambda t: []
        )
