"""The generic list writes its rows in Python (speed): the same cells and HTML as the template
loop it replaced, for every resource."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from fazhi.core.resources import all_resources
from fazhi.core.views.generic import (
    column_label,
    detail_url_maker,
    row_reader,
    row_values,
    rows_html,
)

pytestmark = pytest.mark.django_db

#: the loop of core/generic/_rows.html before the rows were written in Python
LOOP = Template(
    "{% for obj, values in rows %}\n"
    '    <tr>{% for value in values %}<td>{% if forloop.first %}<a href="{% url resource.app_label'
    "|add:':'|add:resource.slug|add:'_detail' obj.pk %}\">{{ value }}</a>{% else %}{{ value }}"
    "{% endif %}</td>{% endfor %}</tr>\n"
    "  {% empty %}\n"
    '    <tr><td colspan="{{ columns|length }}" class="muted">暂无记录</td></tr>\n'
    "  {% endfor %}"
)


def test_rows_written_in_python_match_the_template_loop(cast, dispute_rows):
    checked = 0
    for resource in all_resources():
        columns = [(n, column_label(resource.model, n)) for n in resource.list_columns]
        objs = list(resource.queryset(cast.admin)[:30])
        read = row_reader(resource.model, columns)
        rows = [(obj, read(obj)) for obj in objs]
        assert rows == [(obj, row_values(obj, columns)) for obj in objs], resource.key
        expected = LOOP.render(Context({"rows": rows, "columns": columns, "resource": resource}))
        assert rows_html(rows, detail_url_maker(resource), len(columns)) == expected, resource.key
        checked += len(rows)
    assert checked >= 10


@pytest.fixture
def dispute_rows(cast):
    """A few rows with choices, dates, masked parties and escaping in a module's list."""
    from fazhi.disputes.models import Dispute
    from fazhi.parties.models import Party

    for i in range(3):
        Dispute.objects.create(
            township=cast.a,
            number=f"〔2025〕<测试>&{i}",
            received_on=f"2025-03-0{i + 1}",
            kind="neighbour",
            title=f"纠纷 <b>{i}</b>",
            status=("registered", "mediating", "succeeded")[i],
        )
        Party.objects.create(township=cast.a, name=f"张{i}", phone=f"1380000000{i}")
