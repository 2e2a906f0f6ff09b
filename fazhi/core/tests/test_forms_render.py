"""Every form, without opting in (settings.FORM_RENDERER): no "---------" options, errors next to
their field (and pointed at by the input), sections, searchable multi-selects served locally."""

from __future__ import annotations

from django import forms

from fazhi.core.forms_render import NONE_LABEL, PROMPT


def test_blank_options_read_as_words_in_module_forms_and_filters(cast, login):
    client = login(cast.a_operator)
    for url in (
        "/disputes/disputes/add/",
        "/petitions/petitions/add/",
        "/disputes/trainings/add/",
        "/disputes/disputes/",
        "/petitions/petitions/",
        "/villages/",
    ):
        html = client.get(url).content.decode()
        assert "---------" not in html, url
    html = client.get("/disputes/disputes/add/").content.decode()
    assert f'<option value="" selected>{PROMPT}</option>' in html  # 纠纷类型 is required
    assert f'<option value="">{NONE_LABEL}</option>' in html or NONE_LABEL in html
    assert "全部" in client.get("/disputes/disputes/").content.decode()


def test_plain_forms_get_the_same_choices():
    class F(forms.Form):
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")])
        other = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")], required=False)

    html = str(F())
    assert "---------" not in html and PROMPT in html and NONE_LABEL in html


def test_an_error_sits_next_to_its_field_and_the_input_points_at_it(cast, login):
    response = login(cast.a_operator).post(
        "/disputes/disputes/add/", {"township": cast.a.pk, "received_on": "不是日期"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_received_on_error"' in html
    assert 'aria-describedby="id_received_on_error"' in html and 'aria-invalid="true"' in html
    assert "请更正以下" in html and 'href="#id_received_on"' in html  # the summary links to it


def test_long_forms_are_split_into_declared_sections(cast, login):
    html = login(cast.a_operator).get("/disputes/disputes/add/").content.decode()
    for legend in ("来源", "当事人", "纠纷情况", "地点与承办"):
        assert f"<legend>{legend}</legend>" in html
    html = login(cast.a_operator).get("/petitions/petitions/add/").content.decode()
    assert "<legend>信访人</legend>" in html


def test_multi_selects_are_searchable_with_the_vendored_widget(cast, login):
    html = login(cast.a_operator).get("/disputes/trainings/add/").content.decode()
    assert 'data-search="multi"' in html and "multiple" in html
    assert "/static/vendor/tom-select/tom-select.complete.min.js" in html
    assert "//cdn" not in html and "https://" not in html.split("<body", 1)[0]
