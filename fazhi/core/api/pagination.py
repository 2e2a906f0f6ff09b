"""List pagination for the API: `limit` and `offset` must be whole numbers in range, else a 400
in Chinese (a `?limit=9223372036854775808` used to reach the database driver and fail with 500)."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 10**9


def _whole(request: Any, name: str, label: str, low: int, high: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: [f"{label}必须是整数。"]}) from None
    if not low <= value <= high:
        raise ValidationError({name: [f"{label}必须在{low}到{high}之间。"]})
    return value


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT
    limit_query_description = f"每页条数（1–{MAX_LIMIT}，默认50）"
    offset_query_description = "从第几条开始（0 起）"

    def get_limit(self, request: Any) -> int:
        value = _whole(request, self.limit_query_param, "每页条数（limit）", 1, MAX_LIMIT)
        return self.default_limit if value is None else value

    def get_offset(self, request: Any) -> int:
        value = _whole(request, self.offset_query_param, "起始位置（offset）", 0, MAX_OFFSET)
        return 0 if value is None else value

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": MAX_LIMIT})
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update({"minimum": 0, "maximum": MAX_OFFSET})
        return parameters
