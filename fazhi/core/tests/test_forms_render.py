"""Every form, without opting in (settings.FORM_RENDERER): no "---------" options, errors next to
their field (and pointed at by the input), sections, searchable multi-selects served locally."""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldError

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


def _both_ways(form: forms.BaseForm, monkeypatch) -> tuple[list[str], list[str]]:
    from fazhi.core import forms_render

    fast = [str(bf) for bf in form]
    monkeypatch.setattr(forms_render, "FAST_WIDGETS", False)
    slow = [str(bf) for bf in form]
    monkeypatch.setattr(forms_render, "FAST_WIDGETS", True)
    return fast, slow


def test_select_and_input_widgets_written_in_python_match_the_django_templates(monkeypatch):
    """The renderer writes select and input widgets itself (speed); the HTML is Django's."""
    from fazhi.core.forms_render import _select

    class F(forms.Form):
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲 <b>&'\""), (3, "丙")])
        groups = forms.ChoiceField(
            choices=[("组一", [("x", "叉"), ("y", "歪")]), ("z", "兹")], initial="y"
        )
        many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二")], initial=["1", "2"])
        flag = forms.NullBooleanField()
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "data-x": '"q"'}))
        text = forms.CharField(
            max_length=5, initial="<i>", widget=forms.TextInput(attrs={"a": True})
        )
        number = forms.IntegerField(min_value=0, initial=7)
        hidden = forms.CharField(widget=forms.HiddenInput, required=False)

    for form in (F(), F({"kind": "a", "groups": "x", "many": ["2"], "day": "2025-01-02"})):
        form.is_valid()
        fast, slow = _both_ways(form, monkeypatch)
        assert fast == slow
    assert _select({"widget": {"name": "n", "attrs": {}, "optgroups": []}}) == (
        '<select name="n">\n</select>'
    )


def test_module_forms_render_the_same_with_and_without_the_fast_widgets(cast, rf, monkeypatch):
    """Every resource's filter form and edit form, bound to a user's scope, both ways."""
    from fazhi.core.forms import form_for
    from fazhi.core.resources import all_resources

    request = rf.get("/")
    request.user = cast.a_operator
    checked = 0
    for resource in all_resources():
        filterset = resource.get_filterset_class()(
            {}, queryset=resource.queryset(cast.a_operator), request=request
        )
        fast, slow = _both_ways(filterset.form, monkeypatch)
        assert fast == slow, resource.key
        try:
            edit = form_for(resource)(user=cast.a_operator)
        except FieldError:  # a record made by its own pages (no generic form)
            continue
        fast_edit, slow_edit = _both_ways(edit, monkeypatch)
        assert fast_edit == slow_edit, resource.key
        checked += len(fast) + len(fast_edit)
    assert checked > 100
