from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from fazhi.core.context import new_request_id, request_id


class RequestIdMiddleware:
    """Gives every request an id that audit records carry (and the response shows)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request.headers.get("X-Request-ID", "")[:64] or new_request_id()
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


#: the largest id a database row can have (a signed 64-bit integer column)
MAX_ID = 2**63 - 1


class PathIdRangeMiddleware:
    """An id in the URL beyond any database id (`/t/99999999999999999999/`) does not exist: 404
    before the view runs, instead of an overflow in the database driver (a 500). Covers every
    `<int:…>` of every module, present and future."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_ID:
                raise Http404("记录不存在或无权访问。")
        return None
