from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
