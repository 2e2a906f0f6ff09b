"""Resources of the indicators app: nil returns and not-applicable declarations."""

from fazhi.core.resources import Resource, register
from fazhi.indicators.forms import FigureDeclarationForm
from fazhi.indicators.models import FigureDeclaration

DECLARATIONS = register(
    Resource(
        FigureDeclaration,
        "declarations",
        fields=["metric_code", "year", "kind", "reason"],
        list_columns=["year", "metric_label", "kind", "reason", "created_by", "updated_at"],
        filter_fields=["year", "kind"],
        search_fields=["metric_code", "reason"],
        natural_key=["township", "metric_code", "year"],
        group="指标与考核",
        form_class=FigureDeclarationForm,
    )
)
