"""Token authentication with expiry (kept apart from the views: DRF imports it at start-up)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_ttl() -> dt.timedelta:
    return dt.timedelta(hours=settings.FAZHI_TOKEN_TTL_HOURS)


def expires_at(token: Any) -> dt.datetime:
    return token.created + token_ttl()


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …` that stops working `FAZHI_TOKEN_TTL_HOURS` after it was issued."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if expires_at(token) <= timezone.now():
            token.delete()
            raise exceptions.AuthenticationFailed("令牌已过期，请重新获取。")
        return user, token
