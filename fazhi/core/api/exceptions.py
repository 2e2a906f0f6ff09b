"""API errors in Chinese, with field names; conflicts are 409."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from fazhi.core.services import ConflictError, VersionRequired


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ConflictError):
        return Response(
            {"detail": str(exc), "current_version": exc.obj.version},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, VersionRequired):
        return Response(exc.message_dict, status=status.HTTP_428_PRECONDITION_REQUIRED)
    if isinstance(exc, DjangoValidationError):
        data = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return drf_handler(exc, context)
